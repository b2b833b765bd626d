"""Milestones and deliverables as an RFC 5545 iCalendar feed.

- A milestone is an all-day VEVENT (`DTSTART;VALUE=DATE`); a deliverable is a VTODO with `DUE`.
- UIDs are stable: derived from the project key and the task uid, never from a row id, so a
  calendar client updates the same entry after every export.
- SEQUENCE is the task's `version`, which storage bumps on every edit, so it only grows.
- A milestone or deliverable that went away is published as STATUS:CANCELLED (pass it in
  `cancelled`) rather than silently dropped, which many clients would otherwise keep forever.
- Lines are folded at 75 octets (never inside a UTF-8 character) and end in CRLF; text values
  escape backslash, semicolon, comma and newlines.

Pure: the caller passes `stamp` (the DTSTAMP, UTC) instead of this module reading the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from steerco.domain import Project, Task
from steerco.engine.result import ScheduleResult

PRODID = "-//steerco//steerco//EN"
_FOLD = 75


# Every other character some reader takes for a line break (Python's str.splitlines does
# for all of them), mapped to an escaped newline; the remaining controls, which RFC 5545
# forbids in TEXT, are dropped. A name or note can then never start a line of its own.
_BREAKS = {ord(c): "\\n" for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}
_CONTROLS = {c: None for c in [*range(0x00, 0x09), *range(0x0E, 0x1C), 0x1F, 0x7F]}
_TEXT = str.maketrans({**_CONTROLS, **_BREAKS})


def escape_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
        .translate(_TEXT)
    )


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces joined by CRLF + space (RFC 5545 3.1)."""
    raw = line.encode("utf-8")
    if len(raw) <= _FOLD:
        return line
    pieces: list[str] = []
    start = 0
    limit = _FOLD
    while start < len(raw):
        end = min(start + limit, len(raw))
        # Step back over UTF-8 continuation bytes so no character is cut in two.
        while end < len(raw) and raw[end] & 0xC0 == 0x80:
            end -= 1
        pieces.append(raw[start:end].decode("utf-8"))
        start = end
        limit = _FOLD - 1  # continuation lines start with one space
    return "\r\n ".join(pieces)


def task_uid(project_key: str, uid: int) -> str:
    return f"{project_key.lower()}-task-{uid}@steerco"


def _date(value: date) -> str:
    return value.strftime("%Y%m%d")


def _stamp(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y%m%dT%H%M%SZ")


def _when(task: Task, schedule: ScheduleResult | None, *, finish: bool) -> date | None:
    times = schedule.tasks.get(task.uid) if schedule is not None else None
    if times is not None:
        return (times.finish if finish else times.start).date()
    value = task.finish if finish else task.start
    if value is None:
        value = task.start if finish else task.finish
    return value.date() if value is not None else None


def _component(
    project: Project,
    task: Task,
    schedule: ScheduleResult | None,
    stamp: datetime,
    *,
    cancelled: bool,
) -> list[str]:
    common = [
        f"UID:{task_uid(project.key, task.uid)}",
        f"DTSTAMP:{_stamp(stamp)}",
        f"SEQUENCE:{task.version}",
        f"SUMMARY:{escape_text(f'{project.key}: {task.name}')}",
    ]
    if task.notes:
        common.append(f"DESCRIPTION:{escape_text(task.notes)}")
    if task.milestone:
        day = _when(task, schedule, finish=False)
        if day is None:
            return []
        return [
            "BEGIN:VEVENT",
            *common,
            f"DTSTART;VALUE=DATE:{_date(day)}",
            f"DTEND;VALUE=DATE:{_date(day + timedelta(days=1))}",
            "TRANSP:TRANSPARENT",
            f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
            "END:VEVENT",
        ]
    due = _when(task, schedule, finish=True)
    if due is None:
        return []
    if cancelled:
        status = "CANCELLED"
    else:
        status = "COMPLETED" if task.percent_complete >= 100 else "NEEDS-ACTION"
    return [
        "BEGIN:VTODO",
        *common,
        f"DUE;VALUE=DATE:{_date(due)}",
        f"PERCENT-COMPLETE:{task.percent_complete}",
        f"STATUS:{status}",
        "END:VTODO",
    ]


def export_ical(
    project: Project,
    *,
    stamp: datetime,
    schedule: ScheduleResult | None = None,
    cancelled: Iterable[Task] = (),
) -> bytes:
    """The project's milestones (VEVENT) and deliverables (VTODO) as one VCALENDAR."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(project.name)}",
    ]
    for task in project.tasks:
        if task.uid != 0 and (task.milestone or task.deliverable):
            lines.extend(_component(project, task, schedule, stamp, cancelled=False))
    for task in cancelled:
        if task.milestone or task.deliverable:
            lines.extend(_component(project, task, schedule, stamp, cancelled=True))
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
