"""An independent check of a leveled plan, from its dates alone (not the solver's periods).

It compares the leveled schedule with the unleveled one of the same plan and the plan's own
links, constraints and assignments: every task keeps its working duration (a split task's
pauses are not work), only moves later,
keeps its links (with lags, on the successor's calendar) and its date constraints, and no work
resource is booked above its max units at any minute ([start, finish) of each task, less its
pauses, summed).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from steerco.domain import ConstraintType, LinkType, Project, Task
from steerco.engine.calendar import CompiledCalendar
from steerco.engine.result import ScheduleResult
from steerco.engine.snapshot import Snapshot
from steerco.services.leveling_model import leveled_resources

EPS = 1e-9


def check_leveled(
    project: Project, snap: Snapshot, before: ScheduleResult, after: ScheduleResult
) -> list[str]:
    """Problems found, as sentences; empty when the leveled plan is sound."""
    problems: list[str] = []
    index = {uid: i for i, uid in enumerate(snap.uids)}
    # One lookup table: `Project.task` scans the list, which made this check quadratic
    # (19 s of a 10,000-task `steerco level`).
    tasks = {t.uid: t for t in project.tasks}
    leaves = {snap.uids[i] for i in range(snap.size) if not snap.summary[i]}
    for uid in leaves:
        i = index[uid]
        old, new = before.tasks[uid], after.tasks[uid]
        cal = snap.calendars[snap.cal[i]]
        name = snap.names[i]
        earlier = _earlier(cal)
        if earlier(new.start, old.start):
            problems.append(f"{name!r} moved earlier: {new.start} < {old.start}")
        if snap.elapsed[i]:
            same = new.finish - new.start == old.finish - old.start
        else:
            # A split task's pauses are not work: its working duration is its stretches of work.
            same = _work(after, uid, cal) == _work(before, uid, cal)
        if not same:
            problems.append(f"{name!r} changed duration")
        problems += _constraint(
            tasks[uid], name, old.start, old.finish, new.start, new.finish, earlier
        )
    # A link counts if it held in the unleveled plan by this measure (on a calendar of its
    # own, or with elapsed time, MS Project's rules can differ from a plain comparison).
    held = set(_links(project, tasks, snap, index, before))
    problems += [p for p in _links(project, tasks, snap, index, after) if p not in held]
    # Finished tasks are history (see leveling_model): only live work is checked for capacity.
    live = {uid for uid in leaves if snap.actual_finish[index[uid]] is None}
    problems += _overload(project, live, after)
    return problems


def _work(result: ScheduleResult, uid: int, cal: CompiledCalendar) -> int:
    return sum(cal.offset(b) - cal.offset(a) for a, b in result.work_spans(uid))


def _earlier(cal: CompiledCalendar) -> Callable[[datetime, datetime], bool]:
    """`a` before `b` both on the clock and in working time: a milestone at 17:00 is at the
    same working moment as 08:00 the next working day, which is not earlier."""

    def earlier(a: datetime, b: datetime) -> bool:
        return a < b and cal.offset(a) < cal.offset(b)

    return earlier


def _constraint(
    task: Task,
    name: str,
    old_start: datetime,
    old_finish: datetime,
    start: datetime,
    finish: datetime,
    earlier: Callable[[datetime, datetime], bool],
) -> list[str]:
    kind, date = task.constraint, task.constraint_date
    out: list[str] = []
    if date is not None:
        if kind is ConstraintType.SNET and earlier(start, date) and not earlier(old_start, date):
            out.append(f"{name!r} starts before its SNET date")
        if kind is ConstraintType.SNLT and earlier(date, start) and not earlier(date, old_start):
            out.append(f"{name!r} starts after its SNLT date")
        if kind is ConstraintType.FNLT and earlier(date, finish) and not earlier(date, old_finish):
            out.append(f"{name!r} finishes after its FNLT date")
        if kind in (ConstraintType.MSO, ConstraintType.MFO) and (start, finish) != (
            old_start,
            old_finish,
        ):
            out.append(f"{name!r} moved off its {kind.value} date")
    due = task.deadline
    if due is not None and earlier(due, finish) and not earlier(due, old_finish):
        out.append(f"{name!r} now misses its deadline")
    return out


def _links(
    project: Project,
    tasks: dict[int, Task],
    snap: Snapshot,
    index: dict[int, int],
    after: ScheduleResult,
) -> list[str]:
    out: list[str] = []
    for dep in project.dependencies:
        if dep.predecessor not in after.tasks or dep.successor not in after.tasks:
            continue
        p, s = after.tasks[dep.predecessor], after.tasks[dep.successor]
        succ = tasks[dep.successor]
        if succ.manual or succ.actual_start is not None:
            continue  # MS Project does not move these for their links
        if succ.constraint in (ConstraintType.MSO, ConstraintType.MFO):
            continue  # constraints win over links
        from_finish = dep.type in (LinkType.FS, LinkType.FF)
        to_finish = dep.type in (LinkType.FF, LinkType.SF)
        ref = p.finish if from_finish else p.start
        mine = s.finish if to_finish else s.start
        lag = dep.lag
        if lag.percent is not None:
            pred_minutes = tasks[dep.predecessor].duration.minutes
            lag_minutes, elapsed = round(pred_minutes * lag.percent / 100), False
        else:
            lag_minutes, elapsed = lag.minutes, lag.elapsed
        cal = snap.calendars[snap.cal[index[dep.successor]]]
        si = index[dep.successor]
        if to_finish and (elapsed or snap.elapsed[si]):
            # MS Project's rule for a finish link with wall-clock time in it: the successor's
            # duration comes off the predecessor's moment first, then the lag is added.
            if snap.elapsed[si]:
                base = ref - timedelta(minutes=snap.duration[si])
            else:
                base = cal.start_at(cal.offset(ref) - snap.duration[si])
            gap = timedelta(minutes=lag_minutes) if elapsed else timedelta(0)
            shift = 0 if elapsed else lag_minutes
            ok = cal.offset(s.start) >= cal.offset(base + gap) + shift
        elif elapsed:
            # Wall-clock lag; the successor may sit at the same working minute (a finish at
            # 12:00 before lunch is the working minute a 13:00 start is).
            ok = cal.offset(mine) >= cal.offset(ref + timedelta(minutes=lag_minutes))
        else:
            ok = cal.offset(mine) >= cal.offset(ref) + lag_minutes
        if not ok:
            names = (tasks[dep.predecessor].name, succ.name)
            out.append(f"link {names[0]!r} -> {names[1]!r} ({dep.type.value}) is broken")
    return out


def first_overload(
    project: Project, live: set[int], after: ScheduleResult
) -> tuple[str, datetime, list[int]] | None:
    """The earliest moment a work resource is above its max units: (its name, the moment,
    the tasks then using it), or None."""
    work = leveled_resources(project)
    events: dict[int, list[tuple[datetime, float, int]]] = {}
    for a in project.assignments:
        times = after.tasks.get(a.task_uid)
        if a.resource_uid not in work or a.task_uid not in live or times is None:
            continue
        if times.finish <= times.start or a.units <= 0:
            continue
        ev = events.setdefault(a.resource_uid, [])
        for start, finish in after.work_spans(a.task_uid):  # a split task books no pause
            ev += [(start, a.units, a.task_uid), (finish, -a.units, a.task_uid)]
    found: tuple[str, datetime, list[int]] | None = None
    for r_uid, ev in events.items():
        res = work[r_uid]
        ev.sort(key=lambda e: (e[0], e[1]))  # releases before bookings at the same minute
        load = 0.0
        active: dict[int, float] = {}
        for when, delta, uid in ev:
            load += delta
            active[uid] = active.get(uid, 0.0) + delta
            if load > res.max_units + EPS:
                if found is None or when < found[1]:
                    users = sorted(u for u, q in active.items() if q > EPS)
                    found = (res.name, when, users)
                break
    return found


def _overload(project: Project, live: set[int], after: ScheduleResult) -> list[str]:
    found = first_overload(project, live, after)
    if found is None:
        return []
    name, when, users = found
    return [f"{name!r} is over its max units on {when:%Y-%m-%d %H:%M} (tasks {users})"]
