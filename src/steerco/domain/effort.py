"""MS Project's work formula: Work = Duration x Units, and which of the three moves.

A task's type says which one stays put when another changes:
- fixed units: a new duration changes the work; new work or new units change the duration;
- fixed work: new units or duration change the other, the work stays;
- fixed duration: new units change the work, new work changes the units.
Effort-driven scheduling (always on for fixed work) keeps the task's total work when a
resource joins: it is shared out, so a fixed-units task gets shorter and a fixed-duration
task spreads its people thinner. Without it, a new resource adds its own work.

Durations and work are whole minutes; a duration that does not divide evenly rounds up, so
nobody is booked beyond their units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from steerco.domain.errors import ValidationError
from steerco.domain.resource import Assignment
from steerco.domain.task import Task, TaskType


@dataclass(frozen=True, slots=True)
class Effect:
    """The task's new duration (working minutes) and its assignments with work filled in."""

    duration_minutes: int
    assignments: list[Assignment]


def work_of(a: Assignment, duration: int) -> int:
    return a.work_minutes if a.work_minutes is not None else round(duration * a.units)


def add_resource(task: Task, existing: list[Assignment], new: Assignment) -> Effect:
    """The effect of assigning `new` to `task`, which already has `existing`."""
    if new.units <= 0:
        raise ValidationError("an assignment needs units above 0%")
    d = task.duration.minutes
    current = [replace(a, work_minutes=work_of(a, d)) for a in existing]
    if not current or d == 0:
        return Effect(d, [*current, replace(new, work_minutes=round(d * new.units))])
    # Work not stored yet is duration x units exactly: rounding it first could make the
    # shared-out task longer than it was (1 minute at 150% is 1.5 minutes of work).
    exact = sum(a.work_minutes if a.work_minutes is not None else d * a.units for a in existing)
    if not _driven(task):
        return Effect(d, [*current, replace(new, work_minutes=round(d * new.units))])
    return _redistribute(task, exact, [*current, new])


def remove_resource(task: Task, existing: list[Assignment], uid: int) -> Effect:
    """The effect of taking assignment `uid` off `task`: `add_resource` the other way round.
    On an effort-driven task the others take over its work, so a fixed-units or fixed-work
    task gets longer and a fixed-duration one thickens everyone's units; otherwise its work
    goes with it and the dates stay."""
    d = task.duration.minutes
    current = [replace(a, work_minutes=work_of(a, d)) for a in existing]
    if all(a.uid != uid for a in current):
        raise ValidationError(f"task {task.name!r} has no assignment {uid}")
    rest = [a for a in current if a.uid != uid]
    if not rest or not _driven(task) or d == 0:
        return Effect(d, rest)
    return _redistribute(task, sum(a.work_minutes or 0 for a in current), rest)


def _driven(task: Task) -> bool:
    """Effort-driven: the task's total work stays when people join or leave."""
    return task.effort_driven or task.task_type is TaskType.FIXED_WORK


def _redistribute(task: Task, exact: float, people: list[Assignment]) -> Effect:
    """`exact` minutes of work shared by `people` (a nonzero-duration, effort-driven task):
    a fixed-duration task keeps its dates and scales everybody's units; the others keep
    their units and the duration follows."""
    d = task.duration.minutes
    units = sum(a.units for a in people)
    if task.task_type is TaskType.FIXED_DURATION:
        factor = exact / (units * d)
        spread = [replace(a, units=round(a.units * factor, 6)) for a in people]
        return Effect(d, [replace(a, work_minutes=round(d * a.units)) for a in spread])
    return Effect(math.ceil(exact / units - 1e-9), _share(round(exact), people, units))


def _share(total: int, people: list[Assignment], units: float) -> list[Assignment]:
    """Split `total` minutes of work by units, the rounding remainder to the first ones."""
    parts = [math.floor(total * a.units / units) for a in people]
    for i in range(total - sum(parts)):
        parts[i % len(parts)] += 1
    return [replace(a, work_minutes=w) for a, w in zip(people, parts, strict=True)]


def change_duration(task: Task, assignments: list[Assignment], minutes: int) -> Effect:
    """A new duration: work follows (fixed units, fixed duration) or units do (fixed work)."""
    if minutes < 0:
        raise ValidationError("a duration cannot be negative")
    old = task.duration.minutes
    if task.task_type is TaskType.FIXED_WORK and minutes > 0:
        return Effect(
            minutes, [replace(a, units=round(work_of(a, old) / minutes, 6)) for a in assignments]
        )
    return Effect(minutes, [replace(a, work_minutes=round(minutes * a.units)) for a in assignments])


def change_units(task: Task, assignments: list[Assignment], uid: int, units: float) -> Effect:
    """New units on one assignment: fixed duration changes its work; the others its duration
    (the task lasts as long as its longest assignment)."""
    if units <= 0:
        raise ValidationError("an assignment needs units above 0%")
    d = task.duration.minutes
    changed = [replace(a, work_minutes=work_of(a, d)) for a in assignments]
    if all(a.uid != uid for a in changed):
        raise ValidationError(f"task {task.name!r} has no assignment {uid}")
    if task.task_type is TaskType.FIXED_DURATION:
        return Effect(
            d,
            [
                replace(a, units=units, work_minutes=round(d * units)) if a.uid == uid else a
                for a in changed
            ],
        )
    changed = [replace(a, units=units) if a.uid == uid else a for a in changed]
    duration = max(math.ceil((a.work_minutes or 0) / a.units) for a in changed)
    return Effect(duration, changed)
