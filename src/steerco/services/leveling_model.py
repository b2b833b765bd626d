"""A scheduled plan as an integer leveling problem (engine.rcpsp), and back to dates.

Time is the project calendar's working minutes (its offsets), counted from the earliest task
start and cut into periods of `period` minutes. The period is the largest one every duration,
lag, start and date limit is a whole number of (a working day on a plan of whole days), so the
problem is exact; when nothing that coarse fits (minutes, elapsed time, several calendars) it is
the GCD with a floor of `MIN_PERIOD`, and every quantity is rounded the safe way: durations and
link distances up, releases up, latest starts and deadlines down. The leveled plan is then
re-derived by the CPM engine and checked minute by minute (services/leveling_check.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import gcd

from steerco.domain import Project, Resource, ResourceKind, ValidationError
from steerco.engine.arith import Arithmetic
from steerco.engine.calendar import CompiledCalendar
from steerco.engine.cpm import ScheduleState
from steerco.engine.rcpsp import NEVER_DELAY, LinkType, ProblemBuilder, ProblemData
from steerco.engine.snapshot import ALAP, FF, FNLT, FS, LAG_WORK, MFO, MSO, SNLT, SS, Snapshot

MIN_PERIOD = 15  # minutes: finer periods buy nothing a project manager would see
MAX_PERIODS = 400_000  # keeps the solver's time lines small on long plans with fine periods
UNIT_SCALE = 1000  # units (1.0 = 100%) as integer thousandths


@dataclass(frozen=True, slots=True)
class LevelingModel:
    problem: ProblemData
    tasks: tuple[int, ...]  # snapshot index of each activity
    movable: tuple[bool, ...]  # per activity: leveling may delay it
    origin: int  # project-calendar offset of period 0
    period: int  # working minutes per period
    exact: bool  # every quantity was a whole number of periods
    resource_uids: tuple[int, ...]  # per problem resource

    def offset(self, period: int) -> int:
        return self.origin + period * self.period


def _ceil(a: int, b: int) -> int:
    return -(-a // b)


def fixed_reason(state: ScheduleState, i: int) -> str | None:
    """Why leveling may not move task `i` (None if it may)."""
    snap = state.snapshot
    if snap.manual[i]:
        return "manual"
    if snap.actual_start[i] is not None or snap.percent_complete[i] > 0:
        return "started"
    if snap.constraint[i] in (MSO, MFO):
        return "must start/finish on a date"
    if snap.constraint[i] == ALAP:
        return "as late as possible"
    return None


def build_model(
    project: Project, state: ScheduleState, priorities: dict[int, int]
) -> LevelingModel:
    snap = state.snapshot
    sched = state.scheduled
    cals = snap.calendars
    cal0 = cals[0]
    passes = Arithmetic(snap, state.status_date)
    # Finished work is history: it neither moves nor competes for anyone's time any more (a
    # past over-allocation must not make today's plan impossible to level).
    leaves = [i for i in range(snap.size) if not snap.summary[i] and snap.actual_finish[i] is None]
    live = set(leaves)
    exact = True

    start0: dict[int, int] = {}
    dur0: dict[int, int] = {}
    for i in leaves:
        if snap.cal[i] == 0 and not snap.elapsed[i] and i not in sched.exact_start:
            s, f = sched.start[i], sched.finish[i]
        else:
            exact = False
            s = cal0.offset(passes.moment(i, sched, False))
            f = cal0.offset(passes.moment(i, sched, True))
        start0[i], dur0[i] = s, max(0, f - s)
    origin = min(start0.values(), default=0)

    # Leaf-level links: a link on a summary binds each of its subtasks (a link out of a
    # summary's start binds through every subtask: stronger than MS Project, never weaker).
    pairs: list[tuple[int, int, int]] = []  # (pred leaf, succ leaf, start-to-start minutes)
    for s_task in range(snap.size):
        for link in snap.preds[s_task]:
            lag, elapsed = (link.lag, False) if link.lag_kind == LAG_WORK else passes.lag_of(link)
            if elapsed:
                exact = False
            p_leaves = snap.leaves_under[link.pred] if snap.summary[link.pred] else (link.pred,)
            s_leaves = snap.leaves_under[s_task] if snap.summary[s_task] else (s_task,)
            for p in p_leaves:
                if p not in live:
                    continue  # a finished predecessor: its successor's early start has it
                for s in s_leaves:
                    if s not in live:
                        continue
                    lag0 = lag
                    if elapsed or snap.cal[s] != 0:
                        # Wall-clock or other-calendar lag: as project-calendar minutes where
                        # the plan has it now (the engine re-derives the real dates anyway).
                        exact = False
                        if elapsed:
                            ref = start0[p] + (dur0[p] if link.type in (FS, FF) else 0)
                            moved = cal0.start_at(ref) + timedelta(minutes=lag)
                            lag0 = cal0.offset(moved) - ref
                    pairs.append((p, s, _start_lag(link.type, dur0[p], dur0[s], lag0)))

    quantities = [start0[i] - origin for i in leaves] + [dur0[i] for i in leaves]
    quantities += [abs(d) for _, _, d in pairs]
    limits: dict[int, tuple[int | None, int | None]] = {}
    for i in leaves:
        latest, deadline = _limits(snap, i, cal0)
        limits[i] = (latest, deadline)
        quantities += [abs(v - origin) for v in (latest, deadline) if v is not None]
    period = 0
    for q in quantities:
        period = gcd(period, q)
    span = max((start0[i] + dur0[i] - origin for i in leaves), default=0)
    if period == 0:
        period = project.work_time.minutes_per_day
    if period < MIN_PERIOD or span // period > MAX_PERIODS:
        exact = False
        period = max(MIN_PERIOD, _ceil(span, MAX_PERIODS))
        period = _ceil(period, MIN_PERIOD) * MIN_PERIOD

    # Resources: work resources MS Project may level, units as integer thousandths.
    work = leveled_resources(project)
    demand: dict[int, dict[int, int]] = {}
    for a in project.assignments:
        if a.resource_uid in work and a.units > 0:
            per = demand.setdefault(a.task_uid, {})
            per[a.resource_uid] = per.get(a.resource_uid, 0) + round(a.units * UNIT_SCALE)
    used = sorted({r for per in demand.values() for r in per})
    builder = ProblemBuilder()
    index: dict[int, int] = {}
    for r_uid in used:
        res = work[r_uid]
        index[r_uid] = builder.add_resource(round(res.max_units * UNIT_SCALE), name=res.name)

    act_of: dict[int, int] = {}
    movable: list[bool] = []
    for i in leaves:
        fixed = fixed_reason(state, i) is not None
        at = start0[i] - origin
        if fixed:
            release = at // period
            duration = _ceil(at + dur0[i], period) - release
        else:
            release = _ceil(at, period)
            duration = _ceil(dur0[i], period)
        needs: dict[int, int] = {}
        if dur0[i] > 0:
            for r_uid, q in demand.get(snap.uids[i], {}).items():
                res = work[r_uid]
                if q > round(res.max_units * UNIT_SCALE):
                    raise ValidationError(
                        f"task {snap.names[i]!r} needs {q / 10:g}% of {res.name!r}, whose max"
                        f" units are {res.max_units * 100:g}%: no delay can fix that"
                    )
                needs[index[r_uid]] = q
        latest, deadline = limits[i]
        latest_p = None if latest is None else (latest - origin) // period
        deadline_p = None if deadline is None else (deadline - origin) // period
        # A limit the unleveled plan already misses is MS Project's problem to show, not one
        # leveling can solve: it is left out rather than making the plan infeasible.
        if latest_p is not None and latest_p < release:
            latest_p = None
        if deadline_p is not None and deadline_p < release + duration:
            deadline_p = None
        priority = priorities.get(snap.uids[i], 500)
        act_of[i] = builder.add_activity(
            duration,
            needs,
            release=release,
            latest_start=release if fixed else latest_p,
            deadline=None if fixed else deadline_p,
            priority=NEVER_DELAY if fixed else priority,
            name=snap.names[i],
        )
        movable.append(not fixed and priority < NEVER_DELAY)
    fixed_set = {i for i in leaves if fixed_reason(state, i) is not None}
    best: dict[tuple[int, int], int] = {}
    for p, s, minutes in pairs:
        if s in fixed_set:
            continue  # links do not move a manual, started or pinned task
        key = (act_of[p], act_of[s])
        best[key] = max(best.get(key, minutes), minutes)
    for (p_act, s_act), minutes in best.items():
        builder.add_link(p_act, s_act, LinkType.SS, _ceil(minutes, period))
    exact = exact and all(m % period == 0 for m in best.values())
    return LevelingModel(
        problem=builder.build(),
        tasks=tuple(leaves),
        movable=tuple(movable),
        origin=origin,
        period=period,
        exact=exact,
        resource_uids=tuple(used),
    )


def _start_lag(kind: int, pred: int, succ: int, lag: int) -> int:
    """start(succ) >= start(pred) + this, for fixed durations (minutes)."""
    if kind == FS:
        return pred + lag
    if kind == SS:
        return lag
    if kind == FF:
        return pred + lag - succ
    return lag - succ  # SF


def _limits(snap: Snapshot, i: int, cal0: CompiledCalendar) -> tuple[int | None, int | None]:
    """(latest start, latest finish) offsets on the project calendar from SNLT/FNLT and the
    deadline."""
    kind, date = snap.constraint[i], snap.constraint_date[i]
    latest = cal0.offset(date) if date is not None and kind == SNLT else None
    finishes: list[datetime] = []
    if date is not None and kind == FNLT:
        finishes.append(date)
    due = snap.deadline[i]
    if due is not None:
        finishes.append(due)
    deadline = cal0.offset(min(finishes)) if finishes else None
    return latest, deadline


def leveled_resources(project: Project) -> dict[int, Resource]:
    """The resources leveling keeps within max units, by uid: work resources whose Can Level
    is on. Material and cost resources have no capacity in time, and one with Can Level off
    is left over-allocated on purpose (overtime, a shared room), as MS Project does.

    Can Level counts only when some work resource has it on. A plan in which every one has
    it off did not get that way by anyone's choice: tools that write MS Project XML without
    setting the flag write 0 for every resource (MPXJ does), and leveling such a plan must
    still level it, not leave every resource over-allocated and call that leveled."""
    work = [r for r in project.resources if r.kind is ResourceKind.WORK]
    if any(r.can_level for r in work):
        work = [r for r in work if r.can_level]
    return {r.uid: r for r in work}


def unleveled(project: Project) -> list[Resource]:
    """Work resources leveling leaves as booked (their Can Level is off; see above)."""
    kept = leveled_resources(project)
    return [r for r in project.resources if r.kind is ResourceKind.WORK and r.uid not in kept]
