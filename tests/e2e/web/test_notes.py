"""Task notes on the task page: markdown rendered then cleaned, edited through a plain form,
optimistic locking kept."""

from __future__ import annotations

import re


def test_notes_render_as_clean_markdown(client, plan):
    key = client.get(f"/api/v1/projects/{plan}").json()["key"]
    notes = (
        "## Scope\n\n**Must** ship [spec](https://example.org/spec).\n\n"
        "[bad](javascript:alert(1)) <img src=x onerror=alert(1)> "
        "</textarea><script>alert(2)</script>"
    )
    r = client.patch(f"/api/v1/projects/{plan}/tasks/2", json={"notes": notes, "version": 1})
    assert r.status_code == 200, r.text
    html = client.get(f"/projects/{key}/tasks/2").text
    rendered = html.split('<div class="notes rich">')[1].split("</div>")[0]
    assert "<h2>Scope</h2>" in rendered and "<strong>Must</strong>" in rendered
    assert (
        '<a href="https://example.org/spec" rel="noopener noreferrer nofollow">spec</a>' in rendered
    )
    assert "javascript:" not in rendered.replace("[bad](javascript:alert(1))", "")
    assert "<img" not in html and "<script>alert" not in html
    # The edit box holds the source as text: the textarea cannot be closed from inside.
    box = html.split('<textarea id="task-notes"')[1].split("</textarea>")[0]
    assert "&lt;/textarea&gt;&lt;script&gt;" in box
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_notes_form_saves_and_checks_the_version(client, plan):
    key = client.get(f"/api/v1/projects/{plan}").json()["key"]
    page = client.get(f"/projects/{key}/tasks/1").text
    assert '<label for="task-notes">Edit notes (Markdown)</label>' in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    r = client.post(
        f"/projects/{key}/tasks/1/notes",
        data={"version": version, "notes": "- first\n- second"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/projects/{key}/tasks/1"
    assert "<li>first</li>" in client.get(r.headers["location"]).text
    rows = client.get(f"/api/v1/projects/{plan}/tasks").json()["tasks"]
    assert next(t for t in rows if t["id"] == "1")["notes"] == "- first\n- second"
    stale = client.post(f"/projects/{key}/tasks/1/notes", data={"version": version, "notes": "x"})
    assert stale.status_code == 409
    too_long = client.post(
        f"/projects/{key}/tasks/1/notes", data={"version": int(version) + 1, "notes": "x" * 20_001}
    )
    assert too_long.status_code == 422


def test_blank_notes_say_so(client, plan):
    key = client.get(f"/api/v1/projects/{plan}").json()["key"]
    assert "No notes yet." in client.get(f"/projects/{key}/tasks/3").text
