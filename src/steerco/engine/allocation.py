"""Resource load per time bucket, and where it goes over a resource's max units.

For each resource and each bucket (a day or an ISO week) this gives the *peak* units booked
at any one moment (a sweep over the assigned tasks' [start, finish) intervals clipped to the
bucket) and the *work* booked (units x working minutes of the calendar given). A bucket is
over-allocated when its peak exceeds the resource's max units: that is MS Project's test
("overallocated at some moment"), stricter than comparing the day's total work with the
day's capacity, which would hide two full-time tasks that overlap for one hour.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum

EPSILON = 1e-9


class Bucket(str, Enum):
    DAY = "day"
    WEEK = "week"

    def first_day(self, day: date) -> date:
        return day if self is Bucket.DAY else day - timedelta(days=day.weekday())

    def length(self) -> timedelta:
        return timedelta(days=1 if self is Bucket.DAY else 7)


@dataclass(frozen=True, slots=True)
class Booking:
    """One assignment as scheduled: `units` of a resource (1.0 = 100%) over [start, finish)."""

    resource_uid: int
    task_uid: int
    start: datetime
    finish: datetime
    units: float


@dataclass(frozen=True, slots=True)
class Load:
    """A resource in one bucket beginning on `day`."""

    resource_uid: int
    day: date
    peak_units: float
    work_minutes: int
    capacity: float
    tasks: tuple[int, ...]  # the tasks booked in the bucket, in order of start

    @property
    def over(self) -> bool:
        return self.peak_units > self.capacity + EPSILON


def _peak(intervals: list[tuple[datetime, datetime, float]]) -> float:
    events: list[tuple[datetime, float]] = []
    for start, finish, units in intervals:
        events.append((start, units))
        events.append((finish, -units))
    # Ends before starts at the same moment: a task finishing at 12:00 and one starting at
    # 12:00 do not overlap.
    events.sort(key=lambda e: (e[0], e[1]))
    level = peak = 0.0
    for _, delta in events:
        level += delta
        peak = max(peak, level)
    return peak


def loads(
    bookings: Iterable[Booking],
    capacity: Mapping[int, float],
    working_minutes: Callable[[datetime, datetime], int],
    *,
    bucket: Bucket = Bucket.DAY,
) -> list[Load]:
    """Every (resource, bucket) with something booked, by resource then date.

    `working_minutes(a, b)` counts the working time between two moments (the project
    calendar's, in practice); zero-length bookings (milestones) book nothing.
    """
    per: dict[tuple[int, date], list[Booking]] = defaultdict(list)
    step = bucket.length()
    for b in bookings:
        if b.finish <= b.start or b.units <= 0:
            continue
        day = bucket.first_day(b.start.date())
        while datetime.combine(day, time()) < b.finish:
            per[(b.resource_uid, day)].append(b)
            day += step
    out = []
    for (rid, day), booked in sorted(per.items()):
        lo = datetime.combine(day, time())
        hi = lo + step
        # A booking that only spans non-working time here (a weekend inside a task) books
        # nothing in this bucket, so two parallel tasks are not "over" on a Saturday.
        clipped = []
        work = 0
        for b in sorted(booked, key=lambda b: b.start):
            s, f = max(b.start, lo), min(b.finish, hi)
            minutes = working_minutes(s, f)
            if minutes > 0:
                clipped.append((s, f, b.units, b.task_uid))
                work += round(b.units * minutes)
        if not clipped:
            continue
        peak = _peak([(s, f, u) for s, f, u, _ in clipped])
        tasks = tuple(dict.fromkeys(t for *_, t in clipped))
        out.append(Load(rid, day, peak, work, capacity.get(rid, 1.0), tasks))
    return out


def over_allocations(all_loads: Iterable[Load]) -> list[Load]:
    return [load for load in all_loads if load.over]
