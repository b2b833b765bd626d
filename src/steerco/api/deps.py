"""Dependencies shared by every API and web route: the composition root and who is calling.

`current_principal` is the single place authentication is wired:
- `Authorization: Bearer stc_...` (API tokens; the scope must cover the HTTP method);
- else the session cookie set by the sign-in page; an unsafe request must then carry the
  session's CSRF token (`X-CSRF-Token` header or a `csrf_token` form field);
- with `require_auth` off (the default until the accounts tables are migrated), the local
  operator, as for the CLI: `steerco serve` listens on loopback by default.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from steerco.bootstrap import App
from steerco.domain.accounts import SAFE_METHODS, AuthenticationFailed
from steerco.services.accounts import LOCAL, Actor
from steerco.services.accounts_sessions import check_csrf, resolve_session
from steerco.services.accounts_tokens import authenticate_token
from steerco.services.ports import UnitOfWorkFactory

SESSION_COOKIE = "steerco_session"
SECURE_SESSION_COOKIE = "__Host-steerco_session"  # over HTTPS: Secure, Path=/, no Domain


def get_app(request: Request) -> App:
    app: App = request.app.state.steerco
    return app


def get_uow(request: Request) -> UnitOfWorkFactory:
    return get_app(request).uow


def now() -> datetime:
    # The clock is read at the edge and passed in, so services stay deterministic.
    return datetime.now(UTC)


def today() -> date:
    return now().date()


def cookie_name(request: Request) -> str:
    return SECURE_SESSION_COOKIE if request.url.scheme == "https" else SESSION_COOKIE


async def current_principal(request: Request) -> Actor:
    """Who is calling; AuthenticationFailed (401) when nobody valid is."""
    if not getattr(request.app.state, "require_auth", False):
        return LOCAL
    uow = get_uow(request)
    header = request.headers.get("authorization", "")
    # The credential checks read the database, and write it once a minute (last use):
    # on the thread pool, not the event loop, which would otherwise stop every request in
    # flight while it waits for SQLite's write lock behind a batch of edits.
    if header[:7].lower() == "bearer ":
        return await run_in_threadpool(
            authenticate_token, uow, header[7:].strip(), request.method, now=now()
        )
    session_id = request.cookies.get(cookie_name(request))
    if not session_id:
        raise AuthenticationFailed("not signed in")
    active = await run_in_threadpool(resolve_session, uow, session_id, now=now())
    if request.method.upper() not in SAFE_METHODS:
        token = request.headers.get("x-csrf-token")
        if token is None and "form" in request.headers.get("content-type", ""):
            value = (await request.form()).get("csrf_token")
            token = value if isinstance(value, str) else None
        check_csrf(session_id, token)
    request.state.csrf = active.csrf_token
    request.state.principal = active.principal
    return active.principal


# The aliases resolve through `async def`s: FastAPI runs a plain `def` dependency on the
# thread pool, and two thread hops per request for an attribute read showed in the p95 of
# concurrent edits (each hop waits for the GIL).
async def _app_dep(request: Request) -> App:
    return get_app(request)


async def _uow_dep(request: Request) -> UnitOfWorkFactory:
    return get_uow(request)


AppDep = Annotated[App, Depends(_app_dep)]
UowDep = Annotated[UnitOfWorkFactory, Depends(_uow_dep)]
PrincipalDep = Annotated[Actor, Depends(current_principal)]
