"""MS Project's rules where wall-clock time meets working time: elapsed durations with FF, SF
and finish constraints, ALAP tasks and milestones at day boundaries. Each expected date is
also what MPXJ's MicrosoftScheduler gives (tests/integration/engine/test_mpxj_peer.py)."""

from __future__ import annotations

from datetime import datetime

from steerco.domain import ConstraintType, Dependency, Duration, Lag, LinkType, Project, Task
from steerco.domain.duration import TimeUnit
from steerco.engine import schedule

D = 480


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute)


def plan(*durations: int | Duration) -> Project:
    project = Project(name="Plan", key="PL", start=at(5, 8))
    for uid, value in enumerate(durations, start=1):
        duration = value if isinstance(value, Duration) else Duration(value)
        task = Task(uid=uid, name=f"T{uid}", duration=duration)
        task.milestone = duration.minutes == 0
        project.tasks.append(task)
    return project


def elapsed(minutes: int) -> Duration:
    return Duration(minutes, TimeUnit.HOUR, elapsed=True)


def link(project: Project, a: int, b: int, kind: LinkType, lag: Lag | None = None) -> None:
    project.add_dependency(Dependency(a, b, kind, lag or Lag()))


def test_ff_into_an_elapsed_task_takes_its_duration_off_first_then_adds_the_lag() -> None:
    # T1 ends Fri 17:00; minus 2ed is Wed 17:00; plus 1d is Thu 17:00, so T2 starts Fri 08:00.
    project = plan(5 * D, elapsed(2880))
    link(project, 1, 2, LinkType.FF, Lag(D))
    t = schedule(project).tasks[2]
    assert (t.start, t.finish) == (at(9, 8), at(11, 8))


def test_sf_into_an_elapsed_task_starts_from_the_real_moment() -> None:
    # T1 starts Mon 08:00 (not "Fri 17:00"); 2eh before it is Mon 06:00, so T2 starts Mon 08:00.
    project = plan(D, elapsed(120))
    link(project, 1, 2, LinkType.SF)
    t = schedule(project).tasks[2]
    assert (t.start, t.finish) == (at(5, 8), at(5, 10))


def test_a_milestone_after_an_elapsed_task_sits_at_its_real_finish() -> None:
    # 2ed from Mon 08:00 ends Wed 08:00: a morning, so the FF milestone sits there, not Tue 17:00.
    project = plan(elapsed(2880), 0)
    link(project, 1, 2, LinkType.FF)
    t = schedule(project).tasks[2]
    assert t.start == t.finish == at(7, 8)


def test_elapsed_task_with_a_finish_constraint_finishes_exactly_on_it() -> None:
    project = plan(elapsed(2880))
    project.tasks[0].constraint = ConstraintType.MFO
    project.tasks[0].constraint_date = at(13, 10)
    t = schedule(project).tasks[1]
    assert (t.start, t.finish) == (at(11, 10), at(13, 10))  # Sunday 10:00 to Tuesday 10:00


def test_alap_elapsed_task_ends_at_the_project_finish() -> None:
    project = plan(5 * D, elapsed(1440))
    project.tasks[1].constraint = ConstraintType.ALAP
    t = schedule(project).tasks[2]
    assert (t.start, t.finish) == (at(8, 17), at(9, 17))


def test_alap_milestone_sits_at_the_end_of_the_last_working_day() -> None:
    project = plan(5 * D, 0)
    project.tasks[1].constraint = ConstraintType.ALAP
    t = schedule(project).tasks[2]
    assert t.start == t.finish == at(9, 17)  # Friday 17:00, not Monday 08:00


def test_ff_milestone_held_at_the_project_start_shows_the_morning() -> None:
    # T2 is pulled before the project start by an SF link; the FF milestone after it is held
    # at the project start, Monday 08:00 (not Friday 17:00).
    project = plan(D, 4 * 60, 0)
    link(project, 1, 2, LinkType.SF)
    link(project, 2, 3, LinkType.FF)
    t = schedule(project).tasks
    assert (t[2].start, t[2].finish) == (at(2, 13), at(2, 17))
    assert t[3].start == t[3].finish == at(5, 8)


def test_late_finish_through_an_elapsed_ff_lag_starts_from_the_late_finish() -> None:
    # T2 may finish Fri 17:00 at the latest; T1 must finish a day (24h) before: Thu 17:00.
    project = plan(D, D, 5 * D)
    link(project, 1, 2, LinkType.FF, Lag(1440, TimeUnit.DAY, elapsed=True))
    t = schedule(project).tasks[1]
    assert t.late_finish == at(8, 17)
