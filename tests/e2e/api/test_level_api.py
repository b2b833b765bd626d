"""POST /projects/{id}/level: levels a stored plan, stores the delays, explains each."""

from __future__ import annotations

from datetime import datetime

from steerco.domain import Assignment, Dependency, Duration, Project, Resource, Task
from steerco.interop.mspdi import write_mspdi

D = 480


def _plan_xml() -> bytes:
    """Ana works on Spec (3d) and Mockups (2d) at the same time; Review follows Mockups."""
    p = Project(name="Leveling demo", key="LD", start=datetime(2026, 1, 5, 8))
    p.resources.append(Resource(uid=1, name="Ana", max_units=1.0))
    for uid, name, days in [(1, "Spec", 3), (2, "Mockups", 2), (3, "Review", 1)]:
        p.tasks.append(Task(uid=uid, name=name, duration=Duration(days * D)))
    p.assignments += [Assignment(1, 1, 1, 1.0), Assignment(2, 2, 1, 1.0)]
    p.dependencies.append(Dependency(2, 3))
    return write_mspdi(p)


def _import(client) -> str:
    r = client.post(
        "/api/v1/projects/import", files={"file": ("plan.xml", _plan_xml(), "application/xml")}
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_level_delays_explains_and_stores(client) -> None:
    pid = _import(client)
    r = client.post(f"/api/v1/projects/{pid}/level", json={"time_limit": 2, "seed": 1})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "optimal"
    # Without leveling all ends Wed; Ana has 5 days of work: Mockups, then Spec beside Review.
    assert body["finish_before"] == "2026-01-07T17:00:00"
    assert body["finish"] == "2026-01-09T17:00:00"
    delayed = {d["name"]: d for d in body["delays"]}
    assert set(delayed) <= {"Spec", "Mockups", "Review"} and delayed
    moved = next(d for d in body["delays"] if "Ana over-allocated" in d["explanation"])
    assert moved["explanation"].startswith(f"delayed {moved['delay']}: Ana over-allocated")
    # Stored: the schedule now shows the leveled dates, driven by leveling.
    sched = client.get(f"/api/v1/projects/{pid}/schedule").json()
    tasks = {t["name"]: t for t in sched["tasks"]}
    assert tasks[moved["name"]]["start"] == moved["start"]
    assert tasks[moved["name"]]["driver"]["kind"] == "leveling"
    spec, mock = tasks["Spec"], tasks["Mockups"]
    assert spec["finish"] <= mock["start"] or mock["finish"] <= spec["start"]  # Ana: one at a time


def test_level_again_changes_nothing(client) -> None:
    pid = _import(client)
    first = client.post(f"/api/v1/projects/{pid}/level", json={}).json()
    second = client.post(f"/api/v1/projects/{pid}/level", json={}).json()
    assert second["finish"] == first["finish"]
    assert [d["start"] for d in second["delays"]] == [d["start"] for d in first["delays"]]


def test_level_bad_input_is_problem_json(client) -> None:
    pid = _import(client)
    r = client.post(f"/api/v1/projects/{pid}/level", json={"time_limit": 0})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    r = client.post(f"/api/v1/projects/{pid}/level", json={"colour": "red"})
    assert r.status_code == 422
    r = client.post("/api/v1/projects/NOPE/level", json={})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


def _pinned_review_xml() -> bytes:
    """Review pinned to Wed 7 Jan; Build (4 days) needs Ana too."""
    from steerco.domain import ConstraintType

    p = Project(name="Split demo", key="SD", start=datetime(2026, 1, 5, 8))
    p.resources.append(Resource(uid=1, name="Ana", max_units=1.0))
    p.tasks += [
        Task(
            uid=1,
            name="Review",
            duration=Duration(D),
            constraint=ConstraintType.MSO,
            constraint_date=datetime(2026, 1, 7, 8),
        ),
        Task(uid=2, name="Build", duration=Duration(4 * D)),
    ]
    p.assignments += [Assignment(1, 1, 1, 1.0), Assignment(2, 2, 1, 1.0)]
    return write_mspdi(p)


def test_level_may_split_and_the_stored_plan_keeps_the_split(client) -> None:
    r = client.post(
        "/api/v1/projects/import",
        files={"file": ("split.xml", _pinned_review_xml(), "application/xml")},
    )
    pid = r.json()["id"]
    body = client.post(f"/api/v1/projects/{pid}/level", json={"split": True}).json()
    assert body["finish"] == "2026-01-09T17:00:00" and body["delays"] == []
    (split,) = body["splits"]
    assert split["name"] == "Build"
    assert split["pauses"] == [{"paused": "2026-01-06T17:00:00", "resumed": "2026-01-08T08:00:00"}]
    assert split["explanation"] == "split: paused 7 Jan: Ana over-allocated by Review"
    sched = client.get(f"/api/v1/projects/{pid}/schedule").json()
    build = next(t for t in sched["tasks"] if t["name"] == "Build")
    assert (build["start"], build["finish"]) == ("2026-01-05T08:00:00", "2026-01-09T17:00:00")
    # Without "split" the same plan is level already: nothing moves and nothing is split.
    again = client.post(f"/api/v1/projects/{pid}/level", json={}).json()
    assert again["finish"] == "2026-01-09T17:00:00" and again["splits"] == []


def test_clear_leveling_puts_the_stored_plan_back(client) -> None:
    pid = _import(client)
    before = client.get(f"/api/v1/projects/{pid}/schedule").json()
    leveled = client.post(f"/api/v1/projects/{pid}/level", json={"time_limit": 2}).json()
    moved = {d["id"]: d for d in leveled["delays"]}
    assert moved

    r = client.post(f"/api/v1/projects/{pid}/level/clear")

    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["finish_before"], body["finish"]) == (leveled["finish"], "2026-01-07T17:00:00")
    assert {c["id"] for c in body["cleared"]} == set(moved)
    for c in body["cleared"]:
        assert c["start_before"] == moved[c["id"]]["start"]
        assert c["start"] == moved[c["id"]]["start_before"]
    after = client.get(f"/api/v1/projects/{pid}/schedule").json()
    assert after == before
    again = client.post(f"/api/v1/projects/{pid}/level/clear", json={"split": True}).json()
    assert again["cleared"] == []


def test_clear_leveling_bad_input_is_problem_json(client) -> None:
    pid = _import(client)
    r = client.post(f"/api/v1/projects/{pid}/level/clear", json={"colour": "red"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    r = client.post("/api/v1/projects/NOPE/level/clear", json={})
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
