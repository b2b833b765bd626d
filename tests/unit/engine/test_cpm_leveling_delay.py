"""MS Project's leveling delay in the CPM passes: added after links and constraints.

Plans start Monday 5 January 2026 08:00 on the Standard calendar (Mon-Fri 08:00-17:00).
"""

from __future__ import annotations

from datetime import datetime

from steerco.domain import ConstraintType, Dependency, Duration, Project, Task, TimeUnit
from steerco.engine import schedule
from steerco.engine.result import DriverKind

D = 480


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 1, day, hour)


def chain(delay: Duration | None, **kw: object) -> Project:
    project = Project(name="Plan", key="PL", start=at(5, 8))
    project.tasks.append(Task(uid=1, name="A", duration=Duration(2 * D)))
    project.tasks.append(Task(uid=2, name="B", duration=Duration(D), leveling_delay=delay, **kw))  # type: ignore[arg-type]
    project.tasks.append(Task(uid=3, name="C", duration=Duration(D)))
    project.add_dependency(Dependency(1, 2))
    project.add_dependency(Dependency(2, 3))
    return project


def test_elapsed_delay_counts_calendar_days_from_the_start_links_give() -> None:
    # A ends Tue 17:00, so B could start Wed 08:00; 5ed later is Mon 12 Jan 08:00.
    result = schedule(chain(Duration(5 * 1440, TimeUnit.DAY, elapsed=True)))
    b = result.tasks[2]
    assert (b.start, b.finish) == (at(12, 8), at(12, 17))
    assert b.driver.kind is DriverKind.LEVELING
    assert result.tasks[3].start == at(13, 8)  # successors follow the delayed task


def test_working_delay_counts_working_time() -> None:
    result = schedule(chain(Duration(3 * D, TimeUnit.DAY)))
    assert result.tasks[2].start == at(12, 8)  # Wed + 3 working days = next Mon


def test_delay_comes_after_a_start_no_earlier_than_constraint() -> None:
    project = chain(
        Duration(1440, TimeUnit.DAY, elapsed=True),
        constraint=ConstraintType.SNET,
        constraint_date=at(8, 8),
    )
    assert schedule(project).tasks[2].start == at(9, 8)


def test_zero_delay_changes_nothing() -> None:
    assert schedule(chain(Duration(0, TimeUnit.DAY, True))) == schedule(chain(None))


def test_delay_acts_like_lag_for_the_predecessors_late_dates() -> None:
    # B is held 2 working days: A, which drives B through the delay, stays critical.
    result = schedule(chain(Duration(2 * D, TimeUnit.DAY)))
    assert result.tasks[1].total_slack == 0
    assert result.tasks[2].total_slack == 0


def test_delay_on_a_manual_task_is_not_applied() -> None:
    project = chain(Duration(3 * D, TimeUnit.DAY), manual=True, start=at(7, 8), finish=at(7, 17))
    assert schedule(project).tasks[2].start == at(7, 8)
