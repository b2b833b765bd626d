"""In Chromium: the Gantt bar of a split task stays open where the task pauses."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import EMAIL
from tests.unit.interop.test_mspdi_splits import WEEK, file_of
from tests.unit.interop.test_mspdi_splits import plan as split_plan

pytestmark = pytest.mark.browser


def test_a_split_task_is_drawn_with_its_pause(server, page):
    from steerco.bootstrap import build
    from steerco.config import Settings
    from steerco.domain.accounts import Role
    from steerco.services.accounts import LOCAL
    from steerco.services.accounts_members import add_member
    from steerco.services.interop import import_plan

    app = build(Settings(database_url=server.database_url))
    project = split_plan(WEEK)
    project.name, project.key = "Split plan", "SPL"
    stored = import_plan(app.uow, file_of(project), max_bytes=1_000_000, actor=LOCAL)
    add_member(app.uow, LOCAL, stored.key, EMAIL, Role.MEMBER, now=datetime.now(UTC))
    app.dispose()
    page.goto(f"{server.url}/projects/{stored.key}/gantt")
    bar = page.get_by_role("img", name=re.compile(r"^Build: .*split 1 time$"))
    expect(bar).to_be_visible()
    pause = bar.locator(".pause")
    expect(pause).to_have_count(1)
    expect(pause).to_have_attribute("title", "paused 2026-01-06 to 2026-01-08")
    whole, gap = bar.bounding_box(), pause.bounding_box()
    assert whole is not None and gap is not None
    # Two of the five working days before the pause, one paused (weekends count in the
    # chart's width too, so only the order and a sane size are checked).
    assert whole["x"] < gap["x"] < whole["x"] + whole["width"]
    assert 0 < gap["width"] < whole["width"] / 2
