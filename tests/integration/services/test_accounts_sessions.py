"""Sign-in, sessions, CSRF and the throttle on a real database."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import text

from steerco.domain import PermissionDenied
from steerco.domain.accounts import AuthenticationFailed, LockedOut, Scope
from steerco.services import accounts, audit
from steerco.services import accounts_sessions as sessions
from steerco.storage.uow import SqlUnitOfWorkFactory
from tests.integration.services.conftest import T0

PASSWORD = "correct horse battery"
EMAIL = "ann@example.org"


@pytest.fixture
def ann(accounts_uow: SqlUnitOfWorkFactory) -> int:
    return accounts.create_user(accounts_uow, EMAIL, PASSWORD, now=T0).id


def test_sign_in_stores_only_a_hash_of_the_session_id(
    accounts_uow: SqlUnitOfWorkFactory, ann: int
) -> None:
    signed = sessions.sign_in(accounts_uow, "ANN@example.org ", PASSWORD, now=T0, source="10.0.0.1")
    assert len(signed.session_id) >= 43 and signed.principal.user_id == ann
    assert signed.principal.via == "session" and Scope.WRITE in signed.principal.scopes
    assert signed.expires_at == T0 + sessions.ABSOLUTE_TIMEOUT
    with accounts_uow(write=False) as uow:
        rows = uow.session.execute(text("SELECT * FROM sessions")).all()
    assert signed.session_id not in str(rows)
    assert rows[0].id_hash == hashlib.sha256(signed.session_id.encode()).hexdigest()
    active = sessions.resolve_session(accounts_uow, signed.session_id, now=T0)
    assert active.principal == signed.principal
    assert active.csrf_token == signed.csrf_token


def test_every_sign_in_gets_a_fresh_id_and_drops_the_old_one(
    accounts_uow: SqlUnitOfWorkFactory, ann: int
) -> None:
    first = sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0)
    second = sessions.sign_in(
        accounts_uow, EMAIL, PASSWORD, now=T0, previous_session=first.session_id
    )
    assert second.session_id != first.session_id
    assert second.csrf_token != first.csrf_token
    with pytest.raises(AuthenticationFailed):
        sessions.resolve_session(accounts_uow, first.session_id, now=T0)
    sessions.resolve_session(accounts_uow, second.session_id, now=T0)


def test_idle_timeout(accounts_uow: SqlUnitOfWorkFactory, ann: int) -> None:
    signed = sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0)
    # Activity keeps it alive: each request inside the idle window moves last_seen on.
    t = T0
    for _ in range(4):
        t += sessions.IDLE_TIMEOUT - timedelta(minutes=1)
        sessions.resolve_session(accounts_uow, signed.session_id, now=t)
    with pytest.raises(AuthenticationFailed, match="ended"):
        sessions.resolve_session(accounts_uow, signed.session_id, now=t + sessions.IDLE_TIMEOUT)
    # ...and it is gone, not merely refused.
    with pytest.raises(AuthenticationFailed, match="not signed in"):
        sessions.resolve_session(accounts_uow, signed.session_id, now=t)


def test_absolute_timeout_despite_activity(accounts_uow: SqlUnitOfWorkFactory, ann: int) -> None:
    signed = sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0)
    t = T0
    while t + timedelta(minutes=20) < T0 + sessions.ABSOLUTE_TIMEOUT:
        t += timedelta(minutes=20)
        sessions.resolve_session(accounts_uow, signed.session_id, now=t)
    with pytest.raises(AuthenticationFailed):
        sessions.resolve_session(
            accounts_uow, signed.session_id, now=T0 + sessions.ABSOLUTE_TIMEOUT
        )


def test_sign_out_kills_the_session(accounts_uow: SqlUnitOfWorkFactory, ann: int) -> None:
    signed = sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0)
    other = sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0)
    sessions.sign_out(accounts_uow, signed.session_id, now=T0)
    with pytest.raises(AuthenticationFailed):
        sessions.resolve_session(accounts_uow, signed.session_id, now=T0)
    sessions.sign_out(accounts_uow, signed.session_id, now=T0)  # idempotent
    sessions.resolve_session(accounts_uow, other.session_id, now=T0)
    assert sessions.sign_out_everywhere(accounts_uow, ann, now=T0) == 1
    with pytest.raises(AuthenticationFailed):
        sessions.resolve_session(accounts_uow, other.session_id, now=T0)


@pytest.mark.parametrize("bogus", ["", "x", "a" * 43, "a" * 10_000])
def test_unknown_session_ids_are_refused(
    accounts_uow: SqlUnitOfWorkFactory, ann: int, bogus: str
) -> None:
    with pytest.raises(AuthenticationFailed):
        sessions.resolve_session(accounts_uow, bogus, now=T0)


def test_csrf_token_is_bound_to_the_session(accounts_uow: SqlUnitOfWorkFactory, ann: int) -> None:
    one = sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0)
    two = sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0)
    sessions.check_csrf(one.session_id, one.csrf_token)
    for wrong in (two.csrf_token, "", None, one.csrf_token[:-1]):
        with pytest.raises(PermissionDenied):
            sessions.check_csrf(one.session_id, wrong)


def test_account_throttle_locks_even_the_right_password(
    accounts_uow: SqlUnitOfWorkFactory, ann: int
) -> None:
    for _ in range(sessions.ACCOUNT_FREE_FAILURES):
        with pytest.raises(AuthenticationFailed) as info:
            sessions.sign_in(accounts_uow, EMAIL, "wrong password!", now=T0)
        assert not isinstance(info.value, LockedOut)
    with pytest.raises(AuthenticationFailed):
        sessions.sign_in(accounts_uow, EMAIL, "wrong password!", now=T0)  # 6th: starts a lock
    with pytest.raises(LockedOut) as locked:
        sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0 + timedelta(seconds=10))
    assert 0 < locked.value.retry_after <= 30
    signed = sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0 + timedelta(seconds=31))
    assert signed.principal.user_id == ann
    # Success clears the account's counter.
    with pytest.raises(AuthenticationFailed) as info:
        sessions.sign_in(accounts_uow, EMAIL, "wrong password!", now=T0 + timedelta(seconds=32))
    assert not isinstance(info.value, LockedOut)


def test_lockout_grows_exponentially_and_is_capped() -> None:
    throttle = sessions.Throttle("account:x", 0, None, None)
    locks = []
    t = T0
    for _ in range(sessions.ACCOUNT_FREE_FAILURES + 8):
        throttle = sessions.after_failure(throttle, t, sessions.ACCOUNT_FREE_FAILURES)
        locks.append(throttle.locked_until - t if throttle.locked_until else timedelta(0))
        t += timedelta(seconds=1)
    free = sessions.ACCOUNT_FREE_FAILURES
    assert locks[:free] == [timedelta(0)] * free
    assert locks[free : free + 3] == [
        timedelta(seconds=30),
        timedelta(seconds=60),
        timedelta(seconds=120),
    ]
    assert locks[-1] == sessions.MAX_LOCK
    # Old failures are forgotten after the window.
    fresh = sessions.after_failure(throttle, t + sessions.FAILURE_WINDOW * 2, free)
    assert fresh.failures == 1 and fresh.locked_until is None


def test_unknown_emails_are_throttled_too(accounts_uow: SqlUnitOfWorkFactory, ann: int) -> None:
    """Otherwise a lockout (or its absence) would tell which accounts exist."""
    for _ in range(sessions.ACCOUNT_FREE_FAILURES + 1):
        with pytest.raises(AuthenticationFailed, match="wrong email or password"):
            sessions.sign_in(accounts_uow, "ghost@example.org", "whatever password", now=T0)
    with pytest.raises(LockedOut):
        sessions.sign_in(accounts_uow, "ghost@example.org", "whatever password", now=T0)


def test_source_throttle_spans_accounts(accounts_uow: SqlUnitOfWorkFactory, ann: int) -> None:
    for i in range(sessions.SOURCE_FREE_FAILURES + 1):
        with pytest.raises(AuthenticationFailed):
            sessions.sign_in(
                accounts_uow, f"u{i}@example.org", "password spray!", now=T0, source="203.0.113.9"
            )
    with pytest.raises(LockedOut):
        sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0, source="203.0.113.9")
    sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0, source="198.51.100.7")


def test_sign_ins_are_audited_without_secrets(accounts_uow: SqlUnitOfWorkFactory, ann: int) -> None:
    with pytest.raises(AuthenticationFailed):
        sessions.sign_in(accounts_uow, EMAIL, "wrong password!", now=T0)
    signed = sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0)
    sessions.sign_out(accounts_uow, signed.session_id, now=T0)
    with accounts_uow(write=False) as uow:
        rows = uow.session.execute(text("SELECT action, before, after FROM audit_log")).all()
    assert [r.action for r in rows] == [
        "user.created",
        "auth.sign_in_failed",
        "auth.sign_in",
        "auth.sign_out",
    ]
    dump = str(rows)
    for secret in (PASSWORD, "wrong password!", signed.session_id, signed.csrf_token):
        assert secret not in dump
    assert audit.verify(accounts_uow).first_bad is None


def test_enforced_2fa_gives_an_enrolment_only_session(
    accounts_uow: SqlUnitOfWorkFactory, ann: int
) -> None:
    accounts.set_enforce_2fa(accounts_uow, True, now=T0)
    signed = sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0)
    assert signed.needs_totp_enrolment and signed.principal.scopes == frozenset()
    active = sessions.resolve_session(accounts_uow, signed.session_id, now=T0)
    assert active.needs_totp_enrolment
    accounts.set_enforce_2fa(accounts_uow, False, now=T0)
    assert not sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0).needs_totp_enrolment


def test_purge_drops_ended_sessions_and_old_throttles(
    accounts_uow: SqlUnitOfWorkFactory, ann: int
) -> None:
    old = sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=T0)
    with pytest.raises(AuthenticationFailed):
        sessions.sign_in(accounts_uow, "ghost@example.org", "whatever password", now=T0)
    later = T0 + timedelta(hours=2)
    fresh = sessions.sign_in(accounts_uow, EMAIL, PASSWORD, now=later)
    assert sessions.purge_expired(accounts_uow, now=later) == 2  # one session, one throttle
    sessions.resolve_session(accounts_uow, fresh.session_id, now=later)
    with pytest.raises(AuthenticationFailed, match="not signed in"):
        sessions.resolve_session(accounts_uow, old.session_id, now=later)
