"""Property-based API check: generated requests from /api/v1/openapi.json never cause a
server error, and every answer's status and content type are documented. Bounded: a few
examples per operation, so the whole run stays well under a minute."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    status_code_conformance,
)

from steerco.bootstrap import build
from steerco.config import Settings
from steerco.web.app import create_app


def _app():  # type: ignore[no-untyped-def]
    """One database for the whole run, made at collection: the schema is needed then."""
    from fastapi.testclient import TestClient

    from steerco.storage import migrate

    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='steerco-st-')) / 'steerco.db'}"
    migrate.upgrade(url)
    web = create_app(build(Settings(database_url=url, import_max_bytes=100_000)))
    # A project with linked tasks, so generated ids sometimes hit real rows ("1", "DEMO").
    with TestClient(web) as c:
        pid = c.post("/api/v1/projects", json={"name": "Demo", "key": "DEMO"}).json()["id"]
        for name, preds in [("A", ""), ("B", "1"), ("C", "2FS+1d")]:
            c.post(f"/api/v1/projects/{pid}/tasks", json={"name": name, "predecessors": preds})
    return web


schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _app())


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms(case):  # type: ignore[no-untyped-def]
    case.call_and_validate(
        checks=[not_a_server_error, status_code_conformance, content_type_conformance],
    )
