"""Users and passwords on a real database."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from steerco.domain import Conflict, NotFound, PermissionDenied, ValidationError
from steerco.domain.accounts import AuthenticationFailed, Principal, Scope
from steerco.services import accounts, accounts_sessions
from steerco.storage.uow import SqlUnitOfWorkFactory
from tests.integration.services.conftest import PRODUCTION_HASHER, T0

PASSWORD = "correct horse battery"


def test_no_default_account(accounts_uow: SqlUnitOfWorkFactory) -> None:
    assert accounts.list_users(accounts_uow) == []
    for email, password in [
        ("admin@localhost", "admin"),
        ("admin@example.org", "admin"),
        ("root@example.org", "changeme"),
    ]:
        with pytest.raises(AuthenticationFailed):
            accounts_sessions.sign_in(accounts_uow, email, password, now=T0)


def test_password_is_stored_as_argon2id(accounts_uow: SqlUnitOfWorkFactory) -> None:
    user = accounts.create_user(
        accounts_uow, " Ann@Example.org", PASSWORD, now=T0, display_name="Ann", is_admin=True
    )
    assert (user.email, user.display_name, user.is_admin) == ("ann@example.org", "Ann", True)
    with accounts_uow(write=False) as uow:
        stored = uow.session.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$argon2id$v=19$m=")
    # The production profile (tests swap in a cheap one) meets OWASP's argon2id minimum.
    params = PRODUCTION_HASHER
    assert params.memory_cost >= 19 * 1024 and params.time_cost >= 2
    assert params.type.name == "ID"
    assert PASSWORD not in stored
    with accounts_uow(write=False) as uow:
        audit_text = str(uow.session.execute(text("SELECT * FROM audit_log")).all())
    assert PASSWORD not in audit_text and "argon2" not in audit_text


def test_long_and_unicode_passwords_work(accounts_uow: SqlUnitOfWorkFactory) -> None:
    long_password = "Ünïcødé pässphrase with spaces " * 30  # 930 characters
    accounts.create_user(accounts_uow, "bo@example.org", long_password, now=T0)
    signed = accounts_sessions.sign_in(accounts_uow, "bo@example.org", long_password, now=T0)
    assert signed.principal.email == "bo@example.org"
    with pytest.raises(AuthenticationFailed):
        accounts_sessions.sign_in(accounts_uow, "bo@example.org", long_password[:-1], now=T0)


def test_short_password_and_duplicate_email_are_refused(accounts_uow: SqlUnitOfWorkFactory) -> None:
    with pytest.raises(ValidationError, match="12"):
        accounts.create_user(accounts_uow, "cy@example.org", "short", now=T0)
    accounts.create_user(accounts_uow, "cy@example.org", PASSWORD, now=T0)
    with pytest.raises(Conflict):
        accounts.create_user(accounts_uow, "CY@example.org", PASSWORD, now=T0)
    assert [u.email for u in accounts.list_users(accounts_uow)] == ["cy@example.org"]


def test_disable_ends_sessions_and_blocks_sign_in(accounts_uow: SqlUnitOfWorkFactory) -> None:
    accounts.create_user(accounts_uow, "root@example.org", PASSWORD, now=T0, is_admin=True)
    accounts.create_user(accounts_uow, "dee@example.org", PASSWORD, now=T0)
    signed = accounts_sessions.sign_in(accounts_uow, "dee@example.org", PASSWORD, now=T0)
    user = accounts.disable_user(accounts_uow, "dee@example.org", now=T0)
    assert user.disabled
    with pytest.raises(AuthenticationFailed):
        accounts_sessions.resolve_session(accounts_uow, signed.session_id, now=T0)
    with pytest.raises(AuthenticationFailed, match="wrong email or password"):
        accounts_sessions.sign_in(accounts_uow, "dee@example.org", PASSWORD, now=T0)
    accounts.enable_user(accounts_uow, "dee@example.org", now=T0)
    accounts_sessions.sign_in(accounts_uow, "dee@example.org", PASSWORD, now=T0)
    with pytest.raises(NotFound):
        accounts.disable_user(accounts_uow, "nobody@example.org", now=T0)


def test_last_active_admin_cannot_be_disabled(accounts_uow: SqlUnitOfWorkFactory) -> None:
    accounts.create_user(accounts_uow, "root@example.org", PASSWORD, now=T0, is_admin=True)
    with pytest.raises(Conflict):
        accounts.disable_user(accounts_uow, "root@example.org", now=T0)


def test_only_admin_principals_manage_users(accounts_uow: SqlUnitOfWorkFactory) -> None:
    user = accounts.create_user(accounts_uow, "eve@example.org", PASSWORD, now=T0)
    member = Principal(user.id, user.email, False, frozenset({Scope.READ, Scope.WRITE}), "session")
    with pytest.raises(PermissionDenied):
        accounts.create_user(accounts_uow, "x@example.org", PASSWORD, now=T0, actor=member)
    with pytest.raises(PermissionDenied):
        accounts.list_users(accounts_uow, member)
    # An admin whose credential lacks the admin scope (a write token) is not enough either.
    admin_token = Principal(
        user.id, user.email, True, frozenset({Scope.READ, Scope.WRITE}), "token"
    )
    with pytest.raises(PermissionDenied):
        accounts.disable_user(accounts_uow, "eve@example.org", now=T0, actor=admin_token)


def test_change_password_ends_other_sessions(accounts_uow: SqlUnitOfWorkFactory) -> None:
    user = accounts.create_user(accounts_uow, "fay@example.org", PASSWORD, now=T0)
    first = accounts_sessions.sign_in(accounts_uow, "fay@example.org", PASSWORD, now=T0)
    second = accounts_sessions.sign_in(accounts_uow, "fay@example.org", PASSWORD, now=T0)
    kept = accounts_sessions.resolve_session(accounts_uow, second.session_id, now=T0)
    with pytest.raises(PermissionDenied):
        accounts.change_password(
            accounts_uow, user.id, "wrong password!", "new passphrase 1", now=T0
        )
    accounts.change_password(
        accounts_uow, user.id, PASSWORD, "new passphrase 1", now=T0, keep_session=kept.record.id
    )
    with pytest.raises(AuthenticationFailed):
        accounts_sessions.resolve_session(accounts_uow, first.session_id, now=T0)
    accounts_sessions.resolve_session(accounts_uow, second.session_id, now=T0)
    accounts_sessions.sign_in(accounts_uow, "fay@example.org", "new passphrase 1", now=T0)


def test_old_hashes_are_upgraded_at_sign_in(
    accounts_uow: SqlUnitOfWorkFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    accounts.create_user(accounts_uow, "gus@example.org", PASSWORD, now=T0)
    with accounts_uow(write=False) as uow:
        before = uow.session.execute(text("SELECT password_hash FROM users")).scalar_one()
    stronger = PasswordHasher(time_cost=2, memory_cost=128, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", stronger)
    accounts_sessions.sign_in(accounts_uow, "gus@example.org", PASSWORD, now=T0)
    with accounts_uow(write=False) as uow:
        after = uow.session.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert "m=64,t=1" in before and "m=128,t=2" in after
    accounts_sessions.sign_in(accounts_uow, "gus@example.org", PASSWORD, now=T0)
