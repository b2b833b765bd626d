"""MS Project's work formula when a task's duration is edited, on a real database (SQLite
and PostgreSQL): by the task's type, the assignments' work follows the new duration (fixed
units, fixed duration) or their units do (fixed work); the task's work is their sum, and
costs follow. Both ways an edit is made: a duration alone (the group commit,
`services.edit_queue`) and a duration with other fields (`planning.update_task`)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from steerco.domain import TaskType
from steerco.services import costs, planning, projects, resources
from steerco.services.accounts import LOCAL
from steerco.services.tasks import NewTask, add_task

NOW = datetime(2026, 11, 22, 9, 0)
HOUR = 60


def _staffed(uow_factory, task_type: TaskType) -> str:
    key = projects.create_project(
        uow_factory, "Data centre move", actor=LOCAL, today=date(2026, 11, 23),
        start=date(2026, 11, 23),
    ).key  # fmt: skip
    add_task(
        uow_factory, key, NewTask(name="Build", duration="3d", task_type=task_type), actor=LOCAL
    )
    resources.add_resource(uow_factory, key, "Ana", actor=LOCAL, now=NOW)
    costs.set_rate(uow_factory, key, "Ana", standard=100, actor=LOCAL, now=NOW)
    resources.assign(uow_factory, key, "Build", "Ana", units="50%", actor=LOCAL, now=NOW)
    return key


def _edit(uow_factory, key: str, **changes) -> None:
    version = planning.load(uow_factory, key, actor=LOCAL).task(1).version
    planning.update_task(
        uow_factory, key, 1, planning.TaskChanges(**changes), actor=LOCAL, version=version
    )


@pytest.mark.parametrize("with_name", [False, True], ids=["duration-alone", "with-a-name"])
@pytest.mark.parametrize("task_type", [TaskType.FIXED_UNITS, TaskType.FIXED_DURATION])
def test_work_follows_the_duration(uow_factory, task_type, with_name) -> None:
    key = _staffed(uow_factory, task_type)
    (before,) = planning.load(uow_factory, key, actor=LOCAL).assignments
    assert before.work_minutes == 12 * HOUR  # 3 days at 50%

    _edit(uow_factory, key, duration="5d", **({"name": "Build racks"} if with_name else {}))

    stored = planning.load(uow_factory, key, actor=LOCAL)
    (after,) = stored.assignments
    assert (after.units, after.work_minutes) == (0.5, 20 * HOUR)  # 5 days at 50%
    assert stored.task(1).work_minutes == 20 * HOUR
    assert costs.project_costs(uow_factory, key, actor=LOCAL).total == 20 * 100


@pytest.mark.parametrize("with_name", [False, True], ids=["duration-alone", "with-a-name"])
def test_a_fixed_work_task_keeps_its_work_and_spreads_its_people(uow_factory, with_name) -> None:
    key = _staffed(uow_factory, TaskType.FIXED_WORK)
    _edit(uow_factory, key, duration="6d", **({"name": "Build racks"} if with_name else {}))

    stored = planning.load(uow_factory, key, actor=LOCAL)
    (after,) = stored.assignments
    assert (after.units, after.work_minutes) == (0.25, 12 * HOUR)  # the same work over 6 days
    assert costs.project_costs(uow_factory, key, actor=LOCAL).total == 12 * 100


def test_a_task_nobody_works_on_has_no_work_to_follow(uow_factory) -> None:
    key = _staffed(uow_factory, TaskType.FIXED_UNITS)
    add_task(uow_factory, key, NewTask(name="Cabling", duration="2d"), actor=LOCAL)
    version = planning.load(uow_factory, key, actor=LOCAL).task(2).version
    planning.update_task(
        uow_factory, key, 2, planning.TaskChanges(duration="4d"), actor=LOCAL, version=version
    )
    stored = planning.load(uow_factory, key, actor=LOCAL)
    assert stored.task(2).work_minutes is None
    assert [a.work_minutes for a in stored.assignments] == [12 * HOUR]  # Build's, untouched
