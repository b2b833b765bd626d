"""The project history page: who, when, what, before -> after, newest first, paged; linked
from the project; readable by members only, escaped like every other page."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from steerco.bootstrap import App, build
from steerco.config import Settings
from steerco.domain.accounts import Role
from steerco.services import audit
from steerco.services.accounts import LOCAL, create_user
from steerco.web.app import create_app
from tests.e2e.web.test_auth import _account_tables

T0 = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def _project(client: TestClient, name: str = "Website relaunch") -> tuple[str, int]:
    body = client.post("/api/v1/projects", json={"name": name}).json()
    return body["key"], int(body["id"])


def _record(
    app: App,
    target: str,
    n: int,
    *,
    action: str = "task.updated",
    before: object = None,
    after: object = None,
) -> None:
    with app.uow() as uow:
        for i in range(n):
            audit.record(
                uow,
                actor="pm@example.org",
                action=action,
                target=target,
                now=T0 + timedelta(minutes=i),
                before=before if before is not None else {"duration": f"{i}d"},
                after=after if after is not None else {"duration": f"{i + 1}d"},
            )
        uow.commit()


def _rows(html: str) -> list[int]:
    return [int(s) for s in re.findall(r'<tr id="entry-(\d+)"', html)]


def test_history_shows_who_when_what_and_the_change(client):
    key, pid = _project(client)
    app = client.app.state.steerco
    _record(
        app,
        f"project:{pid}/task:2",
        1,
        action="task.updated",
        before={"name": "Design", "duration": "5d"},
        after={"name": "Design", "duration": "8d"},
    )
    html = client.get(f"/projects/{key}/history").text
    assert "<h1>History</h1>" in html
    row = html.split('<tr id="entry-')[1].split("</tr>")[0]
    assert "2026-11-02 09:30:00" in row and "pm@example.org" in row
    assert "task.updated" in row and f"project:{pid}/task:2" in row
    # Only what changed, as before -> after.
    assert (
        '<span class="field">duration</span>: <span class="before">5d</span> → '
        '<span class="after">8d</span>' in row
    )
    assert "Design" not in row


def test_newest_first_and_paged(client):
    key, pid = _project(client)
    other_key, other = _project(client, "Other")
    app = client.app.state.steerco
    _record(app, f"project:{pid}/task:1", 62)
    _record(app, f"project:{other}/task:1", 5)
    first = client.get(f"/projects/{key}/history").text
    page1 = _rows(first)
    assert len(page1) == 50 and page1 == sorted(page1, reverse=True)
    older = re.search(r'href="(/projects/[A-Z0-9]+/history\?before=\d+)">Older entries', first)
    assert older and "Newest entries" not in first
    second = client.get(older.group(1)).text
    page2 = _rows(second)
    # 62 recorded here and the project's own `project.created`.
    assert len(page2) == 13 and max(page2) < min(page1) and "Older entries" not in second
    assert "Newest entries" in second
    # The other project's entries are its own.
    assert len(_rows(client.get(f"/projects/{other_key}/history").text)) == 6


def test_linked_from_the_project_pages(client):
    key, _ = _project(client)
    for path in (f"/projects/{key}", f"/projects/{key}/tasks", f"/projects/{key}/gantt"):
        assert f'href="/projects/{key}/history"' in client.get(path).text, path
    assert "Project history</a>" in client.get(f"/projects/{key}").text
    fresh = client.get(f"/projects/{key}/history")  # a new project: only its creation
    assert fresh.status_code == 200 and len(_rows(fresh.text)) == 1
    assert "project.created" in fresh.text


def test_history_is_escaped_and_has_no_inline_script(client):
    key, pid = _project(client, XSS)
    app = client.app.state.steerco
    _record(app, f"project:{pid}/task:1", 1, before={"name": XSS}, after={XSS: "{{7*7}}"})
    html = client.get(f"/projects/{key}/history").text
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "{{7*7}}" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


@pytest.mark.parametrize("query", ["?before=0", "?before=-1", "?before=x", "?before=" + "9" * 30])
def test_bad_page_parameter_is_a_422_page(client, query):
    key, _ = _project(client)
    r = client.get(f"/projects/{key}/history{query}")
    assert r.status_code == 422 and "text/html" in r.headers["content-type"]


def test_missing_project_is_404(client):
    assert client.get("/projects/NOPE/history").status_code == 404


# ----- with sign-in on: members read it, everybody else does not learn it exists ----------

MEMBER, OUTSIDER, PASSWORD = "viewer@example.org", "outsider@example.org", "a long passphrase!!"


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, migrated_template: Path) -> Iterator[App]:
    path = tmp_path_factory.mktemp("history") / "steerco.db"
    shutil.copyfile(migrated_template, path)
    url = f"sqlite:///{path}"
    _account_tables(url)
    app = build(Settings(database_url=url))
    for email in (MEMBER, OUTSIDER):
        create_user(app.uow, email, PASSWORD, now=datetime.now(UTC))
    yield app
    app.dispose()


def _sign_in(app: App, email: str) -> TestClient:
    web = TestClient(create_app(app, require_auth=True))
    r = web.post(
        "/sign-in", data={"email": email, "password": PASSWORD, "next": "/"}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    return web


def _shared_project(app: App) -> tuple[str, int]:
    from steerco.services import projects

    project = projects.create_project(app.uow, "Client portal", actor=LOCAL, today=T0.date())
    assert project.id is not None
    with app.uow() as uow:
        member = uow.users.by_email(MEMBER)
        assert member is not None
        if uow.members.get(project.id, member.user.id) is None:
            uow.members.add(project.id, member.user.id, Role.VIEWER)
        uow.commit()
    return project.key, project.id


def test_a_viewer_reads_the_history_an_outsider_gets_404(signed):
    key, pid = _shared_project(signed)
    _record(signed, f"project:{pid}/task:1", 3)
    with _sign_in(signed, MEMBER) as viewer:
        r = viewer.get(f"/projects/{key}/history")
        assert r.status_code == 200 and len(_rows(r.text)) == 4  # and project.created
    with _sign_in(signed, OUTSIDER) as outsider:
        hidden = outsider.get(f"/projects/{key}/history")
        missing = outsider.get("/projects/NOSUCH/history")
        assert hidden.status_code == missing.status_code == 404
        assert "task.updated" not in hidden.text and "Client portal" not in hidden.text
        assert hidden.text.replace(key, "K") == missing.text.replace("NOSUCH", "K")


def test_anonymous_is_sent_to_sign_in(signed):
    key, _ = _shared_project(signed)
    with TestClient(create_app(signed, require_auth=True)) as anonymous:
        r = anonymous.get(f"/projects/{key}/history", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/sign-in?next=")


def test_history_is_get_only(client):
    key, _ = _project(client)
    assert client.post(f"/projects/{key}/history").status_code == 405
