"""A stored plan's schedule served from the per-process view cache (schedule_views) on a real
database (SQLite and PostgreSQL): reused while the plan is unchanged, never after a write,
and never to someone who may not read the plan."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from steerco.domain import NotFound
from steerco.domain.accounts import Principal, Scope, implied_scopes
from steerco.services import accounts, planning, projects, resources
from steerco.services.accounts import LOCAL
from steerco.services.tasks import NewTask, add_task

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 23)


def _plan(uow_factory) -> str:
    key = projects.create_project(
        uow_factory, actor=LOCAL, name="Rollout", today=MONDAY, start=MONDAY
    ).key
    add_task(uow_factory, key, NewTask(name="Design", duration="5d"), actor=LOCAL)
    add_task(uow_factory, key, NewTask(name="Build", duration="3d", after=["1"]), actor=LOCAL)
    return key


def test_an_unchanged_plan_is_scheduled_once_and_a_changed_one_again(uow_factory) -> None:
    key = _plan(uow_factory)
    first = planning.compute_schedule(uow_factory, key, actor=LOCAL)
    again = planning.compute_schedule(uow_factory, key, actor=LOCAL)
    assert again.project is first.project and again.result is first.result

    task = first.project.task(1)
    planning.update_task(
        uow_factory, key, 1, planning.TaskChanges(duration="7d"), actor=LOCAL, version=task.version
    )
    edited = planning.compute_schedule(uow_factory, key, actor=LOCAL)
    assert edited.project is not first.project
    assert edited.result.finish == datetime(2026, 12, 4, 17, 0)  # 7d + 3d from Mon 23 Nov

    resources.add_resource(uow_factory, key, "Ana", actor=LOCAL, now=NOW)  # any write counts
    staffed = planning.compute_schedule(uow_factory, key, actor=LOCAL)
    assert [r.name for r in staffed.project.resources if r.uid > 0] == ["Ana"]


def test_a_cached_plan_is_not_served_to_a_non_member(accounts_uow) -> None:
    key = _plan(accounts_uow)
    planning.compute_schedule(accounts_uow, key, actor=LOCAL)  # cached now
    user = accounts.create_user(accounts_uow, "eve@example.org", "x" * 16, now=NOW)
    eve = Principal(user.id, user.email, False, implied_scopes(Scope.WRITE), "session")
    with pytest.raises(NotFound):
        planning.compute_schedule(accounts_uow, key, actor=eve)
