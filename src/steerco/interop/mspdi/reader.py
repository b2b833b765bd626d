"""read_mspdi: MS Project XML bytes -> a domain Project, losing nothing.

Pure: no database, no clock. The service layer stores the result and makes its key unique.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from lxml import etree

from steerco.domain import (
    Assignment,
    Calendar,
    Dependency,
    ImportRejected,
    Project,
    Resource,
    Task,
    WorkTime,
)
from steerco.domain.errors import ValidationError
from steerco.domain.project import MAX_PROJECT_NAME, key_from_name
from steerco.engine.gcpause import paused_gc
from steerco.interop.mspdi import codes
from steerco.interop.mspdi.calendars import read_calendar
from steerco.interop.mspdi.fragments import TooDeep, children, fragment, leaf, row_fragment
from steerco.interop.mspdi.resources import read_assignment, read_resource
from steerco.interop.mspdi.rows import Cut
from steerco.interop.mspdi.safe import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_DEPTH,
    ROW_DEPTH,
    ROWS,
    Document,
    too_deep,
)
from steerco.interop.mspdi.split import Split, serial
from steerco.interop.mspdi.task_splits import find_splits
from steerco.interop.mspdi.tasks import (
    RawTask,
    decode_links,
    pack_tasks,
    read_task,
    resolve_links,
    unpack_tasks,
)

PROJECT_FIELDS = frozenset(
    {
        "Name",
        "StartDate",
        "FinishDate",
        "StatusDate",
        "ScheduleFromStart",
        "CalendarUID",
        "CurrencyCode",
        "MinutesPerDay",
        "MinutesPerWeek",
        "DaysPerMonth",
        "DefaultStartTime",
        "DefaultFinishTime",
    }
)


def read_mspdi(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    split: Split = serial,
) -> Project:
    """Parse an MSPDI document. Raises ImportRejected for unsafe or non-MSPDI input.
    `split` may share the task rows out (see split.py); the project is the same either way."""
    with paused_gc():  # millions of small objects, no cycles: see engine.gcpause
        try:
            return _read(Document(data, max_bytes=max_bytes, max_depth=max_depth), split)
        except TooDeep:
            raise too_deep(max_depth) from None
        except (ValueError, KeyError) as exc:
            raise ImportRejected(
                f"the MS Project XML has a value steerco cannot read: {exc}"
            ) from None


def _task_row(el: etree._Element | str, budget: int) -> RawTask | str:
    """A task row read: its task, or the row verbatim when the domain cannot hold it."""
    got = read_task(el, budget)
    return row_fragment(el, "Task") if got is None else got


def _read_ahead(cut: Cut, budget: int, split: Split) -> list[RawTask | str | None]:
    """Each task row of a cut document read ahead of the loop in `_read`, possibly in parts
    (see split.py). A row that raises, and every row after it in its part, is None: the loop
    reads it again in document order, so it raises there as the plain loop would."""
    data = cut.data
    spans = [(start, end) for section, start, end in cut.spans if section == "Tasks"]

    def work(a: int, b: int) -> list[RawTask | str | None]:
        out: list[RawTask | str | None] = []
        try:
            for start, end in spans[a:b]:
                got = _task_row(data[start:end].decode("utf-8"), budget)
                if isinstance(got, RawTask) and got.links:
                    decode_links(got)
                out.append(got)
        except Exception:  # noqa: S110  # raised again in order by `_read`
            pass
        out.extend([None] * (b - a - len(out)))
        return out

    return split(len(spans), work, pack_tasks, unpack_tasks, _KEEP)


# The share of rows a split keeps: measured on the 100,000-task plan, another process pays
# about a third more per row than this one (packing them, and faulting in the pages it
# shares with this one), so this one keeps a little more than half.
_KEEP = 0.57


_Row = tuple[str, etree._Element | str, RawTask | str | None]


def _rows(doc: Document, budget: int, split: Split) -> Iterator[_Row]:
    """(section, row, the row read ahead) in document order: a task row read ahead comes
    as its task or its verbatim XML (and no row); any other row as its element or inner XML
    (and None)."""
    cut = doc.cut()
    if cut is None:
        for section, el in doc.rows():
            yield section, el, None
        return
    ahead = _read_ahead(cut, budget, split)
    data = cut.data
    at = 0
    for section, start, end in cut.spans:
        if section == "Tasks":
            got = ahead[at]
            ahead[at] = None  # let go of what the loop has taken
            at += 1
            if got is not None:
                yield section, "", got
                continue
        yield section, data[start:end].decode("utf-8"), None


def _read(doc: Document, split: Split) -> Project:
    extras: list[str] = []
    budget = doc.max_depth - ROW_DEPTH
    raw: list[RawTask] = []
    resources: list[Resource] = []
    assignments: list[Assignment] = []
    for section, el, got in _rows(doc, budget, split):
        if section == "Tasks":
            if got is None:
                got = _task_row(el, budget)
            if isinstance(got, RawTask):
                raw.append(got)
            else:
                extras.append(got)
        elif section == "Resources":
            res = read_resource(el, budget)
            if res is None:
                extras.append(row_fragment(el, "Resource"))
            else:
                resources.append(res)
        else:
            asn = read_assignment(el, budget)
            if asn is None:
                extras.append(row_fragment(el, "Assignment"))
            else:
                assignments.append(asn)
    values: dict[str, str] = {}
    calendars: list[Calendar] = []
    for name, child in children(doc.root):
        if name in PROJECT_FIELDS and len(child) == 0 and name not in values:
            values[name] = child.text or ""
        elif name == "Calendars":
            for _, el in children(child):
                try:
                    calendars.append(read_calendar(el))
                except (ValueError, KeyError, ValidationError):
                    extras.append(fragment(el, "Calendar"))  # carried whole; see docs/interop.md
        elif name not in ROWS:
            extras.append(fragment(child, name))
    known = {r.task.uid for r in raw}
    tasks: list[Task] = []
    dependencies: list[Dependency] = []
    for r in raw:
        tasks.append(r.task)
        for link, dep in zip(r.links, resolve_links(r, known), strict=True):
            if dep is None:
                r.task.extras.append(link)
            else:
                dependencies.append(dep)
    project = _project(
        values=values,
        extras=extras,
        tasks=tasks,
        dependencies=dependencies,
        calendars=calendars,
        resources=resources,
        assignments=assignments,
    )
    find_splits(project)
    return project


def _project(
    *,
    values: dict[str, str],
    extras: list[str],
    tasks: list[Task],
    dependencies: list[Dependency],
    calendars: list[Calendar],
    resources: list[Resource],
    assignments: list[Assignment],
) -> Project:
    def keep(tag: str) -> None:
        extras.append(leaf(tag, values[tag]))

    name = values.get("Name", "").strip()
    if not name or len(name) > MAX_PROJECT_NAME or name != values.get("Name"):
        if "Name" in values:
            keep("Name")
        name = (name or "Imported project")[:MAX_PROJECT_NAME].strip()
    currency = values.get("CurrencyCode", "")
    if len(currency) != 3 or not currency.isalpha() or not currency.isupper():
        if "CurrencyCode" in values:
            keep("CurrencyCode")
        currency = "EUR"

    def when(tag: str) -> datetime | None:
        text = values.get(tag, "").strip()
        return codes.parse_datetime(text) if text else None

    start = when("StartDate")
    if start is None:
        starts = [t.start for t in tasks if t.start is not None]
        if not starts:
            raise ImportRejected("the MS Project XML has no StartDate and no dated task")
        start = min(starts)

    def number(tag: str, default: int) -> int:
        parsed = codes.parse_int(values.get(tag, ""))
        if parsed is None:
            if tag in values:
                keep(tag)
            return default
        return parsed

    def clock(tag: str, default: int) -> int:
        text = values.get(tag, "").strip()
        return codes.parse_time(text) if text else default

    try:
        return Project(
            name=name,
            key=key_from_name(name),
            start=start,
            status_date=when("StatusDate"),
            finish=when("FinishDate"),
            currency=currency,
            calendar_uid=number("CalendarUID", 1),
            schedule_from_start=codes.parse_bool(values.get("ScheduleFromStart", "1")),
            work_time=WorkTime(
                number("MinutesPerDay", 480),
                number("MinutesPerWeek", 2400),
                number("DaysPerMonth", 20),
            ),
            default_start_time=clock("DefaultStartTime", 480),
            default_finish_time=clock("DefaultFinishTime", 1020),
            tasks=tasks,
            dependencies=dependencies,
            calendars=calendars,
            resources=resources,
            assignments=assignments,
            extras=extras,
        )
    except ValidationError as exc:
        raise ImportRejected(f"the MS Project XML breaks a rule: {exc}") from None
