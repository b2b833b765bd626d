"""Working-time calendars as a project manager edits them.

Times are minutes after midnight (0..1440), so a calendar is exact to the minute.
Week days use Python's numbering: 0 is Monday, 6 is Sunday. A week day or a
derived calendar's day left as `None` inherits from the base calendar.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from itertools import pairwise

from steerco.domain.errors import ValidationError

MINUTES_PER_DAY = 1440


@dataclass(frozen=True, slots=True, order=True)
class WorkingTime:
    """One working interval of a day, [start, end) in minutes after midnight."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end <= MINUTES_PER_DAY:
            raise ValidationError(
                f"a working time must run forward within one day ({self.start}-{self.end})"
            )

    @property
    def minutes(self) -> int:
        return self.end - self.start


def check_times(times: tuple[WorkingTime, ...]) -> None:
    for earlier, later in pairwise(times):
        if later.start < earlier.end:
            raise ValidationError("working times of one day must be in order and not overlap")


@dataclass(frozen=True, slots=True)
class DayPattern:
    """Whether a day works, and when. `working=None` means: as the base calendar says."""

    working: bool | None
    times: tuple[WorkingTime, ...] = ()

    def __post_init__(self) -> None:
        check_times(self.times)
        if self.working is False and self.times:
            raise ValidationError("a non-working day has no working times")


NONWORKING = DayPattern(False)
INHERIT = DayPattern(None)
STANDARD_DAY = DayPattern(True, (WorkingTime(480, 720), WorkingTime(780, 1020)))
FULL_DAY = DayPattern(True, (WorkingTime(0, MINUTES_PER_DAY),))


class RecurrenceType(str, Enum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    YEARLY = "yearly"


@dataclass(frozen=True, slots=True)
class Recurrence:
    """When a recurring exception repeats, as MS Project's exception dialog defines it.

    - daily: every `period` days;
    - weekly: every `period` weeks on `weekdays`;
    - monthly: every `period` months, on `month_day`, or on the `position`-th (1..4, 5 = last)
      `weekday`;
    - yearly: every year on `month`/`month_day`, or on the `position`-th `weekday` of `month`.
    The exception's own from/to dates bound the series; `occurrences` may end it sooner.
    """

    type: RecurrenceType
    period: int = 1
    weekdays: tuple[int, ...] = ()
    month_day: int | None = None
    month: int | None = None
    position: int | None = None
    weekday: int | None = None
    occurrences: int | None = None


@dataclass(frozen=True, slots=True)
class CalendarException:
    """A holiday, a shutdown or a changed working day, for [start, finish] inclusive."""

    start: date
    finish: date
    pattern: DayPattern = NONWORKING
    name: str = ""
    recurrence: Recurrence | None = None
    # Verbatim MSPDI fragments of exception fields steerco does not model (e.g. how the
    # recurrence was entered), kept so that a file round-trips unchanged.
    extras: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.finish < self.start:
            raise ValidationError(f"exception {self.name!r} ends before it starts")


@dataclass(frozen=True, slots=True)
class WorkWeek:
    """An alternative working week for a span of dates (e.g. summer hours)."""

    start: date
    finish: date
    days: tuple[DayPattern, ...]
    name: str = ""

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValidationError("a work week has seven days")
        if self.finish < self.start:
            raise ValidationError(f"work week {self.name!r} ends before it starts")


def standard_week() -> tuple[DayPattern, ...]:
    return (STANDARD_DAY,) * 5 + (NONWORKING, NONWORKING)


@dataclass(slots=True)
class Calendar:
    """A base calendar, or a calendar derived from one (`base_uid`), as in MS Project."""

    uid: int
    name: str
    week: tuple[DayPattern, ...] = field(default_factory=standard_week)
    exceptions: list[CalendarException] = field(default_factory=list)
    work_weeks: list[WorkWeek] = field(default_factory=list)
    base_uid: int | None = None
    is_base: bool = True
    extras: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationError("a calendar needs a name")
        if len(self.week) != 7:
            raise ValidationError("a calendar week has seven days")
        if self.base_uid is None and any(d.working is None for d in self.week):
            raise ValidationError(f"base calendar {self.name!r} cannot inherit a day")


def standard_calendar(uid: int = 1) -> Calendar:
    return Calendar(uid=uid, name="Standard")


def twenty_four_hour_calendar(uid: int) -> Calendar:
    return Calendar(uid=uid, name="24 Hours", week=(FULL_DAY,) * 7)
