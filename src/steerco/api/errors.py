"""The one place where errors become HTTP answers: RFC 9457 problem+json for the API.

`status_for` is shared with the web UI, so a domain error has the same status whichever
front end raised it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from steerco.domain import (
    Conflict,
    DependencyCycle,
    NotFound,
    PermissionDenied,
    SteercoError,
    ValidationError,
)
from steerco.domain.accounts import AuthenticationFailed, LockedOut

PROBLEM = "application/problem+json"

# Most specific first: DependencyCycle is a ValidationError, AuthenticationFailed a
# PermissionDenied.
_STATUS: list[tuple[type[SteercoError], int, str]] = [
    (DependencyCycle, 409, "Dependency cycle"),
    (ValidationError, 422, "Invalid input"),
    (NotFound, 404, "Not found"),
    (LockedOut, 429, "Too many attempts"),
    (AuthenticationFailed, 401, "Not signed in"),
    (PermissionDenied, 403, "Forbidden"),
    (Conflict, 409, "Conflict"),
]


def status_for(exc: SteercoError) -> tuple[int, str]:
    for kind, status, title in _STATUS:
        if isinstance(exc, kind):
            return status, title
    return 400, "Bad request"


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


async def _domain(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SteercoError)
    status, title = status_for(exc)
    extra: dict[str, Any] = {}
    if isinstance(exc, DependencyCycle):
        extra["cycle"] = exc.tasks
    return problem(status, title, str(exc), **extra)


async def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in exc.errors()
    ]
    detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)
    return problem(422, "Invalid input", detail[:2000], errors=errors[:50])


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return problem(exc.status_code, str(exc.detail), str(exc.detail))


def install(api: FastAPI) -> None:
    api.add_exception_handler(SteercoError, _domain)
    api.add_exception_handler(RequestValidationError, _request_validation)
    api.add_exception_handler(HTTPException, _http)


PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
    },
    "required": ["title", "status", "detail"],
}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the error statuses a route can answer."""
    names = {
        400: "Malformed body",
        401: "Not signed in",
        403: "Forbidden",
        404: "Not found",
        409: "Conflict",
        413: "Too large",
        422: "Invalid input",
        429: "Too many attempts",
    }
    return {
        s: {"description": names.get(s, "Error"), "content": {PROBLEM: {"schema": PROBLEM_SCHEMA}}}
        for s in statuses
    }
