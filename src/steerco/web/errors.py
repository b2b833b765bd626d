"""Domain errors as HTML: a page for a navigation, a message fragment for an htmx request
(retargeted at the page's message area, so the grid stays as it was)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from steerco.api.errors import problem, status_for
from steerco.domain import SteercoError
from steerco.web.render import page


def error_response(request: Request, status: int, title: str, detail: str) -> Response:
    if request.url.path.startswith("/api/"):
        # A path the API mount did not take (Starlette's mount pattern stops at a newline,
        # say) still answers as the API does: problem+json, never an HTML page.
        return problem(status, title, detail)
    if status == 401:
        return _to_sign_in(request)
    if request.headers.get("hx-request"):
        return page(
            request,
            "_message.html",
            status,
            headers={"HX-Retarget": "#messages", "HX-Reswap": "innerHTML"},
            level="error",
            text=detail,
        )
    if request.headers.get("accept", "").startswith("application/json"):
        return JSONResponse({"title": title, "detail": detail}, status_code=status)
    return page(request, "error.html", status, title=title, detail=detail)


def _to_sign_in(request: Request) -> Response:
    """Not signed in: send a page view to the sign-in form and back (a relative path only)."""
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = "/sign-in?" + urlencode({"next": back})
    if request.headers.get("hx-request"):
        return Response(status_code=401, headers={"HX-Redirect": target})
    if request.headers.get("accept", "").startswith("application/json"):
        return JSONResponse({"title": "Not signed in", "detail": "sign in again"}, 401)
    return RedirectResponse(target, status_code=303)


async def _domain(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SteercoError)
    status, title = status_for(exc)
    return error_response(request, status, title, str(exc))


async def _invalid(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    detail = "; ".join(f"{e.get('loc', ['?'])[-1]}: {e.get('msg', '')}" for e in exc.errors())
    return error_response(request, 422, "Invalid input", detail[:500])


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(request, exc.status_code, str(exc.detail), str(exc.detail))


def install(web: FastAPI) -> None:
    web.add_exception_handler(SteercoError, _domain)
    web.add_exception_handler(RequestValidationError, _invalid)
    web.add_exception_handler(HTTPException, _http)
