"""In Chromium: a project manager levels a plan from its dashboard, reads why each task moved,
and undoes it with one click (Clear leveling)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import import_for_user

pytestmark = pytest.mark.browser


def test_level_then_undo_from_the_page_that_shows_why(server, page):
    from tests.e2e.api.test_level_api import _plan_xml

    key = import_for_user(server, _plan_xml())

    page.goto(f"{server.url}/projects/{key}")
    page.get_by_role("button", name="Level", exact=True).click()
    expect(page.get_by_role("heading", name="Why each task moved")).to_be_visible()
    expect(page.get_by_text("Ana over-allocated").first).to_be_visible()

    page.get_by_role("button", name="Undo: clear leveling").click()
    expect(page.get_by_role("heading", name="Leveling cleared")).to_be_visible()
    rows = page.locator("table.delays tbody tr")
    expect(rows).to_have_count(1)  # Spec had waited for Mockups: back to Monday 5 Jan
    expect(rows.first).to_contain_text("Spec")
    expect(rows.first.locator("td").nth(1)).to_contain_text("5 Jan")

    page.goto(f"{server.url}/projects/{key}")
    page.get_by_role("button", name="Clear leveling").click()
    expect(page.get_by_text("No task had a leveling delay: nothing moved.")).to_be_visible()
