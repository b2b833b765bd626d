"""Turn the passes' offsets into a ScheduleResult: dates, slack, critical path, drivers."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from steerco.domain.task import live_splits
from steerco.engine.passes import (
    D_ACTUAL,
    D_CONSTRAINT,
    D_LEVELING,
    D_LINK,
    D_MANUAL,
    D_PARENT,
    D_START,
    D_STATUS,
    Pass,
)
from steerco.engine.result import (
    Driver,
    DriverKind,
    ScheduleConflict,
    ScheduleResult,
    ScheduleStatus,
    TaskTimes,
)
from steerco.engine.snapshot import FF, FS, LINK_NAMES, SF, SS, Snapshot

if TYPE_CHECKING:
    from steerco.engine.cpm import ScheduleState

_CONSTRAINT_NAMES = (
    "As Soon As Possible",
    "As Late As Possible",
    "Must Start On",
    "Must Finish On",
    "Start No Earlier Than",
    "Start No Later Than",
    "Finish No Earlier Than",
    "Finish No Later Than",
)


def fmt(when: datetime) -> str:
    # Every task's driver names its start: 100,000 of them share a few thousand dates.
    text = _SHOWN.get(when)
    if text is None or when.tzinfo is not None:
        text = when.strftime("%a %d %b %Y %H:%M")
        if when.tzinfo is None:
            if len(_SHOWN) >= 8192:
                _SHOWN.clear()
            _SHOWN[when] = text
    return text


_SHOWN: dict[datetime, str] = {}


def build_result(
    state: ScheduleState, *, near_critical: int, explain: bool = True
) -> ScheduleResult:
    """With `explain=False` each task's times and driver are worked out only when read (see
    TaskTimes, TimesOnDemand): for a run whose state nobody touches afterwards, such as a
    file scheduled to a file."""
    snap = state.snapshot
    early, late = state.early, state.late
    # Working minutes each task can slip: the smaller of start and finish slack (MS Project);
    # once started, only the finish can slip. One comprehension, not 100,000 calls.
    started, es_, ef_, ls_, lf_ = (
        snap.actual_start,
        early.start,
        early.finish,
        late.start,
        late.finish,
    )
    slack_of = [
        lf_[i] - ef_[i] if started[i] is not None else min(ls_[i] - es_[i], lf_[i] - ef_[i])
        for i in range(snap.size)
    ]
    for s in range(snap.size):
        if snap.summary[s]:
            # A summary's own offsets are wall-clock minutes; its slack is its subtasks'.
            slack_of[s] = min((slack_of[c] for c in snap.leaves_under[s]), default=0)
    free = _free_slacks(snap, early, state)
    times: Callable[[int], TaskTimes] = partial(_times, snap, state, slack_of, free, explain)
    tasks: Mapping[int, TaskTimes]
    if explain:
        tasks = {uid: times(i) for i, uid in enumerate(snap.uids)}
    else:
        tasks = TimesOnDemand(snap.uids, times)
    summaries, finished = snap.summary, snap.actual_finish
    conflicts = [
        ScheduleConflict(
            snap.uids[i],
            f"{snap.names[i]!r} has {_days(-total)} of negative slack: "
            + _conflict_reason(snap, i),
            total,
        )
        for i, total in enumerate(slack_of)
        if total < 0 and not summaries[i] and finished[i] is None
    ]
    # The critical and near-critical tasks by early start; a stable sort of rising indexes
    # breaks ties by index. Only those tasks' dates are needed here.
    listed = [
        i
        for i in range(snap.size)
        if not summaries[i]
        and ((slack_of[i] <= 0 and finished[i] is None) or 0 < slack_of[i] <= near_critical)
    ]
    uids = snap.uids
    order = sorted(listed, key=lambda i: tasks[uids[i]].early_start)
    critical = [uids[i] for i in order if slack_of[i] <= 0]
    near = [uids[i] for i in order if slack_of[i] > 0]
    paused = snap.paused
    return ScheduleResult(
        status=ScheduleStatus.CONFLICT if conflicts else ScheduleStatus.OK,
        start=state.start,
        finish=state.finish,
        tasks=tasks,
        critical_path=critical,
        near_critical=near,
        conflicts=conflicts,
        pauses={
            uids[i]: pause_dates(snap, state.scheduled, i)
            for i in range(snap.size)
            if paused[i] and snap.actual_start[i] is None and not snap.manual[i]
        },
    )


def pause_dates(snap: Snapshot, res: Pass, i: int) -> tuple[tuple[datetime, datetime], ...]:
    """Where a split task's pauses fall: from the end of the work before each to the start
    of the work after it, in the task's calendar."""
    cal = snap.calendars[snap.cal[i]]
    minutes = snap.duration[i] - snap.paused[i]
    at, out = res.start[i], []
    for done, gap in live_splits(minutes, snap.splits[i]):
        out.append((cal.finish_at(at + done), cal.start_at(at + done + gap)))
        at += gap
    return tuple(out)


def _times(
    snap: Snapshot,
    state: ScheduleState,
    slack_of: list[int],
    free: list[int],
    explain: bool,
    i: int,
) -> TaskTimes:
    """Task i's dates, slack and driver from the passes' offsets."""
    early, late, sched = state.early, state.late, state.scheduled
    start, finish = task_dates(snap, sched, i)
    # Without pinned work the scheduled pass is the early pass itself: same dates.
    es, ef = (start, finish) if sched is early else task_dates(snap, early, i)
    lf, ls = late.finish[i], late.start[i]
    if ls == early.start[i] and lf == early.finish[i]:
        ls_dt, lf_dt = es, ef  # same offsets: show them the way the early dates show
    else:
        cal = snap.calendars[snap.cal[i]]
        lf_dt = late.exact_finish.get(i) or cal.finish_at(lf)
        ls_dt = lf_dt if snap.milestone[i] and not snap.summary[i] else cal.start_at(ls)
    total = slack_of[i]
    return TaskTimes(
        snap.uids[i],
        start,
        finish,
        es,
        ef,
        ls_dt,
        lf_dt,
        total,
        min(total, free[i]),
        total <= 0 and snap.actual_finish[i] is None,
        _driver(snap, sched, i, start) if explain else partial(_driver, snap, sched, i, start),
    )


class TimesOnDemand(Mapping[int, TaskTimes]):
    """`ScheduleResult.tasks` of a run nobody changes afterwards (`explain=False`, a file
    scheduled to a file): each task's times are worked out when first read, then kept. The
    MSPDI writer reads them row by row, so a writer that renders its rows in two processes
    (cli/forked.py) works out each half in the process that writes it, not all in one."""

    __slots__ = ("_at", "_done", "_make")

    def __init__(self, uids: Sequence[int], make: Callable[[int], TaskTimes]) -> None:
        self._at = {uid: i for i, uid in enumerate(uids)}
        self._done: dict[int, TaskTimes] = {}
        self._make = make

    def __getitem__(self, uid: int) -> TaskTimes:
        got = self.get(uid)
        if got is None:
            raise KeyError(uid)
        return got

    def get(self, uid: int, default: TaskTimes | None = None) -> TaskTimes | None:  # type: ignore[override]
        got = self._done.get(uid)
        if got is None:
            i = self._at.get(uid)
            if i is None:
                return default
            got = self._done[uid] = self._make(i)
        return got

    def __iter__(self) -> Iterator[int]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)

    def __reduce__(self) -> tuple[type[dict[int, TaskTimes]], tuple[dict[int, TaskTimes]]]:
        return (dict, (dict(self.items()),))  # a copy or a pickle holds plain values


def task_dates(snap: Snapshot, res: Pass, i: int) -> tuple[datetime, datetime]:
    """Start and finish as MS Project shows them: exact manual and actual dates are kept."""
    cal = snap.calendars[snap.cal[i]]
    if snap.manual[i] and not snap.summary[i]:
        ms, mf = snap.manual_start[i], snap.manual_finish[i]
        start = ms or cal.start_at(res.start[i])
        return start, mf or cal.finish_at(res.finish[i])
    actual = snap.actual_start[i] if not snap.summary[i] else None
    if actual is not None:
        start = actual
    elif i in res.exact_start:
        start = res.exact_start[i]
    elif res.at_finish[i]:
        start = cal.finish_at(res.start[i])
    else:
        start = cal.start_at(res.start[i])
    done = snap.actual_finish[i] if not snap.summary[i] else None
    if done is not None:
        finish = done
    elif snap.milestone[i] and not snap.summary[i] and res.finish[i] == res.start[i]:
        finish = start
    else:
        finish = res.exact_finish.get(i) or cal.finish_at(res.finish[i])
    # A zero-length span at a day boundary (a summary of milestones) must not end before it starts.
    return start, max(start, finish)


def _free_slacks(snap: Snapshot, early: Pass, state: ScheduleState) -> list[int]:
    """How far each task can slip before it moves any successor (or the project finish).
    One loop over the plan on local columns: it runs once per task and link."""
    cal, succs, summary, calendars = snap.cal, snap.succs, snap.summary, snap.calendars
    es, ef = early.start, early.finish
    project_end: dict[int, int] = {}  # the project finish as an offset, per calendar
    out: list[int] = []
    for i in range(snap.size):
        ci = cal[i]
        best: int | None = None
        for link in succs[i]:
            j = link.succ
            if cal[j] != ci or link.lag_kind != 0:
                continue  # conservatively ignore cross-calendar links; total slack caps it
            kind = link.type
            if kind == FS:
                gap = es[j] - link.lag - ef[i]
            elif kind == SS:
                gap = es[j] - link.lag - es[i]
            elif summary[j]:
                continue  # FF and SF into a summary
            elif kind == FF:
                gap = ef[j] - link.lag - ef[i]
            else:
                gap = ef[j] - link.lag - es[i]
            if best is None or gap < best:
                best = gap
        if best is None:
            end = project_end.get(ci)
            if end is None:
                end = project_end[ci] = calendars[ci].offset(state.finish)
            out.append(end - ef[i])
        else:
            out.append(best if best > 0 else 0)
    return out


def _driver(snap: Snapshot, res: Pass, i: int, start: datetime) -> Driver:
    kind = res.driver[i] if res.driver else D_START
    link = res.driver_link[i] if res.driver_link else None
    name = snap.names[i]
    when = fmt(start)
    if snap.summary[i]:
        return Driver(DriverKind.PARENT, f"{name!r} spans its subtasks; the earliest starts {when}")
    if kind == D_MANUAL:
        return Driver(DriverKind.MANUAL, f"{name!r} is manually scheduled at {when}")
    if kind == D_ACTUAL:
        return Driver(DriverKind.ACTUAL, f"{name!r} actually started {when}")
    if kind == D_STATUS:
        return Driver(
            DriverKind.STATUS_DATE, f"unstarted work cannot start before the status date, {when}"
        )
    if kind == D_LEVELING:
        delay = snap.delay[i]
        held = f"{delay / 1440:g}ed" if snap.delay_elapsed[i] else _days(delay)
        return Driver(
            DriverKind.LEVELING, f"{name!r} is held back {held} by resource leveling: starts {when}"
        )
    if kind == D_CONSTRAINT:
        date = snap.constraint_date[i]
        label = _CONSTRAINT_NAMES[snap.constraint[i]]
        on = f" {fmt(date)}" if date is not None else ""
        return Driver(
            DriverKind.CONSTRAINT, f"{name!r} has the constraint {label}{on}: starts {when}"
        )
    if kind in (D_LINK, D_PARENT) and link is not None:
        pred = snap.names[link.pred]
        text = link.text or LINK_NAMES[link.type]
        what = {FS: "finishes", SS: "starts", FF: "finishes", SF: "starts"}[link.type]
        via = f" (through its summary {snap.names[link.succ]!r})" if kind == D_PARENT else ""
        return Driver(
            DriverKind.PREDECESSOR,
            f"predecessor {pred!r} ({text}) {what} then{via}; {name!r} starts at the next"
            f" working time, {when}",
            task_uid=snap.uids[link.pred],
            link=text,
        )
    if kind == D_PARENT:
        return Driver(DriverKind.PARENT, f"its summary task's start constraint: starts {when}")
    return Driver(DriverKind.PROJECT_START, f"no predecessor: starts at the project start, {when}")


def _conflict_reason(snap: Snapshot, i: int) -> str:
    deadline = snap.deadline[i]
    if deadline is not None:
        return f"it cannot meet its deadline {fmt(deadline)} or a successor's limit"
    date = snap.constraint_date[i]
    if date is not None and snap.constraint[i] >= 2:
        label = _CONSTRAINT_NAMES[snap.constraint[i]]
        return f"its links push it past its constraint {label} {fmt(date)}, or a successor's"
    return "a successor's constraint or deadline cannot be met"


def _days(minutes: int) -> str:
    return f"{minutes / 480:g}d" if minutes % 48 == 0 else f"{minutes}m"
