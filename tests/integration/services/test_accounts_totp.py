"""TOTP enrolment, sign-in with a code, replay refusal and one-time recovery codes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import text

from steerco.domain import Conflict, PermissionDenied, ValidationError
from steerco.domain.accounts import AuthenticationFailed, SecondFactorRequired
from steerco.services import accounts
from steerco.services import accounts_sessions as sessions
from steerco.services import accounts_totp as totp
from steerco.storage.uow import SqlUnitOfWorkFactory
from tests.integration.services.conftest import T0

PASSWORD = "correct horse battery"
EMAIL = "ann@example.org"


def code_at(secret: str, moment: datetime) -> str:
    return pyotp.TOTP(secret).at(moment.replace(tzinfo=UTC))


@pytest.fixture
def enrolled(accounts_uow: SqlUnitOfWorkFactory) -> tuple[int, str, list[str]]:
    user = accounts.create_user(accounts_uow, EMAIL, PASSWORD, now=T0)
    enrolment = totp.begin_enrolment(accounts_uow, user.id)
    assert enrolment.uri.startswith("otpauth://totp/steerco:ann%40example.org?secret=")
    codes = totp.confirm_enrolment(accounts_uow, user.id, code_at(enrolment.secret, T0), now=T0)
    return user.id, enrolment.secret, codes


def test_enrolment_needs_a_valid_code(accounts_uow: SqlUnitOfWorkFactory) -> None:
    user = accounts.create_user(accounts_uow, EMAIL, PASSWORD, now=T0)
    with pytest.raises(ValidationError, match="start"):
        totp.confirm_enrolment(accounts_uow, user.id, "123456", now=T0)
    enrolment = totp.begin_enrolment(accounts_uow, user.id)
    wrong = code_at(enrolment.secret, T0 + timedelta(minutes=5))
    with pytest.raises(ValidationError):
        totp.confirm_enrolment(accounts_uow, user.id, wrong, now=T0)
    # Not on until confirmed: the password alone still signs in.
    sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0)


def test_sign_in_asks_for_and_checks_the_code(
    accounts_uow: SqlUnitOfWorkFactory, enrolled: tuple[int, str, list[str]]
) -> None:
    _, secret, _ = enrolled
    t = T0 + timedelta(minutes=2)
    with pytest.raises(SecondFactorRequired):
        sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=t)
    with pytest.raises(AuthenticationFailed, match="wrong email or password"):
        sessions.sign_in(accounts_uow, EMAIL, "wrong password!", now=t, totp=code_at(secret, t))
    with pytest.raises(AuthenticationFailed, match="code"):
        sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=t, totp="000000")
    signed = sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=t, totp=code_at(secret, t))
    assert signed.principal.email == EMAIL
    # The same code again, within its validity window, is a replay.
    with pytest.raises(AuthenticationFailed):
        sessions.sign_in(
            accounts_uow, EMAIL, PASSWORD, now=t + timedelta(seconds=5), totp=code_at(secret, t)
        )
    # One step of clock drift is tolerated.
    later = t + timedelta(minutes=1)
    sessions.sign_in(
        accounts_uow,
        EMAIL,
        PASSWORD,
        now=later,
        totp=code_at(secret, later - timedelta(seconds=30)),
    )


def test_recovery_codes_work_once(
    accounts_uow: SqlUnitOfWorkFactory, enrolled: tuple[int, str, list[str]]
) -> None:
    user_id, _, codes = enrolled
    assert len(codes) == totp.RECOVERY_CODES and len(set(codes)) == len(codes)
    with accounts_uow(write=False) as uow:
        stored = str(uow.session.execute(text("SELECT * FROM recovery_codes")).all())
        assert uow.users.unused_recovery_codes(user_id) == totp.RECOVERY_CODES
    assert not any(c in stored or c.replace("-", "") in stored for c in codes)
    sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0, totp=codes[0].upper())
    with pytest.raises(AuthenticationFailed):
        sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0, totp=codes[0])
    sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0, totp=codes[1].replace("-", ""))
    renewed = totp.regenerate_recovery_codes(accounts_uow, user_id, PASSWORD, now=T0)
    with pytest.raises(AuthenticationFailed):
        sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0, totp=codes[2])
    sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0, totp=renewed[2])


def test_enrolment_unlocks_a_restricted_session(accounts_uow: SqlUnitOfWorkFactory) -> None:
    user = accounts.create_user(accounts_uow, EMAIL, PASSWORD, now=T0)
    accounts.set_enforce_2fa(accounts_uow, True, now=T0)
    signed = sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0)
    assert signed.needs_totp_enrolment
    enrolment = totp.begin_enrolment(accounts_uow, user.id)
    totp.confirm_enrolment(accounts_uow, user.id, code_at(enrolment.secret, T0), now=T0)
    active = sessions.resolve_session(accounts_uow, signed.session_id, now=T0)
    assert not active.needs_totp_enrolment and active.principal.scopes


def test_disable_and_reset(
    accounts_uow: SqlUnitOfWorkFactory, enrolled: tuple[int, str, list[str]]
) -> None:
    user_id, _, _ = enrolled
    with pytest.raises(Conflict):
        totp.begin_enrolment(accounts_uow, user_id)
    with pytest.raises(PermissionDenied):
        totp.disable(accounts_uow, user_id, "wrong password!", now=T0)
    accounts.set_enforce_2fa(accounts_uow, True, now=T0)
    with pytest.raises(PermissionDenied, match="requires"):
        totp.disable(accounts_uow, user_id, PASSWORD, now=T0)
    totp.reset(accounts_uow, EMAIL, now=T0, actor=accounts.LOCAL)
    signed = sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0)
    assert signed.needs_totp_enrolment
