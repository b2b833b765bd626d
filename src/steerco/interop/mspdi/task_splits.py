"""Split tasks: MS Project keeps a task's pauses only in its assignments' timephased work.

A split task's `Duration` leaves the pauses out and its `Finish` takes them in. The file says
where they are in each assignment's remaining-work rows (`TimephasedData` of type 1): a row of
working time with a value of zero hours, between rows with work. Rows of non-working time have
no value at all. The rows stay verbatim in the assignment; what the domain takes from them is
the task's `splits` (see `Task.splits`), in working minutes of the task's own calendar, so that
the pauses move with the task when it is rescheduled.

Writing them back is `task_split_rows.py`.
"""

from __future__ import annotations

import re
from datetime import datetime

from steerco.domain.errors import ValidationError
from steerco.domain.project import Project
from steerco.domain.resource import Assignment
from steerco.domain.task import Task, check_splits
from steerco.engine.calendar import CompiledCalendar
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
    rows = rows_by_task(project)
    if not rows:
        return
    tasks = [t for t in project.tasks if t.outline_level > 0]
    for task, cal in zip(tasks, task_calendars(project, tasks), strict=True):
        found = rows.get(task.uid)
        if found is None or not may_split(task):
            continue
        splits = {pauses_in(r, cal) for r in found.values()}
        if len(splits) != 1:
            continue  # assignments that disagree: not a split MS Project made, leave it
        (pauses,) = splits
        try:
            check_splits(task.name, task.duration, pauses)
        except ValidationError:
            continue
        if pauses and pauses[-1][0] < task.duration.minutes:
            task.splits = pauses


def timephased(asn: Assignment) -> list[str]:
    return [f for f in asn.extras if tag_of(f) == "TimephasedData"]


def may_split(task: Task) -> bool:
    # Pauses of a started task sit among its actual work, which the domain does not hold:
    # such a task keeps being scheduled from its actual start and remaining duration.
    return (
        task.start is not None
        and not task.duration.elapsed
        and not task.manual
        and task.actual_start is None
        and task.duration.minutes > 0
    )


def rows_by_task(project: Project) -> dict[int, dict[int, list[Row]]]:
    """Per task, each assignment's remaining-work rows (by assignment UID), in order, for
    the assignments with a zero row."""
    out: dict[int, dict[int, list[Row]]] = {}
    for asn in project.assignments:
        frags = timephased(asn)
        # Cheap test first: most plans have no zero rows, and parsing rows costs.
        if not any(codes.parse_iso_minutes(v) == 0 for f in frags for v in _VALUE.findall(f)):
            continue
        rows = remaining_rows(asn)
        if rows:
            out.setdefault(asn.task_uid, {})[asn.uid] = sorted(rows)
    return out


def remaining_rows(asn: Assignment) -> list[Row]:
    """An assignment's remaining-work rows that have a value."""
    return [r for r in map(_row, timephased(asn)) if r is not None]


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


def pauses_in(rows: list[Row], cal: CompiledCalendar) -> Splits:
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
