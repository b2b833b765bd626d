"""In Chromium: a project manager adds a resource and changes one from the Resources page;
a refused change is a message on the page, and the page keeps what was stored."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import import_for_user

pytestmark = pytest.mark.browser


def test_change_and_add_resources_from_the_resources_page(server, page):
    from tests.e2e.api.test_level_api import _plan_xml

    key = import_for_user(server, _plan_xml(), role="manager")
    page.goto(f"{server.url}/projects/{key}/resources")
    ana = page.locator("table.resources tbody tr").filter(has_text="Ana")
    expect(ana).to_have_class("over")  # Spec and Mockups at once: 200% of 100%

    ana.get_by_text("Change").click()
    form = page.get_by_role("form", name="Change Ana")
    form.get_by_label("Max units").fill("200%")
    form.get_by_label("Leveling may delay tasks for Ana").uncheck()
    form.get_by_role("button", name="Save Ana").click()

    ana = page.locator("table.resources tbody tr").filter(has_text="Ana")
    expect(ana.locator("td").nth(1)).to_have_text("200%")
    expect(ana).to_contain_text("Can Level off")
    expect(ana).not_to_have_class("over")

    add = page.get_by_role("region", name="Add a resource")
    add.get_by_label("Name").fill("ana")
    add.get_by_role("button", name="Add").click()
    expect(page.locator("#messages")).to_contain_text("already a resource called 'ana'")
    expect(page.locator("table.resources tbody tr")).to_have_count(1)

    add.get_by_label("Name").fill("Bob")
    add.get_by_label("Max units").fill("50%")
    add.get_by_role("button", name="Add").click()
    bob = page.locator("table.resources tbody tr").filter(has_text="Bob")
    expect(bob.locator("td").nth(1)).to_have_text("50%")

    # Remove asks first; dismissed, nothing happens; accepted, Bob is gone.
    bob.get_by_text("Change").click()
    page.once("dialog", lambda d: d.dismiss())
    bob.get_by_role("button", name="Remove Bob").click()
    expect(page.locator("table.resources tbody tr")).to_have_count(2)
    page.once("dialog", lambda d: d.accept())
    bob.get_by_role("button", name="Remove Bob").click()
    expect(page.locator("table.resources tbody tr")).to_have_count(1)
    expect(page.locator("table.resources")).not_to_contain_text("Bob")


def test_skills_and_needs_in_the_browser(server, page):
    from tests.e2e.api.test_level_api import _plan_xml

    key = import_for_user(server, _plan_xml(), role="manager")
    page.goto(f"{server.url}/projects/{key}/resources")
    ana = page.locator("table.resources tbody tr").filter(has_text="Ana")
    ana.get_by_text("Change").click()
    skills = page.get_by_role("form", name="Skills of Ana")
    skills.get_by_label("Skills").fill("python:9")
    skills.get_by_role("button", name="Save skills of Ana").click()
    expect(page.locator("#messages")).to_contain_text("skill levels run from 1 to 5")
    skills.get_by_label("Skills").fill("python:4, sql")
    skills.get_by_role("button", name="Save skills of Ana").click()
    expect(page.locator("table.resources tbody tr").filter(has_text="Ana")).to_contain_text(
        "python 4 · sql 3"
    )

    page.goto(f"{server.url}/projects/{key}/tasks/3")
    page.get_by_label("Needs", exact=True).fill("python:3")
    page.get_by_role("button", name="Save needs").click()
    who = page.locator("section.suggestions")
    expect(who).to_contain_text("Needs python (level 3)")
    expect(who.locator("li").first).not_to_contain_text("not qualified")
