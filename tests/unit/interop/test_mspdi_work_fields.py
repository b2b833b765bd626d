"""RegularWork and RemainingWork follow a work steerco changed (`interop/mspdi/work_fields`)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from steerco.interop.mspdi.codes import format_iso_minutes as iso
from steerco.interop.mspdi.work_fields import stale_work, true_work_fields


def carried(work: int, overtime: int = 0, actual: int = 0) -> list[str]:
    """The four fields as MS Project writes them for `work`, among other extras."""
    return [
        "<Priority>500</Priority>",
        f"<RegularWork>{iso(work - overtime)}</RegularWork>",
        f"<OvertimeWork>{iso(overtime)}</OvertimeWork>",
        f"<ActualWork>{iso(actual)}</ActualWork>",
        f"<RemainingWork>{iso(work - actual)}</RemainingWork>",
    ]


def test_fields_that_agree_are_the_same_list() -> None:
    extras = carried(960, overtime=60, actual=240)
    assert not stale_work(extras, 960)
    assert true_work_fields(extras, 960) is extras


def test_a_changed_work_recomputes_both_and_nothing_else() -> None:
    extras = carried(960, overtime=60, actual=240)
    assert stale_work(extras, 1440)
    assert true_work_fields(extras, 1440) == carried(1440, overtime=60, actual=240)
    assert extras == carried(960, overtime=60, actual=240)  # the input is left alone


def test_remaining_work_never_goes_below_zero() -> None:
    out = true_work_fields(carried(960, actual=960), 480)
    assert "<RemainingWork>PT0H0M0S</RemainingWork>" in out
    assert "<RegularWork>PT8H0M0S</RegularWork>" in out


def test_without_the_fields_or_a_work_there_is_nothing_to_follow() -> None:
    assert not stale_work(["<Priority>500</Priority>"], 960)
    assert not stale_work(carried(960), None)
    only = ["<RegularWork>PT8H0M0S</RegularWork>"]  # no OvertimeWork: none
    assert true_work_fields(only, 960) == ["<RegularWork>PT16H0M0S</RegularWork>"]


def test_a_value_that_does_not_read_is_left_as_it_came() -> None:
    extras = ["<RegularWork>lots</RegularWork>", "<RemainingWork>PT8H0M0S</RemainingWork>"]
    assert not stale_work(extras, 960)
    assert true_work_fields(extras, 960) is extras


@given(st.integers(0, 10**6), st.integers(0, 10**6), st.integers(0, 10**5), st.integers(0, 10**6))
def test_the_identities_hold_after_any_change(old: int, new: int, overtime: int, actual: int):
    overtime, actual = min(overtime, old), min(actual, old)
    out = true_work_fields(carried(old, overtime, actual), new)
    assert f"<RegularWork>{iso(new - overtime)}</RegularWork>" in out
    assert f"<RemainingWork>{iso(max(0, new - actual))}</RemainingWork>" in out
    assert len(out) == 5
    assert stale_work(carried(old, overtime, actual), new) == (old != new)


def test_a_field_inside_another_element_is_not_the_rows_own() -> None:
    baseline = "<Baseline><Number>0</Number><RemainingWork>PT1H0M0S</RemainingWork></Baseline>"
    extras = [baseline, *carried(960)]
    assert not stale_work(extras, 960)
    assert true_work_fields(extras, 480)[0] == baseline


def test_actual_work_is_read_from_the_rows_own_field() -> None:
    from steerco.interop.mspdi.work_fields import actual_work

    assert actual_work(carried(960, actual=240)) == 240
    assert actual_work(["<Priority>500</Priority>"]) == actual_work([]) == 0
    assert actual_work(["<ActualWork>soon</ActualWork>"]) == 0
