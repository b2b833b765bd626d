"""Resources, rates, assignments and suggestions through the REST API."""

from __future__ import annotations


def test_staff_a_plan_and_price_it(client, plan) -> None:
    base = f"/api/v1/projects/{plan}"
    r = client.post(f"{base}/resources", json={"name": "Ana", "email": "ana@example.org"})
    assert r.status_code == 201, r.text
    ana = r.json()
    assert (ana["name"], ana["kind"], ana["max_units"], ana["rates"]) == ("Ana", "work", 1.0, [])
    r = client.post(f"{base}/resources", json={"name": "Bob", "max_units": "50%"})
    assert r.json()["max_units"] == 0.5
    r = client.put(f"{base}/resources/{ana['id']}/rates", json={"standard": 100, "per_use": 50})
    assert r.status_code == 200, r.text
    r = client.put(
        f"{base}/resources/{ana['id']}/rates", json={"standard": 120, "effective": "2027-01-01"}
    )
    assert [(x["table"], x["effective"], x["standard"]) for x in r.json()] == [
        ("A", None, 100.0),
        ("A", "2027-01-01T00:00:00", 120.0),
    ]
    r = client.post(f"{base}/assignments", json={"task": "Design", "resource": "ana"})
    assert r.status_code == 201, r.text
    assert r.json() | {"id": "x"} == {
        "id": "x",
        "task": "1",
        "resource": ana["id"],
        "units": 1.0,
        "work_minutes": 2400,
        "rate_table": "A",
    }
    listed = client.get(f"{base}/resources").json()
    assert [x["name"] for x in listed] == ["Ana", "Bob"] and len(listed[0]["rates"]) == 2
    costs = client.get(f"{base}/costs").json()
    assert costs["total"] == 40 * 100 + 50  # Design: 5 days in November 2026, at table A
    found = client.get(f"{base}/tasks/2/suggestions").json()
    assert found["name"] == "Build" and {c["name"] for c in found["candidates"]} == {"Ana", "Bob"}
    assert all(len(c["reasons"]) == 4 for c in found["candidates"])


def test_bad_input_is_a_problem_and_changes_nothing(client, plan) -> None:
    base = f"/api/v1/projects/{plan}"
    client.post(f"{base}/resources", json={"name": "Ana"})
    before = client.get(f"{base}/resources").json()
    for method, url, body in [
        ("POST", f"{base}/resources", {"name": "Ana"}),  # taken
        ("POST", f"{base}/resources", {"name": "Cy", "max_units": "lots"}),
        ("POST", f"{base}/resources", {"name": "Cy", "kind": "robot"}),
        ("PUT", f"{base}/resources/1/rates", {"table": "F", "standard": 1}),
        ("PUT", f"{base}/resources/1/rates", {"standard": -1}),
        ("PUT", f"{base}/resources/1/rates", {}),
        ("PUT", f"{base}/resources/9/rates", {"standard": 1}),
        ("POST", f"{base}/assignments", {"task": "Nothing", "resource": "Ana"}),
        ("POST", f"{base}/assignments", {"task": "Design", "resource": "Ana", "units": "-5%"}),
        ("PATCH", f"{base}/resources/1", {}),
        ("PATCH", f"{base}/resources/1", {"name": ""}),
        ("PATCH", f"{base}/resources/1", {"max_units": "lots"}),
        ("PATCH", f"{base}/resources/1", {"can_level": "perhaps"}),
        ("PATCH", f"{base}/resources/9", {"name": "Cy"}),
    ]:
        r = client.request(method, url, json=body)
        assert 400 <= r.status_code < 500, (url, body, r.status_code)
        assert r.headers["content-type"].startswith("application/problem+json"), r.text
    assert client.get(f"{base}/resources").json() == before
    assert client.get(f"{base}/costs").json()["total"] == 0


def test_change_units_and_unassign(client, plan) -> None:
    base = f"/api/v1/projects/{plan}"
    client.post(f"{base}/resources", json={"name": "Ana"})
    client.post(f"{base}/resources", json={"name": "Bob"})
    ana = client.post(f"{base}/assignments", json={"task": "Design", "resource": "Ana"}).json()
    bob = client.post(f"{base}/assignments", json={"task": "Design", "resource": "Bob"}).json()

    r = client.patch(f"{base}/assignments/{ana['id']}", json={"units": "50%"})
    assert r.status_code == 200, r.text
    assert (r.json()["units"], r.json()["work_minutes"]) == (0.5, 2400)  # fixed units: same work
    r = client.delete(f"{base}/assignments/{bob['id']}")
    assert r.status_code == 204, r.text
    again = client.post(f"{base}/assignments", json={"task": "Design", "resource": "Bob"})
    assert again.status_code == 201  # Bob is free to be assigned again: he is off the task
    client.delete(f"{base}/assignments/{again.json()['id']}")

    for method, url, body, status in [
        ("PATCH", f"{base}/assignments/{ana['id']}", {"units": "0%"}, 422),
        ("PATCH", f"{base}/assignments/{ana['id']}", {"units": "lots"}, 422),
        ("PATCH", f"{base}/assignments/{ana['id']}", {}, 422),
        ("PATCH", f"{base}/assignments/999", {"units": "50%"}, 404),
        ("DELETE", f"{base}/assignments/{bob['id']}", None, 404),  # already gone
        ("DELETE", f"{base}/assignments/nine", None, 422),
    ]:
        r = client.request(method, url, json=body)
        assert r.status_code == status, (method, url, body, r.text)
        assert r.headers["content-type"].startswith("application/problem+json"), r.text
    r = client.patch(f"{base}/assignments/{ana['id']}", json={"units": "100%"})
    assert (r.json()["units"], r.json()["work_minutes"]) == (1.0, 2400)  # nothing half-written


def test_change_a_resource(client, plan) -> None:
    base = f"/api/v1/projects/{plan}"
    ana = client.post(f"{base}/resources", json={"name": "Ana"}).json()
    assert ana["can_level"] is True
    r = client.patch(f"{base}/resources/{ana['id']}", json={"max_units": "50%", "can_level": False})
    assert r.status_code == 200, r.text
    assert (r.json()["name"], r.json()["max_units"], r.json()["can_level"]) == ("Ana", 0.5, False)
    r = client.patch(f"{base}/resources/{ana['id']}", json={"name": "Ana Lima"})
    (listed,) = client.get(f"{base}/resources").json()
    assert listed == r.json() and (listed["name"], listed["max_units"]) == ("Ana Lima", 0.5)


def test_remove_a_resource(client, plan) -> None:
    base = f"/api/v1/projects/{plan}"
    ana = client.post(f"{base}/resources", json={"name": "Ana"}).json()
    client.post(f"{base}/resources", json={"name": "Bob"})
    client.post(f"{base}/assignments", json={"task": "Design", "resource": "Ana"})
    r = client.delete(f"{base}/resources/{ana['id']}")
    assert r.status_code == 204, r.text
    assert [x["name"] for x in client.get(f"{base}/resources").json()] == ["Bob"]
    assert client.get(f"{base}/costs").json()["total"] == 0
    r = client.delete(f"{base}/resources/{ana['id']}")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem")


def test_profiles_and_needs_drive_suggestions(client, plan) -> None:
    base = f"/api/v1/projects/{plan}"
    for name in ("Ana", "Bob"):
        client.post(f"{base}/resources", json={"name": name})
    profile = {
        "time_zone": "Europe/Lisbon",
        "skills": [{"name": "python", "level": 4}, {"name": "sql"}],
        "certifications": [{"name": "AWS", "expires": "2027-05-01"}],
    }
    r = client.put(f"{base}/resources/1/profile", json=profile)
    assert r.status_code == 200, r.text
    profile["skills"][1]["level"] = 3  # the default level
    assert r.json() == profile == client.get(f"{base}/resources/1/profile").json()
    assert client.get(f"{base}/resources/2/profile").json() == {
        "time_zone": "", "skills": [], "certifications": [],
    }  # fmt: skip

    r = client.put(f"{base}/tasks/2/needs", json={"needs": ["python:3", "AWS"]})
    assert r.status_code == 200 and r.json() == {"needs": ["python:3", "AWS:1"]}
    found = client.get(f"{base}/tasks/2/suggestions").json()
    assert found["needs"] == ["python:3", "AWS:1"]
    assert [(c["name"], c["qualified"]) for c in found["candidates"]] == [
        ("Ana", True),
        ("Bob", False),
    ]
    r = client.put(f"{base}/tasks/2/needs", json={"needs": []})
    assert r.json() == {"needs": []}


def test_a_bad_profile_or_need_is_a_problem_and_changes_nothing(client, plan) -> None:
    base = f"/api/v1/projects/{plan}"
    client.post(f"{base}/resources", json={"name": "Ana"})
    client.put(f"{base}/resources/1/profile", json={"time_zone": "Asia/Tokyo"})
    for method, url, body in [
        ("PUT", f"{base}/resources/1/profile", {"time_zone": "Mars/Base"}),
        ("PUT", f"{base}/resources/1/profile", {"skills": [{"name": "go", "level": 9}]}),
        ("PUT", f"{base}/resources/1/profile", {"skills": [{"name": "go"}, {"name": "GO"}]}),
        ("PUT", f"{base}/resources/1/profile", {"skills": [{"name": "<b>"}]}),
        (
            "PUT",
            f"{base}/resources/1/profile",
            {"certifications": [{"name": "PMP", "expires": "soon"}]},
        ),
        ("PUT", f"{base}/resources/1/profile", {"owner": "me"}),
        ("PUT", f"{base}/resources/9/profile", {}),
        ("PUT", f"{base}/tasks/2/needs", {"needs": ["python:9"]}),
        ("PUT", f"{base}/tasks/2/needs", {"needs": ["go", "Go"]}),
        ("PUT", f"{base}/tasks/99/needs", {"needs": []}),
    ]:
        r = client.request(method, url, json=body)
        assert 400 <= r.status_code < 500, (url, body, r.status_code)
        assert r.headers["content-type"].startswith("application/problem+json"), r.text
    assert client.get(f"{base}/resources/1/profile").json()["time_zone"] == "Asia/Tokyo"
    assert client.get(f"{base}/tasks/2/suggestions").json()["needs"] == []
