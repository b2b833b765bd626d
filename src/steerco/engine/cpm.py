"""The critical path method, MS Project style: `schedule(project) -> ScheduleResult`.

Pure: the only notion of "now" is the `status_date` the caller passes in. Without one,
in-progress tasks keep their actual start and run their duration from it, as MS Project does
by default; with one, remaining work cannot run before it and unstarted tasks cannot start
before it (MS Project's "move remaining parts after the status date" options).
The project's stored `status_date` is not applied implicitly, so that a plan read from MS
Project reschedules to the dates MS Project itself computed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from steerco.domain.project import Project
from steerco.engine.passes import Pass, Passes
from steerco.engine.report import build_result
from steerco.engine.result import ScheduleResult
from steerco.engine.snapshot import ALAP, Snapshot, build_snapshot

DEFAULT_NEAR_CRITICAL = 2 * 480  # total slack (working minutes) under which a task is "near"


@dataclass(frozen=True, slots=True)
class ScheduleState:
    """The raw outcome of the passes, in calendar offsets: the input of results and of
    incremental rescheduling."""

    snapshot: Snapshot
    early: Pass
    late: Pass
    scheduled: Pass
    start: datetime
    finish: datetime
    status_date: datetime | None


def schedule(
    project: Project,
    *,
    status_date: datetime | None = None,
    near_critical: int = DEFAULT_NEAR_CRITICAL,
    explain: bool = True,
) -> ScheduleResult:
    """Schedule `project`. Raises DependencyCycle if its links loop. With `explain=False`
    drivers are worked out on first use (see report.build_result)."""
    return schedule_snapshot(
        build_snapshot(project),
        status_date=status_date,
        near_critical=near_critical,
        explain=explain,
    )


def schedule_snapshot(
    snap: Snapshot,
    *,
    status_date: datetime | None = None,
    near_critical: int = DEFAULT_NEAR_CRITICAL,
    explain: bool = True,
) -> ScheduleResult:
    state = compute(snap, status_date=status_date)
    return build_result(state, near_critical=near_critical, explain=explain)


def compute(snap: Snapshot, *, status_date: datetime | None = None) -> ScheduleState:
    """Run the passes; no result objects are built (see report.build_result)."""
    if snap.size == 0:
        empty = Pass([], [])
        start = snap.project_start
        return ScheduleState(
            snap, empty, empty, empty, start, snap.project_finish or start, status_date
        )
    passes = Passes(snap, status_date)
    if not snap.schedule_from_start and snap.project_finish is not None:
        # Scheduled from the finish: late dates first, then the start is the earliest of them.
        probe = passes.forward()
        late = passes.backward(probe, snap.project_finish)
        snap = replace(snap, project_start=min(_late_starts(passes, late)))
        passes = Passes(snap, status_date)
    early = passes.forward()
    finish = (
        max(_finishes(passes, early))
        if snap.schedule_from_start or snap.project_finish is None
        else snap.project_finish
    )
    late = passes.backward(early, finish)
    pinned = {
        i: late.start[i]
        for i in range(snap.size)
        if snap.constraint[i] == ALAP
        and not snap.summary[i]
        and not snap.manual[i]
        and snap.actual_start[i] is None
    }
    # An elapsed ALAP task keeps the wall-clock moments of its late dates (it may start on a
    # Thursday evening and finish on Friday at 17:00), as MS Project and MPXJ place it.
    exact = {i: late.exact_finish[i] for i in pinned if snap.elapsed[i] and i in late.exact_finish}
    scheduled = passes.forward(pinned, exact) if pinned else early
    start = min(_starts(passes, scheduled))
    return ScheduleState(snap, early, late, scheduled, start, finish, status_date)


def project_finish(passes: Passes, res: Pass) -> datetime:
    """The latest finish of any task: where the backward pass starts."""
    return max(_finishes(passes, res))


def leaves(snap: Snapshot) -> list[int]:
    return [i for i in range(snap.size) if not snap.summary[i]]


def _extreme(passes: Passes, values: list[int], latest: bool) -> dict[int, int]:
    """The latest (or earliest) offset per calendar, so only a few offsets become dates."""
    snap = passes.snap
    best: dict[int, int] = {}
    cal, summary = snap.cal, snap.summary
    for i, value in enumerate(values):
        if summary[i]:
            continue
        c = cal[i]
        old = best.get(c)
        if old is None or (value > old if latest else value < old):
            best[c] = value
    return best


def _finishes(passes: Passes, res: Pass) -> list[datetime]:
    latest = _extreme(passes, res.finish, True)
    out = [passes.cals[c].finish_at(v) for c, v in latest.items()]
    snap = passes.snap
    for i in range(snap.size):
        # A milestone at a day boundary shows the next morning, not the previous evening.
        c = snap.cal[i]
        if snap.milestone[i] and not snap.summary[i] and res.finish[i] == latest.get(c):
            cal = passes.cals[c]
            out.append(
                cal.finish_at(res.start[i]) if res.at_finish[i] else cal.start_at(res.start[i])
            )
    return out + list(res.exact_finish.values())


def _starts(passes: Passes, res: Pass) -> list[datetime]:
    return [passes.cals[c].start_at(v) for c, v in _extreme(passes, res.start, False).items()]


def _late_starts(passes: Passes, late: Pass) -> list[datetime]:
    return _starts(passes, late)
