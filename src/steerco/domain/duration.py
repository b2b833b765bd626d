"""Durations and lags: integer minutes plus the unit they are shown in.

Working durations count working minutes and are turned into dates only through a
calendar. Elapsed durations ("2ed") count wall-clock minutes and ignore calendars.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from steerco.domain.errors import ValidationError


class TimeUnit(str, Enum):
    MINUTE = "m"
    HOUR = "h"
    DAY = "d"
    WEEK = "w"
    MONTH = "mo"
    PERCENT = "%"


@dataclass(frozen=True, slots=True)
class WorkTime:
    """How many working minutes make a day, a week and a month (MS Project's options)."""

    minutes_per_day: int = 480
    minutes_per_week: int = 2400
    days_per_month: int = 20

    def minutes_in(self, unit: TimeUnit, *, elapsed: bool) -> int:
        if unit is TimeUnit.MINUTE:
            return 1
        if unit is TimeUnit.HOUR:
            return 60
        if elapsed:
            return {TimeUnit.DAY: 1440, TimeUnit.WEEK: 10080, TimeUnit.MONTH: 43200}[unit]
        if unit is TimeUnit.DAY:
            return self.minutes_per_day
        if unit is TimeUnit.WEEK:
            return self.minutes_per_week
        if unit is TimeUnit.MONTH:
            return self.minutes_per_day * self.days_per_month
        raise ValidationError(f"{unit.value} is not a unit of time")


DEFAULT_WORK_TIME = WorkTime()

_PATTERN = re.compile(
    r"^\s*(?P<num>[+-]?\d+(?:\.\d+)?)\s*(?P<e>e)?(?P<unit>mo|m|h|d|w|%)(?P<est>\?)?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Duration:
    """A task duration: `minutes` of working time (or wall time when `elapsed`)."""

    minutes: int
    unit: TimeUnit = TimeUnit.DAY
    elapsed: bool = False
    estimated: bool = False

    def __post_init__(self) -> None:
        if self.minutes < 0:
            raise ValidationError(f"a duration cannot be negative ({self.minutes} minutes)")
        if self.unit is TimeUnit.PERCENT:
            raise ValidationError("a duration cannot be a percentage")

    @classmethod
    def parse(cls, text: str, work_time: WorkTime = DEFAULT_WORK_TIME) -> Duration:
        value, unit, elapsed, estimated = _split(text, "duration")
        if value < 0:
            raise ValidationError(f"a duration cannot be negative: {text!r}")
        if unit is TimeUnit.PERCENT:
            raise ValidationError(f"a duration cannot be a percentage: {text!r}")
        minutes = round(value * work_time.minutes_in(unit, elapsed=elapsed))
        return cls(minutes, unit, elapsed, estimated)

    def format(self, work_time: WorkTime = DEFAULT_WORK_TIME) -> str:
        return _format(self.minutes, self.unit, self.elapsed, work_time) + (
            "?" if self.estimated else ""
        )


@dataclass(frozen=True, slots=True)
class Lag:
    """A link lag. Negative is a lead. A percent lag is a share of the predecessor's duration."""

    minutes: int = 0
    unit: TimeUnit = TimeUnit.DAY
    elapsed: bool = False
    percent: float | None = None

    def __post_init__(self) -> None:
        if (self.unit is TimeUnit.PERCENT) != (self.percent is not None):
            raise ValidationError("a percent lag needs the % unit and a percentage")

    @classmethod
    def parse(cls, text: str, work_time: WorkTime = DEFAULT_WORK_TIME) -> Lag:
        if not text.strip():
            return cls()
        value, unit, elapsed, _ = _split(text, "lag")
        if unit is TimeUnit.PERCENT:
            return cls(0, unit, elapsed, value)
        return cls(round(value * work_time.minutes_in(unit, elapsed=elapsed)), unit, elapsed)

    def format(self, work_time: WorkTime = DEFAULT_WORK_TIME) -> str:
        if self.percent is not None:
            return f"{_number(self.percent)}{'e' if self.elapsed else ''}%"
        return _format(self.minutes, self.unit, self.elapsed, work_time)

    @property
    def is_zero(self) -> bool:
        return self.minutes == 0 and not self.percent


def _split(text: str, what: str) -> tuple[float, TimeUnit, bool, bool]:
    match = _PATTERN.match(text)
    if match is None:
        raise ValidationError(
            f"cannot read {what} {text!r}: use a number and a unit such as 5d, 4h, 30m, 2w or 2ed"
        )
    unit = TimeUnit(match["unit"].lower())
    return float(match["num"]), unit, match["e"] is not None, match["est"] is not None


def _number(value: float) -> str:
    return f"{value:g}"


def _format(minutes: int, unit: TimeUnit, elapsed: bool, work_time: WorkTime) -> str:
    per = work_time.minutes_in(unit, elapsed=elapsed)
    sign = "-" if minutes < 0 else ""
    amount = abs(minutes) / per
    return f"{sign}{_number(round(amount, 2))}{'e' if elapsed else ''}{unit.value}"
