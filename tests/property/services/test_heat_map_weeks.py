"""The heat map's week arithmetic, each against its plain definition on random input.

- The projects per week (`resources.projects_by_week`) are exactly those with a booking that
  overlaps the week's dates, as a scan of every booking for every week finds them (bookings
  ending at midnight on a Monday, bookings spanning many weeks).
- `resources.weekday_minutes` counts Monday-to-Friday minutes as a day-by-day walk does.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from steerco.engine.allocation import Booking
from steerco.services.resources import projects_by_week, weekday_minutes

MONDAY = datetime(2027, 1, 4)


@st.composite
def bookings(draw: st.DrawFn) -> list[tuple[str, Booking]]:
    out = []
    for _ in range(draw(st.integers(0, 12))):
        start = MONDAY + timedelta(hours=draw(st.integers(0, 24 * 7 * 8)))
        length = timedelta(hours=draw(st.sampled_from([1, 8, 24, 24 * 6, 24 * 7, 24 * 30])))
        if draw(st.booleans()):  # finish at midnight, the start of a day
            finish = datetime.combine((start + length).date(), datetime.min.time())
            finish = max(finish, start + timedelta(hours=1))
        else:
            finish = start + length
        key = draw(st.sampled_from(["CRM", "DC", "ERP"]))
        out.append((key, Booking(0, len(out) + 1, start, finish, 1.0)))
    return out


def _scan(booked: list[tuple[str, Booking]], week: date) -> tuple[str, ...]:
    end = week + timedelta(days=7)
    return tuple(sorted({k for k, b in booked if b.start.date() < end and b.finish.date() >= week}))


@given(bookings())
def test_each_week_lists_the_projects_booked_in_it(booked) -> None:
    found = projects_by_week(booked)
    weeks = [MONDAY.date() + timedelta(days=7 * i) for i in range(-1, 16)]
    for week in weeks:
        assert found.get(week, ()) == _scan(booked, week)
    assert all(week.weekday() == 0 and keys for week, keys in found.items())


def _weekday_minutes_day_by_day(a: datetime, b: datetime) -> int:
    total = 0
    day = datetime.combine(a.date(), datetime.min.time())
    while day < b:
        if day.weekday() < 5:
            lo, hi = max(a, day), min(b, day + timedelta(days=1))
            total += max(0, int((hi - lo).total_seconds()))
        day += timedelta(days=1)
    return total // 60


@given(
    st.datetimes(datetime(2026, 12, 1), datetime(2027, 3, 1)),
    st.integers(0, 60 * 24 * 40),
)
def test_weekday_minutes_count_monday_to_friday(start, minutes) -> None:
    a = start.replace(second=0, microsecond=0)
    b = a + timedelta(minutes=minutes)
    assert weekday_minutes(a, b) == _weekday_minutes_day_by_day(a, b)
    assert weekday_minutes(b, a) == 0


def test_weekday_minutes_of_a_whole_week_is_five_days() -> None:
    assert weekday_minutes(MONDAY, MONDAY + timedelta(days=7)) == 5 * 1440
    saturday = MONDAY + timedelta(days=5)
    assert weekday_minutes(saturday, saturday + timedelta(days=2)) == 0
