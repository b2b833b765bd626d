"""Import and export through the REST API."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("fmt", "media"),
    [
        ("mspdi", "application/xml"),
        ("csv", "text/csv"),
        ("xlsx", "application/vnd.openxml"),
        ("ics", "text/calendar"),
    ],
)
def test_export_is_an_attachment(client, plan, fmt, media):
    r = client.get(f"/api/v1/projects/{plan}/export", params={"format": fmt})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith(media)
    assert r.headers["content-disposition"].startswith("attachment")
    assert r.headers["x-content-type-options"] == "nosniff"


def test_export_import_round_trip(client, plan):
    xml = client.get(f"/api/v1/projects/{plan}/export", params={"format": "mspdi"}).content
    r = client.post("/api/v1/projects/import", files={"file": ("plan.xml", xml, "application/xml")})
    assert r.status_code == 201, r.text
    imported = r.json()
    assert imported["id"] != plan and imported["task_count"] == 3


def test_import_refuses_unsafe_or_wrong_files(client):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<Project>&b;</Project>"
    )
    for name, data in [
        ("evil.xml", bomb),
        ("plan.mpp", b"\x00\x01"),
        ("big.xml", b"<" * 1_000_001),
    ]:
        r = client.post("/api/v1/projects/import", files={"file": (name, data, "application/xml")})
        assert r.status_code == 422, (name, r.text)
    assert client.get("/api/v1/projects").json() == []
