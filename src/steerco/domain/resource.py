"""Resources and their assignments to tasks. Issue 7 grows this; MSPDI import fills it now."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from itertools import pairwise

from steerco.domain.errors import ValidationError


class ResourceKind(str, Enum):
    WORK = "work"
    MATERIAL = "material"
    COST = "cost"


RATE_TABLES = "ABCDE"  # MS Project's five cost rate tables; an assignment picks one
MAX_RATE = 1e9  # per hour or per use: beyond any real rate, and far inside a float's precision


@dataclass(frozen=True, slots=True)
class CostRate:
    """One line of a cost rate table: what an hour of work costs from `effective` on.

    `effective` None means from the start. Rates are per hour of work (per unit for material
    resources), `per_use` is charged once per assignment. The formats are MS Project's
    display units (2 = per hour), kept so a file comes back as it was written.
    """

    table: int = 0  # 0..4: tables A..E
    effective: datetime | None = None
    standard: float = 0.0
    overtime: float = 0.0
    per_use: float = 0.0
    standard_format: int = 2
    overtime_format: int = 2

    def __post_init__(self) -> None:
        if not 0 <= self.table < len(RATE_TABLES):
            raise ValidationError("a cost rate table is one of A, B, C, D and E")
        for value in (self.standard, self.overtime, self.per_use):
            if not 0 <= value <= MAX_RATE:  # also refuses NaN
                raise ValidationError("a rate runs from 0 to 1,000,000,000")
        if self.effective is not None and not 1984 <= self.effective.year <= 2149:
            raise ValidationError("a rate line starts between 1984 and 2149, as in MS Project")


def rate_on(rates: Sequence[CostRate], table: int, when: datetime) -> CostRate | None:
    """The line of `table` in force at `when`: the latest one effective by then."""
    found: CostRate | None = None
    for rate in rates:
        if rate.table != table or (rate.effective is not None and rate.effective > when):
            continue
        if found is None or (found.effective or datetime.min) <= (rate.effective or datetime.min):
            found = rate
    return found


def check_rates(rates: Sequence[CostRate]) -> tuple[CostRate, ...]:
    """`rates` in table and date order; refuses two lines of a table from the same moment."""
    ordered = tuple(sorted(rates, key=lambda r: (r.table, r.effective or datetime.min)))
    for a, b in pairwise(ordered):
        if a.table == b.table and a.effective == b.effective:
            table = RATE_TABLES[a.table]
            raise ValidationError(f"rate table {table} has two lines from the same date")
    return ordered


@dataclass(slots=True)
class Resource:
    uid: int
    name: str
    kind: ResourceKind = ResourceKind.WORK
    max_units: float = 1.0
    calendar_uid: int | None = None
    initials: str = ""
    group: str = ""
    email: str = ""
    extras: list[str] = field(default_factory=list)
    rates: tuple[CostRate, ...] = ()
    # MS Project's "Can Level": False leaves the resource's over-allocation to the PM (a
    # contractor who can do overtime, a shared room): leveling never delays a task for it.
    can_level: bool = True

    def __post_init__(self) -> None:
        if self.max_units < 0:
            raise ValidationError(f"resource {self.name!r}: max units cannot be negative")
        self.rates = check_rates(self.rates)


@dataclass(slots=True)
class Assignment:
    uid: int
    task_uid: int
    resource_uid: int
    units: float = 1.0
    work_minutes: int | None = None
    extras: list[str] = field(default_factory=list)
    rate_table: int = 0  # which of the resource's cost rate tables (0..4 = A..E) applies

    def __post_init__(self) -> None:
        if self.units < 0:
            raise ValidationError("assignment units cannot be negative")
        if not 0 <= self.rate_table < len(RATE_TABLES):
            raise ValidationError("a cost rate table is one of A, B, C, D and E")
