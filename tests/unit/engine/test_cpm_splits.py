"""Split tasks in the passes: the pauses count in the finish, not in the duration.

Plans start Monday 5 January 2026 08:00 on the Standard calendar (Mon-Fri 08:00-17:00).
"""

from __future__ import annotations

from datetime import datetime

from steerco.domain import Dependency, Duration, Lag, Project, Task, TimeUnit
from steerco.domain.dependency import LinkType
from steerco.engine import build_snapshot, schedule
from steerco.engine.incremental import Rescheduler

D = 480


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 1, day, hour)


def plan(*, before: int = 0, lag: Lag | None = None) -> Project:
    """Optional predecessor P (`before` working minutes), then A: 4 days with a 1-day pause
    after its first 2 days, then B (1 day), linked finish-to-start with `lag`."""
    project = Project(name="Plan", key="PL", start=at(5, 8))
    if before:
        project.tasks.append(Task(uid=9, name="P", duration=Duration(before)))
    project.tasks.append(Task(uid=1, name="A", duration=Duration(4 * D), splits=((2 * D, D),)))
    project.tasks.append(Task(uid=2, name="B", duration=Duration(D)))
    if before:
        project.add_dependency(Dependency(9, 1))
    project.add_dependency(Dependency(1, 2, LinkType.FS, lag or Lag(0)))
    return project


def test_the_pause_lengthens_the_span_not_the_duration() -> None:
    t = schedule(plan()).tasks
    # Mon, Tue at work, Wed paused, Thu, Fri at work.
    assert (t[1].start, t[1].finish) == (at(5, 8), at(9, 17))
    assert (t[2].start, t[2].finish) == (at(12, 8), at(12, 17))


def test_the_pause_moves_with_the_task_in_working_time() -> None:
    # P takes Mon-Tue; A starts Wed, works Wed-Thu, pauses Fri, works Mon-Tue.
    t = schedule(plan(before=2 * D)).tasks
    assert (t[1].start, t[1].finish) == (at(7, 8), at(13, 17))
    assert t[2].start == at(14, 8)


def test_a_percent_lag_is_a_share_of_the_duration_without_the_pause() -> None:
    # 50% of A's 4 days is 2 days (not 2.5): A ends Fri 9, B starts Wed 14.
    t = schedule(plan(lag=Lag(0, TimeUnit.PERCENT, percent=50.0))).tasks
    assert t[2].start == at(14, 8)


def test_the_late_dates_keep_the_pause() -> None:
    t = schedule(plan()).tasks
    assert t[1].late_finish == at(9, 17)
    assert t[1].late_start == at(5, 8)
    assert t[1].total_slack == 0


def test_shortening_below_the_pause_drops_it_and_lengthening_brings_it_back() -> None:
    resched = Rescheduler(build_snapshot(plan()))
    resched.set_duration(1, 2 * D)  # the pause came after 2 days: nothing left to pause
    assert resched.result().tasks[1].finish == at(6, 17)
    resched.set_duration(1, 3 * D)
    assert resched.result().tasks[1].finish == at(8, 17)  # Mon, Tue, (Wed), Thu


def test_an_unsplit_task_is_scheduled_as_before() -> None:
    project = plan()
    project.tasks[0].splits = ()
    assert schedule(project).tasks[1].finish == at(8, 17)


def test_the_result_says_where_each_pause_falls() -> None:
    # Work Mon-Tue, pause Wed: from Tue 17:00 to Thu 08:00.
    assert schedule(plan()).pauses == {1: ((at(6, 17), at(8, 8)),)}
    # Behind P (Mon-Tue): work Wed-Thu, pause Fri, so from Thu 17:00 to Mon 08:00.
    assert schedule(plan(before=2 * D)).pauses == {1: ((at(8, 17), at(12, 8)),)}


def test_several_pauses_fall_after_the_work_done_before_each() -> None:
    project = plan()
    project.tasks[0].splits = ((D, D), (3 * D, 2 * D))  # Mon, (Tue), Wed-Thu, (Fri-Mon), Tue
    result = schedule(project)
    assert result.pauses[1] == ((at(5, 17), at(7, 8)), (at(8, 17), at(13, 8)))
    assert result.tasks[1].finish == at(13, 17)
