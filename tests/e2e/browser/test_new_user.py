"""As a new user would: create a project, add three tasks and two links in the grid, open
the Gantt, see the critical path, lengthen a task and see its successors move."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import EMAIL

pytestmark = pytest.mark.browser

DOCS_IMG = Path(__file__).resolve().parents[3] / "docs" / "img"
# The README's screenshot is tracked: a test run must not leave the checkout modified, so
# the picture is taken into a temp folder unless `make screenshot` asks for the real one.
UPDATE_SCREENSHOT = os.environ.get("STEERCO_UPDATE_SCREENSHOT") == "1"


def _add_task(page, name: str, duration: str) -> None:
    page.get_by_role("textbox", name="New task", exact=True).fill(name)
    page.get_by_role("textbox", name="Duration", exact=True).fill(duration)
    page.get_by_role("button", name="Add task").click()
    expect(page.get_by_role("textbox", name=re.compile(r"^Name \d+$")).last).to_have_value(name)


def _set_cell(page, label: str, value: str) -> None:
    box = page.get_by_role("textbox", name=label, exact=True)
    with page.expect_response(lambda r: r.request.method == "POST"):
        box.fill(value)
        box.press("Tab")  # leaving the cell commits it, as in a spreadsheet
    # The answer replaces the grid's rows: wait until htmx has swapped and settled, or the
    # next cell found may be a row that is about to be replaced (seen on a loaded machine).
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    expect(page.get_by_role("textbox", name=label, exact=True)).to_have_value(value)


def test_plan_in_grid_then_gantt(server, page):
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_label("Project name").fill("Website relaunch")
    page.get_by_label("Start date").fill("2026-11-23")
    page.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", name="Tasks")).to_be_visible()

    _add_task(page, "Design", "5d")
    _add_task(page, "Build", "3d")
    _add_task(page, "Test", "2d")
    _set_cell(page, "Predecessors 2", "1FS+2d")
    _set_cell(page, "Predecessors 3", "2")
    expect(page.get_by_role("textbox", name="Predecessors 2", exact=True)).to_have_value("1FS+2d")
    expect(page.locator("#row-3")).to_contain_text("Mon 07 Dec 2026")

    page.get_by_role("link", name="Gantt").click()
    build = page.get_by_role("img", name=re.compile(r"^Build: 2026-12-02 to 2026-12-04.*critical"))
    expect(build).to_be_visible()
    expect(build).to_have_class(re.compile(r"\bcritical\b"))
    for name in ("Design", "Test"):
        expect(page.get_by_role("img", name=re.compile(rf"^{name}:.*critical$"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Today"))).to_be_attached()
    before = build.bounding_box()

    duration = page.get_by_role("textbox", name="Duration 1", exact=True)
    with page.expect_response(lambda r: "/gantt/1" in r.url and r.ok):
        duration.fill("8d")
        duration.press("Enter")
    moved = page.get_by_role("img", name=re.compile(r"^Build: 2026-12-07 to 2026-12-09"))
    expect(moved).to_be_visible()
    expect(
        page.get_by_role("img", name=re.compile(r"^Test: 2026-12-10 to 2026-12-11"))
    ).to_be_visible()
    after = moved.bounding_box()
    assert before and after and after["x"] > before["x"]

    page.get_by_role("button", name="Month").click()
    expect(page.get_by_role("button", name="Month")).to_have_attribute("aria-pressed", "true")


def test_cycle_is_explained_not_applied(server, page):
    page.goto(server.url + "/")
    page.get_by_role("link", name="Website relaunch").click()
    page.get_by_role("link", name="Tasks", exact=True).click()
    box = page.get_by_role("textbox", name="Predecessors 1", exact=True)
    box.fill("3")
    box.press("Tab")
    expect(page.get_by_role("alert")).to_contain_text("cycle")
    page.reload()
    expect(page.get_by_role("textbox", name="Predecessors 1", exact=True)).to_have_value("")


def test_gantt_screenshot_of_the_demo(server, page, tmp_path):
    from steerco.bootstrap import build
    from steerco.config import Settings
    from steerco.domain.accounts import Role
    from steerco.services.accounts import LOCAL
    from steerco.services.accounts_members import add_member
    from steerco.services.demo import seed_demo

    app = build(Settings(database_url=server.database_url))
    seed_demo(app.uow, date(2026, 11, 16))
    # The demo is the operator's; the signed-in user sees it as a member (a viewer would do).
    add_member(app.uow, LOCAL, "CRM", EMAIL, Role.MEMBER, now=datetime.now(UTC))
    app.dispose()
    from steerco.services.planning import TaskChanges, load, update_task

    app = build(Settings(database_url=server.database_url))
    for uid, pct in [(2, 100), (3, 100), (6, 60), (7, 40)]:  # some progress to show
        version = load(app.uow, "CRM", actor=LOCAL).task(uid).version
        update_task(
            app.uow, "CRM", uid, TaskChanges(percent_complete=pct), actor=LOCAL, version=version
        )
    app.dispose()
    page.goto(server.url + "/projects/CRM/gantt")
    expect(page.get_by_role("img", name=re.compile(r"^Project charter:.*critical"))).to_be_visible()
    expect(page.locator(".bar.critical").first).to_be_visible()
    folder = DOCS_IMG if UPDATE_SCREENSHOT else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / "gantt.png"))
    assert (folder / "gantt.png").stat().st_size > 10_000  # a drawn chart, not a blank page
