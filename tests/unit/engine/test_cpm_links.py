"""Link types, lags, milestones, calendars and drivers on small hand-built plans.

The plans start Monday 5 January 2026 08:00 on the Standard calendar (08:00-12:00,
13:00-17:00, Monday to Friday), the dates MS Project would show for the same input.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from steerco.domain import (
    Assignment,
    Calendar,
    DayPattern,
    Dependency,
    DependencyCycle,
    Duration,
    Lag,
    LinkType,
    Project,
    Resource,
    Task,
    WorkingTime,
)
from steerco.domain.calendar import twenty_four_hour_calendar
from steerco.engine import schedule
from steerco.engine.result import DriverKind

D = 480


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, day, hour, minute)


def plan(*durations: int, **kw: object) -> Project:
    project = Project(name="Plan", key="PL", start=at(5, 8), **kw)  # type: ignore[arg-type]
    for uid, minutes in enumerate(durations, start=1):
        project.tasks.append(Task(uid=uid, name=f"T{uid}", duration=Duration(minutes)))
    return project


def link(project: Project, a: int, b: int, kind: LinkType = LinkType.FS, lag: str = "") -> None:
    project.add_dependency(Dependency(a, b, kind, Lag.parse(lag)))


def dates(project: Project, uid: int) -> tuple[datetime, datetime]:
    times = schedule(project).tasks[uid]
    return times.start, times.finish


@pytest.mark.parametrize(
    ("kind", "lag", "start", "finish"),
    [
        (LinkType.FS, "", at(7, 8), at(7, 17)),
        (LinkType.FS, "1d", at(8, 8), at(8, 17)),
        (LinkType.FS, "-1d", at(6, 8), at(6, 17)),
        (LinkType.FS, "50%", at(8, 8), at(8, 17)),
        (LinkType.SS, "", at(5, 8), at(5, 17)),
        (LinkType.SS, "4h", at(5, 13), at(6, 12)),
        (LinkType.FF, "", at(6, 8), at(6, 17)),
        (LinkType.FF, "1d", at(7, 8), at(7, 17)),
        (LinkType.SF, "3d", at(7, 8), at(7, 17)),
    ],
)
def test_link_types_and_lags(kind: LinkType, lag: str, start: datetime, finish: datetime) -> None:
    project = plan(2 * D, D)
    link(project, 1, 2, kind, lag)
    assert dates(project, 2) == (start, finish)


def test_elapsed_lag_runs_through_the_weekend() -> None:
    project = plan(5 * D, D)
    link(project, 1, 2, lag="2ed")  # Fri 17:00 + 48h = Sun 17:00 -> Monday
    assert dates(project, 2) == (at(12, 8), at(12, 17))
    project = plan(4 * D, D)
    link(project, 1, 2, lag="1ed")  # Thu 17:00 + 24h = Fri 17:00 -> Monday
    assert dates(project, 2) == (at(12, 8), at(12, 17))


def test_elapsed_duration_ignores_the_calendar() -> None:
    project = plan(0)
    project.tasks[0].duration = Duration(3 * 1440, elapsed=True)
    assert dates(project, 1) == (at(5, 8), at(8, 8))


def test_milestone_sits_at_the_end_of_its_predecessor() -> None:
    project = plan(2 * D, 0, D)
    project.tasks[1].milestone = True
    link(project, 1, 2)
    link(project, 2, 3)
    assert dates(project, 2) == (at(6, 17), at(6, 17))
    assert dates(project, 3) == (at(7, 8), at(7, 17))


def test_milestone_at_project_start() -> None:
    project = plan(0)
    assert dates(project, 1) == (at(5, 8), at(5, 8))


def test_project_start_in_the_evening_moves_to_next_working_time() -> None:
    project = plan(D)
    project.start = at(5, 18)
    assert dates(project, 1) == (at(6, 8), at(6, 17))


def test_task_calendar_and_cross_calendar_links() -> None:
    project = plan(D, 2 * 60, D)
    project.calendars.append(twenty_four_hour_calendar(2))
    project.tasks[1].calendar_uid = 2
    link(project, 1, 2)
    link(project, 2, 3)
    # T2 works through the evening on the 24-hour calendar; T3 resumes next morning.
    assert dates(project, 2) == (at(5, 17), at(5, 19))
    assert dates(project, 3) == (at(6, 8), at(6, 17))


def test_resource_calendar_intersects_the_task_calendar() -> None:
    project = plan(D)
    mornings = DayPattern(True, (WorkingTime(480, 720),))
    inherit = DayPattern(None)
    project.calendars.append(
        Calendar(2, "Mornings", week=(mornings,) * 5 + (inherit,) * 2, base_uid=1, is_base=False)
    )
    project.resources.append(Resource(1, "Ann", calendar_uid=2))
    project.assignments.append(Assignment(1, task_uid=1, resource_uid=1))
    assert dates(project, 1) == (at(5, 8), at(6, 12))
    project.tasks[0].ignore_resource_calendar = True
    assert dates(project, 1) == (at(5, 8), at(5, 17))


def test_cycle_names_the_tasks() -> None:
    project = plan(D, D, D)
    link(project, 1, 2)
    link(project, 2, 3)
    project.dependencies.append(Dependency(3, 1))  # bypass the domain's own check
    with pytest.raises(DependencyCycle) as err:
        schedule(project)
    assert set(err.value.tasks) == {"T1", "T2", "T3"}
    assert err.value.tasks[0] == err.value.tasks[-1]


def test_slack_critical_path_and_drivers() -> None:
    project = plan(3 * D, D, D, D)
    link(project, 1, 4)
    link(project, 2, 3)
    link(project, 3, 4, lag="1d")
    result = schedule(project)
    t = result.tasks
    assert result.critical_path == [1, 2, 3, 4]  # T2 + T3 + 1d lag ties T1's 3 days
    assert result.finish == at(8, 17)
    assert t[1].total_slack == 0 and t[1].critical
    assert t[2].free_slack == 0
    assert t[3].total_slack == 0 and t[3].critical  # 1d + 1d lag = 3d: tied with T1
    assert t[4].driver.kind is DriverKind.PREDECESSOR
    assert t[4].driver.task_uid in (1, 3)
    assert t[1].driver.kind is DriverKind.PROJECT_START
    assert "T1" in t[4].driver.explanation or "T3" in t[4].driver.explanation


def test_free_slack_of_a_short_branch() -> None:
    project = plan(3 * D, D, D)
    link(project, 1, 3)
    link(project, 2, 3)
    t = schedule(project).tasks
    assert t[2].free_slack == 2 * D
    assert t[2].total_slack == 2 * D
    assert not t[2].critical
