"""Tasks, links and the schedule through the REST API."""

from __future__ import annotations

PROBLEM = "application/problem+json"


def _tasks(client, pid):
    return {t["name"]: t for t in client.get(f"/api/v1/projects/{pid}/tasks").json()["tasks"]}


def test_tasks_are_scheduled_with_links(client, plan):
    tasks = _tasks(client, plan)
    assert tasks["Build"]["predecessors"] == "1FS+2d"
    assert tasks["Build"]["start"].startswith("2026-12-02")  # Fri + 2 working days
    assert tasks["Test"]["start"].startswith("2026-12-07")
    deps = client.get(f"/api/v1/projects/{plan}/dependencies").json()
    assert [d["text"] for d in deps] == ["1FS+2d", "2"]


def test_patch_reschedules_and_locks_optimistically(client, plan):
    design = _tasks(client, plan)["Design"]
    r = client.patch(
        f"/api/v1/projects/{plan}/tasks/{design['id']}",
        json={"duration": "7d", "version": design["version"]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["duration"] == "7d"
    assert _tasks(client, plan)["Test"]["start"].startswith("2026-12-09")

    stale = client.patch(
        f"/api/v1/projects/{plan}/tasks/{design['id']}",
        json={"duration": "1d", "version": design["version"]},
    )
    assert stale.status_code == 409 and stale.headers["content-type"] == PROBLEM
    assert _tasks(client, plan)["Design"]["duration"] == "7d"


def test_patch_refuses_unknown_fields_and_bad_durations(client, plan):
    for body in (
        {"version": 1, "__class__": "x"},
        {"version": 1, "cost": 5},
        {"version": 1, "duration": "five days"},
        {"version": 1, "duration": "99999999d"},
    ):
        r = client.patch(f"/api/v1/projects/{plan}/tasks/1", json=body)
        assert r.status_code == 422, body
        assert r.headers["content-type"] == PROBLEM


def test_cycle_is_refused_and_changes_nothing(client, plan):
    before = client.get(f"/api/v1/projects/{plan}/dependencies").json()
    r = client.post(
        f"/api/v1/projects/{plan}/dependencies",
        json={"predecessor": "3", "successor": "1", "type": "FS", "lag": "1d"},
    )
    assert r.status_code == 409
    assert r.headers["content-type"] == PROBLEM
    assert r.json()["cycle"][0] == "Test"
    assert client.get(f"/api/v1/projects/{plan}/dependencies").json() == before


def test_add_and_delete_dependency(client, plan):
    r = client.post(
        f"/api/v1/projects/{plan}/dependencies",
        json={"predecessor": "1", "successor": "3", "type": "SS", "lag": "1d"},
    )
    assert r.status_code == 201, r.text
    dep = r.json()
    assert dep["id"] == "1-3" and dep["text"] == "1SS+1d"
    assert client.delete(f"/api/v1/projects/{plan}/dependencies/1-3").status_code == 204
    assert client.delete(f"/api/v1/projects/{plan}/dependencies/1-3").status_code == 404


def test_schedule_has_critical_path_and_drivers(client, plan):
    s = client.get(f"/api/v1/projects/{plan}/schedule").json()
    assert s["critical_path"] == ["1", "2", "3"]
    by_id = {t["id"]: t for t in s["tasks"]}
    assert by_id["2"]["critical"] is True
    assert by_id["2"]["driver"]["kind"] == "predecessor"
    assert by_id["2"]["driver"]["task"] == "1"
    assert s["finish"].startswith("2026-12-08")


def test_parent_indent_outdent_and_delete(client, plan):
    r = client.post(
        f"/api/v1/projects/{plan}/tasks", json={"name": "Review", "duration": "1d", "parent": "3"}
    )
    assert r.status_code == 201, r.text
    review = r.json()
    assert review["parent"] == "3" and review["wbs"] == "3.1"
    r = client.post(f"/api/v1/projects/{plan}/tasks/{review['id']}/outdent")
    assert r.status_code == 200 and r.json()["outline_level"] == 1
    r = client.post(f"/api/v1/projects/{plan}/tasks/{review['id']}/indent")
    assert r.status_code == 200 and r.json()["parent"] == "3"
    assert client.delete(f"/api/v1/projects/{plan}/tasks/3").status_code == 204
    assert set(_tasks(client, plan)) == {"Design", "Build"}


def test_other_projects_ids_are_not_found(client, plan):
    other = client.post("/api/v1/projects", json={"name": "Other"}).json()["id"]
    r = client.patch(f"/api/v1/projects/{other}/tasks/1", json={"version": 1, "name": "x"})
    assert r.status_code == 404
    assert client.delete(f"/api/v1/projects/{other}/dependencies/1-2").status_code == 404
    assert _tasks(client, plan)["Design"]["name"] == "Design"


def test_task_listing_matches_its_documented_schema(client, plan):
    from steerco.api.schemas import TaskList

    listing = TaskList.model_validate(client.get(f"/api/v1/projects/{plan}/tasks").json())
    assert [t.name for t in listing.tasks] == ["Design", "Build", "Test"]


def test_a_task_split_by_hand_pauses_moves_its_successors_and_survives_export(client, plan):
    design = _tasks(client, plan)["Design"]
    r = client.patch(
        f"/api/v1/projects/{plan}/tasks/{design['id']}",
        json={"splits": "2d+1d", "version": design["version"]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["splits"] == "2d+1d" and r.json()["duration"] == "5d"
    tasks = _tasks(client, plan)
    # Mon 23 and Tue 24 at work, Wed 25 paused, then three more days: to Mon 30 Nov.
    assert tasks["Design"]["finish"].startswith("2026-11-30")
    assert tasks["Build"]["start"].startswith("2026-12-03")  # FS+2d behind the later finish
    xml = client.get(f"/api/v1/projects/{plan}/export", params={"format": "mspdi"}).content
    assert b"<ResourceUID>-65535</ResourceUID>" in xml  # MS Project's "nobody" assignment
    again = client.post(
        "/api/v1/projects/import", files={"file": ("p.xml", xml, "application/xml")}
    )
    copy = _tasks(client, again.json()["id"])
    assert copy["Design"]["splits"] == "2d+1d"
    assert copy["Design"]["finish"] == tasks["Design"]["finish"]
    joined = client.patch(
        f"/api/v1/projects/{plan}/tasks/{design['id']}",
        json={"splits": "", "version": r.json()["version"]},
    )
    assert joined.json()["splits"] == ""
    assert _tasks(client, plan)["Design"]["finish"].startswith("2026-11-27")


def test_bad_splits_are_a_problem_and_change_nothing(client, plan):
    design = _tasks(client, plan)["Design"]
    for text in ("2d", "2d+x", "2ed+1d", "2d+0d", "3d+1d, 1d+1d"):
        r = client.patch(
            f"/api/v1/projects/{plan}/tasks/{design['id']}",
            json={"splits": text, "version": design["version"]},
        )
        assert r.status_code == 422, text
        assert r.headers["content-type"] == PROBLEM
    assert _tasks(client, plan)["Design"]["splits"] == ""
