"""The work fields MS Project derives from Work, kept true after steerco changes the work.

On every task and assignment MS Project keeps RegularWork = Work - OvertimeWork and
RemainingWork = Work - ActualWork (true of all 4,890 tasks and assignments with work in the
corpus of its own saves). steerco owns Work; the other four travel verbatim. Once steerco
changes the work (a new duration under the work formula, new units, someone joining or
leaving an effort-driven task), the two derived values still hold the old work, and a file
written with them says two things at once. They are recomputed from the carried OvertimeWork
and ActualWork, which steerco never changes, and only then: a file nobody edited is written
with its values exactly as read.

The same test tells which assignments' remaining-work timephased rows spread the old work
over the old dates (`stale_work`): see `writer.py`.
"""

from __future__ import annotations

import re

from steerco.interop.mspdi import codes

_FIELD = re.compile(r"<(RegularWork|RemainingWork|OvertimeWork|ActualWork)>([^<]*)</\1>")
_ZERO = "PT0H0M0S"


def _texts(extras: list[str]) -> dict[str, str]:
    """The four fields' texts among `extras` (an element, not a child of one: a Baseline
    has Work fields of its own). One pass in C over the joined row: 150,000 rows of some 45
    extras each are written in a second or two, and a Python loop over every fragment
    cost a third of that."""
    found: dict[str, str] = {}
    for m in _FIELD.finditer("".join(extras)):
        if m[1] not in found and m[0] in extras:
            found[m[1]] = m[2]
    return found


def _derived(texts: dict[str, str], work: int) -> dict[str, int] | None:
    """RegularWork and RemainingWork as MS Project derives them, for those present; None
    when a value they rest on does not read (the row is then left as it came)."""
    overtime = codes.parse_iso_minutes(texts.get("OvertimeWork", _ZERO))
    actual = codes.parse_iso_minutes(texts.get("ActualWork", _ZERO))
    if overtime is None or actual is None:
        return None
    out: dict[str, int] = {}
    if "RegularWork" in texts:
        out["RegularWork"] = work - overtime
    if "RemainingWork" in texts:
        out["RemainingWork"] = max(0, work - actual)
    return out


def actual_work(extras: list[str]) -> int:
    """The actual work MS Project recorded (minutes; 0 when none or unreadable)."""
    if not extras:
        return 0
    return codes.parse_iso_minutes(_texts(extras).get("ActualWork", _ZERO)) or 0


def stale_work(extras: list[str], work: int | None) -> bool:
    """Do the carried derived work fields disagree with `work`, so it changed since read?"""
    return _fixes(extras, work) is not None


def true_work_fields(extras: list[str], work: int | None) -> list[str]:
    """`extras` with RegularWork and RemainingWork recomputed from `work` where they have
    gone stale; the same list when they agree (the usual case)."""
    fixes = _fixes(extras, work)
    if fixes is None:
        return extras
    return [fixes.get(frag[: frag.find(">") + 1], frag) for frag in extras]


def _fixes(extras: list[str], work: int | None) -> dict[str, str] | None:
    """The recomputed fragments by opening tag (`<RegularWork>`), or None when the carried
    values agree with `work` (or do not read, and are then left as they came)."""
    if work is None or not extras:
        return None
    texts = _texts(extras)
    if "RegularWork" not in texts and "RemainingWork" not in texts:
        return None
    # Nearly every row: no overtime, no actual work, both fields exactly the work's text.
    as_text = codes.format_iso_minutes(work)
    if (
        texts.get("OvertimeWork", _ZERO) == _ZERO
        and texts.get("ActualWork", _ZERO) == _ZERO
        and texts.get("RegularWork", as_text) == as_text
        and texts.get("RemainingWork", as_text) == as_text
    ):
        return None
    derived = _derived(texts, work)
    if derived is None:
        return None
    carried = {tag: codes.parse_iso_minutes(texts[tag]) for tag in derived}
    if None in carried.values() or carried == derived:
        return None
    return {
        f"<{tag}>": f"<{tag}>{codes.format_iso_minutes(minutes)}</{tag}>"
        for tag, minutes in derived.items()
    }
