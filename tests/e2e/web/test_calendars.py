"""The calendar editor and the dashboard's baseline card, through the HTML routes."""

from __future__ import annotations

import re

HX = {"HX-Request": "true"}


def key_of(client, plan) -> str:
    return client.get(f"/api/v1/projects/{plan}").json()["key"]


def finish_of(client, plan, name: str) -> str:
    rows = client.get(f"/api/v1/projects/{plan}/schedule").json()
    tasks = rows["tasks"] if isinstance(rows, dict) else rows
    return next(t["finish"] for t in tasks if t["name"] == name)


def test_calendar_page_lists_the_week_with_labels(client, plan):
    key = key_of(client, plan)
    html = client.get(f"/projects/{key}/calendars").text
    assert "<h1>Calendars</h1>" in html
    assert re.search(r'<label for="cal-1-day0">Monday</label>', html)
    assert 'id="cal-1-day0" name="day0" value="08:00-12:00, 13:00-17:00"' in html
    assert 'id="cal-1-day6" name="day6" value="nonworking"' in html
    assert 'aria-current="page">Calendars</a>' in html


def test_a_holiday_added_in_the_editor_moves_the_plan(client, plan):
    key = key_of(client, plan)
    before = finish_of(client, plan, "Test")
    version = re.search(
        r'name="version" value="(\d+)"', client.get(f"/projects/{key}/calendars").text
    )[1]
    r = client.post(
        f"/projects/{key}/calendars/1/exceptions",
        headers=HX,
        data={
            "name": "Team offsite",
            "start": "2026-11-24",
            "finish": "2026-11-25",
            "times": "nonworking",
            "version": version,
        },
    )
    assert r.status_code == 200 and 'id="calendars"' in r.text
    assert "Team offsite" in r.text and "Added Team offsite" in r.text
    after = finish_of(client, plan, "Test")
    assert after > before  # two working days later
    r = client.post(
        f"/projects/{key}/calendars/1/exceptions/0/delete",
        headers=HX,
        data={"version": str(int(version) + 1)},
    )
    assert r.status_code == 200 and "Team offsite" not in r.text
    assert finish_of(client, plan, "Test") == before


def test_bad_input_is_an_inline_message_and_changes_nothing(client, plan):
    key = key_of(client, plan)
    page = client.get(f"/projects/{key}/calendars").text
    r = client.post(
        f"/projects/{key}/calendars/1/week",
        headers=HX,
        data={f"day{i}": "nonworking" for i in range(7)},
    )
    assert r.status_code == 422
    assert r.headers.get("HX-Retarget") == "#messages"
    assert "at least one working day" in r.text
    r = client.post(f"/projects/{key}/calendars/1/week", headers=HX, data={"day0": "8 to 5"})
    assert r.status_code == 422 and "not a working time" in r.text
    assert client.get(f"/projects/{key}/calendars").text == page


def test_week_edit_and_stale_version(client, plan):
    key = key_of(client, plan)
    version = re.search(
        r'name="version" value="(\d+)"', client.get(f"/projects/{key}/calendars").text
    )[1]
    r = client.post(
        f"/projects/{key}/calendars/1/week",
        headers=HX,
        data={"day5": "09:00-13:00", "version": version},
    )
    assert r.status_code == 200 and 'name="day5" value="09:00-13:00"' in r.text
    r = client.post(
        f"/projects/{key}/calendars/1/week",
        headers=HX,
        data={"day5": "nonworking", "version": version},
    )
    assert r.status_code == 409


def test_new_derived_calendar(client, plan):
    key = key_of(client, plan)
    r = client.post(
        f"/projects/{key}/calendars", headers=HX, data={"name": "Support rota", "base": "1"}
    )
    assert r.status_code == 200
    assert "Support rota" in r.text and "based on Standard" in r.text
    assert 'name="day0" value="default"' in r.text


def test_dashboard_shows_finish_against_baseline(client, plan):
    key = key_of(client, plan)
    assert "No baseline saved yet." in client.get(f"/projects/{key}").text
    r = client.post(f"/projects/{key}/baseline", follow_redirects=False)
    assert r.status_code == 303
    html = client.get(f"/projects/{key}").text
    assert "Baseline finish" in html and "on baseline" in html
    tasks = client.get(f"/api/v1/projects/{plan}/tasks").json()
    first = tasks[0] if isinstance(tasks, list) else tasks["tasks"][0]
    r = client.patch(
        f"/api/v1/projects/{plan}/tasks/{first['id']}",
        json={"duration": "7d", "version": first["version"]},
    )
    assert r.status_code == 200, r.text
    html = client.get(f"/projects/{key}").text
    assert "2.0 working days late" in html
