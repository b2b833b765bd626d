"""The web UI's own routes (not the API): called by nobody, they send a page view to the
sign-in form (303) or answer 401/403, never show a project's data and never change
anything; called by each role with a session, they follow the same rules as the API,
because both call the same service. Routes are read from the application itself, so a
new page (a project's history, say) is covered the day it is added."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from starlette.routing import Mount

from steerco.bootstrap import build
from steerco.config import Settings
from steerco.web.app import create_app
from tests.e2e.api.test_permission_matrix import (
    ALLOWED,
    CREATE,
    LIST,
    READ,
    SETTINGS,
    TASKS,
    Server,
    plan_xml,
    serve,
    world,
)
from tests.e2e.world import ALPHA_NAME, BETA_NAME, SECRETS, World, snapshot

__all__ = ["plan_xml", "world"]  # fixtures shared with the API matrix


def ui_routes() -> list[tuple[str, str]]:
    """(method, path) of every route of the UI application, the mounted API and static
    files aside."""
    web = create_app(build(Settings(database_url="sqlite://")), require_auth=True)
    found: list[tuple[str, str]] = []
    for route in web.routes:
        if isinstance(route, Mount):
            continue
        inner = getattr(route, "original_router", None)  # FastAPI's included router
        prefix = getattr(getattr(route, "include_context", None), "prefix", "")
        for r in inner.routes if inner is not None else [route]:
            found += [(m, prefix + r.path) for m in getattr(r, "methods", ())]
    return sorted(found)


ROUTES = ui_routes()
PUBLIC = {("GET", "/sign-in"), ("POST", "/sign-in")}
K = "/projects/{key}"
UI_RULES = {
    ("GET", "/"): LIST,
    ("GET", "/import"): LIST,
    ("GET", "/portfolio"): LIST,  # across the projects the caller may see
    ("GET", "/resources"): LIST,  # the heat map: across the projects the caller may see
    ("POST", "/sign-out"): LIST,
    ("POST", "/projects"): CREATE,
    ("POST", "/import"): CREATE,
    ("GET", K): READ,
    ("GET", f"{K}/export"): READ,
    ("GET", f"{K}/tasks"): READ,
    ("GET", f"{K}/tasks/{{uid}}"): READ,
    ("GET", f"{K}/gantt"): READ,
    ("GET", f"{K}/gantt.json"): READ,
    ("POST", f"{K}/tasks"): TASKS,
    ("POST", f"{K}/tasks/{{uid}}"): TASKS,
    ("POST", f"{K}/tasks/{{uid}}/{{action}}"): TASKS,
    ("POST", f"{K}/gantt/{{uid}}"): TASKS,
    ("GET", f"{K}/history"): READ,
    ("POST", f"{K}/tasks/{{uid}}/notes"): TASKS,
    ("POST", f"{K}/tasks/{{uid}}/assignments"): TASKS,
    ("POST", f"{K}/tasks/{{uid}}/assignments/{{aid}}/units"): TASKS,
    ("POST", f"{K}/tasks/{{uid}}/assignments/{{aid}}/remove"): TASKS,
    ("GET", f"{K}/calendars"): READ,
    ("GET", f"{K}/resources"): READ,
    ("POST", f"{K}/resources"): SETTINGS,
    ("POST", f"{K}/resources/{{uid}}"): SETTINGS,
    ("POST", f"{K}/resources/{{uid}}/remove"): SETTINGS,
    ("POST", f"{K}/resources/{{uid}}/profile"): SETTINGS,
    ("POST", f"{K}/resources/{{uid}}/rates"): SETTINGS,
    ("POST", f"{K}/tasks/{{uid}}/needs"): TASKS,
    ("POST", f"{K}/baseline"): SETTINGS,
    ("POST", f"{K}/calendars"): SETTINGS,
    ("POST", f"{K}/calendars/{{uid}}/week"): SETTINGS,
    ("POST", f"{K}/calendars/{{uid}}/exceptions"): SETTINGS,
    ("POST", f"{K}/calendars/{{uid}}/exceptions/{{index}}/delete"): SETTINGS,
}
UI_ROLES = ["owner", "manager", "member", "viewer", "outsider", "admin"]


@dataclass(frozen=True)
class Call:
    url: str
    kwargs: dict[str, Any]


def ui_call(method: str, path: str, world: World, plan_xml: bytes) -> Call:
    # A task, or ALPHA's calendar; task 4 where the call needs a task nobody works on yet.
    uid = 4 if path.endswith(("{action}", "/assignments")) else 1
    url = path.replace("{key}", "ALPHA").replace("{uid}", str(uid))
    url = url.replace("{action}", "indent").replace("{index}", "0")
    url = re.sub(r"\{[^}]+\}", "1", url)  # a parameter this test does not know
    version = world.task_versions[1]
    data: dict[str, Any] = {
        ("POST", "/projects"): {"data": {"name": "Gamma"}},
        ("POST", "/import"): {"files": {"file": ("plan.xml", plan_xml, "application/xml")}},
        ("POST", f"{K}/tasks"): {"data": {"name": "Added"}},
        ("POST", f"{K}/tasks/{{uid}}"): {
            "data": {"version": version, "name": "Renamed", "duration": "2d"}
        },
        ("POST", f"{K}/gantt/{{uid}}"): {"data": {"version": version, "duration": "3d"}},
        ("POST", f"{K}/tasks/{{uid}}/notes"): {"data": {"version": version, "notes": "*x*"}},
        ("POST", f"{K}/tasks/{{uid}}/assignments"): {"data": {"resource": "Alpha engineer"}},
        ("POST", f"{K}/tasks/{{uid}}/assignments/{{aid}}/units"): {"data": {"units": "50%"}},
        ("POST", f"{K}/resources"): {"data": {"name": "Second engineer", "max_units": "50%"}},
        ("POST", f"{K}/resources/{{uid}}"): {
            "data": {"name": "Alpha engineer", "max_units": "50%", "email": ""}
        },
        ("POST", f"{K}/resources/{{uid}}/profile"): {"data": {"skills": "go:2"}},
        ("POST", f"{K}/resources/{{uid}}/rates"): {"data": {"standard": "90"}},
        ("POST", f"{K}/tasks/{{uid}}/needs"): {"data": {"needs": "go:2"}},
        ("POST", f"{K}/calendars"): {"data": {"name": "Night shift"}},
        ("POST", f"{K}/calendars/{{uid}}/week"): {"data": {"day0": "08:00-12:00"}},
        ("POST", f"{K}/calendars/{{uid}}/exceptions"): {
            "data": {"start": "2026-12-24", "name": "Christmas Eve"}
        },
    }.get((method, path), {"data": {}} if method == "POST" else {})
    return Call(url, data)


def session(world: World, role: str) -> dict[str, str]:
    sid, csrf = world.sessions[role]
    return {"Cookie": f"steerco_session={sid}", "X-CSRF-Token": csrf}


@pytest.fixture(scope="module")
def shared_ui(world: World, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    path = tmp_path_factory.mktemp("shared-ui") / "shared.db"
    with serve(world.copy(path)) as client:
        yield Server(path, client)


def test_the_ui_routes_are_found() -> None:
    assert ("GET", "/") in ROUTES and ("POST", f"{K}/tasks") in ROUTES
    assert not [rule for rule in UI_RULES if rule not in ROUTES]


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r not in PUBLIC])
def test_every_ui_route_called_anonymously_sends_to_sign_in(
    method: str, path: str, world: World, plan_xml: bytes, shared_ui: Server
) -> None:
    call = ui_call(method, path, world, plan_xml)
    for extra in ({}, {"HX-Request": "true"}, {"Accept": "application/json"}):
        before = snapshot(shared_ui.path)
        r = shared_ui.client.request(
            method, call.url, headers=extra, follow_redirects=False, **call.kwargs
        )
        assert snapshot(shared_ui.path) == before, f"{method} {call.url} changed the database"
        what = f"{method} {call.url} {extra}: {r.status_code}"
        if r.status_code == 303:
            assert r.headers["location"].startswith("/sign-in?next="), what
        else:
            assert r.status_code in (401, 403), what
            if r.status_code == 401 and extra.get("HX-Request"):
                assert r.headers["HX-Redirect"].startswith("/sign-in"), what
        for secret in [*SECRETS, BETA_NAME]:
            assert secret not in r.text, what


@pytest.mark.parametrize("role", UI_ROLES)
@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r not in PUBLIC])
def test_ui_permission_matrix(
    method: str,
    path: str,
    role: str,
    world: World,
    plan_xml: bytes,
    shared_ui: Server,
    tmp_path: Path,
) -> None:
    rule = UI_RULES.get((method, path))
    call = ui_call(method, path, world, plan_xml)
    allowed = rule is not None and role in ALLOWED[rule]
    if method == "POST" and (allowed or rule is None):
        db = tmp_path / "case.db"
        with serve(world.copy(db)) as client:
            before = snapshot(db)
            r = client.request(
                method,
                call.url,
                headers=session(world, role),
                follow_redirects=False,
                **call.kwargs,
            )
            after = snapshot(db)
    else:
        before = snapshot(shared_ui.path)
        r = shared_ui.client.request(
            method, call.url, headers=session(world, role), follow_redirects=False, **call.kwargs
        )
        after = snapshot(shared_ui.path)
    what = f"{role} {method} {call.url}: {r.status_code} {r.text[:200]}"
    assert r.status_code < 500, what
    if rule is None:  # a page this table does not know yet: the invariants only
        if role == "outsider" and path.startswith(K):
            assert r.status_code in (404, 422), what
        if role in {"owner", "admin"}:
            assert r.status_code not in (401, 403, 404), what
    elif allowed:
        assert r.status_code < 400, what
    elif role == "outsider" and path.startswith(K):
        assert r.status_code == 404, what
    else:
        assert r.status_code == 403, what
    if r.status_code >= 400:
        assert after == before, f"refused but changed: {what}"
    if role == "outsider":
        for secret in SECRETS:
            assert secret not in r.text, what
    if (method, path) == ("GET", "/"):
        assert (ALPHA_NAME in r.text) == (role in ALLOWED[READ]), what
        assert (BETA_NAME in r.text) == (role in {"outsider", "admin"}), what
