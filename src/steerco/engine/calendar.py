"""Working-time calendars compiled for scheduling.

A domain `Calendar` (with its base calendar, exceptions, recurring exceptions and work weeks)
is compiled into per-day working intervals and a running total of working minutes at the
start of every day. A point in time is then an integer *offset*: the working minutes between
the calendar's origin (midnight of the project start day) and that point. Adding working time
is integer addition; turning an offset back into a date is one binary search (O(log days)).

An offset is ambiguous at a day boundary: 17:00 on Monday and 08:00 on Tuesday are the same
offset. `start_at` resolves it to the next working minute, `finish_at` to the end of the
previous working period, which is how MS Project shows starts and finishes.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time, timedelta

from steerco.domain.calendar import STANDARD_DAY, Calendar, DayPattern
from steerco.domain.errors import ValidationError
from steerco.engine.recurrence import exception_days

Intervals = tuple[tuple[int, int], ...]
DayRule = Callable[[date], Intervals]

_DEFAULT_TIMES: Intervals = tuple((t.start, t.end) for t in STANDARD_DAY.times)
_FIRST_SPAN = (366, 3 * 366)  # days compiled before / after the origin at first
_MAX_SPAN = 200 * 366  # a calendar with no working time must fail, not loop forever


def _times(pattern: DayPattern) -> Intervals:
    if pattern.working is False:
        return ()
    if not pattern.times:  # a working day without hours works the default hours
        return _DEFAULT_TIMES
    return tuple((t.start, t.end) for t in pattern.times)


class _Rules:
    """How one domain calendar decides each day, falling back to its base calendar."""

    def __init__(self, cal: Calendar, base: _Rules | None) -> None:
        self.cal = cal
        self.base = base
        self.exceptions: dict[date, DayPattern] = {}
        # Listed order wins, so a later duplicate cannot silently override the first.
        for exc in cal.exceptions:
            for day in exception_days(exc):
                self.exceptions.setdefault(day, exc.pattern)

    def exception(self, day: date) -> DayPattern | None:
        pattern = self.exceptions.get(day)
        if pattern is not None and pattern.working is not None:
            return pattern
        # Holidays of the base calendar apply to calendars derived from it.
        return self.base.exception(day) if self.base is not None else None

    def week(self, day: date) -> Intervals:
        weekday = day.weekday()
        for ww in self.cal.work_weeks:
            if ww.start <= day <= ww.finish and ww.days[weekday].working is not None:
                return _times(ww.days[weekday])
        pattern = self.cal.week[weekday]
        if pattern.working is None:
            if self.base is None:
                raise ValidationError(f"calendar {self.cal.name!r} inherits a day but has no base")
            return self.base.week(day)
        return _times(pattern)

    def __call__(self, day: date) -> Intervals:
        pattern = self.exception(day)
        if pattern is not None:
            return _times(pattern)
        return self.week(day)


def day_rule(uid: int, calendars: Mapping[int, Calendar]) -> DayRule:
    """The working intervals of each day for calendar `uid`, resolving base calendars."""
    chain: list[Calendar] = []
    cursor: int | None = uid
    while cursor is not None:
        cal = calendars.get(cursor)
        if cal is None:
            if not chain:
                raise ValidationError(f"calendar {cursor} is not defined")
            break  # a dangling base (MSPDI writes 0 or -1 for "none"): days it would give fail

        if any(c.uid == cal.uid for c in chain):
            raise ValidationError(f"calendar {cal.name!r} is its own base calendar")
        chain.append(cal)
        cursor = cal.base_uid if cal.base_uid != cal.uid else None
    rules: _Rules | None = None
    for cal in reversed(chain):
        rules = _Rules(cal, rules)
    assert rules is not None
    return rules


def intersect(rules: Sequence[DayRule]) -> DayRule:
    """A day rule that works only when every one of `rules` works (task + resource calendars)."""

    def rule(day: date) -> Intervals:
        result = rules[0](day)
        for other in rules[1:]:
            result = _intersect(result, other(day))
        return result

    return rule


def _intersect(a: Intervals, b: Intervals) -> Intervals:
    out: list[tuple[int, int]] = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if lo < hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return tuple(out)


_MEMO_SIZE = 1 << 17  # datetimes of offsets kept per calendar


class CompiledCalendar:
    """Working minutes as integer offsets from midnight of `origin`.

    The compiled span grows on demand; growing never changes an existing offset because
    offsets are anchored at the origin. Semantically immutable.
    """

    def __init__(self, rule: DayRule, origin: date) -> None:
        self.rule = rule
        self.origin = origin
        self._lo = origin
        self._times: list[Intervals] = []
        self._cum: list[int] = []  # working minutes from origin to the start of each day
        self._end: list[int] = []  # ... to the end of each day
        # Offsets are anchored at the origin, so the datetime of an offset never changes:
        # plans reuse a few thousand offsets for 100,000 tasks, and datetimes are immutable.
        self._starts: dict[int, datetime] = {}
        self._finishes: dict[int, datetime] = {}
        self._build(
            origin - timedelta(days=_FIRST_SPAN[0]), origin + timedelta(days=_FIRST_SPAN[1])
        )

    # ----- compilation -------------------------------------------------------------------
    def _build(self, lo: date, hi: date) -> None:
        if (hi - lo).days > _MAX_SPAN:
            raise ValidationError("a calendar has no working time within 100 years")
        times = [self.rule(lo + timedelta(days=i)) for i in range((hi - lo).days)]
        cum: list[int] = []
        end: list[int] = []
        total = 0
        for day_times in times:
            cum.append(total)
            total += sum(e - s for s, e in day_times)
            end.append(total)
        shift = cum[(self.origin - lo).days]
        self._lo, self._times = lo, times
        self._cum = [c - shift for c in cum]
        self._end = [e - shift for e in end]

    def _grow(self, before: bool) -> None:
        span = len(self._times)
        hi = self._lo + timedelta(days=span)
        if before:
            self._build(self._lo - timedelta(days=span), hi)
        else:
            self._build(self._lo, hi + timedelta(days=span))

    def _day_index(self, day: date) -> int:
        while True:
            i = (day - self._lo).days
            if i < 0:
                self._grow(before=True)
            elif i >= len(self._times):
                self._grow(before=False)
            else:
                return i

    # ----- conversions -------------------------------------------------------------------
    def offset(self, when: datetime) -> int:
        """Working minutes from the origin to `when` (working time before it, that day)."""
        i = self._day_index(when.date())
        minute = when.hour * 60 + when.minute
        worked = 0
        for s, e in self._times[i]:
            if minute <= s:
                break
            worked += min(minute, e) - s
        return self._cum[i] + worked

    def start_at(self, offset: int) -> datetime:
        """The working minute that begins at `offset` (a start: 08:00, never 17:00)."""
        found = self._starts.get(offset)
        if found is None:
            if len(self._starts) >= _MEMO_SIZE:  # a long-lived calendar stays bounded
                self._starts.clear()
            found = self._starts[offset] = self._start_at(offset)
        return found

    def _start_at(self, offset: int) -> datetime:
        while offset >= self._end[-1]:
            self._grow(before=False)
        while offset < self._cum[0]:
            self._grow(before=True)
        i = bisect_right(self._end, offset)
        rest = offset - self._cum[i]
        for s, e in self._times[i]:
            if rest < e - s:
                return self._at(i, s + rest)
            rest -= e - s
        raise AssertionError("unreachable: offset inside a day's working time")

    def finish_at(self, offset: int) -> datetime:
        """The moment working time `offset` is reached (a finish: 17:00, never 08:00)."""
        found = self._finishes.get(offset)
        if found is None:
            if len(self._finishes) >= _MEMO_SIZE:
                self._finishes.clear()
            found = self._finishes[offset] = self._finish_at(offset)
        return found

    def _finish_at(self, offset: int) -> datetime:
        while offset > self._end[-1]:
            self._grow(before=False)
        while offset <= self._cum[0]:
            if offset == self._cum[0] and self._end[0] > self._cum[0]:
                break
            self._grow(before=True)
        i = bisect_left(self._end, offset)
        rest = offset - self._cum[i]
        if rest <= 0:  # only at the very first compiled minute
            return self._at(i, self._times[i][0][0])
        for s, e in self._times[i]:
            if rest <= e - s:
                return self._at(i, s + rest)
            rest -= e - s
        raise AssertionError("unreachable: offset inside a day's working time")

    def _at(self, i: int, minute: int) -> datetime:
        return datetime.combine(self._lo + timedelta(days=i), time()) + timedelta(minutes=minute)

    def next_work_start(self, when: datetime) -> datetime:
        return self.start_at(self.offset(when))

    def previous_work_finish(self, when: datetime) -> datetime:
        return self.finish_at(self.offset(when))

    def is_work_finish(self, when: datetime) -> bool:
        """Whether `when` ends a working period (so a milestone may sit there)."""
        i = self._day_index(when.date())
        minute = when.hour * 60 + when.minute
        return any(e == minute for _, e in self._times[i]) or (
            minute == 0 and i > 0 and bool(self._times[i - 1]) and self._times[i - 1][-1][1] == 1440
        )

    def equivalent(self, other: CompiledCalendar) -> bool:
        """Same origin and the same working times over the compiled span (about four years)."""
        return self.origin == other.origin and self._lo == other._lo and self._times == other._times

    def working_minutes(self, day: date) -> int:
        i = self._day_index(day)
        return self._end[i] - self._cum[i]

    def day_times(self, day: date) -> Intervals:
        return self._times[self._day_index(day)]


def compile_calendar(uid: int, calendars: Mapping[int, Calendar], origin: date) -> CompiledCalendar:
    """Compile calendar `uid` of `calendars` with offsets counted from midnight of `origin`."""
    return CompiledCalendar(day_rule(uid, calendars), origin)
