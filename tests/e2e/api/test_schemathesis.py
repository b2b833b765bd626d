"""Property-based API check, once per role: generated requests from /api/v1/openapi.json
never cause a server error, every answer's status and content type are documented, and
the role's limits hold for whatever is generated (nobody signed in gets 401, a non-member
never reads the other project, a viewer or a read-only token never changes anything).

Each role gets its own copy of the seeded database (tests/e2e/world.py), so the owner
deleting a project does not take it away from the next role. Bounded: a few examples per
operation and role, so the whole run stays well under a minute on two cores.

The tests are made in a loop at the end, one per role: test_api_conforms_as_owner,
test_api_conforms_as_manager, test_api_conforms_as_member, test_api_conforms_as_viewer,
test_api_conforms_as_outsider, test_api_conforms_as_admin, test_api_conforms_as_anonymous
and test_api_conforms_as_reader (the owner with a read-only token)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
from tests.e2e.world import ROLES, SECRETS, World, build_world

EXAMPLES = 8  # per operation and role: 8 roles x 21 operations x 8 is about 1,300 requests
SAFE = {"GET", "HEAD", "OPTIONS"}


def _world() -> World:
    """Made once, at collection: the schema (and so the app) is needed then."""
    return build_world(Path(tempfile.mkdtemp(prefix="steerco-st-")) / "seed.db")


WORLD = _world()


def _app(role: str):  # type: ignore[no-untyped-def]
    path = WORLD.path.with_name(f"{role}.db")
    shutil.copyfile(WORLD.path, path)
    return create_app(
        build(Settings(database_url=f"sqlite:///{path}", import_max_bytes=100_000)),
        require_auth=True,
    )


def _headers(role: str) -> dict[str, str]:
    return {} if role == "anonymous" else {"Authorization": f"Bearer {WORLD.tokens[role]}"}


def _role_limits(role: str, case: Any, response: Any) -> None:
    status, method = response.status_code, case.method.upper()
    if role == "anonymous":
        assert status in (401, 404, 405, 422) or status == 400, (method, case.path, status)
        assert status != 200
    if role == "outsider":
        for secret in SECRETS:
            assert secret not in response.text, (method, case.formatted_path, status)
    if (
        role in {"viewer", "reader"}
        and method not in SAFE
        and case.path != "/projects"
        and case.path != "/projects/import"
    ):
        assert not 200 <= status < 300, (role, method, case.formatted_path, status)


def _make(role: str) -> Callable[..., None]:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _app(role))

    @schema.parametrize()
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def test(case):  # type: ignore[no-untyped-def]
        response = case.call_and_validate(
            headers=_headers(role),
            checks=[not_a_server_error, status_code_conformance, content_type_conformance],
        )
        _role_limits(role, case, response)

    test.__name__ = f"test_api_conforms_as_{role}"
    return test


for _role in ROLES:
    globals()[f"test_api_conforms_as_{_role}"] = _make(_role)
