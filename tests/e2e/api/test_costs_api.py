"""GET /projects/{id}/costs: an imported plan's rate tables priced on its schedule."""

from __future__ import annotations

from datetime import datetime

from steerco.domain import Assignment, CostRate, Duration, Project, Resource, ResourceKind, Task
from steerco.interop.mspdi import write_mspdi

D = 480


def _plan_xml() -> bytes:
    """Spec (3d, Ana at table A) and Build (2d, Ana at table B, Kit as material)."""
    p = Project(name="Costed", key="CO", start=datetime(2026, 1, 5, 8), currency="GBP")
    p.resources.append(
        Resource(
            uid=1,
            name="Ana",
            rates=(
                CostRate(standard=100, per_use=20),
                CostRate(table=1, standard=150),
            ),
        )
    )
    p.resources.append(
        Resource(uid=2, name="Kit", kind=ResourceKind.MATERIAL, rates=(CostRate(standard=7),))
    )
    p.tasks += [
        Task(uid=1, name="Spec", duration=Duration(3 * D)),
        Task(uid=2, name="Build", duration=Duration(2 * D)),
    ]
    p.assignments += [
        Assignment(1, 1, 1, 1.0),
        Assignment(2, 2, 1, 0.5, rate_table=1),
        Assignment(3, 2, 2, 3.0),
    ]  # three kits
    return write_mspdi(p)


def test_costs_of_an_imported_plan(client) -> None:
    r = client.post(
        "/api/v1/projects/import", files={"file": ("plan.xml", _plan_xml(), "application/xml")}
    )
    assert r.status_code == 201, r.text
    body = client.get(f"/api/v1/projects/{r.json()['id']}/costs").json()
    spec = 24 * 100 + 20  # three days of work at table A, and the per-use charge
    build = 8 * 150 + 3 * 7  # two days at half time at table B (no per-use there); 3 kits
    assert body["currency"] == "GBP"
    assert {t["name"]: t["cost"] for t in body["tasks"]} == {"Spec": spec, "Build": build}
    assert body["resources"] == [
        {"id": "1", "name": "Ana", "cost": spec + 8 * 150},
        {"id": "2", "name": "Kit", "cost": 21},
    ]
    assert body["total"] == spec + build


def test_costs_of_an_unknown_project_is_a_problem(client) -> None:
    r = client.get("/api/v1/projects/999/costs")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
