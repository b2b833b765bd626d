"""Sign-in and sign-out: the session cookie (HttpOnly, SameSite=Lax; `__Host-` and Secure
over HTTPS). Only relative, same-site paths are followed after sign-in (open redirects:
OpenProject GHSA-773c-7fc3-342g, Redmine CVE-2020-36306)."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from steerco.api.deps import cookie_name, get_app, now
from steerco.domain.accounts import AuthenticationFailed, LockedOut, SecondFactorRequired
from steerco.services.accounts_sessions import ABSOLUTE_TIMEOUT, sign_in, sign_out
from steerco.web.deps import PrincipalDep
from steerco.web.render import page

router = APIRouter(include_in_schema=False)

_SAFE_NEXT = re.compile(r"^/(?![/\\])[A-Za-z0-9/_.\-?=&%]*$")


def safe_next(value: str | None) -> str:
    """`value` if it is a path on this site, else `/`: no `//host`, `/\\host`, schemes."""
    if value and _SAFE_NEXT.match(value) and len(value) < 500:
        return value
    return "/"


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, next: str = "/") -> HTMLResponse:
    return page(request, "sign_in.html", next=safe_next(next), csrf="", email="", ask_code=False)


@router.post("/sign-in", response_model=None)
def sign_in_submit(
    request: Request,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    code: Annotated[str, Form(max_length=40)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    app = get_app(request)
    name = cookie_name(request)
    target = safe_next(next)
    try:
        signed = sign_in(
            app.uow,
            email,
            password,
            now=now(),
            totp=code.strip() or None,
            source=request.client.host if request.client else None,
            previous_session=request.cookies.get(name),
        )
    except SecondFactorRequired as exc:
        return page(
            request,
            "sign_in.html",
            401,
            next=target,
            csrf="",
            email=email,
            ask_code=True,
            error=str(exc),
        )
    except LockedOut as exc:
        return page(
            request,
            "sign_in.html",
            429,
            headers={"Retry-After": str(exc.retry_after)},
            next=target,
            csrf="",
            email=email,
            ask_code=bool(code),
            error=str(exc),
        )
    except AuthenticationFailed as exc:
        return page(
            request,
            "sign_in.html",
            401,
            next=target,
            csrf="",
            email=email,
            ask_code=bool(code),
            error=str(exc),
        )
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        name,
        signed.session_id,
        max_age=int(ABSOLUTE_TIMEOUT.total_seconds()),
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="lax",
    )
    return response


@router.post("/sign-out")
def sign_out_submit(request: Request, who: PrincipalDep) -> RedirectResponse:
    name = cookie_name(request)
    session_id = request.cookies.get(name)
    if session_id:
        sign_out(get_app(request).uow, session_id, now=now())
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(
        name, path="/", secure=request.url.scheme == "https", httponly=True, samesite="lax"
    )
    return response
