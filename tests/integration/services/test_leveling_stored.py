"""Leveling and clearing it on a stored plan, on a real database (SQLite and PostgreSQL): the
delays and dates are stored in one transaction, each run leaves an audit entry, and clearing
gives back the plan as it was before leveling."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from steerco.domain import PermissionDenied
from steerco.domain.accounts import Principal, Role, Scope, implied_scopes
from steerco.services import audit, planning, projects, resources
from steerco.services.accounts import LOCAL
from steerco.services.leveling import level_stored
from steerco.services.leveling_clear import clear_stored
from steerco.services.tasks import NewTask, add_task

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 23)


@pytest.fixture
def key(uow_factory) -> str:
    """Spec 3d and Mockups 2d, both Ana's, both from Monday: she is over-allocated."""
    key = projects.create_project(
        uow_factory, actor=LOCAL, name="Intranet", today=MONDAY, start=MONDAY
    ).key
    add_task(uow_factory, key, NewTask(name="Spec", duration="3d"), actor=LOCAL)
    add_task(uow_factory, key, NewTask(name="Mockups", duration="2d"), actor=LOCAL)
    resources.add_resource(uow_factory, key, "Ana", actor=LOCAL, now=NOW)
    for task in ("Spec", "Mockups"):
        resources.assign(uow_factory, key, task, "Ana", actor=LOCAL, now=NOW)
    return key


def _dates(uow_factory, key: str) -> dict[str, tuple[datetime, datetime]]:
    plan = planning.load(uow_factory, key, actor=LOCAL)
    return {t.name: (t.start, t.finish) for t in plan.tasks if t.outline_level > 0}


def _actions(uow_factory, key: str) -> list[str]:
    plan = planning.load(uow_factory, key, actor=LOCAL)
    with uow_factory(write=False) as uow:
        return [e.action for e in audit.for_project(uow, plan.id)]


def test_clearing_stores_the_plan_as_it_was_before_leveling(uow_factory, key: str) -> None:
    before = _dates(uow_factory, key)
    leveled = level_stored(uow_factory, key, actor=LOCAL, now=NOW, time_limit=2)
    (moved,) = leveled.delayed
    assert _dates(uow_factory, key)[moved.name][0] == moved.start_after > before[moved.name][0]

    cleared = clear_stored(uow_factory, key, actor=LOCAL, now=NOW)

    assert [c.name for c in cleared.cleared] == [moved.name]
    assert _dates(uow_factory, key) == before
    stored = planning.load(uow_factory, key, actor=LOCAL).find_task(moved.name)
    assert stored.leveling_delay is not None and stored.leveling_delay.minutes == 0
    assert _actions(uow_factory, key)[:2] == ["leveling.cleared", "leveling.applied"]


def test_a_viewer_may_neither_level_nor_clear(accounts_uow) -> None:
    from steerco.services import accounts
    from steerco.services.accounts_members import add_member

    key = projects.create_project(
        accounts_uow, actor=LOCAL, name="Intranet", today=MONDAY, start=MONDAY
    ).key
    add_task(accounts_uow, key, NewTask(name="Spec", duration="3d"), actor=LOCAL)
    user = accounts.create_user(accounts_uow, "vic@example.org", "x" * 16, now=NOW)
    add_member(accounts_uow, LOCAL, key, user.email, Role.VIEWER, now=NOW)
    vic = Principal(user.id, user.email, False, implied_scopes(Scope.WRITE), "session")
    before = _dates(accounts_uow, key)
    with pytest.raises(PermissionDenied):
        clear_stored(accounts_uow, key, actor=vic, now=NOW)
    with pytest.raises(PermissionDenied):
        level_stored(accounts_uow, key, actor=vic, now=NOW, time_limit=1)
    assert _dates(accounts_uow, key) == before
