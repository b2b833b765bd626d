"""Expand calendar exceptions, recurring or not, into the days they cover.

MS Project stores a recurring exception as a pattern bounded by its from/to dates and,
optionally, a number of occurrences; each occurrence is one whole day.
"""

from __future__ import annotations

import calendar as pycal
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import islice

from steerco.domain.calendar import CalendarException, Recurrence, RecurrenceType

_ONE_DAY = timedelta(days=1)
_MAX_OCCURRENCES = 100_000  # a guard against a malformed pattern that never ends


def exception_days(exc: CalendarException) -> Iterator[date]:
    """Every day `exc` covers, in order."""
    if exc.recurrence is None:
        day = exc.start
        while day <= exc.finish:
            yield day
            day += _ONE_DAY
        return
    limit = exc.recurrence.occurrences or _MAX_OCCURRENCES
    yield from islice(_occurrences(exc.recurrence, exc.start, exc.finish), limit)


def _occurrences(rec: Recurrence, start: date, finish: date) -> Iterator[date]:
    period = max(rec.period, 1)
    if rec.type is RecurrenceType.DAILY:
        day = start
        while day <= finish:
            yield day
            day += timedelta(days=period)
    elif rec.type is RecurrenceType.WEEKLY:
        weekdays = set(rec.weekdays) or {start.weekday()}
        week0 = start - timedelta(days=start.weekday())
        day = start
        while day <= finish:
            weeks = (day - week0).days // 7
            if weeks % period == 0 and day.weekday() in weekdays:
                yield day
            day += _ONE_DAY
    elif rec.type is RecurrenceType.MONTHLY:
        year, month = start.year, start.month
        while date(year, month, 1) <= finish:
            hit = _month_day(rec, year, month)
            if hit is not None and start <= hit <= finish:
                yield hit
            month += period
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    else:  # yearly
        for year in range(start.year, finish.year + 1):
            hit = _month_day(rec, year, rec.month or start.month)
            if hit is not None and start <= hit <= finish:
                yield hit


def _month_day(rec: Recurrence, year: int, month: int) -> date | None:
    """The day of `month` the pattern names: a fixed day, or the n-th (5 = last) weekday."""
    last = pycal.monthrange(year, month)[1]
    if rec.position is not None and rec.weekday is not None:
        if rec.position >= 5:
            day = date(year, month, last)
            while day.weekday() != rec.weekday:
                day -= _ONE_DAY
            return day
        first = date(year, month, 1)
        shift = (rec.weekday - first.weekday()) % 7
        day = first + timedelta(days=shift + 7 * (rec.position - 1))
        return day if day.month == month else None
    return date(year, month, min(rec.month_day or 1, last))
