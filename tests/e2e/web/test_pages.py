"""HTML pages in-process: every page renders, forms work without a browser, nothing is
executable that the CSP would have to allow, and task names are escaped everywhere."""

from __future__ import annotations

import re

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_pages_render(client, plan):
    key = client.get(f"/api/v1/projects/{plan}").json()["key"]
    for path in [
        "/",
        f"/projects/{key}",
        f"/projects/{key}/tasks",
        f"/projects/{key}/gantt",
        f"/projects/{key}/tasks/2",
        "/import",
        f"/projects/{key}/export",
        "/portfolio",
        f"/projects/{key}/calendars",
    ]:
        r = client.get(path)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        # No inline script or handler: CSP script-src 'self' forbids them.
        assert not re.search(r"<script(?![^>]*\bsrc=)", r.text), path
        assert not re.search(r"\son[a-z]+=", r.text), path
        assert " style=" not in r.text, path


def test_task_detail_explains_the_driver(client, plan):
    key = client.get(f"/api/v1/projects/{plan}").json()["key"]
    html = client.get(f"/projects/{key}/tasks/2").text
    assert "Why it starts then" in html
    assert "Design" in html and "FS+2d" in html


def test_portfolio_shows_each_project_with_its_figures(client, plan):
    project = client.get(f"/api/v1/projects/{plan}").json()
    html = client.get("/portfolio").text
    assert f'href="/projects/{project["key"]}"' in html and project["name"] in html
    assert "no baseline" in html
    assert re.search(r'<progress max="100" value="\d+" aria-label="Progress of ', html)
    assert 'href="/portfolio"' in client.get("/").text  # reachable from the main navigation
    assert '<td class="num">0.00 <span class="muted">EUR</span></td>' in html  # nobody rated yet
    base = f"/api/v1/projects/{plan}"
    ana = client.post(f"{base}/resources", json={"name": "Ana"}).json()
    client.put(f"{base}/resources/{ana['id']}/rates", json={"standard": 100, "per_use": 50})
    client.post(f"{base}/assignments", json={"task": "Design", "resource": "Ana"})
    html = client.get("/portfolio").text  # Design: 5 days at 100/h, plus 50 per use
    assert '<td class="num">4,050.00 <span class="muted">EUR</span></td>' in html


def test_missing_pages_are_404_html(client):
    r = client.get("/projects/NOPE")
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]


def test_create_project_and_grid_edits_by_form(client):
    r = client.post(
        "/projects", data={"name": "Office move", "start": "2026-11-23"}, follow_redirects=False
    )
    assert r.status_code == 303
    grid = r.headers["location"]
    hx = {"HX-Request": "true"}
    for name, dur, pred in [("Pack", "2d", ""), ("Move", "1d", "1"), ("Unpack", "2d", "2")]:
        r = client.post(
            grid, data={"name": name, "duration": dur, "predecessors": pred}, headers=hx
        )
        assert r.status_code == 200 and 'id="grid-body"' in r.text
    r = client.post(
        f"{grid}/1",
        data={"version": "1", "name": "Pack", "duration": "4d", "predecessors": ""},
        headers=hx,
    )
    assert r.status_code == 200
    assert 'id="duration-1" name="duration" value="4d"' in r.text
    stale = client.post(
        f"{grid}/1",
        data={"version": "1", "name": "Pack", "duration": "5d", "predecessors": ""},
        headers=hx,
    )
    assert stale.status_code == 409
    assert stale.headers["hx-retarget"] == "#messages"
    r = client.post(f"{grid}/3/frobnicate", headers=hx)
    assert r.status_code == 404


def test_names_are_escaped_everywhere(client, plan):
    key = client.get(f"/api/v1/projects/{plan}").json()["key"]
    r = client.post(f"/api/v1/projects/{plan}/tasks", json={"name": XSS, "predecessors": "3"})
    assert r.status_code == 201
    uid = r.json()["id"]
    for path in [f"/projects/{key}", f"/projects/{key}/tasks", f"/projects/{key}/tasks/{uid}"]:
        html = client.get(path).text
        assert "<script>alert" not in html and "<img src=x" not in html, path
    assert client.get(f"/projects/{key}/gantt.json").json()["tasks"][-1]["name"] == XSS


def test_htmx_is_vendored_with_its_licence(client):
    js = client.get("/static/vendor/htmx.min.js")
    assert js.status_code == 200 and "htmx" in js.text
    assert 'version:"2.0' in js.text.replace(" ", "")
    assert "BSD" in client.get("/static/vendor/htmx.LICENSE").text or "Zero-Clause" in (
        client.get("/static/vendor/htmx.LICENSE").text
    )


def test_cross_site_form_posts_are_refused(client):
    r = client.post("/projects", data={"name": "Evil"}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    r = client.post(
        "/projects",
        data={"name": "Fine"},
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert r.status_code == 303


def test_import_page_stores_an_ms_project_file(client):
    from datetime import datetime

    from steerco.domain import Project, Task
    from steerco.interop.mspdi import write_mspdi

    plan = Project(
        name="Imported plan",
        key="IMP",
        start=datetime(2026, 11, 23, 8),
        tasks=[Task(uid=1, name="Kick-off")],
    )
    r = client.post(
        "/import",
        files={"file": ("plan.xml", write_mspdi(plan), "application/xml")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert "Kick-off" in client.get(r.headers["location"] + "/tasks").text
    bad = client.post("/import", files={"file": ("plan.mpp", b"\x00", "application/octet-stream")})
    assert bad.status_code == 422 and "XML" in bad.text


def _overallocated(client) -> str:
    from tests.e2e.api.test_level_api import _import

    pid = _import(client)
    return client.get(f"/api/v1/projects/{pid}").json()["key"]


def test_level_button_shows_each_delay_with_its_reason(client):
    key = _overallocated(client)
    dashboard = client.get(f"/projects/{key}").text
    assert f'action="/projects/{key}/level"' in dashboard and ">Level</button>" in dashboard
    r = client.post(f"/projects/{key}/level", data={})
    assert r.status_code == 200
    assert "Why each task moved" in r.text
    assert re.search(r"delayed \d+d: Ana over-allocated \d+(-\d+)? Jan by (Spec|Mockups)", r.text)
    assert not re.search(r"<script(?![^>]*\bsrc=)", r.text)


def test_level_says_which_resources_it_left_alone(client):
    key = _overallocated(client)
    pid = client.get(f"/api/v1/projects/{key}").json()["id"]
    client.post(f"/api/v1/projects/{pid}/resources", json={"name": "Bob"})  # Can Level on
    client.patch(f"/api/v1/projects/{pid}/resources/1", json={"can_level": False})
    r = client.post(f"/projects/{key}/level", data={})
    assert r.status_code == 200
    assert "No resource that leveling may delay tasks for was over-allocated" in r.text
    assert "Not leveled, as their Can Level is off" in r.text and "Ana." in r.text


def test_level_within_slack_that_cannot_hold_is_an_inline_message(client):
    key = _overallocated(client)
    r = client.post(f"/projects/{key}/level", data={"within_slack": "on"})
    assert r.status_code == 422
    assert 'role="alert"' in r.text and "leveling found no plan" in r.text


def test_level_with_splitting_lists_each_split_task_and_its_reason(client):
    from tests.e2e.api.test_level_api import _pinned_review_xml

    r = client.post(
        "/api/v1/projects/import",
        files={"file": ("split.xml", _pinned_review_xml(), "application/xml")},
    )
    key = r.json()["key"]
    dashboard = client.get(f"/projects/{key}").text
    assert '<input type="checkbox" name="split">' in dashboard
    r = client.post(f"/projects/{key}/level", data={"split": "on"})
    assert r.status_code == 200
    assert "Split tasks" in r.text
    assert "split: paused 7 Jan: Ana over-allocated by Review" in r.text
    plain = client.post(f"/projects/{key}/level", data={})  # level already: nothing to list
    assert "Split tasks" not in plain.text and "nothing had to move" in plain.text


def test_clear_leveling_undoes_a_leveling_run_from_the_page_that_shows_it(client):
    key = _overallocated(client)
    dashboard = client.get(f"/projects/{key}").text
    assert (
        f'action="/projects/{key}/level/clear"' in dashboard
        and "Clear leveling</button>" in dashboard
    )
    leveled = client.post(f"/projects/{key}/level", data={})
    assert f'action="/projects/{key}/level/clear"' in leveled.text  # undo right there
    r = client.post(f"/projects/{key}/level/clear", data={})
    assert r.status_code == 200
    assert "Leveling cleared" in r.text
    assert re.search(r"<td><a href=\"/projects/\w+/tasks/\d\">(Spec|Mockups)</a></td>", r.text)
    again = client.post(f"/projects/{key}/level/clear", data={"split": "on"})
    assert "No task had a leveling delay: nothing moved." in again.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", r.text)
