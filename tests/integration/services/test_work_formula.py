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


def _team(uow_factory, task_type: TaskType, *, driven: bool) -> str:
    """Build (4d) with Ana and Bob both full time, added one after the other."""
    key = projects.create_project(
        uow_factory, "Rollout", actor=LOCAL, today=date(2026, 11, 23), start=date(2026, 11, 23)
    ).key
    spec = NewTask(name="Build", duration="4d", task_type=task_type, effort_driven=driven)
    add_task(uow_factory, key, spec, actor=LOCAL)
    for name in ("Ana", "Bob"):
        resources.add_resource(uow_factory, key, name, actor=LOCAL, now=NOW)
        resources.assign(uow_factory, key, "Build", name, actor=LOCAL, now=NOW)
    return key


def _find(task: str, resource: str):
    return resources.by_refs(task, resource)


def test_taking_a_resource_off_an_effort_driven_task_gives_the_others_its_work(uow_factory):
    key = _team(uow_factory, TaskType.FIXED_UNITS, driven=True)
    assert planning.load(uow_factory, key, actor=LOCAL).task(1).duration.minutes == 2 * 480

    gone = resources.unassign(uow_factory, key, _find("Build", "Bob"), actor=LOCAL, now=NOW)

    stored = planning.load(uow_factory, key, actor=LOCAL)
    assert gone.resource_uid == 2
    assert [(a.resource_uid, a.work_minutes) for a in stored.assignments] == [(1, 32 * HOUR)]
    assert stored.task(1).duration.minutes == 4 * 480  # Ana alone: 32 h take 4 days again
    assert stored.task(1).work_minutes == 32 * HOUR
    assert stored.task(1).finish == datetime(2026, 11, 26, 17, 0)


def test_new_units_keep_the_work_or_the_dates_by_task_type(uow_factory):
    key = _team(uow_factory, TaskType.FIXED_UNITS, driven=False)  # 4d, 32 h each
    changed = resources.change_units(
        uow_factory, key, _find("Build", "Ana"), "50%", actor=LOCAL, now=NOW
    )
    assert (changed.units, changed.work_minutes) == (0.5, 32 * HOUR)
    assert planning.load(uow_factory, key, actor=LOCAL).task(1).duration.minutes == 8 * 480

    fixed = _team(uow_factory, TaskType.FIXED_DURATION, driven=False)
    changed = resources.change_units(
        uow_factory, fixed, _find("Build", "Ana"), "50%", actor=LOCAL, now=NOW
    )
    assert (changed.units, changed.work_minutes) == (0.5, 16 * HOUR)
    assert planning.load(uow_factory, fixed, actor=LOCAL).task(1).duration.minutes == 4 * 480


def test_assignment_changes_are_audited_and_checked(uow_factory):
    from steerco.domain import NotFound, ValidationError
    from steerco.services import audit

    key = _team(uow_factory, TaskType.FIXED_UNITS, driven=False)
    resources.change_units(uow_factory, key, _find("1", "Ana"), "75%", actor=LOCAL, now=NOW)
    resources.unassign(uow_factory, key, _find("Build", "Bob"), actor=LOCAL, now=NOW)
    project_id = planning.load(uow_factory, key, actor=LOCAL).id
    with uow_factory(write=False) as uow:
        actions = [e.action for e in audit.for_project(uow, project_id)]
    assert "assignment.changed" in actions and "assignment.removed" in actions

    with pytest.raises(NotFound, match="Bob is not assigned"):
        resources.unassign(uow_factory, key, _find("Build", "Bob"), actor=LOCAL, now=NOW)
    with pytest.raises(ValidationError):
        resources.change_units(uow_factory, key, _find("Build", "Ana"), "0%", actor=LOCAL, now=NOW)
    stored = planning.load(uow_factory, key, actor=LOCAL)
    assert [(a.resource_uid, a.units) for a in stored.assignments] == [(1, 0.75)]  # untouched


@pytest.mark.parametrize("effort_driven", [False, True], ids=["plain", "effort-driven"])
def test_assigning_keeps_the_tasks_work_the_sum_of_its_assignments(
    uow_factory, effort_driven
) -> None:
    key = projects.create_project(
        uow_factory, "Data centre move", actor=LOCAL, today=date(2026, 11, 23),
        start=date(2026, 11, 23),
    ).key  # fmt: skip
    add_task(
        uow_factory, key, NewTask(name="Build", duration="4d", effort_driven=effort_driven),
        actor=LOCAL,
    )  # fmt: skip
    for name in ("Ana", "Ben"):
        resources.add_resource(uow_factory, key, name, actor=LOCAL, now=NOW)
    resources.assign(uow_factory, key, "Build", "Ana", actor=LOCAL, now=NOW)
    assert planning.load(uow_factory, key, actor=LOCAL).task(1).work_minutes == 32 * HOUR

    resources.assign(uow_factory, key, "Build", "Ben", units="50%", actor=LOCAL, now=NOW)

    stored = planning.load(uow_factory, key, actor=LOCAL)
    work = [a.work_minutes for a in stored.assignments]
    assert stored.task(1).work_minutes == sum(work)
    # Effort-driven: the 32 h are shared out; otherwise Ben brings 16 h of his own.
    assert sum(work) == (32 if effort_driven else 48) * HOUR
