"""Task lists as CSV and XLSX: export the way MS Project's table looks, import with a mapping.

Export columns follow MS Project's Entry table: ID, WBS, Name, Start, Finish, Duration,
% Complete, Predecessors (ID-based text such as `12FS+2d`, `3SS-1d`, `5`), Resource Names.
Every text cell is guarded against formula injection: a CSV cell starting with `=`, `+`, `-`,
`@`, tab or CR gets a leading `'`; an XLSX cell is forced to the string type.

Import reads a CSV with a column mapping (steerco field -> the file's header) and returns what
would be created. With `dry_run=True` it works on a copy, so nothing is touched.
"""

from __future__ import annotations

import copy
import csv
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from steerco.domain import (
    Dependency,
    Duration,
    Lag,
    LinkType,
    Project,
    Task,
    ValidationError,
    WorkTime,
)
from steerco.engine.result import ScheduleResult

HEADERS = (
    "ID", "WBS", "Name", "Start", "Finish", "Duration", "% Complete", "Predecessors",
    "Resource Names",
)  # fmt: skip
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")

# ----- export ---------------------------------------------------------------------------------


def guard_csv(value: str) -> str:
    """A text cell that a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(_DANGEROUS) else value


def row_ids(project: Project) -> dict[int, int]:
    """MS Project's ID: the row number, 0 for the project summary row (UID 0)."""
    ids: dict[int, int] = {}
    n = 0
    for task in project.tasks:
        if task.uid == 0:
            ids[0] = 0
            continue
        n += 1
        ids[task.uid] = n
    return ids


def format_link(dep: Dependency, pred_id: int, work_time: WorkTime) -> str:
    """`5` for a plain FS link, else `12FS+2d`, `3SS-1d`, `4FF+50%` as MS Project writes it."""
    if dep.type is LinkType.FS and dep.lag.is_zero:
        return str(pred_id)
    if dep.lag.is_zero:
        return f"{pred_id}{dep.type.value}"
    text = dep.lag.format(work_time)
    return f"{pred_id}{dep.type.value}{'' if text.startswith('-') else '+'}{text}"


def predecessors_text(project: Project) -> dict[int, str]:
    ids = row_ids(project)
    out: dict[int, list[str]] = {}
    for dep in project.dependencies:
        if dep.predecessor in ids:
            out.setdefault(dep.successor, []).append(
                format_link(dep, ids[dep.predecessor], project.work_time)
            )
    return {uid: ",".join(parts) for uid, parts in out.items()}


def _resource_names(project: Project) -> dict[int, str]:
    names = {r.uid: r.name for r in project.resources}
    out: dict[int, list[str]] = {}
    for a in project.assignments:
        if a.resource_uid in names:
            units = "" if a.units == 1 else f"[{round(a.units * 100):g}%]"
            out.setdefault(a.task_uid, []).append(names[a.resource_uid] + units)
    return {uid: ", ".join(parts) for uid, parts in out.items()}


def task_table(
    project: Project, schedule: ScheduleResult | None = None
) -> list[tuple[int, str, str, datetime | None, datetime | None, str, int, str, str]]:
    """One row per task (the project summary row left out), values not yet escaped."""
    ids = row_ids(project)
    wbs = project.wbs_codes()
    preds = predecessors_text(project)
    resources = _resource_names(project)
    times = schedule.tasks if schedule is not None else {}
    rows = []
    for task in project.tasks:
        if task.uid == 0:
            continue
        computed = times.get(task.uid)
        start = computed.start if computed else task.start
        finish = computed.finish if computed else task.finish
        rows.append(
            (
                ids[task.uid],
                wbs[task.uid],
                task.name,
                start,
                finish,
                task.duration.format(project.work_time),
                task.percent_complete,
                preds.get(task.uid, ""),
                resources.get(task.uid, ""),
            )
        )
    return rows


def _date_text(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""


def export_csv(project: Project, schedule: ScheduleResult | None = None) -> bytes:
    """UTF-8 with a BOM, so that Excel opens accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for row in task_table(project, schedule):
        cells = [
            row[0],
            guard_csv(row[1]),
            guard_csv(row[2]),
            _date_text(row[3]),
            _date_text(row[4]),
            guard_csv(row[5]),
            row[6],
            guard_csv(row[7]),
            guard_csv(row[8]),
        ]
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8-sig")


def export_xlsx(project: Project, schedule: ScheduleResult | None = None) -> bytes:
    from openpyxl import Workbook  # numpy and all: only when a workbook is asked for

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tasks"
    sheet.append(list(HEADERS))
    for r, row in enumerate(task_table(project, schedule), start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ----- import ---------------------------------------------------------------------------------

FIELDS = (
    "id", "name", "wbs", "outline_level", "duration", "start", "finish", "percent_complete",
    "predecessors", "notes", "milestone",
)  # fmt: skip
_LINK = re.compile(r"^\s*(\d+)\s*(FS|SS|FF|SF)?\s*(?:([+-])\s*(.+?))?\s*$", re.IGNORECASE)
_WORDS = [
    (re.compile(r"^(e?)(?:mins?|minutes?)$"), "m"),
    (re.compile(r"^(e?)(?:hrs?|hours?)$"), "h"),
    (re.compile(r"^(e?)(?:days?|dys?)$"), "d"),
    (re.compile(r"^(e?)(?:wks?|weeks?)$"), "w"),
    (re.compile(r"^(e?)(?:mons?|months?)$"), "mo"),
]


@dataclass(slots=True)
class CsvImport:
    """What an import creates (or, in a dry run, would create)."""

    tasks: list[Task] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)
    dry_run: bool = True


def _unit_words(text: str) -> str:
    """`2 days`, `3 ewks`, `1.5 hrs?` -> `2d`, `3ew`, `1.5h?` (MS Project's spelled-out units)."""
    match = re.match(r"^\s*([+-]?\d+(?:[.,]\d+)?)\s*([A-Za-z]+)\s*(\??)\s*$", text)
    if match is None:
        return text
    number, word, estimated = match.groups()
    for pattern, unit in _WORDS:
        found = pattern.match(word.lower())
        if found:
            return f"{number.replace(',', '.')}{found[1]}{unit}{estimated}"
    return text


def _date(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(
            f"cannot read date {text!r}: use YYYY-MM-DD or YYYY-MM-DD HH:MM"
        ) from None


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "yes", "true", "y", "x"):
        return True
    if value in ("", "0", "no", "false", "n"):
        return False
    raise ValidationError(f"cannot read yes/no {text!r}")


def parse_links(text: str, work_time: WorkTime) -> list[tuple[int, LinkType, Lag]]:
    """`12FS+2d,3SS-1 day,5` -> [(12, FS, 2d), (3, SS, -1d), (5, FS, 0)]."""
    out = []
    for part in filter(None, (p.strip() for p in text.replace(";", ",").split(","))):
        match = _LINK.match(part)
        if match is None:
            raise ValidationError(f"cannot read predecessor {part!r}: write it like 12FS+2d or 5")
        ref, kind, sign, lag_text = match.groups()
        lag = Lag()
        if lag_text:
            lag = Lag.parse(sign + _unit_words(lag_text), work_time)
        out.append((int(ref), LinkType((kind or "FS").upper()), lag))
    return out


def _read_rows(data: bytes | str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.lstrip("\ufeff")
    # Only the delimiter is sniffed (from the header line); quoting stays Excel's.
    first = text[:4096].split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        raise ValidationError("the CSV file is empty")
    rows = []
    for cells in reader:
        if any(c.strip() for c in cells):
            rows.append((reader.line_num, cells))
    return [h.strip() for h in header], rows


def import_csv(
    project: Project, data: bytes | str, mapping: Mapping[str, str], *, dry_run: bool = True
) -> CsvImport:
    """Add the CSV's tasks and links to `project` (to a copy of it when `dry_run`).

    `mapping` maps steerco fields (see FIELDS; `name` is required) to the file's headers.
    A bad row raises ValidationError naming its line; nothing is added then.
    """
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise ValidationError(f"unknown field(s) {', '.join(unknown)}; known: {', '.join(FIELDS)}")
    if "name" not in mapping:
        raise ValidationError("map a column to 'name': every task needs a name")
    header, rows = _read_rows(data)
    column: dict[str, int] = {}
    for ours, theirs in mapping.items():
        if theirs.strip() not in header:
            raise ValidationError(f"the file has no column {theirs!r} (mapped to {ours})")
        column[ours] = header.index(theirs.strip())
    target = copy.deepcopy(project) if dry_run else project
    result = CsvImport(dry_run=dry_run)
    by_ref: dict[int, int] = {}
    pending: list[tuple[int, int, str]] = []
    errors: list[str] = []
    uid = target.next_uid()
    for line, cells in rows:

        def get(name: str, cells: list[str] = cells) -> str:
            i = column.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        try:
            task = _task(uid, get, target.work_time)
            _place(target, task)
        except ValidationError as exc:
            errors.append(f"line {line}: {exc}")
            continue
        ref = int(get("id")) if get("id").isdigit() else len(result.tasks) + 1
        by_ref[ref] = uid
        if get("predecessors"):
            pending.append((line, uid, get("predecessors")))
        result.tasks.append(task)
        uid += 1
    for line, succ, text in pending:
        try:
            for ref, kind, lag in parse_links(text, target.work_time):
                if ref not in by_ref:
                    raise ValidationError(f"predecessor {ref} is not a row of this file")
                dep = Dependency(by_ref[ref], succ, kind, lag)
                result.dependencies.append(target.add_dependency(dep))
        except ValidationError as exc:
            errors.append(f"line {line}: {exc}")
    if errors:
        more = f" (and {len(errors) - 10} more)" if len(errors) > 10 else ""
        raise ValidationError("; ".join(errors[:10]) + more)
    target.refresh_summaries()
    return result


def _task(uid: int, get: Callable[[str], str], work_time: WorkTime) -> Task:
    duration = Duration(0) if _bool(get("milestone")) else Duration(480)
    if get("duration"):
        duration = Duration.parse(_unit_words(get("duration")), work_time)
    level = 1
    if get("outline_level"):
        if not get("outline_level").isdigit():
            raise ValidationError(f"outline level {get('outline_level')!r} is not a number")
        level = int(get("outline_level"))
    elif get("wbs"):
        level = get("wbs").count(".") + 1
    percent = get("percent_complete").rstrip("%").strip()
    if percent and not percent.replace(".", "", 1).isdigit():
        raise ValidationError(f"percent complete {percent!r} is not a number")
    return Task(
        uid=uid,
        name=get("name"),
        outline_level=max(level, 1),
        duration=duration,
        milestone=_bool(get("milestone")) or (duration.minutes == 0 and bool(get("duration"))),
        start=_date(get("start")) if get("start") else None,
        finish=_date(get("finish")) if get("finish") else None,
        percent_complete=round(float(percent)) if percent else 0,
        notes=get("notes"),
        wbs=get("wbs") or None,
    )


def _place(project: Project, task: Task) -> None:
    previous = project.tasks[-1].outline_level if project.tasks else 0
    if task.outline_level > max(previous, 0) + 1:
        raise ValidationError(
            f"outline level {task.outline_level} skips a level (the row above is at {previous})"
        )
    project.tasks.append(task)


__all__ = [
    "FIELDS",
    "HEADERS",
    "CsvImport",
    "export_csv",
    "export_xlsx",
    "guard_csv",
    "import_csv",
    "parse_links",
    "predecessors_text",
]
