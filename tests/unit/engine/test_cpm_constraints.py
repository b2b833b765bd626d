"""Constraints, deadlines, manual tasks, summaries, progress and finish-scheduled projects."""

from __future__ import annotations

from datetime import datetime

from steerco.domain import (
    ConstraintType,
    Dependency,
    Duration,
    Lag,
    LinkType,
    Project,
    Task,
)
from steerco.engine import Rescheduler, build_snapshot, compute, schedule
from steerco.engine.result import DriverKind, ScheduleStatus

D = 480


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute)


def plan(*durations: int) -> Project:
    project = Project(name="Plan", key="PL", start=at(5, 8))
    for uid, minutes in enumerate(durations, start=1):
        project.tasks.append(Task(uid=uid, name=f"T{uid}", duration=Duration(minutes)))
    return project


def constrain(task: Task, kind: ConstraintType, when: datetime) -> None:
    task.constraint, task.constraint_date = kind, when


def test_snet_and_mso_move_a_task() -> None:
    project = plan(D, D)
    constrain(project.tasks[0], ConstraintType.SNET, at(7, 8))
    constrain(project.tasks[1], ConstraintType.MSO, at(8, 13))
    t = schedule(project).tasks
    assert (t[1].start, t[1].finish) == (at(7, 8), at(7, 17))
    assert t[1].driver.kind is DriverKind.CONSTRAINT
    assert (t[2].start, t[2].finish) == (at(8, 13), at(9, 12))


def test_fnet_and_mfo_place_the_finish() -> None:
    project = plan(D, D)
    constrain(project.tasks[0], ConstraintType.FNET, at(8, 17))
    constrain(project.tasks[1], ConstraintType.MFO, at(9, 12))
    t = schedule(project).tasks
    assert (t[1].start, t[1].finish) == (at(8, 8), at(8, 17))
    assert (t[2].start, t[2].finish) == (at(8, 13), at(9, 12))


def test_snlt_is_honoured_over_links_and_shows_negative_slack() -> None:
    project = plan(3 * D, D)
    project.add_dependency(Dependency(1, 2))
    constrain(project.tasks[1], ConstraintType.SNLT, at(6, 8))
    result = schedule(project)
    assert result.tasks[2].start == at(6, 8)  # the constraint wins, as in MS Project
    assert result.status is ScheduleStatus.CONFLICT
    assert result.tasks[1].total_slack == -2 * D
    assert any(c.task_uid == 1 for c in result.conflicts)


def test_fnlt_and_missed_deadline_are_conflicts() -> None:
    project = plan(3 * D, D)
    project.add_dependency(Dependency(1, 2))
    project.tasks[1].deadline = at(7, 17)
    result = schedule(project)
    assert result.tasks[2].finish == at(8, 17)  # a deadline does not move the task
    assert result.tasks[2].total_slack == -D
    assert result.status is ScheduleStatus.CONFLICT
    project.tasks[1].deadline = None
    constrain(project.tasks[1], ConstraintType.FNLT, at(9, 17))
    assert schedule(project).status is ScheduleStatus.OK


def test_alap_task_hugs_its_successor() -> None:
    project = plan(3 * D, D, D)
    project.add_dependency(Dependency(1, 3))
    project.add_dependency(Dependency(2, 3))
    project.tasks[1].constraint = ConstraintType.ALAP
    t = schedule(project).tasks
    assert (t[2].start, t[2].finish) == (at(7, 8), at(7, 17))
    assert (t[3].start, t[3].finish) == (at(8, 8), at(8, 17))


def test_manual_task_is_not_moved() -> None:
    project = plan(D, D)
    project.add_dependency(Dependency(1, 2))
    manual = project.tasks[1]
    manual.manual, manual.start, manual.finish = True, at(5, 9), at(5, 11)
    t = schedule(project).tasks
    assert (t[2].start, t[2].finish) == (at(5, 9), at(5, 11))
    assert t[2].driver.kind is DriverKind.MANUAL


def summary_plan() -> Project:
    project = Project(name="Plan", key="PL", start=at(5, 8))
    project.tasks += [
        Task(uid=1, name="Design", duration=Duration(2 * D)),
        Task(uid=2, name="Build", summary=True),
        Task(uid=3, name="Code", outline_level=2, duration=Duration(D)),
        Task(uid=4, name="Test", outline_level=2, duration=Duration(2 * D)),
        Task(uid=5, name="Ship", duration=Duration(0), milestone=True),
    ]
    project.add_dependency(Dependency(3, 4, LinkType.SS, Lag(240)))
    project.add_dependency(Dependency(1, 2))
    project.add_dependency(Dependency(2, 5))
    return project


def test_links_on_a_summary_bind_its_subtasks_and_it_rolls_up() -> None:
    t = schedule(summary_plan()).tasks
    assert t[3].start == at(7, 8)
    assert t[3].driver.kind is DriverKind.PREDECESSOR and t[3].driver.task_uid == 1
    assert (t[4].start, t[4].finish) == (at(7, 13), at(9, 12))
    assert (t[2].start, t[2].finish) == (at(7, 8), at(9, 12))
    assert t[5].start == at(9, 12)


def test_progress_actuals_are_kept() -> None:
    project = plan(2 * D, 2 * D, D)
    project.add_dependency(Dependency(1, 2))
    project.add_dependency(Dependency(2, 3))
    first, second = project.tasks[0], project.tasks[1]
    first.actual_start, first.actual_finish, first.percent_complete = at(6, 8), at(7, 12), 100
    second.actual_start, second.percent_complete = at(7, 13), 50
    result = schedule(project)
    t = result.tasks
    assert (t[1].start, t[1].finish) == (at(6, 8), at(7, 12))
    assert t[2].start == at(7, 13) and t[2].finish == at(9, 12)
    assert t[2].driver.kind is DriverKind.ACTUAL
    assert t[3].start == at(9, 13)
    assert not t[1].critical  # a finished task is never critical


def test_a_finished_successor_sets_no_late_finish_on_its_predecessor() -> None:
    # T1 -> T2, and T2 is already done (early, against the link): it imposes nothing, so
    # T1 may slip to the project finish that the independent five-day T3 sets.
    project = plan(D, D, 5 * D)
    project.add_dependency(Dependency(1, 2))
    done = project.tasks[1]
    done.actual_start, done.actual_finish, done.percent_complete = at(5, 8), at(5, 17), 100
    t = schedule(project).tasks
    assert t[1].late_finish == at(9, 17)
    assert t[1].total_slack == 4 * D and not t[1].critical


def test_status_date_pushes_remaining_work() -> None:
    project = plan(2 * D, D)
    project.add_dependency(Dependency(1, 2))
    first = project.tasks[0]
    first.actual_start, first.percent_complete = at(5, 8), 50
    t = schedule(project, status_date=at(12, 8)).tasks
    assert t[1].finish == at(12, 17)  # 1d remaining, from the status date
    assert t[2].start == at(13, 8)
    lone = plan(D)
    t = schedule(lone, status_date=at(7, 8)).tasks
    assert t[1].start == at(7, 8) and t[1].driver.kind is DriverKind.STATUS_DATE


def test_schedule_from_finish() -> None:
    project = plan(2 * D, D)
    project.add_dependency(Dependency(1, 2))
    project.schedule_from_start = False
    project.finish = at(16, 17)
    for task in project.tasks:
        task.constraint = ConstraintType.ALAP
    result = schedule(project)
    t = result.tasks
    assert (t[2].start, t[2].finish) == (at(16, 8), at(16, 17))
    assert (t[1].start, t[1].finish) == (at(14, 8), at(15, 17))
    assert result.start == at(14, 8)


def test_incremental_matches_a_full_recompute() -> None:
    project = summary_plan()
    snap = build_snapshot(project)
    resched = Rescheduler(snap)
    state = resched.set_duration(3, 3 * D)
    full = compute(state.snapshot)
    assert state.early.start == full.early.start
    assert state.early.finish == full.early.finish
    assert state.late.start == full.late.start
    assert state.late.finish == full.late.finish
    assert resched.result().tasks[2].finish == at(9, 17)
