"""API tokens: hash-only storage, scope x method, expiry, revocation, last_used_at."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import text

from steerco.domain import NotFound, PermissionDenied, ValidationError
from steerco.domain.accounts import AuthenticationFailed, Principal, Scope
from steerco.services import accounts
from steerco.services import accounts_tokens as tokens
from steerco.services.accounts import LOCAL
from steerco.storage.uow import SqlUnitOfWorkFactory
from tests.integration.services.conftest import T0

PASSWORD = "correct horse battery"
METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"]
READS = {"GET", "HEAD", "OPTIONS"}


@pytest.fixture
def users(accounts_uow: SqlUnitOfWorkFactory) -> dict[str, int]:
    admin = accounts.create_user(accounts_uow, "root@example.org", PASSWORD, now=T0, is_admin=True)
    ann = accounts.create_user(accounts_uow, "ann@example.org", PASSWORD, now=T0)
    return {"root": admin.id, "ann": ann.id}


def test_token_format_and_hash_only_storage(
    accounts_uow: SqlUnitOfWorkFactory, users: dict[str, int]
) -> None:
    new = tokens.create_token(accounts_uow, "ann@example.org", actor=LOCAL, now=T0, name="ci")
    assert new.token.startswith("stc_") and len(new.token) == 4 + 43
    assert new.record.prefix == new.token[:8]
    assert new.record.expires_at == T0 + tokens.DEFAULT_LIFETIME
    with accounts_uow(write=False) as uow:
        rows = str(uow.session.execute(text("SELECT * FROM api_tokens")).all())
        audit_rows = str(uow.session.execute(text("SELECT * FROM audit_log")).all())
    assert new.token not in rows and new.token[8:] not in rows
    assert hashlib.sha256(new.token.encode()).hexdigest() in rows
    assert new.token not in audit_rows
    other = tokens.create_token(accounts_uow, users["ann"], actor=LOCAL, now=T0)
    assert other.token != new.token


@pytest.mark.parametrize("scope", list(Scope))
def test_scope_by_method_matrix(
    accounts_uow: SqlUnitOfWorkFactory, users: dict[str, int], scope: Scope
) -> None:
    """Every method, on a plain and on an admin endpoint (one database per scope: the
    matrix would otherwise set up 84 databases)."""
    new = tokens.create_token(accounts_uow, "root@example.org", actor=LOCAL, now=T0, scope=scope)
    for admin_endpoint in (False, True):
        for method in METHODS:
            case = f"{scope} {method} admin={admin_endpoint}"
            ok = (
                scope is Scope.ADMIN
                if admin_endpoint
                else scope is not Scope.READ or method in READS
            )
            if ok:
                principal = tokens.authenticate_token(
                    accounts_uow, new.token, method, now=T0, admin=admin_endpoint
                )
                assert principal.user_id == users["root"] and principal.via == "token", case
                continue
            with pytest.raises(PermissionDenied) as info:
                tokens.authenticate_token(
                    accounts_uow, new.token, method, now=T0, admin=admin_endpoint
                )
            assert not isinstance(info.value, AuthenticationFailed), case  # 403, not 401


def test_unknown_methods_and_bad_tokens(
    accounts_uow: SqlUnitOfWorkFactory, users: dict[str, int]
) -> None:
    new = tokens.create_token(
        accounts_uow, "ann@example.org", actor=LOCAL, now=T0, scope=Scope.WRITE
    )
    with pytest.raises(PermissionDenied):
        tokens.authenticate_token(accounts_uow, new.token, "TRACE", now=T0)
    for bad in [
        "",
        "stc_",
        new.token[:-1] + ("A" if new.token[-1] != "A" else "B"),
        new.token[4:],
        "Bearer " + new.token,
        new.token + "x",
    ]:
        with pytest.raises(AuthenticationFailed):
            tokens.authenticate_token(accounts_uow, bad, "GET", now=T0)


def test_expiry(accounts_uow: SqlUnitOfWorkFactory, users: dict[str, int]) -> None:
    new = tokens.create_token(
        accounts_uow, "ann@example.org", actor=LOCAL, now=T0, lifetime=tokens.parse_lifetime("2h")
    )
    tokens.authenticate_token(accounts_uow, new.token, "GET", now=T0 + timedelta(hours=1))
    with pytest.raises(AuthenticationFailed, match="expired"):
        tokens.authenticate_token(accounts_uow, new.token, "GET", now=T0 + timedelta(hours=2))
    with pytest.raises(ValidationError):
        tokens.create_token(
            accounts_uow, "ann@example.org", actor=LOCAL, now=T0, lifetime=timedelta(days=400)
        )
    with pytest.raises(ValidationError):
        tokens.parse_lifetime("-3d")
    assert tokens.parse_lifetime("90d") == timedelta(days=90)
    assert tokens.parse_lifetime("4w") == timedelta(weeks=4)


def test_last_used_at(accounts_uow: SqlUnitOfWorkFactory, users: dict[str, int]) -> None:
    new = tokens.create_token(accounts_uow, "ann@example.org", actor=LOCAL, now=T0)
    assert new.record.last_used_at is None
    used = T0 + timedelta(minutes=5)
    tokens.authenticate_token(accounts_uow, new.token, "GET", now=used)
    [record] = tokens.list_tokens(accounts_uow, users["ann"], actor=accounts.LOCAL)
    assert record.last_used_at == used
    tokens.authenticate_token(accounts_uow, new.token, "GET", now=used + timedelta(seconds=10))
    [record] = tokens.list_tokens(accounts_uow, users["ann"], actor=accounts.LOCAL)
    assert record.last_used_at == used  # written at most once a minute
    later = used + timedelta(minutes=3)
    tokens.authenticate_token(accounts_uow, new.token, "GET", now=later)
    [record] = tokens.list_tokens(accounts_uow, users["ann"], actor=accounts.LOCAL)
    assert record.last_used_at == later


def test_revocation_and_disabled_users(
    accounts_uow: SqlUnitOfWorkFactory, users: dict[str, int]
) -> None:
    new = tokens.create_token(accounts_uow, "ann@example.org", actor=LOCAL, now=T0)
    ann = Principal(users["ann"], "ann@example.org", False, frozenset({Scope.READ}), "session")
    mallory = accounts.create_user(accounts_uow, "mal@example.org", PASSWORD, now=T0)
    mal = Principal(mallory.id, mallory.email, False, frozenset(Scope) - {Scope.ADMIN}, "session")
    with pytest.raises(NotFound):
        tokens.revoke_token(accounts_uow, mal, new.record.id, now=T0)
    tokens.revoke_token(accounts_uow, ann, new.record.id, now=T0)
    with pytest.raises(AuthenticationFailed):
        tokens.authenticate_token(accounts_uow, new.token, "GET", now=T0)
    second = tokens.create_token(accounts_uow, "ann@example.org", actor=LOCAL, now=T0)
    accounts.disable_user(accounts_uow, "ann@example.org", now=T0)
    with pytest.raises(AuthenticationFailed):
        tokens.authenticate_token(accounts_uow, second.token, "GET", now=T0)


def test_admin_scope_needs_an_admin(
    accounts_uow: SqlUnitOfWorkFactory, users: dict[str, int]
) -> None:
    with pytest.raises(PermissionDenied):
        tokens.create_token(accounts_uow, "ann@example.org", actor=LOCAL, now=T0, scope=Scope.ADMIN)
    new = tokens.create_token(
        accounts_uow, "root@example.org", actor=LOCAL, now=T0, scope=Scope.ADMIN
    )
    accounts.create_user(accounts_uow, "root2@example.org", PASSWORD, now=T0, is_admin=True)
    # Demote root by hand (no service for it yet): the admin scope must stop working.
    with accounts_uow() as uow:
        uow.session.execute(
            text("UPDATE users SET is_admin = false WHERE id = :i"), {"i": users["root"]}
        )
        uow.commit()
    with pytest.raises(PermissionDenied):
        tokens.authenticate_token(accounts_uow, new.token, "GET", now=T0, admin=True)
    principal = tokens.authenticate_token(accounts_uow, new.token, "POST", now=T0)
    assert Scope.ADMIN not in principal.scopes


def test_who_may_issue_tokens(accounts_uow: SqlUnitOfWorkFactory, users: dict[str, int]) -> None:
    session = Principal(
        users["ann"], "ann@example.org", False, frozenset({Scope.READ, Scope.WRITE}), "session"
    )
    own = tokens.create_token(accounts_uow, users["ann"], now=T0, scope=Scope.WRITE, actor=session)
    assert own.record.user_id == users["ann"]
    # A token cannot mint tokens: a leaked read token must not grow into a write token.
    via_token = tokens.authenticate_token(accounts_uow, own.token, "POST", now=T0)
    with pytest.raises(PermissionDenied):
        tokens.create_token(accounts_uow, users["ann"], now=T0, scope=Scope.WRITE, actor=via_token)
    # Nor can a user issue one for someone else.
    with pytest.raises(PermissionDenied):
        tokens.create_token(accounts_uow, users["root"], now=T0, actor=session)
    admin = Principal(users["root"], "root@example.org", True, frozenset(Scope), "session")
    tokens.create_token(accounts_uow, users["ann"], now=T0, actor=admin)
