"""In Chromium: a project manager staffs a task from its page (assign, change units,
unassign) and sees the work follow MS Project's formula."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import EMAIL

pytestmark = pytest.mark.browser


def test_staff_a_task_from_its_page(server, page):
    from steerco.bootstrap import build
    from steerco.config import Settings
    from steerco.domain.accounts import Role
    from steerco.services.accounts import LOCAL
    from steerco.services.accounts_members import add_member
    from steerco.services.interop import import_plan
    from tests.e2e.api.test_level_api import _plan_xml

    app = build(Settings(database_url=server.database_url))
    stored = import_plan(app.uow, _plan_xml(), max_bytes=1_000_000, actor=LOCAL)
    add_member(app.uow, LOCAL, stored.key, EMAIL, Role.MEMBER, now=datetime.now(UTC))
    app.dispose()

    page.goto(f"{server.url}/projects/{stored.key}/tasks/3")  # Review, 1 day, nobody on it
    staffing = page.locator("section.assignments")
    expect(staffing).to_contain_text("Nobody is assigned.")
    page.get_by_label("Assign", exact=True).select_option(label="Ana")
    page.get_by_label("at", exact=True).fill("50%")
    page.get_by_role("button", name="Assign", exact=True).click()

    row = staffing.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Ana")
    expect(row.locator("td").nth(2)).to_have_text("4.0")  # 1 day at 50%: 4 hours

    page.get_by_label("Units of Ana").fill("100%")
    page.get_by_role("button", name="Set units").click()
    expect(staffing.locator("tbody tr td").nth(1)).to_have_text("100%")
    expect(staffing.locator("tbody tr td").nth(2)).to_have_text("4.0")  # fixed units: same work

    page.get_by_role("button", name="Take Ana off this task").click()
    expect(staffing).to_contain_text("Nobody is assigned.")
