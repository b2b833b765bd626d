"""Response headers for every page and API answer, and the cross-site check on unsafe
methods (SECURITY.md: CSRF is a synchronizer token plus Origin/Sec-Fetch-Site).

The Origin check stands on its own: even before sign-in is wired, a page on another site
cannot make the browser POST to a steerco on localhost."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
SAFE = {"GET", "HEAD", "OPTIONS"}


def cross_site(scope: Scope) -> bool:
    """True for an unsafe request a browser says came from another site."""
    headers = Headers(scope=scope)
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in {"same-origin", "none"}
    origin = headers.get("origin")
    if origin is None:
        return False  # not a browser form or fetch: curl, scripts, API clients
    scheme = scope.get("scheme", "http")
    return origin != f"{scheme}://{headers.get('host', '')}"


class SecurityMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware): it adds no task or buffering per request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] not in SAFE and cross_site(scope):
            response = PlainTextResponse("cross-site request refused", status_code=403)
            await response(scope, receive, self._with_headers(send))
            return
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        try:
            await self.app(scope, receive, send_secured)
        except Exception:
            # Starlette's ServerErrorMiddleware sits outside every user middleware, so its
            # 500 would go out without these headers. Answer here instead (it then sees the
            # response started and only logs and re-raises).
            if not started:
                response = PlainTextResponse("Internal Server Error", status_code=500)
                await response(scope, receive, send_secured)
            raise

    @staticmethod
    def _with_headers(send: Send) -> Send:
        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        return wrapped
