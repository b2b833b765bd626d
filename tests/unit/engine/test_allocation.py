"""Load per bucket: the peak at any moment against max units, work on the calendar given."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from steerco.engine.allocation import Booking, Bucket, loads, over_allocations

MON = datetime(2026, 11, 23, 8, 0)


def office_minutes(a: datetime, b: datetime) -> int:
    """08:00-17:00 without lunch, Monday to Friday, minute by minute (slow but obvious)."""
    total, t = 0, a
    while t < b:
        if t.weekday() < 5 and 8 <= t.hour < 17:
            total += 1
        t += timedelta(minutes=1)
    return total


def at(day: int, hour: int) -> datetime:
    return MON + timedelta(days=day, hours=hour - 8)


def test_overlap_for_one_hour_is_an_over_allocation():
    # Two full-time tasks that overlap 16:00-17:00 on Tuesday only.
    found = loads(
        [Booking(1, 10, at(0, 8), at(1, 17), 1.0), Booking(1, 11, at(1, 16), at(2, 17), 1.0)],
        {1: 1.0},
        office_minutes,
    )
    by_day = {load.day.isoformat(): load for load in found}
    assert [d for d, load in by_day.items() if load.over] == ["2026-11-24"]
    assert by_day["2026-11-24"].peak_units == 2.0
    assert by_day["2026-11-24"].work_minutes == 9 * 60 + 60
    assert by_day["2026-11-24"].tasks == (10, 11)


def test_back_to_back_tasks_do_not_overlap():
    found = loads(
        [Booking(1, 1, at(0, 8), at(0, 12), 1.0), Booking(1, 2, at(0, 12), at(0, 17), 1.0)],
        {1: 1.0},
        office_minutes,
    )
    assert [load.peak_units for load in found] == [1.0]
    assert not over_allocations(found)


def test_a_weekend_inside_two_parallel_tasks_books_nothing():
    fri, tue = at(4, 8), at(8, 17)
    found = loads(
        [Booking(1, 1, fri, tue, 0.5), Booking(1, 2, fri, tue, 0.5)], {1: 1.0}, office_minutes
    )
    assert {load.day.weekday() for load in found} == {0, 1, 4}
    assert all(load.peak_units == 1.0 and not load.over for load in found)


def test_weeks_and_capacity_above_one():
    bookings = [Booking(7, t, at(0, 8), at(4, 17), 1.0) for t in range(3)]
    week = loads(bookings, {7: 2.0}, office_minutes, bucket=Bucket.WEEK)
    assert len(week) == 1 and week[0].day == MON.date()
    assert week[0].peak_units == 3.0 and week[0].over
    assert week[0].work_minutes == 3 * 5 * 9 * 60


def test_milestones_and_zero_units_book_nothing():
    assert (
        loads(
            [Booking(1, 1, MON, MON, 1.0), Booking(1, 2, at(0, 8), at(0, 9), 0.0)],
            {1: 1.0},
            office_minutes,
        )
        == []
    )


@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(1, 40), st.sampled_from([0.25, 0.5, 1.0, 2.0])),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from([0.5, 1.0, 2.0]),
)
def test_peak_is_the_true_maximum_of_concurrent_units(spans, capacity):
    # Hours of Monday 08:00-17:00 ... as offsets; brute-force the load at every minute.
    bookings = [
        Booking(1, i, MON + timedelta(minutes=15 * s), MON + timedelta(minutes=15 * (s + d)), u)
        for i, (s, d, u) in enumerate(spans)
    ]
    found = loads(bookings, {1: capacity}, lambda a, b: int((b - a).total_seconds() // 60))
    for load in found:
        lo = datetime.combine(load.day, datetime.min.time())
        brute = max(
            sum(b.units for b in bookings if b.start <= t < b.finish)
            for t in (lo + timedelta(minutes=m) for m in range(0, 24 * 60))
        )
        assert abs(load.peak_units - brute) < 1e-9
        assert load.over == (brute > capacity + 1e-9)
