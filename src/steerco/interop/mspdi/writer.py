"""write_mspdi: a domain Project (and optionally a schedule) -> MS Project XML bytes.

The document is built as text: every element is either rendered from the domain or pasted
back from `extras`, then ordered by the xsd sequence. Building strings is several times faster
than building an lxml tree for 100,000 tasks, and every value passes through `escape`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace

from steerco.domain import Assignment, Dependency, Project
from steerco.engine.result import ScheduleResult, TaskTimes
from steerco.interop.mspdi import codes
from steerco.interop.mspdi.calendars import write_calendar
from steerco.interop.mspdi.fragments import escape, merge, tag_of
from steerco.interop.mspdi.order import PROJECT_ORDER, index_of
from steerco.interop.mspdi.reader import PROJECT_FIELDS
from steerco.interop.mspdi.resources import write_assignment, write_resource
from steerco.interop.mspdi.split import Split, serial
from steerco.interop.mspdi.task_split_rows import (
    fresh_rows,
    placeholder_assignments,
    remaining_row,
    schedule_for_rows,
)
from steerco.interop.mspdi.task_splits import rows_by_task
from steerco.interop.mspdi.tasks import write_task
from steerco.interop.mspdi.work_fields import true_work_fields

_PROJECT_ORDER = index_of(PROJECT_ORDER)
_MARKER = re.compile("\x00(\\w+)\x00")  # a section's place in the header (NUL cannot occur)
_ID = re.compile(r"<ID>\s*(-?\d+)\s*</ID>")
# Whole rows the reader could not model are carried at the project level and go back into
# their section.
_CARRIED = {
    "Calendar": "Calendars",
    "Task": "Tasks",
    "Resource": "Resources",
    "Assignment": "Assignments",
}


def write_mspdi(
    project: Project, schedule: ScheduleResult | None = None, *, split: Split = serial
) -> bytes:
    """A valid MSPDI document. With `schedule`, its computed dates, slack and criticality.
    `split` may share the task rows out (see split.py); the bytes are the same either way."""
    return b"".join(write_mspdi_parts(project, schedule, split=split))


def write_mspdi_parts(
    project: Project, schedule: ScheduleResult | None = None, *, split: Split = serial
) -> list[bytes]:
    """`write_mspdi` as the pieces it joins, for a caller that writes them to a file one
    after another: a 100,000-task document is then never copied into one bytes object."""
    carried: dict[str, list[str]] = defaultdict(list)
    extras: list[str] = []
    for frag in project.extras:
        section = _CARRIED.get(tag_of(frag))
        if section is None:
            extras.append(frag)
        else:
            carried[section].append(frag)

    links: dict[int, list[Dependency]] = defaultdict(list)
    for dep in project.dependencies:
        links[dep.successor].append(dep)
    times = schedule.tasks if schedule is not None else {}

    # Split tasks whose timephased rows are out of date, and those nobody is assigned to.
    described = rows_by_task(project)
    placed = schedule_for_rows(project, schedule, described)
    fresh = fresh_rows(project, placed, described)
    task_rows = carried.pop("Tasks", [])
    # Without carried rows to slot in by row number, each task row depends on its task
    # alone, so the rows can be rendered in parts (already encoded, one bytes per part).
    rendered = None
    if project.tasks and not task_rows:
        rendered = _rendered_rows(project, links, times, split)
    sections = {
        "Calendars": [write_calendar(c) for c in project.calendars],
        "Tasks": [] if rendered is not None else _task_rows(project, links, times, task_rows),
        "Resources": [write_resource(r) for r in project.resources],
        "Assignments": [
            write_assignment(_outgoing(a, fresh), times.get(a.task_uid))
            for a in [*project.assignments, *placeholder_assignments(project, placed)]
        ],
    }
    # Sections go into the header as markers and are spliced in as bytes at the end, so a
    # 100,000-task document exists once as rows and once as the result, not five times.
    items = _header(project, schedule)
    for name, rows in sections.items():
        rows.extend(carried.get(name, ()))
        if rows or (name == "Tasks" and rendered):
            items.append((name, f"\x00{name}\x00"))
    body = merge(items, extras, _PROJECT_ORDER, PROJECT_FIELDS)
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Project xmlns="{codes.NS}">{body}</Project>\n'
    )
    pieces: list[bytes] = []
    for i, chunk in enumerate(_MARKER.split(head)):
        if i % 2 == 0:
            pieces.append(chunk.encode("utf-8"))
        else:
            pieces.append(f"<{chunk}>\n".encode())
            if chunk == "Tasks" and rendered is not None:
                pieces.extend(rendered)
            pieces.extend((row + "\n").encode("utf-8") for row in sections[chunk])
            pieces.append(f"</{chunk}>".encode())
    return pieces


def _outgoing(asn: Assignment, fresh: Mapping[int, list[str]]) -> Assignment:
    """The assignment as written: rows written afresh for a split task (`fresh_rows`); or,
    where its work changed since it was read, without the remaining-work rows that spread the
    old work over the old dates (MS Project spreads the new work by the assignment's
    contour itself); and its RegularWork and RemainingWork true to its work
    (`work_fields.py`)."""
    renewed = fresh.get(asn.uid)
    if renewed is not None:
        return replace(asn, extras=true_work_fields(renewed, asn.work_minutes))
    extras = true_work_fields(asn.extras, asn.work_minutes)  # one scan of the row, mostly
    if extras is asn.extras:
        return asn
    return replace(asn, extras=[f for f in extras if not remaining_row(f)])


def _header(project: Project, schedule: ScheduleResult | None) -> list[tuple[str, str]]:
    fmt = codes.format_datetime
    wt = project.work_time
    items = [
        ("Name", f"<Name>{escape(project.name)}</Name>"),
        (
            "ScheduleFromStart",
            f"<ScheduleFromStart>{codes.format_bool(project.schedule_from_start)}</ScheduleFromStart>",
        ),
        ("StartDate", f"<StartDate>{fmt(project.start)}</StartDate>"),
        ("CurrencyCode", f"<CurrencyCode>{project.currency}</CurrencyCode>"),
        ("CalendarUID", f"<CalendarUID>{project.calendar_uid}</CalendarUID>"),
        (
            "DefaultStartTime",
            f"<DefaultStartTime>{codes.format_time(project.default_start_time)}</DefaultStartTime>",
        ),
        (
            "DefaultFinishTime",
            f"<DefaultFinishTime>{codes.format_time(project.default_finish_time)}</DefaultFinishTime>",
        ),
        ("MinutesPerDay", f"<MinutesPerDay>{wt.minutes_per_day}</MinutesPerDay>"),
        ("MinutesPerWeek", f"<MinutesPerWeek>{wt.minutes_per_week}</MinutesPerWeek>"),
        ("DaysPerMonth", f"<DaysPerMonth>{wt.days_per_month}</DaysPerMonth>"),
    ]
    finish = schedule.finish if schedule is not None else project.finish
    if finish is not None:
        items.append(("FinishDate", f"<FinishDate>{fmt(finish)}</FinishDate>"))
    if project.status_date is not None:
        items.append(("StatusDate", f"<StatusDate>{fmt(project.status_date)}</StatusDate>"))
    return items


def _row_id(fragments: list[str] | str) -> int | None:
    """The MS Project row number (ID) a task carries, if any."""
    for frag in [fragments] if isinstance(fragments, str) else fragments:
        if frag.startswith("<ID>") or isinstance(fragments, str):
            match = _ID.search(frag)
            if match:
                return int(match[1])
    return None


def _rendered_rows(
    project: Project,
    links: dict[int, list[Dependency]],
    times: Mapping[int, TaskTimes],
    split: Split,
) -> list[bytes]:
    """`_task_rows` without carried rows, each part encoded as one bytes."""
    tasks = project.tasks
    no_links: list[Dependency] = []

    def work(a: int, b: int) -> list[bytes]:
        get_links, get_times = links.get, times.get
        out: list[bytes] = []
        # In blocks: each block's rows and text are freed before the next is made, so the
        # allocator hands the next block the same memory instead of fresh pages (one
        # 35 MB text per part cost 30,000 page faults, and its encoded copy as many).
        for at in range(a, b, _BLOCK):
            text = "".join(
                [
                    write_task(t, get_links(t.uid, no_links), get_times(t.uid)) + "\n"
                    for t in tasks[at : min(at + _BLOCK, b)]
                ]
            )
            out.append(text.encode("utf-8"))
        return out

    # A child's blocks go through the pipe as one bytes (`b"".join`); the caller's stay blocks.
    return split(len(tasks), work, b"".join, _as_list, 0.5)


_BLOCK = 2000  # rows: about 1.4 MB of text, well under glibc's mmap threshold


def _as_list(data: bytes) -> list[bytes]:
    return [data]


def _task_rows(
    project: Project,
    links: dict[int, list[Dependency]],
    times: Mapping[int, TaskTimes],
    carried: list[str],
) -> list[str]:
    """Task rows, with rows carried verbatim (blank "null" rows) back at their row number."""
    pending = sorted(((_row_id(f) or 0), i, f) for i, f in enumerate(carried))
    rows: list[str] = []
    at = 0
    for task in project.tasks:
        row = _row_id(task.extras) if pending[at:] else None
        while row is not None and at < len(pending) and pending[at][0] < row:
            rows.append(pending[at][2])
            at += 1
        rows.append(write_task(task, links.get(task.uid, []), times.get(task.uid)))
    rows.extend(f for _, _, f in pending[at:])
    return rows
