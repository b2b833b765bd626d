"""services.leveling on small hand-built plans (Standard calendar, from Mon 5 Jan 2026)."""

from __future__ import annotations

from datetime import datetime

import pytest

from steerco.domain import (
    Assignment,
    Calendar,
    CalendarException,
    ConstraintType,
    Dependency,
    Duration,
    Project,
    Resource,
    ResourceKind,
    Task,
    ValidationError,
)
from steerco.engine import schedule
from steerco.engine.result import DriverKind
from steerco.services.leveling import LevelingFailed, level_project

D = 480


def at(day: int, hour: int = 8) -> datetime:
    return datetime(2026, 1, day, hour)


def plan(*tasks: tuple[str, int], units: float = 1.0, max_units: float = 1.0) -> Project:
    """Tasks (name, working minutes), each assigned to Ana at `units`."""
    p = Project(name="Plan", key="PL", start=at(5))
    p.resources.append(Resource(uid=1, name="Ana", max_units=max_units))
    for uid, (name, minutes) in enumerate(tasks, start=1):
        p.tasks.append(Task(uid=uid, name=name, duration=Duration(minutes)))
        p.assignments.append(Assignment(uid, uid, 1, units))
    return p


def test_two_tasks_for_one_person_run_one_after_the_other() -> None:
    p = plan(("Spec", 3 * D), ("Mockups", 2 * D))
    out = level_project(p, time_limit=2)
    a, b = out.result.tasks[1], out.result.tasks[2]
    assert a.finish <= b.start or b.finish <= a.start
    assert out.result.finish == at(9, 17)
    assert out.status == "optimal" and out.period_minutes % D == 0 and out.exact
    (moved,) = out.delayed
    assert moved.explanation.startswith(f"delayed {moved.delay_text}: Ana over-allocated ")
    other = "Spec" if moved.name == "Mockups" else "Mockups"
    assert moved.explanation.endswith(f"by {other}")
    # MS Project's way: a leveling delay in elapsed days, applied by the engine itself.
    task = p.task(moved.uid)
    assert task.leveling_delay is not None and task.leveling_delay.elapsed
    again = schedule(p).tasks[moved.uid]
    assert (again.start, again.driver.kind) == (moved.start_after, DriverKind.LEVELING)
    assert (task.start, task.finish) == (again.start, again.finish)


def test_explanation_names_the_days() -> None:
    p = plan(("Spec", 3 * D), ("Mockups", 2 * D))
    p.task(1).priority = 900  # Spec keeps its place, Mockups waits Mon-Wed
    out = level_project(p, time_limit=2)
    (moved,) = out.delayed
    assert moved.name == "Mockups"
    assert moved.explanation == "delayed 3d: Ana over-allocated 5-7 Jan by Spec"


def test_a_task_needing_more_than_max_units_is_refused() -> None:
    p = plan(("Spec", D), units=2.0)
    with pytest.raises(ValidationError, match="needs 200% of 'Ana'.*100%"):
        level_project(p)


def test_half_time_people_can_share() -> None:
    p = plan(("Spec", D), ("Mockups", D), units=0.5)
    out = level_project(p, time_limit=1)
    assert out.delayed == ()


def test_fixed_tasks_do_not_move() -> None:
    p = plan(("A", 2 * D), ("B", 2 * D), ("C", 2 * D), ("D", 2 * D))
    p.task(1).priority = 1000
    p.task(2).manual = True
    p.task(2).start, p.task(2).finish = at(7), at(8, 17)
    p.task(3).constraint, p.task(3).constraint_date = ConstraintType.MSO, at(9)
    before = schedule(p)
    out = level_project(p, time_limit=2)
    for uid in (1, 2, 3):
        assert out.result.tasks[uid].start == before.tasks[uid].start
    assert [d.name for d in out.delayed] == ["D"]


def test_material_resources_and_summaries_are_ignored() -> None:
    p = plan(("Spec", D))
    p.resources.append(Resource(uid=2, name="Paper", kind=ResourceKind.MATERIAL, max_units=0))
    p.assignments.append(Assignment(9, 1, 2, 10.0))
    phase = Task(uid=10, name="Phase", summary=True)
    p.tasks.insert(0, phase)
    p.task(1).outline_level = 2
    assert level_project(p).delayed == ()


def test_a_resource_that_cannot_level_stays_over_allocated() -> None:
    """MS Project's Can Level off: the room is double-booked on purpose, nobody waits for
    it; Ana, who can be leveled, still gets her tasks one after the other."""
    p = plan(("Spec", 2 * D), ("Mockups", 2 * D), ("Review", D))
    p.resources.append(Resource(uid=2, name="Room", can_level=False))
    p.assignments.pop()  # Review: the room only, booked with Spec
    p.assignments += [Assignment(3, 3, 2), Assignment(4, 1, 2)]
    out = level_project(p, time_limit=1)
    assert [m.name for m in out.delayed] in (["Spec"], ["Mockups"])  # Ana's two, not Review
    assert out.result.tasks[3].start == at(5)
    assert "Room" not in out.delayed[0].explanation
    assert out.unleveled == ("Room",)  # said so, where the delays are shown

    p.resources[1].can_level = True
    again = level_project(p, time_limit=1)
    assert {m.name for m in again.delayed} & {"Spec", "Review"}  # now the room counts too
    assert again.unleveled == ()


def test_can_level_off_on_every_resource_is_nobodys_choice_and_levels() -> None:
    """Files from writers that never set the flag carry 0 on every resource (MPXJ): such a
    plan is leveled like any other."""
    p = plan(("Spec", 3 * D), ("Mockups", 2 * D))
    p.resources[0].can_level = False
    out = level_project(p, time_limit=1)
    assert len(out.delayed) == 1 and out.unleveled == ()
    a, b = out.result.tasks[1], out.result.tasks[2]
    assert a.finish <= b.start or b.finish <= a.start


def test_links_into_a_summary_bind_its_subtasks() -> None:
    p = plan(("Design", 2 * D), ("Build", D), ("Other", 2 * D))
    p.tasks.insert(1, Task(uid=10, name="Phase", summary=True))
    p.task(2).outline_level = 2
    p.dependencies.append(Dependency(1, 10))
    out = level_project(p, time_limit=2)
    res = out.result.tasks
    assert res[2].start >= res[1].finish
    spans = sorted((res[u].start, res[u].finish) for u in (1, 2, 3))
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_deadlines_hold_or_leveling_says_so() -> None:
    p = plan(("Spec", 2 * D), ("Mockups", 2 * D))
    p.task(2).deadline = at(6, 17)  # Mockups first, then Spec
    out = level_project(p, time_limit=2)
    assert out.result.tasks[2].finish <= at(6, 17)
    p = plan(("Spec", 2 * D), ("Mockups", 2 * D))
    p.task(1).deadline = at(6, 17)
    p.task(2).deadline = at(6, 17)
    with pytest.raises(LevelingFailed):
        level_project(p, time_limit=1)


def test_within_slack_never_moves_the_finish() -> None:
    p = plan(("Long", 4 * D), ("Short", D))
    p.resources.append(Resource(uid=2, name="Bo", max_units=1.0))
    p.tasks.append(Task(uid=3, name="Other", duration=Duration(2 * D)))
    p.assignments = [Assignment(1, 1, 2, 1.0), Assignment(2, 2, 1, 1.0), Assignment(3, 3, 1, 1.0)]
    before = schedule(p).finish
    out = level_project(p, time_limit=1, within_slack=True)
    assert out.result.finish == before and len(out.delayed) == 1
    p = plan(("A", 2 * D), ("B", 2 * D))
    with pytest.raises(LevelingFailed):
        level_project(p, time_limit=1, within_slack=True)


def test_hours_give_a_finer_period_and_exact_dates() -> None:
    p = plan(("Call", 90), ("Mail", 30), ("Notes", 4 * 60))
    out = level_project(p, time_limit=1)
    assert out.period_minutes == 30 and out.exact
    spans = sorted((t.start, t.finish) for t in out.result.tasks.values())
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert out.result.finish == at(5, 15)  # 6 hours of Ana from 08:00, lunch 12-13


def test_a_resource_calendar_still_gives_a_sound_plan() -> None:
    p = plan(("Spec", 2 * D), ("Mockups", 2 * D))
    off = Calendar(2, "Ana", base_uid=1, exceptions=[CalendarException(at(6).date(), at(6).date())])
    p.calendars.append(off)
    p.resources[0].calendar_uid = 2
    out = level_project(p, time_limit=1)
    a, b = out.result.tasks[1], out.result.tasks[2]
    assert a.finish <= b.start or b.finish <= a.start


def test_same_seed_same_plan_and_relevel_is_stable() -> None:
    def make() -> Project:
        return plan(*[(f"T{i}", (i % 3 + 1) * D) for i in range(8)], max_units=2.0)

    first = level_project(make(), time_limit=1, seed=3)
    second = level_project(make(), time_limit=1, seed=3)
    assert [(d.uid, d.start_after) for d in first.delayed] == [
        (d.uid, d.start_after) for d in second.delayed
    ]
    p = make()
    level_project(p, time_limit=1, seed=3)
    again = level_project(p, time_limit=1, seed=3)  # old delays are cleared first
    assert again.result.finish == first.result.finish


def test_time_limit_must_be_positive() -> None:
    with pytest.raises(ValidationError):
        level_project(plan(("A", D)), time_limit=0)


def test_finished_work_is_history() -> None:
    # Two finished tasks overlapped last week; leveling today's work must not trip on that.
    p = plan(("Old 1", D), ("Old 2", D), ("New 1", D), ("New 2", D))
    for uid in (1, 2):
        t = p.task(uid)
        t.actual_start, t.actual_finish, t.percent_complete = at(5), at(5, 17), 100
    p.dependencies += [Dependency(1, 3), Dependency(2, 4)]
    out = level_project(p, time_limit=1)
    new1, new2 = out.result.tasks[3], out.result.tasks[4]
    assert new1.finish <= new2.start or new2.finish <= new1.start
    assert [d.name for d in out.delayed] in (["New 1"], ["New 2"])


def test_a_file_without_its_project_calendar_uses_the_standard_one() -> None:
    p = plan(("Spec", 3 * D), ("Mockups", 2 * D))
    p.calendars = []  # as in a hand-made or converted file
    out = level_project(p, time_limit=1)
    assert out.result.finish == at(9, 17)


def review_and_build() -> Project:
    """Review is pinned to Wed 7 Jan; Build (4 days) needs Ana too."""
    p = plan(("Review", D), ("Build", 4 * D))
    p.tasks[0].constraint, p.tasks[0].constraint_date = ConstraintType.MSO, at(7)
    return p


def test_without_splitting_a_task_waits_for_the_whole_of_its_work() -> None:
    out = level_project(review_and_build(), time_limit=2)
    assert (out.result.tasks[2].start, out.result.tasks[2].finish) == (at(8), at(13, 17))
    assert out.split == () and out.result.pauses == {}


def test_leveling_may_split_a_task_around_anothers_work() -> None:
    p = review_and_build()
    out = level_project(p, time_limit=2, split=True)
    build = out.result.tasks[2]
    # Mon-Tue at work, paused Wed for the review, Thu-Fri at work: done 2 working days earlier.
    assert (build.start, build.finish) == (at(5), at(9, 17))
    assert out.result.pauses == {2: ((at(6, 17), at(8)),)}
    assert p.task(2).splits == ((2 * D, D),) and p.task(2).leveling_delay is None
    (split,) = out.split
    assert split.name == "Build"
    assert split.explanation == "split: paused 7 Jan: Ana over-allocated by Review"
    assert out.delayed == ()
    again = schedule(p)  # the plan itself holds the split: the engine gives the same dates
    assert (again.tasks[2].start, again.tasks[2].finish) == (at(5), at(9, 17))


def test_a_task_whose_flag_says_it_cannot_split_is_not_split() -> None:
    p = review_and_build()
    p.tasks[1].extras.append("<LevelingCanSplit>0</LevelingCanSplit>")
    out = level_project(p, time_limit=2, split=True)
    assert out.split == () and out.result.tasks[2].start == at(8)


def test_splitting_again_clears_the_old_splits_first() -> None:
    p = review_and_build()
    level_project(p, time_limit=2, split=True)
    p.tasks[0].constraint_date = at(12)  # the review moves to next Monday: no pause needed
    out = level_project(p, time_limit=2, split=True)
    assert p.task(2).splits == () and out.result.tasks[2].finish == at(8, 17)


def test_leveling_without_splitting_leaves_a_level_split_plan_alone() -> None:
    # Already level thanks to its pause: nothing is moved, although the search itself holds a
    # split task busy through its pauses (it places each task in one piece).
    p = review_and_build()
    level_project(p, time_limit=2, split=True)
    out = level_project(p, time_limit=2)
    assert out.delayed == () and out.result.tasks[2].finish == at(9, 17)
    assert p.task(2).splits == ((2 * D, D),)


def test_a_file_leveled_with_splits_carries_them_in_its_timephased_rows() -> None:
    from steerco.interop.mspdi import read_mspdi, write_mspdi
    from steerco.services.leveling import level_file

    done = level_file(write_mspdi(review_and_build()), max_bytes=1 << 20, time_limit=2, split=True)
    xml = done.output.decode()
    # MS Project's form: the assignment's remaining work, with a zero row where it pauses.
    assert (
        "<TimephasedData><Type>1</Type><UID>2</UID><Start>2026-01-06T17:00:00</Start>"
        "<Finish>2026-01-08T08:00:00</Finish><Unit>2</Unit><Value>PT0H0M0S</Value>"
    ) in xml
    back = read_mspdi(done.output)
    assert back.task(2).splits == ((2 * D, D),)
    assert schedule(back).tasks[2].finish == at(9, 17)
    # Leveled again with the review moved away, the pause goes, from the rows too.
    back.tasks[0].constraint_date = at(12)
    undone = level_file(write_mspdi(back), max_bytes=1 << 20, time_limit=2, split=True)
    assert "PT0H0M0S" not in undone.output.decode()
    assert read_mspdi(undone.output).task(2).splits == ()


def test_the_usage_view_agrees_that_a_split_plan_is_level() -> None:
    from steerco.services.resources import usage

    p = review_and_build()
    out = level_project(p, time_limit=2, split=True)
    seen = usage(p, out.result)
    assert seen.over_allocated == []  # Build books nobody while it pauses
    (ana,) = seen.resources
    wednesday = next(load for load in ana.loads if load.day == at(7).date())
    assert wednesday.tasks == (1,) and wednesday.peak_units == 1.0


def test_a_split_task_costs_its_stretches_at_the_rates_in_force_then() -> None:
    from steerco.domain.resource import CostRate
    from steerco.services.costs import cost_report

    p = review_and_build()
    # Ana's rate rises on Wed 7 Jan, the day Build pauses for the review.
    p.resources[0].rates = (CostRate(standard=100), CostRate(effective=at(7), standard=150))
    out = level_project(p, time_limit=2, split=True)
    costs = cost_report(p, out.result)
    # Build: Mon-Tue (16h) at 100, Thu-Fri (16h) at 150; Review: Wed (8h) at 150.
    assert costs.by_task[2] == 16 * 100 + 16 * 150
    assert costs.by_task[1] == 8 * 150


def test_a_file_levels_the_same_however_long_the_caller_took_before() -> None:
    # `steerco level` passes the wall time left after its start-up as the limit and an
    # estimate as the budget; only the budget may size the search.
    from steerco.interop.mspdi import write_mspdi
    from steerco.interop.psplib import data_root, read_sm, to_project
    from steerco.services.leveling import level_file

    source = data_root() / "psplib" / "j30" / "j3029_8.sm"  # a hard one: the search runs
    if not source.is_file():
        pytest.skip(f"no PSPLIB data at {source.parent}")
    data = write_mspdi(to_project(read_sm(source), at(5)))
    runs = [
        level_file(data, max_bytes=1 << 24, time_limit=limit, budget=0.8, seed=1)
        for limit in (10.0, 20.0)
    ]
    assert runs[0].output == runs[1].output
    assert runs[0].outcome.status == runs[1].outcome.status
