"""Split tasks written back: rows that say where each task pauses (see `task_splits.py`).

The rows stay as they came while they still describe the task's pauses. Where they no longer
do (leveling split the task, or took its pauses away, or someone joined it again), an
assignment's remaining-work rows are replaced by one row per stretch of work and a zero row
per pause, so that MS Project, and `task_splits.py`, see the pauses the plan now has.
"""

from __future__ import annotations

from datetime import datetime

from steerco.domain.errors import SteercoError
from steerco.domain.project import Project
from steerco.domain.resource import Assignment
from steerco.domain.task import Task, live_splits
from steerco.engine.cpm import schedule as compute_schedule
from steerco.engine.result import ScheduleResult
from steerco.engine.snapshot import task_calendars
from steerco.interop.mspdi import codes
from steerco.interop.mspdi.fragments import tag_of
from steerco.interop.mspdi.task_splits import (
    REMAINING_WORK,
    Row,
    Splits,
    may_split,
    pauses_in,
    remaining_rows,
)
from steerco.interop.mspdi.work_fields import stale_work

Described = dict[int, dict[int, list[Row]]]  # `rows_by_task`: parsed once per file


def schedule_for_rows(
    project: Project, schedule: ScheduleResult | None, described: Described
) -> ScheduleResult | None:
    """The schedule that places the pauses: the one given, or, for a file written from
    stored dates (an export), a fresh one when some task has pauses or rows that show them."""
    if schedule is not None:
        return schedule
    if not any(t.splits for t in project.tasks) and not described:
        return None
    try:
        return compute_schedule(project)
    except SteercoError:
        return None  # a plan that cannot be scheduled keeps its rows as they came


def fresh_rows(
    project: Project, schedule: ScheduleResult | None, described: Described
) -> dict[int, list[str]]:
    """New extras for each assignment whose remaining-work rows disagree with its task's
    pauses (by assignment UID); the others keep their rows."""
    if schedule is None:
        return {}
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
        if not may_split(task):
            continue
        times = schedule.tasks[task.uid]
        pauses = schedule.pauses.get(task.uid, ())
        zero_rows = described.get(task.uid, {})
        for asn in by_task.get(task.uid, []):
            # Rows without a zero row describe no pause: only a split task needs them read.
            rows = zero_rows.get(asn.uid) or (sorted(remaining_rows(asn)) if task.splits else [])
            # Rows that still place the pauses stay, unless they spread work the task no
            # longer has (`work_fields.stale_work`): then they are written afresh.
            if (
                rows
                and pauses_in(rows, cal) == _live(task)
                and not stale_work(asn.extras, asn.work_minutes)
            ):
                continue
            if not rows and not task.splits:
                continue
            kept = [f for f in asn.extras if not remaining_row(f)]
            out[asn.uid] = kept + _rows_for(task, asn, times.start, times.finish, pauses)
    return out


#: The resource UID MS Project gives the work of a task nobody is assigned to.
UNASSIGNED = -65535


def placeholder_assignments(project: Project, schedule: ScheduleResult | None) -> list[Assignment]:
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
        if not pauses or task.uid in assigned or not may_split(task):
            continue
        uid += 1
        times = schedule.tasks[task.uid]
        asn = Assignment(uid, task.uid, UNASSIGNED, 1.0)
        asn.extras = _rows_for(task, asn, times.start, times.finish, pauses)
        out.append(asn)
    return out


def _live(task: Task) -> Splits:
    return live_splits(task.duration.minutes, task.splits)


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


def remaining_row(frag: str) -> bool:
    return tag_of(frag) == "TimephasedData" and f"<Type>{REMAINING_WORK}</Type>" in frag
