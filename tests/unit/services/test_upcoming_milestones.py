"""The dashboard's and the portfolio's next milestones come from the schedule, not from the
dates last stored on the tasks (which lag behind a change not yet saved back)."""

from __future__ import annotations

from datetime import date, datetime

from steerco.domain import Dependency, Duration, LinkType, Project, Task
from steerco.engine import schedule
from steerco.services.portfolio import upcoming_milestones


def _plan() -> Project:
    project = Project(name="Plan", key="PL", start=datetime(2026, 1, 5, 8))
    project.tasks.append(Task(uid=1, name="Build", duration=Duration(5 * 480)))
    for uid, name in ((2, "Go-live"), (3, "Sign-off")):
        project.tasks.append(Task(uid=uid, name=name, duration=Duration(0), milestone=True))
    project.dependencies.append(Dependency(1, 2, LinkType.FS))
    # What storage still holds from an older schedule: Go-live first, on Monday.
    project.tasks[1].finish = datetime(2026, 1, 5, 8)
    project.tasks[2].finish = datetime(2026, 1, 6, 8)
    return project


def test_milestones_are_ordered_and_dated_by_the_schedule() -> None:
    project = _plan()
    ahead = upcoming_milestones(project, schedule(project), date(2026, 1, 5))
    assert [(m.uid, m.name, m.finish) for m in ahead] == [
        (3, "Sign-off", datetime(2026, 1, 5, 8)),
        (2, "Go-live", datetime(2026, 1, 9, 17)),  # after five days of Build
    ]


def test_only_milestones_still_ahead_and_at_most_the_limit() -> None:
    project = _plan()
    result = schedule(project)
    assert [m.uid for m in upcoming_milestones(project, result, date(2026, 1, 6))] == [2]
    assert [m.uid for m in upcoming_milestones(project, result, date(2026, 1, 5), limit=1)] == [3]
    assert upcoming_milestones(project, result, date(2026, 1, 12)) == []
