"""Split tasks: MS Project keeps a task's pauses only in its assignments' timephased work.

Written back, the rows stay as they came while they still describe the task's pauses. Where
they no longer do (leveling split the task, or took its pauses away), `fresh_rows` replaces
an assignment's remaining-work rows by one row per stretch of work and a zero row per pause,
so that MS Project, and this reader, see the pauses the plan now has.

A split task's `Duration` leaves the pauses out and its `Finish` takes them in. The file says
where they are in each assignment's remaining-work rows (`TimephasedData` of type 1): a row of
working time with a value of zero hours, between rows with work. Rows of non-working time have
no value at all. The rows stay verbatim in the assignment; what the domain takes from them is
the task's `splits` (see `Task.splits`), in working minutes of the task's own calendar, so that
the pauses move with the task when it is rescheduled.
"""

from __future__ import annotations

import re
from datetime import datetime

from steerco.domain.errors import SteercoError, ValidationError
from steerco.domain.project import Project
from steerco.domain.resource import Assignment
from steerco.domain.task import Task, check_splits
from steerco.engine.calendar import CompiledCalendar
from steerco.engine.cpm import schedule as compute_schedule
from steerco.engine.result import ScheduleResult
from steerco.engine.snapshot import task_calendars
from steerco.interop.mspdi import codes
from steerco.interop.mspdi.fragments import split_fragment, tag_of

#: MSPDI's TimephasedDataType for an assignment's remaining work.
REMAINING_WORK = "1"

_VALUE = re.compile(r"<Value>([^<]*)</Value>")

Row = tuple[datetime, datetime, int]  # start, finish, minutes of work
Splits = tuple[tuple[int, int], ...]


def leveling_can_split(task: Task) -> bool:
    """MS Project's per-task "leveling can split" flag (`LevelingCanSplit`, on by default).

    The flag stays among the task's verbatim fields; a task made in steerco has none, so it
    may be split, as a new task in MS Project may."""
    for frag in task.extras:
        if frag.startswith("<LevelingCanSplit>"):
            return frag[len("<LevelingCanSplit>") :].split("<", 1)[0].strip() not in ("0", "false")
    return True


def find_splits(project: Project) -> None:
    """Give each task that MS Project split its `splits`, from its assignments' rows."""
    rows = _rows_by_task(project)
    if not rows:
        return
    tasks = [t for t in project.tasks if t.outline_level > 0]
    for task, cal in zip(tasks, task_calendars(project, tasks), strict=True):
        found = rows.get(task.uid)
        if found is None or not _may_split(task):
            continue
        splits = {_pauses(r, cal) for r in found}
        if len(splits) != 1:
            continue  # assignments that disagree: not a split MS Project made, leave it
        (pauses,) = splits
        try:
            check_splits(task.name, task.duration, pauses)
        except ValidationError:
            continue
        if pauses and pauses[-1][0] < task.duration.minutes:
            task.splits = pauses


def schedule_for_rows(project: Project, schedule: ScheduleResult | None) -> ScheduleResult | None:
    """The schedule that places the pauses: the one given, or, for a file written from
    stored dates (an export), a fresh one when some task has pauses or rows that show them."""
    if schedule is not None:
        return schedule
    if not any(t.splits for t in project.tasks) and not _rows_by_task(project):
        return None
    try:
        return compute_schedule(project)
    except SteercoError:
        return None  # a plan that cannot be scheduled keeps its rows as they came


def fresh_rows(project: Project, schedule: ScheduleResult | None) -> dict[int, list[str]]:
    """New extras for each assignment whose remaining-work rows disagree with its task's
    pauses (by assignment UID); the others keep their rows."""
    if schedule is None:
        return {}
    described = _rows_by_task(project)
    tasks = [
        t
        for t in project.tasks
        if t.outline_level > 0 and (t.splits or t.uid in described) and t.uid in schedule.tasks
    ]
    if not tasks:
        return {}
    out: dict[int, list[str]] = {}
    by_task: dict[int, list[Assignment]] = {}
    for asn in project.assignments:
        by_task.setdefault(asn.task_uid, []).append(asn)
    for task, cal in zip(tasks, task_calendars(project, tasks), strict=True):
        if not _may_split(task):
            continue
        times = schedule.tasks[task.uid]
        pauses = schedule.pauses.get(task.uid, ())
        for asn in by_task.get(task.uid, []):
            rows = [r for r in map(_row, _timephased(asn)) if r is not None]
            if rows and _pauses(sorted(rows), cal) == _live(task):
                continue
            if not rows and not task.splits:
                continue
            kept = [f for f in asn.extras if not _remaining_row(f)]
            out[asn.uid] = kept + _rows_for(task, asn, times.start, times.finish, pauses)
    return out


#: The resource UID MS Project gives the work of a task nobody is assigned to.
UNASSIGNED = -65535


def placeholder_assignments(
    project: Project, schedule: ScheduleResult | None
) -> list[Assignment]:
    """For each split task nobody is assigned to, the assignment to "nobody" that MS Project
    itself keeps for such a task, carrying the rows that say where it pauses (without them a
    split made in steerco would be lost on the way out)."""
    if schedule is None:
        return []
    assigned = {a.task_uid for a in project.assignments}
    uid = max((a.uid for a in project.assignments), default=0)
    out: list[Assignment] = []
    for task in project.tasks:
        pauses = schedule.pauses.get(task.uid)
        if not pauses or task.uid in assigned or not _may_split(task):
            continue
        uid += 1
        times = schedule.tasks[task.uid]
        asn = Assignment(uid, task.uid, UNASSIGNED, 1.0)
        asn.extras = _rows_for(task, asn, times.start, times.finish, pauses)
        out.append(asn)
    return out


def _live(task: Task) -> Splits:
    return tuple((done, gap) for done, gap in task.splits if done < task.duration.minutes)


def _rows_for(
    task: Task,
    asn: Assignment,
    start: datetime,
    finish: datetime,
    pauses: tuple[tuple[datetime, datetime], ...],
) -> list[str]:
    minutes = task.duration.minutes
    work = asn.work_minutes if asn.work_minutes is not None else round(asn.units * minutes)
    edges = [start, *(t for pause in pauses for t in pause), finish]
    done = [d for d, _ in _live(task)][: len(pauses)]
    bounds = [0, *done, minutes]
    rows: list[str] = []
    for k in range(len(bounds) - 1):
        share = round(work * (bounds[k + 1] - bounds[k]) / minutes) if minutes else 0
        rows.append(_row_xml(asn.uid, edges[2 * k], edges[2 * k + 1], share))
        if k < len(pauses):
            rows.append(_row_xml(asn.uid, pauses[k][0], pauses[k][1], 0))
    return rows


def _row_xml(uid: int, start: datetime, finish: datetime, minutes: int) -> str:
    fmt = codes.format_datetime
    return (
        f"<TimephasedData><Type>{REMAINING_WORK}</Type><UID>{uid}</UID>"
        f"<Start>{fmt(start)}</Start><Finish>{fmt(finish)}</Finish><Unit>2</Unit>"
        f"<Value>{codes.format_iso_minutes(minutes)}</Value></TimephasedData>"
    )


def _timephased(asn: Assignment) -> list[str]:
    return [f for f in asn.extras if tag_of(f) == "TimephasedData"]


def _remaining_row(frag: str) -> bool:
    return tag_of(frag) == "TimephasedData" and f"<Type>{REMAINING_WORK}</Type>" in frag


def _may_split(task: Task) -> bool:
    # Pauses of a started task sit among its actual work, which the domain does not hold:
    # such a task keeps being scheduled from its actual start and remaining duration.
    return (
        task.start is not None
        and not task.duration.elapsed
        and not task.manual
        and task.actual_start is None
        and task.duration.minutes > 0
    )


def _rows_by_task(project: Project) -> dict[int, list[list[Row]]]:
    """Per task, each assignment's remaining-work rows, for assignments with a zero row."""
    out: dict[int, list[list[Row]]] = {}
    for asn in project.assignments:
        frags = _timephased(asn)
        # Cheap test first: most plans have no zero rows, and parsing rows costs.
        if not any(codes.parse_iso_minutes(v) == 0 for f in frags for v in _VALUE.findall(f)):
            continue
        rows = [r for r in map(_row, frags) if r is not None]
        if rows:
            out.setdefault(asn.task_uid, []).append(sorted(rows))
    return out


def _row(frag: str) -> Row | None:
    leaves = {tag: text for tag, text, _ in split_fragment(frag) if text is not None}
    if leaves.get("Type", "").strip() != REMAINING_WORK or "Value" not in leaves:
        return None
    try:
        start = codes.parse_datetime(leaves["Start"].strip())
        finish = codes.parse_datetime(leaves["Finish"].strip())
    except (KeyError, ValueError):
        return None
    minutes = codes.parse_iso_minutes(leaves["Value"].strip())
    if minutes is None or minutes < 0 or finish <= start:
        return None
    return start, finish, minutes


def _pauses(rows: list[Row], cal: CompiledCalendar) -> Splits:
    """(duration done before, pause) for each run of zero rows between rows with work."""
    worked = [r for r in rows if r[2] > 0]
    if not worked:
        return ()
    first, last = worked[0][0], max(r[1] for r in worked)
    origin = cal.offset(first)
    pauses: list[tuple[int, int]] = []
    paused = 0
    run: tuple[int, int] | None = None  # offsets of the current run of zero rows
    for start, finish, minutes in rows:
        if minutes == 0 and first <= start and finish <= last:
            a, b = cal.offset(start), cal.offset(finish)
            run = (a, b) if run is None else (run[0], b)
            continue
        if run is not None and run[1] > run[0]:
            pauses.append((run[0] - origin - paused, run[1] - run[0]))
            paused += run[1] - run[0]
        run = None
    return tuple(pauses)
