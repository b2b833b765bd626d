"""The REST API as its own FastAPI application, mounted by `steerco.web.app` at /api/v1, so
its error handlers (problem+json) and OpenAPI document are its own."""

from __future__ import annotations

from fastapi import FastAPI

from steerco import __version__ as version
from steerco.api import errors
from steerco.api.errors import documented
from steerco.api.routes import (
    costs,
    dependencies,
    files,
    leveling,
    members,
    projects,
    resources,
    schedule,
    tasks,
)
from steerco.bootstrap import App

# Every route: 400 for a body that is not JSON or multipart at all (one that breaks the
# schema is 422), 401 without a valid credential, 403 when it may not do this.
MALFORMED = documented(400, 401, 403)


def create_api(app: App, *, require_auth: bool = False) -> FastAPI:
    api = FastAPI(
        title="steerco API",
        version=version,
        openapi_url="/openapi.json",
        docs_url=None,  # Swagger UI loads from a CDN, which the CSP (rightly) refuses
        redoc_url=None,
        description="Projects, tasks, links and schedules. Errors are application/problem+json.",
    )
    api.state.steerco = app
    api.state.require_auth = require_auth
    errors.install(api)
    # files first: /projects/import is a literal path that /projects/{id} would shadow.
    for module in (
        files,
        projects,
        tasks,
        dependencies,
        schedule,
        members,
        leveling,
        costs,
        resources,
    ):
        api.include_router(module.router, responses=MALFORMED)
    return api
