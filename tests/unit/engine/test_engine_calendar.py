"""Compiled calendars: offsets, starts and finishes, exceptions, work weeks, base calendars."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from steerco.domain import (
    Calendar,
    CalendarException,
    DayPattern,
    Recurrence,
    RecurrenceType,
    ValidationError,
    WorkingTime,
    WorkWeek,
)
from steerco.domain.calendar import FULL_DAY, NONWORKING, twenty_four_hour_calendar
from steerco.engine.calendar import compile_calendar
from steerco.engine.recurrence import exception_days

MON = date(2026, 1, 5)


def compiled(*cals: Calendar, uid: int = 1):  # type: ignore[no-untyped-def]
    return compile_calendar(uid, {c.uid: c for c in cals}, MON)


def test_offsets_count_working_minutes_from_the_origin() -> None:
    cal = compiled(Calendar(1, "Standard"))
    assert cal.offset(datetime(2026, 1, 5, 8)) == 0
    assert cal.offset(datetime(2026, 1, 5, 12, 30)) == 240  # lunch is not work
    assert cal.offset(datetime(2026, 1, 5, 17)) == 480
    assert cal.offset(datetime(2026, 1, 10, 10)) == 2400  # Saturday counts as Friday's end
    assert cal.offset(datetime(2026, 1, 2, 17)) == 0  # the Friday before
    assert cal.offset(datetime(2026, 1, 2, 9)) == -420


def test_a_day_boundary_is_a_start_or_a_finish() -> None:
    cal = compiled(Calendar(1, "Standard"))
    assert cal.start_at(480) == datetime(2026, 1, 6, 8)
    assert cal.finish_at(480) == datetime(2026, 1, 5, 17)
    assert cal.start_at(240) == datetime(2026, 1, 5, 13)
    assert cal.finish_at(240) == datetime(2026, 1, 5, 12)
    assert cal.finish_at(2400) == datetime(2026, 1, 9, 17)
    assert cal.start_at(2400) == datetime(2026, 1, 12, 8)
    assert cal.start_at(-480) == datetime(2026, 1, 2, 8)


def test_far_dates_grow_the_compiled_span() -> None:
    cal = compiled(Calendar(1, "Standard"))
    far = datetime(2040, 3, 5, 9)  # a Monday, 14 years out
    assert cal.start_at(cal.offset(far)) == far
    past = datetime(2001, 3, 5, 9)
    assert cal.start_at(cal.offset(past)) == past


def test_holiday_and_changed_day() -> None:
    short = DayPattern(True, (WorkingTime(540, 600),))
    cal = compiled(
        Calendar(
            1,
            "Standard",
            exceptions=[
                CalendarException(date(2026, 1, 6), date(2026, 1, 6), name="holiday"),
                CalendarException(date(2026, 1, 10), date(2026, 1, 10), short, name="Saturday"),
            ],
        )
    )
    assert cal.working_minutes(date(2026, 1, 6)) == 0
    assert cal.start_at(480) == datetime(2026, 1, 7, 8)
    assert cal.day_times(date(2026, 1, 10)) == ((540, 600),)


def test_recurring_exceptions() -> None:
    weekly = CalendarException(
        date(2026, 1, 1),
        date(2026, 3, 31),
        recurrence=Recurrence(RecurrenceType.WEEKLY, period=2, weekdays=(4,)),
    )
    days = list(exception_days(weekly))
    assert days[:2] == [date(2026, 1, 2), date(2026, 1, 16)]
    monthly = CalendarException(
        date(2026, 1, 1),
        date(2026, 12, 31),
        recurrence=Recurrence(RecurrenceType.MONTHLY, position=5, weekday=0, occurrences=3),
    )
    assert list(exception_days(monthly)) == [
        date(2026, 1, 26),
        date(2026, 2, 23),
        date(2026, 3, 30),
    ]
    yearly = CalendarException(
        date(2026, 1, 1),
        date(2028, 12, 31),
        recurrence=Recurrence(RecurrenceType.YEARLY, month=12, month_day=25),
    )
    assert list(exception_days(yearly)) == [date(y, 12, 25) for y in (2026, 2027, 2028)]
    daily = CalendarException(
        date(2026, 2, 1), date(2026, 2, 10), recurrence=Recurrence(RecurrenceType.DAILY, period=3)
    )
    assert list(exception_days(daily)) == [date(2026, 2, d) for d in (1, 4, 7, 10)]


def test_work_week_overrides_the_default_week() -> None:
    summer = WorkWeek(
        date(2026, 1, 12),
        date(2026, 1, 16),
        (DayPattern(True, (WorkingTime(420, 780),)),) * 4 + (NONWORKING,) * 3,
    )
    cal = compiled(Calendar(1, "Standard", work_weeks=[summer]))
    assert cal.day_times(date(2026, 1, 12)) == ((420, 780),)
    assert cal.working_minutes(date(2026, 1, 16)) == 0  # Friday off that week
    assert cal.working_minutes(date(2026, 1, 19)) == 480


def test_derived_calendar_inherits_days_and_holidays() -> None:
    base = Calendar(1, "Standard", exceptions=[CalendarException(MON, MON, name="holiday")])
    night = DayPattern(True, (WorkingTime(1200, 1440),))
    inherit = DayPattern(None)
    derived = Calendar(2, "Night", week=(night,) + (inherit,) * 6, base_uid=1, is_base=False)
    cal = compiled(base, derived, uid=2)
    assert cal.working_minutes(MON) == 0  # the base calendar's holiday applies
    assert cal.day_times(date(2026, 1, 12)) == ((1200, 1440),)
    assert cal.working_minutes(date(2026, 1, 13)) == 480  # Tuesday from the base


def test_24_hour_calendar_and_midnight() -> None:
    cal = compiled(twenty_four_hour_calendar(1))
    assert cal.offset(datetime(2026, 1, 6, 0)) == 1440
    assert cal.finish_at(1440) == datetime(2026, 1, 6, 0)
    assert cal.start_at(1440) == datetime(2026, 1, 6, 0)
    assert cal.is_work_finish(datetime(2026, 1, 6, 0))
    assert FULL_DAY.times[0].end == 1440


def test_a_calendar_without_work_fails_instead_of_looping() -> None:
    cal = compiled(Calendar(1, "Never", week=(NONWORKING,) * 7))
    with pytest.raises(ValidationError):
        cal.start_at(10)
