"""MS Project's work formula, Work = Duration x Units, for each task type."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steerco.domain import Assignment, Duration, Task, ValidationError
from steerco.domain.effort import add_resource, change_duration, change_units, remove_resource
from steerco.domain.task import TaskType

DAY = 480


def task(days: float, kind: TaskType = TaskType.FIXED_UNITS, driven: bool = False) -> Task:
    return Task(
        uid=1,
        name="Build",
        duration=Duration(round(days * DAY)),
        task_type=kind,
        effort_driven=driven,
    )


def asg(uid: int, units: float = 1.0, work: int | None = None) -> Assignment:
    return Assignment(uid=uid, task_uid=1, resource_uid=uid, units=units, work_minutes=work)


def test_first_resource_books_duration_times_units():
    effect = add_resource(task(4), [], asg(1, 0.5))
    assert effect.duration_minutes == 4 * DAY
    assert effect.assignments[0].work_minutes == 2 * DAY


def test_effort_driven_fixed_units_gets_shorter():
    effect = add_resource(task(4, driven=True), [asg(1)], asg(2))
    assert effect.duration_minutes == 2 * DAY
    assert [a.work_minutes for a in effect.assignments] == [2 * DAY, 2 * DAY]


def test_fixed_work_is_always_effort_driven():
    effect = add_resource(task(3, TaskType.FIXED_WORK), [asg(1)], asg(2, 0.5))
    assert effect.duration_minutes == 2 * DAY  # 24h of work over 150%
    assert [a.work_minutes for a in effect.assignments] == [16 * 60, 8 * 60]


def test_effort_driven_fixed_duration_spreads_people_thinner():
    effect = add_resource(task(4, TaskType.FIXED_DURATION, True), [asg(1)], asg(2))
    assert effect.duration_minutes == 4 * DAY
    assert [a.units for a in effect.assignments] == [0.5, 0.5]
    assert [a.work_minutes for a in effect.assignments] == [2 * DAY, 2 * DAY]


def test_without_effort_driving_a_new_resource_adds_work():
    effect = add_resource(task(4), [asg(1)], asg(2))
    assert effect.duration_minutes == 4 * DAY
    assert sum(a.work_minutes or 0 for a in effect.assignments) == 8 * DAY


def test_duration_and_units_changes_by_type():
    fixed_work = change_duration(task(4, TaskType.FIXED_WORK), [asg(1, 1.0, 4 * DAY)], 8 * DAY)
    assert fixed_work.assignments[0].units == 0.5
    fixed_units = change_duration(task(4), [asg(1, 0.5)], 2 * DAY)
    assert fixed_units.assignments[0].work_minutes == DAY
    longer = change_units(task(4), [asg(1, 1.0, 4 * DAY)], 1, 0.5)
    assert longer.duration_minutes == 8 * DAY
    same = change_units(task(4, TaskType.FIXED_DURATION), [asg(1, 1.0, 4 * DAY)], 1, 0.5)
    assert same.duration_minutes == 4 * DAY and same.assignments[0].work_minutes == 2 * DAY
    with pytest.raises(ValidationError):
        change_units(task(4), [asg(1)], 9, 0.5)
    with pytest.raises(ValidationError):
        add_resource(task(4), [], asg(1, 0.0))


units = st.sampled_from([0.25, 0.5, 0.75, 1.0, 1.5, 2.0])


@given(
    st.integers(1, 40 * DAY),
    st.lists(units, min_size=1, max_size=5),
    units,
    st.sampled_from(list(TaskType)),
)
def test_effort_driven_keeps_total_work_and_never_overbooks(minutes, existing, new, kind):
    t = Task(uid=1, name="T", duration=Duration(minutes), task_type=kind, effort_driven=True)
    current = [asg(i + 1, u) for i, u in enumerate(existing)]
    before = sum(round(minutes * u) for u in existing)
    effect = add_resource(t, current, asg(99, new))
    after = sum(a.work_minutes or 0 for a in effect.assignments)
    assert abs(after - before) <= len(effect.assignments)  # rounding only
    for a in effect.assignments:
        # Nobody works more than their units allow over the task's duration.
        assert (a.work_minutes or 0) <= effect.duration_minutes * a.units + 1
    if kind is TaskType.FIXED_DURATION:
        assert effect.duration_minutes == minutes
    else:
        assert effect.duration_minutes <= minutes


def test_removing_a_resource_from_an_effort_driven_task_gives_the_others_its_work():
    both = add_resource(task(4, driven=True), [asg(1)], asg(2)).assignments  # 2 days each
    effect = remove_resource(task(2, driven=True), both, 2)
    assert effect.duration_minutes == 4 * DAY  # Ana alone again, as before Bob joined
    assert [(a.uid, a.work_minutes) for a in effect.assignments] == [(1, 4 * DAY)]


def test_removing_a_resource_from_a_fixed_duration_task_thickens_the_others():
    both = add_resource(task(4, TaskType.FIXED_DURATION, True), [asg(1)], asg(2)).assignments
    effect = remove_resource(task(4, TaskType.FIXED_DURATION, True), both, 2)
    assert effect.duration_minutes == 4 * DAY
    assert [(a.units, a.work_minutes) for a in effect.assignments] == [(1.0, 4 * DAY)]


def test_removing_a_resource_without_effort_driving_takes_its_work_along():
    effect = remove_resource(task(4), [asg(1), asg(2, 0.5)], 2)
    assert effect.duration_minutes == 4 * DAY
    assert [(a.uid, a.work_minutes) for a in effect.assignments] == [(1, 4 * DAY)]
    assert remove_resource(task(4, driven=True), [asg(1)], 1).assignments == []  # the last one
    with pytest.raises(ValidationError):
        remove_resource(task(4), [asg(1)], 7)


@given(
    st.integers(1, 40 * DAY),
    st.lists(units, min_size=1, max_size=5),
    units,
    st.sampled_from(list(TaskType)),
)
def test_removing_undoes_adding_on_an_effort_driven_task(minutes, existing, new, kind):
    t = Task(uid=1, name="T", duration=Duration(minutes), task_type=kind, effort_driven=True)
    current = [asg(i + 1, u) for i, u in enumerate(existing)]
    added = add_resource(t, current, asg(99, new))
    joined = Task(
        uid=1, name="T", duration=Duration(added.duration_minutes), task_type=kind,
        effort_driven=True,
    )  # fmt: skip
    effect = remove_resource(joined, added.assignments, 99)
    before = sum(round(minutes * u) for u in existing)
    after = sum(a.work_minutes or 0 for a in effect.assignments)
    assert abs(after - before) <= 2 * len(existing)  # the total work is kept, up to rounding
    if kind is TaskType.FIXED_DURATION:
        assert effect.duration_minutes == minutes
    else:  # back to the first duration, up to the rounding of shares
        assert abs(effect.duration_minutes - minutes) <= len(existing) + 1
    for a in effect.assignments:
        assert (a.work_minutes or 0) <= effect.duration_minutes * a.units + 1
