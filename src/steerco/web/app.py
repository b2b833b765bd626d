"""The one ASGI application `steerco serve` runs: the HTML UI at /, static assets (htmx is
vendored, never a CDN) at /static, and the REST API mounted at /api/v1."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from steerco.api.app import create_api
from steerco.bootstrap import App
from steerco.web import errors
from steerco.web.routes import auth, calendars, gantt, grid, history, pages, resources
from steerco.web.security import SecurityMiddleware

STATIC = Path(__file__).parent / "static"


def create_app(app: App, *, require_auth: bool = False) -> FastAPI:
    """`require_auth` turns on sign-in (sessions and API tokens) for every page and endpoint
    but the sign-in page and static assets. It stays off until the accounts tables are in the
    migrations; see docs/api.md."""
    web = FastAPI(title="steerco", openapi_url=None, docs_url=None, redoc_url=None)
    web.state.steerco = app
    web.state.require_auth = require_auth
    errors.install(web)
    web.mount("/api/v1", create_api(app, require_auth=require_auth), name="api")
    web.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, pages, grid, gantt, calendars, resources, history):
        web.include_router(module.router)
    web.add_middleware(SecurityMiddleware)
    return web
