"""Cost rate lines: which one is in force, and what the domain refuses."""

from __future__ import annotations

from datetime import datetime

import pytest

from steerco.domain import Assignment, CostRate, Resource, ValidationError
from steerco.domain.resource import rate_on


def test_the_latest_line_in_force_wins() -> None:
    lines = (
        CostRate(standard=1),
        CostRate(effective=datetime(2027, 3, 1), standard=3),
        CostRate(effective=datetime(2027, 2, 1), standard=2),
        CostRate(table=1, standard=9),
    )
    assert rate_on(lines, 0, datetime(2027, 1, 1)).standard == 1
    assert rate_on(lines, 0, datetime(2027, 2, 1)).standard == 2
    assert rate_on(lines, 0, datetime(2027, 6, 1)).standard == 3
    assert rate_on(lines, 1, datetime(2027, 6, 1)).standard == 9
    assert rate_on(lines, 2, datetime(2027, 6, 1)) is None
    assert rate_on((CostRate(effective=datetime(2027, 3, 1)),), 0, datetime(2027, 1, 1)) is None


def test_a_resource_keeps_its_lines_in_table_and_date_order() -> None:
    late, early = CostRate(effective=datetime(2027, 2, 1)), CostRate()
    res = Resource(1, "Ana", rates=(CostRate(table=2), late, early))
    assert res.rates == (early, late, CostRate(table=2))


@pytest.mark.parametrize(
    "bad",
    [
        lambda: CostRate(table=5),
        lambda: CostRate(standard=-1),
        lambda: CostRate(per_use=float("nan")),
        lambda: CostRate(overtime=1e10),
        lambda: CostRate(effective=datetime(1, 1, 1)),
        lambda: CostRate(effective=datetime(2150, 1, 1)),
        lambda: Resource(1, "Ana", rates=(CostRate(standard=1), CostRate(standard=2))),
        lambda: Assignment(1, 1, 1, rate_table=7),
    ],
)
def test_nonsense_is_refused(bad) -> None:
    with pytest.raises(ValidationError):
        bad()
