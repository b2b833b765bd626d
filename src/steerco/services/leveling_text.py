"""Leveling explanations in a project manager's words:
"delayed 3d: Ana over-allocated 12-14 Jan by Task 42"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from steerco.engine.rcpsp import DelayExplanation
from steerco.engine.rcpsp.splitting import Pause
from steerco.engine.result import ScheduleResult
from steerco.engine.snapshot import Snapshot
from steerco.services.leveling_model import LevelingModel

_MAX_NAMES = 3


@dataclass(frozen=True, slots=True)
class SplitTask:
    uid: int
    name: str
    pauses: tuple[tuple[datetime, datetime], ...]  # end of the work before, start after
    explanation: str  # "split: paused 7 Jan while Ana works on Deploy"


def format_work(minutes: int, minutes_per_day: int) -> str:
    """Working time as MS Project shows it: days when whole or long, else hours/minutes."""
    if minutes % minutes_per_day == 0 or minutes >= minutes_per_day:
        return f"{round(minutes / minutes_per_day, 2):g}d"
    if minutes % 60 == 0 or minutes >= 60:
        return f"{round(minutes / 60, 2):g}h"
    return f"{minutes}m"


def day_range(first: date, last: date) -> str:
    """12-14 Jan, 30 Jan-2 Feb, 12 Jan; the year only when the range crosses one."""
    if first == last:
        return f"{first.day} {first:%b}"
    if first.year != last.year:
        return f"{first.day} {first:%b %Y}-{last.day} {last:%b %Y}"
    if first.month == last.month:
        return f"{first.day}-{last.day} {first:%b}"
    return f"{first.day} {first:%b}-{last.day} {last:%b}"


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:_MAX_NAMES])
    more = len(names) - _MAX_NAMES
    return shown + (f" and {more} more" if more > 0 else "")


def explain_delay(
    amount: str,
    why: DelayExplanation | None,
    model: LevelingModel,
    snap: Snapshot,
) -> str:
    """One line for a delayed task, from the solver's explanation of its activity."""
    if why is None:
        return f"delayed {amount}: moved to a whole leveling period"
    parts: list[str] = []
    names = model.problem
    if why.predecessor_delay > 0 and why.driving_predecessor is not None:
        pred = names.label(why.driving_predecessor)
        parts.append(f"waits for {pred}, itself delayed")
    cal0 = snap.calendars[0]
    # One clause per resource: its full days in order, then everyone who filled them.
    by_resource: dict[int, tuple[list[str], list[str]]] = {}
    for conflict in why.conflicts:
        days, who = by_resource.setdefault(conflict.resource, ([], []))
        first = cal0.start_at(model.offset(conflict.start)).date()
        last = cal0.finish_at(model.offset(conflict.end)).date()
        days.append(day_range(first, last))
        who += [names.label(a) for a in conflict.activities if names.label(a) not in who]
    for r, (days, who) in by_resource.items():
        by = f" by {_names(who)}" if who else ""
        parts.append(f"{names.resource_label(r)} over-allocated {', '.join(days)}{by}")
    if not parts:
        parts.append("held back so that no resource is over-allocated")
    return f"delayed {amount}: " + "; ".join(parts)


def explain_splits(
    snap: Snapshot,
    model: LevelingModel,
    pauses: dict[int, tuple[Pause, ...]],
    after: ScheduleResult,
) -> tuple[SplitTask, ...]:
    """Each task leveling split, with its pauses in a project manager's words."""
    problem, cal = model.problem, snap.calendars[0]
    out: list[SplitTask] = []
    for k, ps in pauses.items():
        uid = snap.uids[model.tasks[k]]
        dates = after.pauses.get(uid, ())
        mine = set(problem.activities[k].demands)
        clauses = []
        for (a, b), p in zip(dates, ps, strict=False):
            first = cal.start_at(cal.offset(a)).date()
            last = cal.finish_at(cal.offset(b)).date()
            shared = sorted({r for x in p.blockers for r in problem.activities[x].demands} & mine)
            busy = ", ".join(problem.resource_label(r) for r in shared)
            who = _names([problem.label(x) for x in p.blockers])
            clauses.append(
                f"paused {day_range(first, last)}: {busy} over-allocated by {who}"
                if who
                else f"paused {day_range(first, last)}"
            )
        name = snap.names[model.tasks[k]]
        out.append(SplitTask(uid, name, dates, "split: " + "; ".join(clauses)))
    out.sort(key=lambda t: (t.pauses[0][0] if t.pauses else after.tasks[t.uid].start, t.uid))
    return tuple(out)
