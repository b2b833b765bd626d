"""Jinja2 with autoescaping always on, and the helpers templates share."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup

from steerco import __version__
from steerco.interop.richtext import render_markdown

TEMPLATES = Path(__file__).parent / "templates"

env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, auto_reload=False)


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%a %d %b %Y")


def fmt_short(value: date | datetime | None) -> str:
    return "" if value is None else value.strftime("%d %b")


def markdown(value: str | None) -> Markup:
    """Notes as HTML: the one place a template may output markup it did not write, and
    only after `render_markdown` has cleaned it."""
    return Markup(render_markdown(value or ""))  # noqa: S704 - cleaned by nh3 just above


env.filters["day"] = fmt_date
env.filters["markdown"] = markdown
env.filters["short"] = fmt_short
env.globals["version"] = __version__


def page(
    request: Request,
    template: str,
    status: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    html = env.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status, headers=headers)


def done(request: Request, url: str) -> Response:
    """A form that changed something goes back to `url`: htmx is told to load it (a 204
    with HX-Redirect, so the form's own target is left alone); a plain form gets a 303."""
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)
