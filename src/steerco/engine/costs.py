"""What each assignment costs: its work at the rates in force, plus a per-use charge.

MS Project's rules, for the flat work contour (work spread evenly over the assignment's
working time): an assignment that crosses a rate change (a new line of its rate table) is
charged each line's standard rate for the share of its work done while that line held; the
per-use cost is charged once, at the line in force when the work starts. A material
resource's "work" is its quantity (units), charged per unit the same way. Cost resources
carry amounts typed per assignment, which steerco does not hold yet, and overtime work is not
recorded, so neither adds anything here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from steerco.domain.resource import CostRate, rate_on

#: Working minutes between two instants on the calendar the work follows.
Minutes = Callable[[datetime, datetime], int]


@dataclass(frozen=True, slots=True)
class Charge:
    """One assignment's cost, and the part of it that is per-use."""

    amount: float
    per_use: float


def charge(
    rates: Sequence[CostRate],
    table: int,
    quantity: float,
    start: datetime,
    finish: datetime,
    minutes: Minutes,
) -> Charge:
    """The cost of `quantity` (hours of work, or units of material) done evenly from `start`
    to `finish`, at the lines of `table` in `rates`."""
    first = rate_on(rates, table, start)
    per_use = first.per_use if first is not None else 0.0
    if quantity <= 0:
        return Charge(per_use, per_use)
    changes = sorted(
        r.effective for r in rates
        if r.table == table and r.effective is not None and start < r.effective < finish
    )  # fmt: skip
    span = minutes(start, finish) if finish > start else 0
    if span <= 0 or not changes:
        rate = first.standard if first is not None else 0.0
        return Charge(per_use + quantity * rate, per_use)
    amount = per_use
    bounds = [start, *changes, finish]
    for lo, hi in pairwise(bounds):
        line = rate_on(rates, table, lo)
        if line is not None:
            amount += quantity * minutes(lo, hi) / span * line.standard
    return Charge(amount, per_use)


def charge_spans(
    rates: Sequence[CostRate],
    table: int,
    quantity: float,
    spans: Sequence[tuple[datetime, datetime]],
    minutes: Minutes,
) -> Charge:
    """`charge` for work done in stretches (a split task): the quantity is shared out by
    working time, so a rate that changes during a pause prices no work, and per-use counts
    once, at the first stretch."""
    if len(spans) == 1:
        return charge(rates, table, quantity, spans[0][0], spans[0][1], minutes)
    weights = [minutes(s, f) if f > s else 0 for s, f in spans]
    total = sum(weights)
    if total <= 0:
        return charge(rates, table, quantity, spans[0][0], spans[-1][1], minutes)
    parts = [
        charge(rates, table, quantity * w / total, s, f, minutes)
        for (s, f), w in zip(spans, weights, strict=True)
    ]
    per_use = parts[0].per_use
    return Charge(per_use + sum(p.amount - p.per_use for p in parts), per_use)
