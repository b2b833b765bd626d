"""Projects through the REST API: create, list, show by id or key, change, delete."""

from __future__ import annotations

PROBLEM = "application/problem+json"


def test_create_list_show_update_delete(client):
    r = client.post("/api/v1/projects", json={"name": "CRM rollout", "start": "2026-12-01"})
    assert r.status_code == 201
    body = r.json()
    assert isinstance(body["id"], str) and body["key"] == "CR"
    assert body["start"].startswith("2026-12-01")

    listed = client.get("/api/v1/projects").json()
    assert [p["id"] for p in listed] == [body["id"]]
    assert client.get(f"/api/v1/projects/{body['id']}").json()["key"] == "CR"
    assert client.get("/api/v1/projects/cr").json()["id"] == body["id"]  # the key works too

    r = client.patch(
        f"/api/v1/projects/{body['id']}", json={"name": "CRM go-live", "version": body["version"]}
    )
    assert r.status_code == 200 and r.json()["name"] == "CRM go-live"
    stale = client.patch(
        f"/api/v1/projects/{body['id']}", json={"name": "Late edit", "version": body["version"]}
    )
    assert stale.status_code == 409 and stale.headers["content-type"] == PROBLEM

    assert client.delete(f"/api/v1/projects/{body['id']}").status_code == 204
    missing = client.get(f"/api/v1/projects/{body['id']}")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == PROBLEM
    assert missing.json()["status"] == 404


def test_unknown_fields_are_refused(client):
    for field in ("__class__", "delete", "destroy", "id"):
        r = client.post("/api/v1/projects", json={"name": "X project", field: "boom"})
        assert r.status_code == 422, field
        assert r.headers["content-type"] == PROBLEM
    assert client.get("/api/v1/projects").json() == []


def test_invalid_input_is_problem_json(client):
    r = client.post("/api/v1/projects", json={"name": ""})
    assert r.status_code == 422 and r.headers["content-type"] == PROBLEM
    r = client.post("/api/v1/projects", json={"name": "Dup", "key": "DUP"})
    assert r.status_code == 201
    r = client.post("/api/v1/projects", json={"name": "Dup again", "key": "DUP"})
    assert r.status_code in (409, 422)


def test_openapi_is_served(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "/projects/{project_id}/schedule" in doc["paths"]
    assert doc["servers"] == [{"url": "/api/v1"}]


def test_security_headers(client):
    r = client.get("/api/v1/projects")
    csp = r.headers["content-security-policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"]


def test_cross_site_writes_are_refused(client):
    r = client.post(
        "/api/v1/projects", json={"name": "Evil"}, headers={"Origin": "https://evil.example"}
    )
    assert r.status_code == 403
    r = client.post(
        "/api/v1/projects", json={"name": "Evil"}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert r.status_code == 403
    assert client.get("/api/v1/projects").json() == []
