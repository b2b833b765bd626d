"""Two users, each the owner of one project, call every endpoint (API and UI) with the other
one's ids: the numeric id and the key. Every answer is 404, worded exactly as for a
project that does not exist, carries nothing of the other project, and changes nothing.
A denial of this kind is audited all the same."""

from __future__ import annotations

import re

import pytest

from tests.e2e.api.test_permission_matrix import (
    DEFINED,
    P,
    Server,
    bearer,
    calls,
    plan_xml,
    shared,
    world,
)
from tests.e2e.web.test_ui_permissions import ROUTES as UI_ROUTES
from tests.e2e.web.test_ui_permissions import session, ui_call
from tests.e2e.world import (
    ALPHA_NAME,
    ALPHA_TASKS,
    BETA_NAME,
    BETA_TASKS,
    World,
    audit_actions,
    email,
    snapshot,
)

__all__ = ["plan_xml", "shared", "world"]

# user -> the other user's project: its key, its name and task names (never to be shown)
OTHER = {
    "owner": ("BETA", [BETA_NAME, *BETA_TASKS]),
    "outsider": ("ALPHA", [ALPHA_NAME, *ALPHA_TASKS]),
}
MISSING_KEY, MISSING_ID = "NOSUCH", "987654"
API_CASES = sorted((m, p) for m, p in DEFINED if p.startswith(P))
UI_CASES = [(m, p) for m, p in UI_ROUTES if p.startswith("/projects/{key}")]


def _other_id(world: World, user: str) -> str:
    return str(world.beta_id if user == "owner" else world.alpha_id)


def _neutral(text: str, ref: str) -> str:
    """An answer with the project reference it echoes blanked out, for comparison."""
    return re.sub(rf"\b{re.escape(ref)}\b", "REF", text)


@pytest.mark.parametrize("user", list(OTHER))
@pytest.mark.parametrize(("method", "path"), API_CASES)
def test_api_with_the_other_users_ids(
    method: str, path: str, user: str, world: World, plan_xml: bytes, shared: Server
) -> None:
    key, secrets = OTHER[user]
    for ref, missing in [(_other_id(world, user), MISSING_ID), (key, MISSING_KEY)]:
        for call in calls(method, path, world, plan_xml):
            url = call.url.replace(f"/projects/{world.alpha_id}", f"/projects/{ref}", 1)
            before = snapshot(shared.path)
            r = shared.client.request(method, url, headers=bearer(world, user), **call.kwargs)
            assert snapshot(shared.path) == before, f"{user} {method} {url} changed something"
            what = f"{user} {method} {url}: {r.status_code} {r.text[:300]}"
            assert r.status_code == 404, what
            for secret in secrets:
                assert secret not in r.text, what
            if ref.isdigit():
                assert key not in r.text, what
            # Indistinguishable from a project that does not exist at all.
            gone = shared.client.request(
                method,
                url.replace(f"/projects/{ref}", f"/projects/{missing}", 1),
                headers=bearer(world, user),
                **call.kwargs,
            )
            assert gone.status_code == 404
            assert _neutral(r.text, ref) == _neutral(gone.text, missing), what
            assert r.headers["content-type"] == gone.headers["content-type"]


@pytest.mark.parametrize("user", list(OTHER))
@pytest.mark.parametrize(("method", "path"), UI_CASES)
def test_ui_with_the_other_users_key(
    method: str, path: str, user: str, world: World, plan_xml: bytes, shared: Server
) -> None:
    key, secrets = OTHER[user]
    call = ui_call(method, path, world, plan_xml)
    url = call.url.replace("/projects/ALPHA", f"/projects/{key}", 1)
    before = snapshot(shared.path)
    r = shared.client.request(method, url, headers=session(world, user), **call.kwargs)
    assert snapshot(shared.path) == before, f"{user} {method} {url} changed something"
    what = f"{user} {method} {url}: {r.status_code} {r.text[:300]}"
    assert r.status_code == 404, what
    for secret in secrets:
        assert secret not in r.text, what
    gone = shared.client.request(
        method,
        url.replace(f"/projects/{key}", f"/projects/{MISSING_KEY}", 1),
        headers=session(world, user),
        **call.kwargs,
    )
    assert _neutral(r.text, key) == _neutral(gone.text, MISSING_KEY), what


def test_hidden_projects_are_audited_as_denials(world: World, shared: Server) -> None:
    """A non-member's probe is recorded (naming the project it hit); a probe of a project
    that does not exist is not a denial and leaves no entry."""
    before = len(audit_actions(shared.path))
    headers = bearer(world, "outsider")
    assert (
        shared.client.get(f"/api/v1/projects/{world.alpha_id}", headers=headers).status_code == 404
    )
    assert shared.client.get(f"/api/v1/projects/{MISSING_ID}", headers=headers).status_code == 404
    r = shared.client.patch(
        f"/api/v1/projects/{world.alpha_id}/tasks/1",
        headers=headers,
        json={"duration": "9d", "version": world.task_versions[1]},
    )
    assert r.status_code == 404  # the cached fast path checks and audits as well
    r = shared.client.patch(
        f"/api/v1/projects/{world.alpha_id}", json={"name": "X"}, headers=bearer(world, "viewer")
    )
    assert r.status_code == 403
    new = audit_actions(shared.path)[before:]
    target = f"project:{world.alpha_id}"
    assert new == [
        (email("outsider"), "auth.denied", target),
        (email("outsider"), "auth.denied", target),
        (email("viewer"), "auth.denied", target),
    ]


def test_every_endpoint_is_tried() -> None:
    """Both lists come from the applications' route tables; this guards the filters."""
    assert len(API_CASES) >= 15 and len(UI_CASES) >= 8
