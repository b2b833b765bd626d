"""Jinja2 with autoescaping always on, and the helpers templates share."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader

from steerco import __version__

TEMPLATES = Path(__file__).parent / "templates"

env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, auto_reload=False)


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%a %d %b %Y")


def fmt_short(value: date | datetime | None) -> str:
    return "" if value is None else value.strftime("%d %b")


env.filters["day"] = fmt_date
env.filters["short"] = fmt_short
env.globals["version"] = __version__


def page(
    request: Request, template: str, status: int = 200, headers: dict[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    html = env.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status, headers=headers)
