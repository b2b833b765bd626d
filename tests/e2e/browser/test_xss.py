"""The XSS payload corpus in real Chromium (issue 6; SECURITY.md: stored XSS in names and
notes, Jira/Redmine/OpenProject/Taiga all shipped one).

Classic payloads go into project names, task names, task notes and audit values, and every
view that shows them is opened: project list, dashboard, task grid (also after an htmx
swap), task detail (with "who could do it"), Gantt (and the JSON its script loads),
calendars (calendar and exception names), resource usage and the cross-project heat map
(resource names), history, export page. Each page
is checked three ways:
- nothing ran: every payload calls `window.__xss=1` or `alert`; the marker stays unset and
  no dialog opens;
- nothing was injected: no element or attribute a payload could have brought (inline
  script, iframe, on* handler, javascript:/data: URL, `data-pwn`, ...) is in the DOM;
- the text shows as text: the payload's characters are in the page's text (or an input's
  value), so escaping did not eat them either.
The sweep runs twice: once with the CSP switched off in the browser (`bypass_csp`), which
proves the escaping alone holds, and once with it on, where the conftest's console check
also fails on any CSP violation report.

The CSV, XLSX and iCalendar exports are fetched in the same session: payloads and formula
starters stay text, and injected CR/LF cannot start a new iCalendar line. There is no PDF
output yet, so there is nothing to check there.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.browser.conftest import EMAIL, PASSWORD

pytestmark = pytest.mark.browser

# Every payload that could run calls this marker or alert(); none may.
PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1" data-pwn>',
    '<svg onload="window.__xss=1" data-pwn></svg>',
    "<svg><script>window.__xss=1</script></svg>",
    '"><script>window.__xss=1</script>',
    "'><img src=x onerror=window.__xss=1 data-pwn>",
    '" autofocus onfocus="window.__xss=1" data-pwn="',
    "' autofocus onfocus='alert(1)' data-pwn='",
    "</textarea><script>window.__xss=1</script>",
    "</title><script>window.__xss=1</script>",
    "</script><script>window.__xss=1</script>",
    '{"a":"</script><script>window.__xss=1</script>"}',
    "javascript:window.__xss=1",
    "{{7*7}} {{ config }} ${7*7} #{7*7} <%= 7*7 %>",
    "{{constructor.constructor('window.__xss=1')()}}",
    '<iframe srcdoc="<script>parent.__xss=1</script>" data-pwn></iframe>',
    '<a href="javascript:window.__xss=1" data-pwn>click</a>',
    '<details open ontoggle="window.__xss=1" data-pwn>',
    '<div hx-get="/" hx-trigger="load" hx-on::after-request="window.__xss=1" data-pwn>htmx</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1 data-pwn>",
    "<body onload=alert(1) data-pwn>",
    "<base href=//evil.example/ data-pwn>",
    "<meta http-equiv=refresh content='0;url=javascript:window.__xss=1' data-pwn>",
    "line\u2028separator\u2029and </script> in JSON",
    "\u202eRTL override <b data-pwn>bold</b>",
    "\uff1cscript\uff1ewindow.__xss=1\uff1c/script\uff1e",
    "<scr\u200bipt>window.__xss=1</scr\u200bipt>",
    "&lt;script&gt;window.__xss=1&lt;/script&gt; &amp; &#60;b&#62;",
    "\\u003cscript\\u003ewindow.__xss=1\\u003c/script\\u003e",
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "CRLF\r\nBEGIN:VEVENT\r\nSUMMARY:injected\r\nEND:VEVENT",
]

# Markdown that tries to get a link, image or tag through the notes renderer.
NOTES = "\n\n".join(
    [
        "Plain **bold** [fine](https://example.org/spec)",
        "[md link](javascript:window.__xss=1)",
        "[entity](&#x6A;avascript:window.__xss=1)",
        "[ref][evil]\n\n[evil]: javascript:window.__xss=1",
        "<javascript:window.__xss=1>",
        '![img](x" onerror="window.__xss=1)',
        "![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
        "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '[title](https://ok.example "x\\" onmouseover=\\"window.__xss=1")',
        *PAYLOADS[:22],
    ]
)

# The DOM must hold nothing a payload could have brought in.
INJECTED = """() => {
  const bad = [];
  const allowedMeta = new Set(["viewport", "htmx-config", "csrf-token", "color-scheme"]);
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    const why = [];
    if (["iframe", "object", "embed", "base", "style", "frame"].includes(tag)) why.push(tag);
    if (tag === "script" && !(el.src || "").startsWith(location.origin + "/static/")) why.push("script");
    if (tag === "meta" && !el.hasAttribute("charset") && !allowedMeta.has(el.name)) why.push("meta");
    if (tag === "link" && !(el.href || "").startsWith(location.origin + "/static/")) why.push("link");
    for (const a of el.attributes) {
      const n = a.name.toLowerCase(), v = a.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if (n.startsWith("on") || n === "srcdoc" || n === "data-pwn" || n.startsWith("hx-on")) why.push(n);
      if (["href", "src", "action", "formaction", "xlink:href", "data", "content"].includes(n)
          && /^(javascript|vbscript|data):/.test(v)) why.push(n + "=" + v.slice(0, 20));
      if (n === "hx-trigger" && a.value.includes("load")) why.push("hx-trigger load");
    }
    if (why.length) bad.push(why.join(",") + " " + el.outerHTML.slice(0, 100));
  }
  return bad;
}"""


def as_text(value: str) -> str:
    """What the DOM's text holds for `value`: HTML parsing turns CR LF and CR into LF."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def as_input_value(value: str) -> str:
    """What a one-line <input>'s value holds: line breaks are stripped."""
    return value.replace("\r", "").replace("\n", "")


@dataclass
class World:
    key: str  # the project holding every payload task
    pid: str
    names: dict[int, str] = field(default_factory=dict)  # task uid -> payload
    project_names: list[str] = field(default_factory=list)


@dataclass
class Watch:
    """What a page did that it should not have."""

    dialogs: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)


def _sign_in(page: Any, url: str) -> None:
    page.goto(url + "/sign-in")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "/")


def _api(page: Any, method: str, url: str, body: dict[str, Any]) -> dict[str, Any]:
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    r = page.request.fetch(
        url,
        method=method,
        data=body,
        headers={"X-CSRF-Token": token, "Content-Type": "application/json"},
    )
    assert r.ok, (r.status, r.text()[:300])
    return r.json()  # type: ignore[no-any-return]


def _form(page: Any, url: str, fields: dict[str, str]) -> None:
    """Post a form as the page's own forms do (CSRF token in a hidden field)."""
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    r = page.request.post(url, form={**fields, "csrf_token": token or ""})
    assert r.ok, (url, r.status, r.text()[:300])


CALENDAR_PAYLOADS = PAYLOADS[:8]
EXCEPTION_PAYLOADS = PAYLOADS[8:16]
RESOURCE_PAYLOADS = PAYLOADS[16:24]


def _resources(database_url: str, key: str, task_uids: list[int]) -> None:
    """Resources named with payloads, each assigned to a task (there is no resource form or
    API route yet, so through the service, as `steerco resource add` does)."""
    from steerco.bootstrap import build
    from steerco.config import Settings
    from steerco.services import resources
    from steerco.services.accounts import cli_principal

    app = build(Settings(database_url=database_url))
    try:
        user = cli_principal(app.uow, EMAIL)  # as `steerco --as EMAIL resource add` would
        for name, uid in zip(RESOURCE_PAYLOADS, task_uids, strict=False):
            res = resources.add_resource(app.uow, key, name, actor=user, now=datetime.now(UTC))
            resources.assign(
                app.uow, key, str(uid), str(res.uid), actor=user, now=datetime.now(UTC)
            )
    finally:
        app.dispose()


def _ensure_member(database_url: str, project_id: int) -> None:
    """Sign-in is on: make the test user an owner unless creating the project already did
    (which it does once the services record the creator)."""
    from steerco.bootstrap import build
    from steerco.config import Settings
    from steerco.domain.accounts import Role

    app = build(Settings(database_url=database_url))
    try:
        with app.uow() as uow:
            user = uow.users.by_email(EMAIL)
            assert user is not None
            if uow.members.get(project_id, user.user.id) is None:
                uow.members.add(project_id, user.user.id, Role.OWNER)
            uow.commit()
    finally:
        app.dispose()


def _history(database_url: str, project_id: int, names: list[str]) -> None:
    """Audit entries whose values carry the payloads, as a rename would record them."""
    from steerco.bootstrap import build
    from steerco.config import Settings
    from steerco.services import audit

    app = build(Settings(database_url=database_url))
    try:
        with app.uow() as uow:
            for i, name in enumerate(names, start=1):
                audit.record(
                    uow,
                    actor=EMAIL,
                    action="task.updated",
                    target=f"project:{project_id}/task:{i}",
                    now=datetime.now(UTC),
                    before={"name": f"Task {i}"},
                    after={"name": name, name[:40]: name},
                )
            uow.commit()
    finally:
        app.dispose()


@pytest.fixture(scope="module")
def world(browser: Any, server: Any) -> Iterator[World]:
    context = browser.new_context()
    page = context.new_page()
    try:
        _sign_in(page, server.url)
        api = server.url + "/api/v1"
        start = (date.today() + timedelta(days=7)).isoformat()
        main = _api(
            page,
            "POST",
            api + "/projects",
            {"name": '"><img src=x onerror=window.__xss=1 data-pwn> {{7*7}}', "start": start},
        )
        w = World(main["key"], main["id"], project_names=[main["name"]])
        for i, name in enumerate(PAYLOADS, start=1):
            body: dict[str, Any] = {"name": name, "duration": "2d", "notes": NOTES}
            if i % 6 == 0:
                body.update(duration="0d", milestone=True)
            if i > 1 and i % 3:
                body["predecessors"] = str(i - 1)
            task = _api(page, "POST", f"{api}/projects/{w.pid}/tasks", body)
            w.names[int(task["id"])] = name
        # A project per payload name, for the list and each project's own tabs.
        for name in PAYLOADS:
            project = _api(page, "POST", api + "/projects", {"name": name[:200]})
            w.project_names.append(project["name"])
            _ensure_member(server.database_url, int(project["id"]))
        _ensure_member(server.database_url, int(w.pid))
        work = [uid for uid, _ in sorted(w.names.items()) if uid % 6]  # not the milestones
        _resources(server.database_url, w.key, work)
        _history(server.database_url, int(w.pid), PAYLOADS)
        # Calendars and their exceptions, and a baseline, through the pages' own forms.
        pages = f"{server.url}/projects/{w.key}"
        for name in CALENDAR_PAYLOADS:
            _form(page, pages + "/calendars", {"name": name[:200]})
        for i, name in enumerate(EXCEPTION_PAYLOADS):
            day = (date.today() + timedelta(days=30 + 7 * i)).isoformat()
            _form(page, pages + "/calendars/1/exceptions", {"start": day, "name": name[:200]})
        _form(page, pages + "/baseline", {})
        yield w
    finally:
        context.close()


@pytest.fixture(params=[True, False], ids=["csp-off", "csp-on"])
def xpage(request: pytest.FixtureRequest, browser: Any, server: Any) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(
        bypass_csp=request.param, viewport={"width": 1440, "height": 2400}
    )
    page = context.new_page()
    watch = Watch()

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda m: watch.violations.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.violations.append(str(e)))
    page.set_default_timeout(10_000)
    _sign_in(page, server.url)
    yield page, watch
    context.close()
    assert not watch.dialogs, watch.dialogs
    # With the CSP on, a blocked injection shows up as a console error; none may.
    assert not [v for v in watch.violations if "status of 4" not in v], watch.violations


def _inert(page: Any, watch: Watch, where: str) -> None:
    assert page.evaluate("() => window.__xss") is None, f"script ran on {where}"
    assert not watch.dialogs, (where, watch.dialogs)
    injected = page.evaluate(INJECTED)
    assert not injected, (where, injected)


def _text(page: Any) -> str:
    return str(page.evaluate("() => document.body.textContent"))


def _visit(page: Any, watch: Watch, url: str) -> str:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    page.wait_for_load_state("load")
    _inert(page, watch, url)
    return _text(page)


def test_no_payload_runs_in_any_view(server, world, xpage):
    page, watch = xpage
    base = f"{server.url}/projects/{world.key}"

    for listing in ("/", "/portfolio"):
        text = _visit(page, watch, server.url + listing)
        for name in world.project_names:
            assert as_text(name) in text, (listing, name)

    text = _visit(page, watch, base)
    assert as_text(world.project_names[0]) in text
    critical = page.locator(".critical-path li a").all_text_contents()
    assert critical and set(critical) <= {as_text(n) for n in world.names.values()}
    assert "49" not in page.locator("h1").inner_text()  # {{7*7}} stays as typed

    _visit(page, watch, base + "/tasks")
    for uid, name in world.names.items():
        expect(page.locator(f"#name-{uid}")).to_have_value(as_input_value(name))

    _visit(page, watch, base + "/gantt")
    labels = page.locator(".gantt .bar-label")
    expect(labels.first).to_be_visible()
    shown = labels.all_text_contents()
    # Set by script through textContent, so not normalised by the HTML parser.
    assert len(shown) >= 10 and set(shown) <= set(world.names.values())
    _inert(page, watch, "gantt after drawing")

    for uid, name in world.names.items():
        text = _visit(page, watch, f"{base}/tasks/{uid}")
        assert page.locator("h1").text_content() == as_text(name)
        notes = page.locator(".notes.rich")
        assert "onerror" in notes.text_content()  # the raw-HTML payloads show as text
        for href in notes.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))"):
            assert re.match(r"^(https?://|mailto:|/|#)", href or "/"), href
        assert page.locator("#task-notes").input_value() == NOTES
        if uid == 1:  # "who could do it" ranks the payload-named resources
            ranked = page.locator(".suggestions").text_content() or ""
            assert any(as_text(n) in ranked for n in RESOURCE_PAYLOADS)

    text = _visit(page, watch, base + "/history")
    older = page.get_by_role("link", name="Older entries")
    while older.count():  # every page of the history, as a reader would page through it
        text += _visit(page, watch, server.url + older.get_attribute("href"))
        older = page.get_by_role("link", name="Older entries")
    for action in ("baseline.saved", "calendar.created", "calendar.exception_added"):
        assert action in text, action
    for name in PAYLOADS:
        assert as_text(name) in text, name

    text = _visit(page, watch, base + "/calendars")
    for name in CALENDAR_PAYLOADS + EXCEPTION_PAYLOADS:
        assert as_text(name) in text, name

    for url in (base + "/resources", base + "/resources?by=week", server.url + "/resources"):
        text = _visit(page, watch, url)
        for name in RESOURCE_PAYLOADS:
            assert as_text(name) in text, (url, name)
    _visit(page, watch, base + "/export")


def test_grid_edit_swaps_payload_rows_in_inertly(server, world, xpage):
    page, watch = xpage
    _visit(page, watch, f"{server.url}/projects/{world.key}/tasks")
    uid = next(iter(world.names))
    box = page.get_by_role("textbox", name=f"Duration {uid}", exact=True)
    new = "4d" if box.input_value() == "3d" else "3d"  # the other run may have set 3d
    with page.expect_response(lambda r: r.request.method == "POST"):
        box.fill(new)
        box.press("Tab")
    expect(page.get_by_role("textbox", name=f"Duration {uid}", exact=True)).to_have_value(new)
    _inert(page, watch, "grid after an htmx swap")
    for other, name in world.names.items():
        expect(page.locator(f"#name-{other}")).to_have_value(as_input_value(name))


def test_every_project_page_of_a_payload_named_project(server, world, xpage):
    page, watch = xpage
    r = page.request.get(server.url + "/api/v1/projects")
    keys = [p["key"] for p in r.json() if p["name"] in world.project_names[1:6]]
    assert len(keys) == 5
    for key in keys:
        for tab in ("", "/tasks", "/gantt", "/calendars", "/resources", "/history", "/export"):
            _visit(page, watch, f"{server.url}/projects/{key}{tab}")


def test_gantt_data_is_json_not_a_page(server, world, xpage):
    page, watch = xpage
    url = f"{server.url}/projects/{world.key}/gantt.json"
    response = page.goto(url)
    assert response is not None and response.status == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-content-type-options"] == "nosniff"
    _inert(page, watch, "gantt.json opened as a page")
    data = response.json()
    assert {t["name"] for t in data["tasks"]} == set(world.names.values())


def test_exports_keep_payloads_and_formulas_as_text(server, world, xpage):
    page, _ = xpage
    base = f"{server.url}/api/v1/projects/{world.pid}/export?format="

    r = page.request.get(base + "csv")
    assert r.ok and r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(r.body().decode("utf-8-sig"))))
    names = [row[2] for row in rows[1:]]
    for name in world.names.values():
        expected = "'" + name if name[0] in "=+-@\t\r" else name
        assert expected in names, name
    assert not [n for n in names if n[:1] in ("=", "+", "-", "@")]

    r = page.request.get(base + "xlsx")
    assert r.ok and r.headers["content-disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(r.body()))["Tasks"]
    cells = [row[2] for row in sheet.iter_rows(min_row=2)]
    assert {c.value for c in cells} == set(world.names.values())
    assert all(c.data_type == "s" for c in cells)  # never "f" (a formula)

    r = page.request.get(base + "ics")
    assert r.ok and r.headers["content-disposition"].startswith("attachment")
    text = r.body().decode("utf-8")
    lines = text.replace("\r\n ", "").split("\r\n")
    # Exactly one component per exported task: an injected line break would add another.
    begins = [line for line in lines if line.startswith("BEGIN:V") and line != "BEGIN:VCALENDAR"]
    ends = [line for line in lines if line.startswith("END:V") and line != "END:VCALENDAR"]
    assert len(begins) == len(ends) == text.count("\r\nUID:")
    assert not [line for line in lines if line.startswith("SUMMARY:injected")]
    assert "\n" not in text.replace("\r\n", "") and "\r" not in text.replace("\r\n", "")
