"""The resource usage page and the cross-project heat map, through the HTML routes."""

from __future__ import annotations

from datetime import UTC, datetime

from steerco.services import costs, resources
from steerco.services.accounts import LocalOperator


def key_of(client, plan) -> str:
    return client.get(f"/api/v1/projects/{plan}").json()["key"]


def uow_of(client):
    return client.app.state.steerco.uow


def test_usage_page_marks_over_allocated_days(client, plan):
    key = key_of(client, plan)
    html = client.get(f"/projects/{key}/resources").text
    assert "No resources yet." in html
    uow, now = uow_of(client), datetime.now(UTC)
    resources.add_resource(uow, key, "Ana <b>Lead</b>", actor=LocalOperator("pm"), now=now)
    # Design (1) and Build (2) are linked; make Test (3) run in parallel by a second person.
    resources.assign(uow, key, "1", "1", actor=LocalOperator("pm"), now=now)
    resources.assign(uow, key, "2", "1", units="50%", actor=LocalOperator("pm"), now=now)
    html = client.get(f"/projects/{key}/resources").text
    assert "Ana &lt;b&gt;Lead&lt;/b&gt;" in html and "<b>Lead</b>" not in html
    assert 'role="img" aria-label="Load of Ana &lt;b&gt;Lead&lt;/b&gt; by day"' in html
    assert 'class="hbar over"' not in html  # linked tasks never overlap
    resources.assign(uow, key, "3", "1", actor=LocalOperator("pm"), now=now)
    r = client.patch(
        f"/api/v1/projects/{key}/tasks/3",
        json={"predecessors": "", "version": _version(client, plan, 3)},
    )
    assert r.status_code == 200, r.text
    html = client.get(f"/projects/{key}/resources").text
    assert 'class="hbar over"' in html and "<strong>over</strong>" in html
    week = client.get(f"/projects/{key}/resources?by=week").text
    assert "<strong>week</strong>" in week


def _version(client, plan, uid: int) -> int:
    tasks = client.get(f"/api/v1/projects/{plan}/tasks").json()
    rows = tasks if isinstance(tasks, list) else tasks["tasks"]
    return next(t["version"] for t in rows if str(t["id"]) == str(uid))


def test_heat_map_page(client, plan):
    key = key_of(client, plan)
    assert "No assignments in any project yet." in client.get("/resources").text
    uow, now = uow_of(client), datetime.now(UTC)
    resources.add_resource(
        uow, key, "Ana", email="ana@example.com", actor=LocalOperator("pm"), now=now
    )
    resources.assign(uow, key, "1", "Ana", actor=LocalOperator("pm"), now=now)
    html = client.get("/resources").text
    assert "<h1>Resource heat map</h1>" in html
    assert '<th scope="row">Ana</th>' in html and 'class="heat-high"' in html


def test_task_page_suggests_people_with_reasons(client, plan):
    from steerco.services import staffing

    key = key_of(client, plan)
    uow, now = uow_of(client), datetime.now(UTC)
    assert "Who could do it" not in client.get(f"/projects/{key}/tasks/2").text
    for name, level in [("Ana", 4), ("Bob <i>", 2)]:
        resources.add_resource(uow, key, name, actor=LocalOperator("pm"), now=now)
        staffing.update_profile(
            uow, key, name, skill=("python", level), actor=LocalOperator("pm"), now=now
        )
    staffing.set_needs(uow, key, "2", ["python:3"], actor=LocalOperator("pm"), now=now)
    html = client.get(f"/projects/{key}/tasks/2").text
    assert "Who could do it" in html and "Needs python (level 3)" in html
    assert html.index("<strong>Ana</strong>") < html.index("<strong>Bob &lt;i&gt;</strong>")
    assert "<li>skills: python 2/3 (below)</li>" in html and "not qualified" in html


def test_usage_page_shows_rate_tables_and_costs(client, plan):
    key = key_of(client, plan)
    uow, now = uow_of(client), datetime.now(UTC)
    pm = LocalOperator("pm")
    resources.add_resource(uow, key, "Ana", actor=pm, now=now)
    resources.add_resource(uow, key, "Bob", actor=pm, now=now)
    resources.assign(uow, key, "1", "Ana", actor=pm, now=now)  # Design: 5 days
    costs.set_rate(uow, key, "Ana", standard=100, per_use=50, actor=pm, now=now)
    html = client.get(f"/projects/{key}/resources").text
    assert "<td>A from the start: 100/h, 50 per use</td>" in html
    assert "<td>none</td>" in html  # Bob has no rates
    assert '<td class="num">4,050.00</td>' in html and '<td class="num">-</td>' in html
    assert "<strong>4,050.00</strong>" in html and "Cost (EUR)" in html
