"""The one ASGI application `steerco serve` runs: the HTML UI at /, static assets (htmx is
vendored, never a CDN) at /static, and the REST API mounted at /api/v1."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, suppress
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from steerco.api.app import create_api
from steerco.bootstrap import App
from steerco.engine.gcpause import freeze_long_lived
from steerco.web import errors
from steerco.web.routes import (
    assignments,
    auth,
    calendars,
    gantt,
    grid,
    history,
    pages,
    resources,
)
from steerco.web.security import SecurityMiddleware

STATIC = Path(__file__).parent / "static"


def create_app(app: App, *, require_auth: bool = False) -> FastAPI:
    """`require_auth` turns on sign-in (sessions and API tokens) for every page and endpoint
    but the sign-in page and static assets. It stays off until the accounts tables are in the
    migrations; see docs/api.md."""
    web = FastAPI(
        title="steerco", openapi_url=None, docs_url=None, redoc_url=None, lifespan=_started(app)
    )
    web.state.steerco = app
    web.state.require_auth = require_auth
    errors.install(web)
    web.mount("/api/v1", create_api(app, require_auth=require_auth), name="api")
    web.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, pages, assignments, grid, gantt, calendars, resources, history):
        web.include_router(module.router)
    web.add_middleware(SecurityMiddleware)
    return web


def _started(app: App) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Build the database engine and unit of work now (this imports Alembic and the
        # SQL dialects), then freeze everything alive: see engine.gcpause.freeze_long_lived.
        with suppress(Exception):  # no database (yet): the first request says so
            app.uow  # noqa: B018  # a cached property: built once, here
        freeze_long_lived()
        yield

    return lifespan
