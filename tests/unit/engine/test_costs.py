"""An assignment's cost: work at the rate in force while it is done, plus per use."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steerco.domain import CostRate
from steerco.engine.costs import charge, charge_spans

MON = datetime(2027, 1, 4, 8)


def hours(lo: datetime, hi: datetime) -> int:
    """Elapsed minutes: enough calendar for these tests."""
    return int((hi - lo).total_seconds() // 60)


def test_one_rate_and_a_per_use_charge() -> None:
    rates = (CostRate(standard=100, per_use=50),)
    done = charge(rates, 0, 40, MON, datetime(2027, 1, 8, 17), hours)
    assert done.amount == 40 * 100 + 50 and done.per_use == 50


def test_a_rate_change_splits_the_work_by_time() -> None:
    # 10 days of elapsed time, the rate goes from 100 to 120 after four of them.
    rates = (CostRate(standard=100), CostRate(effective=datetime(2027, 1, 8, 8), standard=120))
    done = charge(rates, 0, 100, MON, datetime(2027, 1, 14, 8), hours)
    assert done.amount == pytest.approx(40 * 100 + 60 * 120)


def test_per_use_is_charged_at_the_line_in_force_at_the_start() -> None:
    rates = (CostRate(per_use=10), CostRate(effective=datetime(2027, 1, 5), per_use=99))
    assert charge(rates, 0, 0, MON, datetime(2027, 1, 8), hours).amount == 10
    later = datetime(2027, 1, 6)
    assert charge(rates, 0, 0, later, datetime(2027, 1, 8), hours).amount == 99


def test_the_assignment_s_table_is_used_and_a_missing_one_costs_nothing() -> None:
    rates = (CostRate(table=0, standard=100), CostRate(table=1, standard=70))
    assert charge(rates, 1, 10, MON, datetime(2027, 1, 5), hours).amount == 700
    assert charge(rates, 3, 10, MON, datetime(2027, 1, 5), hours).amount == 0


def test_a_rate_from_after_the_work_does_not_apply() -> None:
    rates = (CostRate(standard=100), CostRate(effective=datetime(2030, 1, 1), standard=500))
    assert charge(rates, 0, 8, MON, datetime(2027, 1, 4, 17), hours).amount == 800


def test_a_milestone_s_quantity_is_charged_at_its_moment() -> None:
    assert charge((CostRate(standard=3),), 0, 5, MON, MON, hours).amount == 15


@given(
    st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=4),
    st.floats(1, 500, allow_nan=False),
)
def test_the_cost_lies_between_the_cheapest_and_dearest_rate(prices, quantity) -> None:
    days = [datetime(2027, 1, 4 + 2 * k, 8) for k in range(len(prices))]
    rates = tuple(
        CostRate(effective=None if k == 0 else d, standard=p)
        for k, (d, p) in enumerate(zip(days, prices, strict=True))
    )
    done = charge(rates, 0, quantity, MON, datetime(2027, 1, 20), hours).amount
    assert min(prices) * quantity - 1e-6 <= done <= max(prices) * quantity + 1e-6


def test_a_split_task_s_work_is_priced_in_its_stretches_not_in_its_pause() -> None:
    # 20 hours of work: 10 before a pause, 10 after it. The rate rises during the pause, so
    # the second half is at 120; spread over the whole span, part of it would be at 100.
    rates = (
        CostRate(standard=100, per_use=7),
        CostRate(effective=datetime(2027, 1, 4, 12), standard=120),
    )
    first = (MON, datetime(2027, 1, 4, 10))  # 2 elapsed hours (the test's calendar)
    second = (datetime(2027, 1, 4, 20), datetime(2027, 1, 4, 22))
    done = charge_spans(rates, 0, 20, [first, second], hours)
    assert done.amount == pytest.approx(7 + 10 * 100 + 10 * 120)  # per-use once
    assert done.per_use == 7
    whole = charge(rates, 0, 20, first[0], second[1], hours)
    assert whole.amount != pytest.approx(done.amount)


def test_one_stretch_is_a_plain_charge() -> None:
    rates = (CostRate(standard=100, per_use=50),)
    span = (MON, datetime(2027, 1, 8, 17))
    assert charge_spans(rates, 0, 40, [span], hours) == charge(rates, 0, 40, *span, hours)
