"""One call for an adapter to turn a request's credentials into a `Principal`.

`authenticate` is what `current_principal` (api/deps.py) and the web's equivalent call: a
bearer token wins over a cookie (an API client should not ride on a browser session); a
session must bring its CSRF token on unsafe methods; either way the credential's scopes
must cover the method (and the admin scope, for admin endpoints).
"""

from __future__ import annotations

from datetime import datetime

from steerco.domain import PermissionDenied
from steerco.domain.accounts import AuthenticationFailed, Principal, required_scope
from steerco.services.accounts_sessions import check_csrf, resolve_session
from steerco.services.accounts_tokens import authenticate_token
from steerco.services.ports import UnitOfWorkFactory


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer stc_...` header, or None."""
    if not authorization:
        return None
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def authenticate(
    uow_factory: UnitOfWorkFactory,
    *,
    method: str,
    now: datetime,
    bearer: str | None = None,
    session_id: str | None = None,
    csrf_token: str | None = None,
    admin: bool = False,
) -> Principal:
    """AuthenticationFailed (401) without a valid credential; PermissionDenied (403) for a
    short scope, a missing CSRF token on an unsafe method, or a session that must enrol in
    2FA first (the enrolment routes take the session's user id instead)."""
    needed = required_scope(method, admin=admin)
    if bearer:
        return authenticate_token(uow_factory, bearer, method, now=now, admin=admin)
    if not session_id:
        raise AuthenticationFailed("not signed in")
    active = resolve_session(uow_factory, session_id, now=now)
    if active.needs_totp_enrolment:
        raise PermissionDenied("set up two-factor authentication first")
    if method.upper() not in ("GET", "HEAD", "OPTIONS"):
        check_csrf(session_id, csrf_token)
    if not active.principal.has_scope(needed):
        raise PermissionDenied(f"this needs the {needed.value} scope")
    return active.principal
