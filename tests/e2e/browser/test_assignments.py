"""In Chromium: a project manager staffs a task from its page (assign, change units,
unassign) and sees the work follow MS Project's formula."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import import_for_user

pytestmark = pytest.mark.browser


def test_staff_a_task_from_its_page(server, page):
    from tests.e2e.api.test_level_api import _plan_xml

    key = import_for_user(server, _plan_xml())

    page.goto(f"{server.url}/projects/{key}/tasks/3")  # Review, 1 day, nobody on it
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
