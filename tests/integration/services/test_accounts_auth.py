"""`authenticate`: the one call adapters make per request."""

from __future__ import annotations

import pytest

from steerco.domain import PermissionDenied
from steerco.domain.accounts import AuthenticationFailed, Scope
from steerco.services import accounts, accounts_sessions, accounts_tokens
from steerco.services.accounts_auth import authenticate, bearer_token
from steerco.storage.uow import SqlUnitOfWorkFactory
from tests.integration.services.conftest import T0

PASSWORD = "correct horse battery"


def test_bearer_header_parsing() -> None:
    assert bearer_token("Bearer stc_abc") == "stc_abc"
    assert bearer_token("bearer   stc_abc ") == "stc_abc"
    for header in (None, "", "Basic dXNlcjpwYXNz", "Bearer", "Bearer  "):
        assert bearer_token(header) is None


def test_sessions_and_tokens(accounts_uow: SqlUnitOfWorkFactory) -> None:
    accounts.create_user(accounts_uow, "ann@example.org", PASSWORD, now=T0)
    signed = accounts_sessions.sign_in(accounts_uow, "ann@example.org", PASSWORD, now=T0)
    sid, csrf = signed.session_id, signed.csrf_token
    assert authenticate(accounts_uow, method="GET", now=T0, session_id=sid).via == "session"
    assert (
        authenticate(accounts_uow, method="POST", now=T0, session_id=sid, csrf_token=csrf).user_id
        == signed.principal.user_id
    )
    with pytest.raises(PermissionDenied, match="CSRF"):
        authenticate(accounts_uow, method="POST", now=T0, session_id=sid)
    with pytest.raises(PermissionDenied):
        authenticate(accounts_uow, method="GET", now=T0, session_id=sid, admin=True)
    with pytest.raises(AuthenticationFailed):
        authenticate(accounts_uow, method="GET", now=T0)
    read = accounts_tokens.create_token(
        accounts_uow, "ann@example.org", now=T0, scope=Scope.READ, actor=accounts.LOCAL
    )
    # A bearer token is used even when a cookie rides along; no CSRF for tokens.
    who = authenticate(accounts_uow, method="GET", now=T0, bearer=read.token, session_id=sid)
    assert who.via == "token"
    with pytest.raises(PermissionDenied):
        authenticate(
            accounts_uow,
            method="DELETE",
            now=T0,
            bearer=read.token,
            session_id=sid,
            csrf_token=csrf,
        )


def test_enrolment_only_session_is_refused(accounts_uow: SqlUnitOfWorkFactory) -> None:
    accounts.create_user(accounts_uow, "ann@example.org", PASSWORD, now=T0)
    accounts.set_enforce_2fa(accounts_uow, True, now=T0)
    signed = accounts_sessions.sign_in(accounts_uow, "ann@example.org", PASSWORD, now=T0)
    with pytest.raises(PermissionDenied, match="two-factor"):
        authenticate(accounts_uow, method="GET", now=T0, session_id=signed.session_id)
