"""The permission matrix through the REST API: every role x every HTTP method x every route.

Routes come from the API's own route table, so a new route is called by this test the day
it is added: with the rules below if it is listed, else against the invariants that hold
for every route (nobody signed in: 401; a non-member: never 2xx and nothing leaked; a
viewer or a read-only token: never a 2xx change; the owner and an admin: never refused).
Every answer that is not a success must leave the database exactly as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from steerco.api.app import create_api
from steerco.bootstrap import build
from steerco.config import Settings
from steerco.services.accounts import LOCAL
from steerco.services.interop import ExportFormat, export_project
from steerco.web.app import create_app
from tests.e2e.world import (
    ALPHA_NAME,
    ALPHA_TASKS,
    BETA_NAME,
    BETA_TASKS,
    ROLES,
    SECRETS,
    World,
    build_world,
    email,
    snapshot,
)

# The API's own OpenAPI document lists every route with its methods.
OPENAPI = create_api(build(Settings(database_url="sqlite://"))).openapi()
PATHS = sorted(OPENAPI["paths"])
DEFINED = {(m.upper(), path) for path, ops in OPENAPI["paths"].items() for m in ops}
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
SAFE = {"GET", "HEAD", "OPTIONS"}

# What each kind of use case needs, and who has it on ALPHA.
READ, TASKS, SETTINGS, MEMBERS, DELETE = "read", "tasks", "settings", "members", "delete"
LIST, CREATE = "list", "create"
ALLOWED = {
    READ: {"owner", "manager", "member", "viewer", "admin", "reader"},
    TASKS: {"owner", "manager", "member", "admin"},
    SETTINGS: {"owner", "manager", "admin"},
    MEMBERS: {"owner", "manager", "admin"},
    DELETE: {"owner", "admin"},
    LIST: {"owner", "manager", "member", "viewer", "outsider", "admin", "reader"},
    CREATE: {"owner", "manager", "member", "viewer", "outsider", "admin"},
}
P = "/projects/{project_id}"
RULES = {
    ("GET", "/projects"): LIST,
    ("POST", "/projects"): CREATE,
    ("POST", "/projects/import"): CREATE,
    ("GET", P): READ,
    ("PATCH", P): SETTINGS,
    ("DELETE", P): DELETE,
    ("GET", f"{P}/export"): READ,
    ("GET", f"{P}/schedule"): READ,
    ("GET", f"{P}/costs"): READ,
    ("GET", f"{P}/resources"): READ,
    ("POST", f"{P}/resources"): SETTINGS,
    ("PATCH", f"{P}/resources/{{resource_id}}"): SETTINGS,
    ("DELETE", f"{P}/resources/{{resource_id}}"): SETTINGS,
    ("GET", f"{P}/resources/{{resource_id}}/profile"): READ,
    ("PUT", f"{P}/resources/{{resource_id}}/profile"): SETTINGS,
    ("PUT", f"{P}/tasks/{{task_id}}/needs"): TASKS,
    ("PUT", f"{P}/resources/{{resource_id}}/rates"): SETTINGS,
    ("POST", f"{P}/assignments"): TASKS,
    ("PATCH", f"{P}/assignments/{{assignment_id}}"): TASKS,
    ("DELETE", f"{P}/assignments/{{assignment_id}}"): TASKS,
    ("GET", f"{P}/tasks/{{task_id}}/suggestions"): READ,
    ("POST", f"{P}/level"): TASKS,
    ("POST", f"{P}/level/clear"): TASKS,
    ("GET", f"{P}/tasks"): READ,
    ("POST", f"{P}/tasks"): TASKS,
    ("PATCH", f"{P}/tasks/{{task_id}}"): TASKS,
    ("DELETE", f"{P}/tasks/{{task_id}}"): TASKS,
    ("POST", f"{P}/tasks/{{task_id}}/indent"): TASKS,
    ("POST", f"{P}/tasks/{{task_id}}/outdent"): TASKS,
    ("GET", f"{P}/dependencies"): READ,
    ("POST", f"{P}/dependencies"): TASKS,
    ("DELETE", f"{P}/dependencies/{{link_id}}"): TASKS,
    ("GET", f"{P}/members"): READ,
    ("POST", f"{P}/members"): MEMBERS,
    ("PATCH", f"{P}/members/{{user_id}}"): MEMBERS,
    ("DELETE", f"{P}/members/{{user_id}}"): MEMBERS,
}


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    kwargs: dict[str, Any]


def calls(method: str, path: str, world: World, plan_xml: bytes) -> list[Call]:
    """Requests that would succeed for someone allowed: valid ids and bodies, so that a
    refusal can only come from the permission check."""
    task = {"PATCH": 1, "DELETE": 4}.get(method, 1)
    if path.endswith("/indent"):
        task = 4  # the row above it is a subtask: it may go one level in
    if path.endswith("/outdent"):
        task = 3  # a subtask: it may come one level out
    url = "/api/v1" + path.format(
        project_id=world.alpha_id,
        task_id=task,
        link_id="1-2",
        user_id=world.user_ids["extra"],
        resource_id=1,
        assignment_id=1,
    )
    if "{" in url:  # a path parameter this test does not know: fill it with something
        url = re.sub(r"\{[^}]+\}", "1", url)
    rule = RULES.get((method, path))
    bodies: list[dict[str, Any]] = [{}]
    if (method, path) == ("POST", "/projects"):
        bodies = [{"json": {"name": "Gamma"}}]
    elif (method, path) == ("POST", "/projects/import"):
        bodies = [{"files": {"file": ("plan.xml", plan_xml, "application/xml")}}]
    elif (method, path) == ("PATCH", P):
        bodies = [
            {"json": {"name": "Renamed", "version": world.alpha_version}},
            {"json": {"currency": "USD"}},
        ]
    elif (method, path) == ("POST", f"{P}/tasks"):
        bodies = [{"json": {"name": "Added"}}]
    elif (method, path) == ("PATCH", f"{P}/tasks/{{task_id}}"):
        version = world.task_versions[1]
        bodies = [
            {"json": {"name": "Renamed", "version": version}},
            {"json": {"duration": "3d", "version": version}},
        ]  # the cached fast path
    elif (method, path) == ("POST", f"{P}/level"):
        bodies = [{"json": {"time_limit": 1}}]
    elif (method, path) == ("POST", f"{P}/level/clear"):
        bodies = [{}, {"json": {"split": True}}]
    elif (method, path) == ("POST", f"{P}/resources"):
        bodies = [{"json": {"name": "Second engineer", "max_units": "50%"}}]
    elif (method, path) == ("PATCH", f"{P}/resources/{{resource_id}}"):
        bodies = [{"json": {"max_units": "50%", "can_level": False}}]
    elif (method, path) == ("PUT", f"{P}/resources/{{resource_id}}/profile"):
        bodies = [{"json": {"time_zone": "Europe/Berlin", "skills": [{"name": "go"}]}}]
    elif (method, path) == ("PUT", f"{P}/tasks/{{task_id}}/needs"):
        bodies = [{"json": {"needs": ["python:3"]}}]
    elif (method, path) == ("PUT", f"{P}/resources/{{resource_id}}/rates"):
        bodies = [{"json": {"standard": 90, "per_use": 10}}]
    elif (method, path) == ("POST", f"{P}/assignments"):
        bodies = [{"json": {"task": "4", "resource": "Alpha engineer"}}]
    elif (method, path) == ("PATCH", f"{P}/assignments/{{assignment_id}}"):
        bodies = [{"json": {"units": "50%"}}]
    elif (method, path) == ("POST", f"{P}/dependencies"):
        bodies = [{"json": {"predecessor": "3", "successor": "4"}}]
    elif (method, path) == ("POST", f"{P}/members"):
        bodies = [{"json": {"email": email("outsider"), "role": "viewer"}}]
    elif (method, path) == ("PATCH", f"{P}/members/{{user_id}}"):
        bodies = [{"json": {"role": "member", "version": world.extra_version}}]
    elif rule is None and method not in SAFE:
        bodies = [{"json": {}}]
    return [Call(method, url, body) for body in bodies]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return build_world(tmp_path_factory.mktemp("world") / "seed.db")


@pytest.fixture(scope="module")
def plan_xml(world: World, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    app = build(Settings(database_url=world.copy(tmp_path_factory.mktemp("x") / "x.db")))
    try:
        return export_project(app.uow, "ALPHA", ExportFormat.MSPDI, actor=LOCAL)
    finally:
        app.dispose()


@contextmanager
def serve(url: str) -> Iterator[TestClient]:
    """The whole application (UI and API) with sign-in on, as `steerco serve` runs it."""
    app = build(Settings(database_url=url, import_max_bytes=1_000_000))
    try:
        with TestClient(create_app(app, require_auth=True)) as client:
            yield client
    finally:
        app.dispose()


@dataclass
class Server:
    path: Path
    client: TestClient


@pytest.fixture(scope="module")
def shared(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server for the requests that must change nothing: a change would show in the
    before/after comparison (and fail that case)."""
    path = tmp_path_factory.mktemp("shared") / "shared.db"
    with serve(world.copy(path)) as client:
        yield Server(path, client)


def bearer(world: World, role: str) -> dict[str, str]:
    return {} if role == "anonymous" else {"Authorization": f"Bearer {world.tokens[role]}"}


# Expectations: "ok" is any 2xx; "refused" any 4xx; "not refused" anything but 401/403/404;
# None only asks for no server error; an int is that exact status.
Want = str | int | None


def expect(method: str, path: str, role: str) -> Want:
    if (method, path) not in DEFINED:
        return "refused"  # 405, or another route's answer to a path it reads as an id
    if role == "anonymous":
        return 401
    rule = RULES.get((method, path)) or (RULES.get(("GET", path)) if method == "HEAD" else None)
    if rule is None:  # a route this table does not know yet: the invariants only
        if role == "outsider" and path.startswith(P):
            return "refused"
        if role in {"viewer", "reader"} and method not in SAFE:
            return "refused"
        return "not refused" if role in {"owner", "admin"} else None
    if role in ALLOWED[rule]:
        return "ok"
    if role == "reader" and method not in SAFE:
        return 403  # the token's scope, before any project is looked at
    if role == "outsider" and path.startswith(P):
        return 404  # never 403: the project's existence is not the outsider's business
    return 403


def check_status(status: int, want: Want, what: str) -> None:
    assert status < 500, what
    if want == "ok":
        assert 200 <= status < 300, what
    elif want == "refused":
        assert 400 <= status < 500, what
    elif want == "not refused":
        assert status not in (401, 403, 404), what
    elif isinstance(want, int):
        assert status == want, what


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", PATHS)
def test_api_permission_matrix(
    path: str, method: str, role: str, world: World, plan_xml: bytes, shared: Server, tmp_path: Path
) -> None:
    want = expect(method, path, role)
    for n, call in enumerate(calls(method, path, world, plan_xml)):
        may_change = method not in SAFE and want in ("ok", "not refused", None)
        if may_change:  # its own copy: an allowed change must not spoil the other cases
            path_n = tmp_path / f"case{n}.db"
            with serve(world.copy(path_n)) as client:
                before = snapshot(path_n)
                r = client.request(
                    call.method, call.url, headers=bearer(world, role), **call.kwargs
                )
                after = snapshot(path_n)
        else:
            before = snapshot(shared.path)
            r = shared.client.request(
                call.method, call.url, headers=bearer(world, role), **call.kwargs
            )
            after = snapshot(shared.path)
        what = f"{role} {call.method} {call.url} {call.kwargs}: {r.status_code} {r.text[:300]}"
        check_status(r.status_code, want, what)
        if not 200 <= r.status_code < 300:
            assert after == before, f"refused but changed: {what}"
        if role in {"outsider", "anonymous"} and path.startswith(P):
            for secret in SECRETS:
                assert secret not in r.text, f"leaked {secret!r}: {what}"
        if r.status_code == 200 and (method, path) == ("GET", "/projects"):
            names = {p["name"] for p in r.json()}
            assert (ALPHA_NAME in names) == (role in ALLOWED[READ]), what
            assert (BETA_NAME in names) == (role in {"outsider", "admin"}), what
            assert not any(t in r.text for t in [*ALPHA_TASKS, *BETA_TASKS])


def test_the_matrix_knows_the_routes_it_was_written_for() -> None:
    """Every rule names a route that exists (a renamed route must not drop out silently),
    and every project route is under the checked prefix."""
    missing = [rule for rule in RULES if rule not in DEFINED]
    assert not missing
    assert all(p.startswith(("/projects", P)) for p in PATHS)


def test_field_level_rules(world: World, tmp_path: Path) -> None:
    """Mass assignment (Redmine CVE-2012-2054): a member may edit tasks but no project
    field, and fields that are not editable at all are refused for everyone."""
    db = tmp_path / "fields.db"
    with serve(world.copy(db)) as client:
        project = f"/api/v1/projects/{world.alpha_id}"
        before = snapshot(db)
        for role, body, status in [
            ("member", {"currency": "USD"}, 403),
            ("member", {"name": "Mine now"}, 403),
            ("viewer", {"currency": "USD"}, 403),
            ("owner", {"budget": 1}, 422),
            ("owner", {"owner_id": 6}, 422),
        ]:
            r = client.patch(project, json=body, headers=bearer(world, role))
            assert r.status_code == status, (role, body, r.text)
        for role, body, status in [
            ("viewer", {"name": "x", "version": world.task_versions[1]}, 403),
            ("viewer", {"duration": "9d", "version": world.task_versions[1]}, 403),
            ("member", {"__class__": "x", "version": world.task_versions[1]}, 422),
        ]:
            r = client.patch(f"{project}/tasks/1", json=body, headers=bearer(world, role))
            assert r.status_code == status, (role, body, r.text)
        r = client.patch(
            f"{project}/members/{world.user_ids['viewer']}",
            json={"role": "owner", "version": 1},
            headers=bearer(world, "viewer"),
        )
        assert r.status_code == 403
        r = client.patch(
            f"{project}/members/{world.user_ids['owner']}",
            json={"role": "viewer", "version": 1},
            headers=bearer(world, "manager"),
        )
        assert r.status_code == 403  # a manager never touches an owner
        assert snapshot(db) == before
        r = client.patch(project, json={"currency": "USD"}, headers=bearer(world, "manager"))
        assert r.status_code == 200 and r.json()["currency"] == "USD"
