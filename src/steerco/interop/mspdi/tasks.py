"""MSPDI `Task` and `PredecessorLink` elements <-> domain tasks and dependencies.

The reader loops once over a task's children: modeled fields are decoded, everything else is
kept as a verbatim fragment. When a modeled value cannot be held exactly (a duration in
seconds, a "null" duration format), the original element goes to `extras`, where it wins over
the modeled value on writing (see `fragments.merge`).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from typing import Any, TypeVar

from lxml import etree

from steerco.domain import (
    ConstraintType,
    Dependency,
    Duration,
    Lag,
    LinkType,
    Task,
    TaskType,
    TimeUnit,
)
from steerco.domain.errors import ValidationError
from steerco.domain.task import task_from_values, task_values
from steerco.engine.result import TaskTimes
from steerco.interop.mspdi import codes
from steerco.interop.mspdi.fragments import (
    escape,
    leaf,
    merge,
    merge_parts,
    sort_children,
    sort_fragment,
)
from steerco.interop.mspdi.order import PREDECESSORLINK_ORDER, TASK_ORDER, index_of
from steerco.interop.mspdi.work_fields import true_work_fields

_TASK_ORDER = index_of(TASK_ORDER)
_LINK_ORDER = index_of(PREDECESSORLINK_ORDER)
TASK_FIELDS = frozenset(
    {
        "UID",
        "Name",
        "OutlineLevel",
        "Duration",
        "DurationFormat",
        "Milestone",
        "Manual",
        "Summary",
        "Start",
        "Finish",
        "ConstraintType",
        "ConstraintDate",
        "Deadline",
        "Priority",
        "Notes",
        "WBS",
        "PercentComplete",
        "ActualStart",
        "ActualFinish",
        "RemainingDuration",
        "CalendarUID",
        "Type",
        "EffortDriven",
        "IgnoreResourceCalendar",
        "Work",
        "Cost",
        "FixedCost",
        "LevelingDelay",
        "LevelingDelayFormat",
    }
)
_LINK_FIELDS = frozenset({"PredecessorUID", "Type", "LinkLag", "LagFormat"})
SCHEDULE_FIELDS = (
    "Start",
    "Finish",
    "EarlyStart",
    "EarlyFinish",
    "LateStart",
    "LateFinish",
    "FreeSlack",
    "TotalSlack",
    "Critical",
)

T = TypeVar("T")


@dataclass(slots=True)
class RawTask:
    """A task as read, before links are resolved against the set of known task uids."""

    task: Task
    links: list[str] = field(default_factory=list)  # verbatim PredecessorLink elements
    # The links decoded ahead (see `decode_links`), one per element of `links`; None: not
    # decoded, `resolve_links` decodes them.
    deps: list[Dependency | None] | None = None


class _Anything:
    """A set of task uids that holds every uid (links decoded before all uids are known)."""

    def __contains__(self, uid: object) -> bool:
        return True


_ANY = _Anything()


def decode_links(raw: RawTask) -> None:
    """Decode a task's links ahead, as if every predecessor were a task of the plan;
    `resolve_links` drops those whose predecessor is not. A link that raises is left to
    `resolve_links`, which decodes them all again in order (and raises there)."""
    uid = raw.task.uid
    try:
        raw.deps = [read_link(xml, uid, _ANY) for xml in raw.links]
    except Exception:  # raised again, in order, by resolve_links
        raw.deps = None


def resolve_links(raw: RawTask, known: set[int]) -> list[Dependency | None]:
    """`read_link` of each of the task's links: a link to a task outside `known` is None.
    The same as decoding them here: a link decoded ahead is the link `read_link` gives when
    its predecessor is known, and None when it is None whatever the known uids."""
    deps = raw.deps
    if deps is None:
        uid = raw.task.uid
        return [read_link(xml, uid, known) for xml in raw.links]
    return [None if d is None or d.predecessor not in known else d for d in deps]


class _Fields:
    """Decodes one task's values; a value it cannot hold exactly is kept verbatim."""

    def __init__(self, values: dict[str, str], extras: list[str]) -> None:
        self.values = values
        self.extras = extras

    def get(self, tag: str, parse: Callable[[str], T | None], default: T) -> T:
        text = self.values.get(tag)
        if not text or text.isspace():
            return default
        try:
            value = parse(text)
        except (ValueError, KeyError):
            value = None
        if value is None:
            self.extras.append(leaf(tag, text))
            return default
        return value

    def keep(self, tag: str) -> None:
        if tag in self.values:
            self.extras.append(leaf(tag, self.values[tag]))


def _in_range(low: int, high: int) -> Callable[[str], int | None]:
    def parse(text: str) -> int | None:
        value = codes.parse_int(text)
        return value if value is not None and low <= value <= high else None

    return parse


def _minutes(text: str) -> int | None:
    value = codes.parse_iso_minutes(text)
    return value if value is not None and value >= 0 else None


_Codec = tuple[str, Callable[[str], object], object]  # (tag, parser, default)


def _bool(text: str) -> bool:
    found = _BOOLS.get(text)
    return codes.parse_bool(text) if found is None else found


_BOOLS = {"0": False, "1": True}
_priority = _in_range(0, 1000)
_percent = _in_range(0, 100)
# The modeled leaves, in the order the reader has always decoded them: a value the domain
# cannot hold is appended to extras in this order (see `_decode_all`).
_HEAD: tuple[_Codec, ...] = (
    ("OutlineLevel", codes.parse_int, None),
    ("DurationFormat", codes.parse_int, 7),
)
_CONSTRAINT: tuple[_Codec, ...] = (
    ("ConstraintType", codes.parse_int, 0),
    ("ConstraintDate", codes.parse_datetime, None),
)
_TYPE: tuple[_Codec, ...] = (
    ("RemainingDuration", _minutes, None),
    ("CalendarUID", codes.parse_int, -1),
    ("Type", codes.parse_int, 0),
)
_REST: tuple[_Codec, ...] = (
    ("Duration", _minutes, 0),
    ("Milestone", _bool, False),
    ("Manual", _bool, False),
    ("Summary", _bool, False),
    ("Start", codes.parse_datetime, None),
    ("Finish", codes.parse_datetime, None),
    ("Deadline", codes.parse_datetime, None),
    ("Priority", _priority, 500),
    ("PercentComplete", _percent, 0),
    ("ActualStart", codes.parse_datetime, None),
    ("ActualFinish", codes.parse_datetime, None),
    ("EffortDriven", _bool, False),
    ("IgnoreResourceCalendar", _bool, False),
    ("Work", _minutes, None),
    ("Cost", codes.parse_int, None),
    ("FixedCost", codes.parse_int, None),
)


_MEMO_SIZE = 4096  # per field; values are immutable (int, bool, datetime)
_MEMO: dict[str, dict[str, object]] = {
    tag: {} for table in (_HEAD, _CONSTRAINT, _TYPE, _REST) for tag, _, _ in table
}

_TABLES = (_HEAD, _CONSTRAINT, _TYPE, _REST)
# tag -> (its table, its place across the tables, parser, memo)
_CODECS: dict[str, tuple[int, int, Callable[[str], object], dict[str, object]]] = {}
for _group, _table in enumerate(_TABLES):
    for _tag, _parse, _ in _table:
        _CODECS[_tag] = (_group, len(_CODECS), _parse, _MEMO[_tag])
_DEFAULTS: dict[str, object] = {tag: default for t in _TABLES for tag, _, default in t}
_Failure = tuple[int, int, str, str]  # (table, place, tag, text)


def _decode_all(values: dict[str, str]) -> tuple[dict[str, Any], list[_Failure] | None]:
    """Each modeled leaf's value, or its default when the element is absent or blank, or when
    its text cannot be held: such texts come back as failures, which `_kept` turns into
    extras table by table, in table order. One pass over the fields the row has (about half
    of them), not a lookup per known field."""
    got = _DEFAULTS.copy()
    fails: list[_Failure] | None = None
    codec_of = _CODECS.get
    for tag, text in values.items():
        codec = codec_of(tag)
        if codec is None:
            continue  # UID, Name, Notes, WBS, leveling delay: read by read_task itself
        memo = codec[3]
        # A plan repeats a few hundred dates, durations and codes across 100,000 tasks:
        # each distinct text is parsed once (and its datetime shared, not copied). Blank
        # texts are never memoized, so a hit needs no blank check.
        value = memo.get(text)
        if value is not None:
            got[tag] = value
            continue
        if not text or text.isspace():
            continue
        try:
            value = codec[2](text)
        except (ValueError, KeyError):
            value = None
        if value is None:
            if fails is None:
                fails = []
            fails.append((codec[0], codec[1], tag, text))
        else:
            if len(memo) < _MEMO_SIZE:
                memo[text] = value
            got[tag] = value
    if fails is not None:
        fails.sort()
    return got, fails


def _kept(fails: list[_Failure] | None, table: int, extras: list[str]) -> None:
    if fails is not None:
        extras.extend(leaf(tag, text) for t, _, tag, text in fails if t == table)


def read_task(el: etree._Element | str, budget: int = 29) -> RawTask | None:
    """A task, or None when the row is one the domain cannot hold (a blank "null" row)."""
    values, extras, links = sort_children(el, TASK_FIELDS, "PredecessorLink", budget)
    uid = codes.parse_int(values.get("UID", ""))
    name = values.get("Name", "")
    if uid is None or uid < 0 or (uid != 0 and not name.strip()):
        return None
    if uid != 0 and name != name.strip():
        extras.append(leaf("Name", name))  # the domain trims names; the exact text goes back out
    got, fails = _decode_all(values)
    _kept(fails, 0, extras)
    lowest = 0 if uid == 0 else 1
    level = got["OutlineLevel"]
    if level is None:
        level = lowest
    elif level < lowest:
        return None
    decoded = codes.decode_format(got["DurationFormat"])
    if decoded is None or decoded[0] is TimeUnit.PERCENT:
        extras.append(leaf("DurationFormat", values["DurationFormat"]))
        decoded = (TimeUnit.DAY, False, False)
    unit, elapsed, estimated = decoded
    _kept(fails, 1, extras)
    constraint = codes.CONSTRAINTS.get(got["ConstraintType"])
    constraint_date = got["ConstraintDate"]
    if constraint is None or (constraint.needs_date and constraint_date is None):
        if "ConstraintType" in values:
            extras.append(leaf("ConstraintType", values["ConstraintType"]))
        constraint = ConstraintType.ASAP
    _kept(fails, 2, extras)
    remaining = got["RemainingDuration"]
    calendar = got["CalendarUID"]
    task_type = codes.TASK_TYPES.get(got["Type"])
    if task_type is None:
        extras.append(leaf("Type", values["Type"]))
        task_type = TaskType.FIXED_UNITS
    _kept(fails, 3, extras)
    leveling_delay = _leveling_delay(values, extras)
    try:
        task = Task(
            uid=uid,
            name=name,
            outline_level=level,
            duration=_duration(got["Duration"], unit, elapsed, estimated),
            milestone=got["Milestone"],
            manual=got["Manual"],
            summary=got["Summary"],
            start=got["Start"],
            finish=got["Finish"],
            constraint=constraint,
            constraint_date=constraint_date,
            deadline=got["Deadline"],
            priority=got["Priority"],
            notes=values.get("Notes", ""),
            wbs=values.get("WBS"),
            percent_complete=got["PercentComplete"],
            actual_start=got["ActualStart"],
            actual_finish=got["ActualFinish"],
            remaining_duration=(
                _duration(remaining, unit, elapsed, estimated) if remaining is not None else None
            ),
            calendar_uid=calendar if calendar >= 0 else None,
            task_type=task_type,
            effort_driven=got["EffortDriven"],
            ignore_resource_calendar=got["IgnoreResourceCalendar"],
            work_minutes=got["Work"],
            cost=got["Cost"],
            fixed_cost=got["FixedCost"],
            leveling_delay=leveling_delay,
            extras=extras,
        )
    except ValidationError:
        return None
    return RawTask(task, links)


def _duration(minutes: int, unit: TimeUnit, elapsed: bool, estimated: bool) -> Duration:
    """A Duration, shared between tasks of equal duration: it is immutable, and a plan has
    a few hundred distinct durations across 100,000 tasks."""
    key = (minutes, unit, elapsed, estimated)
    got = _DURATIONS.get(key)
    if got is None:
        got = Duration(minutes, unit, elapsed, estimated)  # may raise ValidationError
        if len(_DURATIONS) >= _MEMO_SIZE:
            _DURATIONS.clear()
        _DURATIONS[key] = got
    return got


_DURATIONS: dict[tuple[int, TimeUnit, bool, bool], Duration] = {}


def _leveling_delay(values: dict[str, str], extras: list[str]) -> Duration | None:
    """`LevelingDelay` (tenths of a minute) in `LevelingDelayFormat` (MS Project's default is
    elapsed days); a value the domain cannot hold goes back out verbatim, both leaves."""
    text, fmt_text = values.get("LevelingDelay"), values.get("LevelingDelayFormat")
    if text is None:
        if fmt_text is not None:
            extras.append(leaf("LevelingDelayFormat", fmt_text))
        return None
    tenths = codes.parse_int(text)
    fmt = codes.parse_int(fmt_text) if fmt_text is not None else 8
    decoded = codes.decode_format(fmt) if fmt is not None else None
    if (
        tenths is None
        or tenths < 0
        or tenths % 10
        or decoded is None
        or decoded[0] is TimeUnit.PERCENT
        or decoded[2]
    ):
        extras.append(leaf("LevelingDelay", text))
        if fmt_text is not None:
            extras.append(leaf("LevelingDelayFormat", fmt_text))
        return None
    return Duration(tenths // 10, decoded[0], decoded[1])


def read_link(xml: str, successor: int, known: Container[int]) -> Dependency | None:
    """A link, or None when it points outside the project (kept verbatim by the caller)."""
    if xml.startswith(_LINK_HEAD):
        # Nearly every link opens with its PredecessorUID, and what follows it repeats from
        # link to link (type, lag, format): that part is decoded once per distinct text.
        end = xml.find("</PredecessorUID>", _LINK_HEAD_LEN)
        pred = codes.parse_int(xml[_LINK_HEAD_LEN:end]) if end > 0 else None
        if pred is not None:  # else (an escaped or odd number) the general path below
            if pred == successor or pred not in known:
                return None
            rest = xml[end:]
            parts = _LINK_PARTS.get(rest)
            if parts is None:
                values, extras, _ = sort_fragment(xml, _LINK_FIELDS)
                parts = _link_parts(values, extras)
                if len(_LINK_PARTS) >= _MEMO_SIZE:
                    _LINK_PARTS.clear()
                _LINK_PARTS[rest] = parts
            if parts is _NO_LINK:
                return None
            link_type, lag, carried = parts
            return Dependency(pred, successor, link_type, lag, list(carried))
    values, extras, _ = sort_fragment(xml, _LINK_FIELDS)
    pred = codes.parse_int(values.get("PredecessorUID", ""))
    if pred is None or pred == successor or pred not in known:
        return None
    got = _link_parts(values, extras)
    if got is _NO_LINK:
        return None
    return Dependency(pred, successor, got[0], got[1], list(got[2]))


_LINK_HEAD = "<PredecessorLink><PredecessorUID>"
_LINK_HEAD_LEN = len(_LINK_HEAD)
_LinkParts = tuple[LinkType, Lag, tuple[str, ...]]
_NO_LINK: _LinkParts = (LinkType.FS, Lag(), ())  # a marker: an unknown link type
_LINK_PARTS: dict[str, _LinkParts] = {}


def _link_parts(values: dict[str, str], extras: list[str]) -> _LinkParts:
    """Type, lag and verbatim extras of a link's fields other than its predecessor."""
    f = _Fields(values, extras)
    link_type = codes.LINK_TYPES.get(f.get("Type", codes.parse_int, 1))
    if link_type is None:
        return _NO_LINK
    fmt = f.get("LagFormat", codes.parse_int, 7)
    decoded = codes.decode_format(fmt)
    if decoded is None or decoded[2]:
        # The domain's Lag has no "estimated" flag: the exact code goes back out verbatim.
        f.keep("LagFormat")
        decoded = decoded or (TimeUnit.DAY, False, False)
    unit, elapsed, _ = decoded
    tenths = f.get("LinkLag", codes.parse_int, 0)
    if unit is TimeUnit.PERCENT:
        # A percent lag's LinkLag is the plain percentage, not tenths (MPXJ reads and
        # writes it so, and converts .mpp files with it; Aspose documents the same).
        lag = Lag(0, unit, elapsed, float(tenths))
    else:
        if tenths % 10:
            f.keep("LinkLag")
        lag = Lag(tenths // 10, unit, elapsed)
    return link_type, lag, tuple(extras)


# ----- writing --------------------------------------------------------------------------------


_LINK_TAILS: dict[tuple[LinkType, Lag], str] = {}
# The reader shares one Lag object between equal lags, so most links find their tail by the
# object's identity, without hashing the Lag dataclass (a Python-level __hash__). The entry
# holds the Lag, which keeps its id from being reused while it is cached.
_TAILS_BY_ID: dict[tuple[LinkType, int], tuple[Lag, str]] = {}


def _link_lag(lag: Lag) -> int:
    """LinkLag: tenths of a minute, or the whole percentage for a percent lag (MSPDI holds
    no fraction of a percent, so 12.5 % goes out as 12 %, rounded half to even)."""
    return round(lag.percent) if lag.percent is not None else lag.minutes * 10


def _link_tail(link_type: LinkType, lag: Lag) -> str:
    """What follows the predecessor in a link without extras: it repeats from link to link."""
    tail = _LINK_TAILS.get((link_type, lag))
    if tail is None:
        tenths = _link_lag(lag)
        tail = (
            f"<Type>{codes.LINK_CODES[link_type]}</Type><LinkLag>{tenths}</LinkLag>"
            f"<LagFormat>{codes.encode_format(lag.unit, lag.elapsed)}</LagFormat>"
            "</PredecessorLink>"
        )
        if len(_LINK_TAILS) >= _MEMO_SIZE:
            _LINK_TAILS.clear()
        _LINK_TAILS[(link_type, lag)] = tail
    return tail


def write_link(dep: Dependency) -> str:
    lag = dep.lag
    if not dep.extras:  # nothing to merge: the four fields are already in schema order
        key = (dep.type, id(lag))
        hit = _TAILS_BY_ID.get(key)
        if hit is None or hit[0] is not lag:
            if len(_TAILS_BY_ID) >= _MEMO_SIZE:
                _TAILS_BY_ID.clear()
            hit = _TAILS_BY_ID[key] = (lag, _link_tail(dep.type, lag))
        return f"<PredecessorLink><PredecessorUID>{dep.predecessor}</PredecessorUID>{hit[1]}"
    tenths = _link_lag(lag)
    items = [
        ("PredecessorUID", f"<PredecessorUID>{dep.predecessor}</PredecessorUID>"),
        ("Type", f"<Type>{codes.LINK_CODES[dep.type]}</Type>"),
        ("LinkLag", f"<LinkLag>{tenths}</LinkLag>"),
        ("LagFormat", f"<LagFormat>{codes.encode_format(lag.unit, lag.elapsed)}</LagFormat>"),
    ]
    return (
        f"<PredecessorLink>{merge(items, dep.extras, _LINK_ORDER, _LINK_FIELDS)}</PredecessorLink>"
    )


def _schedule(times: TaskTimes) -> list[str]:
    # Written once per task of a 100,000-task plan: no helper calls beyond the date
    # formatting, whose memo is read here first (a naive date never equals an aware one, so
    # the memo of naive dates answers only for them). In the order of _FORCED_TAGS.
    fmt, memo = codes.format_datetime, codes.DATETIME_TEXT.get
    return [
        f"<Start>{memo(times.start) or fmt(times.start)}</Start>",
        f"<Finish>{memo(times.finish) or fmt(times.finish)}</Finish>",
        f"<EarlyStart>{memo(times.early_start) or fmt(times.early_start)}</EarlyStart>",
        f"<EarlyFinish>{memo(times.early_finish) or fmt(times.early_finish)}</EarlyFinish>",
        f"<LateStart>{memo(times.late_start) or fmt(times.late_start)}</LateStart>",
        f"<LateFinish>{memo(times.late_finish) or fmt(times.late_finish)}</LateFinish>",
        # MSPDI slack is in tenths of a minute.
        f"<FreeSlack>{times.free_slack * 10}</FreeSlack>",
        f"<TotalSlack>{times.total_slack * 10}</TotalSlack>",
        f"<Critical>{'1' if times.critical else '0'}</Critical>",
    ]


_FORCED_TAGS = (
    "Start",
    "Finish",
    "EarlyStart",
    "EarlyFinish",
    "LateStart",
    "LateFinish",
    "FreeSlack",
    "TotalSlack",
    "Critical",
)


def _fmt(d: Duration) -> tuple[TimeUnit, bool, bool]:
    return d.unit, d.elapsed, d.estimated


_FORMAT_CODES: dict[tuple[TimeUnit, bool, bool], str] = {}
# The fields every task row has, in the order write_task renders them.
_FIXED_TAGS = [
    "UID",
    "Manual",
    "Type",
    "OutlineLevel",
    "Priority",
    "Duration",
    "DurationFormat",
    "EffortDriven",
    "Milestone",
    "Summary",
    "PercentComplete",
    "ConstraintType",
    "CalendarUID",
    "IgnoreResourceCalendar",
]


def write_task(task: Task, links: list[Dependency], times: TaskTimes | None = None) -> str:
    d = task.duration
    # Booleans and codes inline rather than through codes.format_bool and leaf: the same
    # text (digits need no escaping), 100,000 times cheaper in calls. Tags and their XML are
    # kept in two lists (see fragments.merge_parts), not as a pair per field.
    fmt_code = _FORMAT_CODES.get((d.unit, d.elapsed, d.estimated))
    if fmt_code is None:
        fmt_code = _FORMAT_CODES[(d.unit, d.elapsed, d.estimated)] = str(
            codes.encode_format(*_fmt(d))
        )
    cal = task.calendar_uid
    tags = _FIXED_TAGS.copy()
    out = [
        f"<UID>{task.uid}</UID>",
        "<Manual>1</Manual>" if task.manual else "<Manual>0</Manual>",
        f"<Type>{codes.TASK_TYPE_CODES[task.task_type]}</Type>",
        f"<OutlineLevel>{task.outline_level}</OutlineLevel>",
        f"<Priority>{task.priority}</Priority>",
        f"<Duration>{codes.format_iso_minutes(d.minutes)}</Duration>",
        f"<DurationFormat>{fmt_code}</DurationFormat>",
        "<EffortDriven>1</EffortDriven>"
        if task.effort_driven
        else "<EffortDriven>0</EffortDriven>",
        "<Milestone>1</Milestone>" if task.milestone else "<Milestone>0</Milestone>",
        "<Summary>1</Summary>" if task.summary else "<Summary>0</Summary>",
        f"<PercentComplete>{task.percent_complete}</PercentComplete>",
        f"<ConstraintType>{codes.CONSTRAINT_CODES[task.constraint]}</ConstraintType>",
        f"<CalendarUID>{-1 if cal is None else cal}</CalendarUID>",
        "<IgnoreResourceCalendar>1</IgnoreResourceCalendar>"
        if task.ignore_resource_calendar
        else "<IgnoreResourceCalendar>0</IgnoreResourceCalendar>",
    ]
    tag, add = tags.append, out.append
    if task.name:  # the project summary row (UID 0) often has no name
        tag("Name")
        add(f"<Name>{escape(task.name)}</Name>")
    if task.wbs is not None:
        tag("WBS")
        add(leaf("WBS", task.wbs))
    fmt = codes.format_datetime
    # Without a schedule the task's own Start and Finish; with one, merge_parts puts the
    # schedule's in their place. Unrolled: six dates per row, 100,000 rows.
    if times is None:
        if (when := task.start) is not None:
            tag("Start")
            add(f"<Start>{fmt(when)}</Start>")
        if (when := task.finish) is not None:
            tag("Finish")
            add(f"<Finish>{fmt(when)}</Finish>")
    if (when := task.constraint_date) is not None:
        tag("ConstraintDate")
        add(f"<ConstraintDate>{fmt(when)}</ConstraintDate>")
    if (when := task.deadline) is not None:
        tag("Deadline")
        add(f"<Deadline>{fmt(when)}</Deadline>")
    if (when := task.actual_start) is not None:
        tag("ActualStart")
        add(f"<ActualStart>{fmt(when)}</ActualStart>")
    if (when := task.actual_finish) is not None:
        tag("ActualFinish")
        add(f"<ActualFinish>{fmt(when)}</ActualFinish>")
    if task.notes:
        tag("Notes")
        add(leaf("Notes", task.notes))
    if task.remaining_duration is not None:
        tag("RemainingDuration")
        add(leaf("RemainingDuration", codes.format_iso_minutes(task.remaining_duration.minutes)))
    if task.work_minutes is not None:
        tag("Work")
        add(f"<Work>{codes.format_iso_minutes(task.work_minutes)}</Work>")
    if task.cost is not None:
        tag("Cost")
        add(f"<Cost>{task.cost}</Cost>")
    if task.fixed_cost is not None:
        tag("FixedCost")
        add(f"<FixedCost>{task.fixed_cost}</FixedCost>")
    delay = task.leveling_delay
    if delay is not None:
        tags += ("LevelingDelay", "LevelingDelayFormat")
        code = codes.encode_format(delay.unit, delay.elapsed)
        out.append(f"<LevelingDelay>{delay.minutes * 10}</LevelingDelay>")
        out.append(f"<LevelingDelayFormat>{code}</LevelingDelayFormat>")
    for dep in links:
        tag("PredecessorLink")
        add(write_link(dep))
    # RegularWork and RemainingWork follow a work that changed since the file was read.
    extras = true_work_fields(task.extras, task.work_minutes)
    if times is None:
        body = merge_parts(tuple(tags), out, extras, _TASK_ORDER, TASK_FIELDS)
    else:
        forced = _schedule(times)
        body = merge_parts(tuple(tags), out, extras, _TASK_ORDER, TASK_FIELDS, _FORCED_TAGS, forced)
    return f"<Task>{body}</Task>"


# ----- handing read rows between processes (see split.py) ------------------------------------


def pack_tasks(rows: list[RawTask | str | None]) -> bytes:
    """Rows as `reader._read_ahead` returns them, as bytes for `unpack_tasks`."""
    return pickle.dumps([_packed(r) if isinstance(r, RawTask) else r for r in rows], protocol=5)


_PackedDep = tuple[int, LinkType, Lag, list[str]] | None


def _packed(r: RawTask) -> tuple[tuple[object, ...], list[str], list[_PackedDep] | None]:
    deps = (
        None
        if r.deps is None
        else [None if d is None else (d.predecessor, d.type, d.lag, d.extras) for d in r.deps]
    )
    return task_values(r.task), r.links, deps


def unpack_tasks(data: bytes) -> list[RawTask | str | None]:
    # Only ever bytes from `pack_tasks` in a child of this process (cli/forked.py).
    rows: list[tuple[tuple[object, ...], list[str], list[_PackedDep] | None] | str | None]
    rows = pickle.loads(data)  # noqa: S301
    return [_unpacked(r) if isinstance(r, tuple) else r for r in rows]


def _unpacked(r: tuple[tuple[object, ...], list[str], list[_PackedDep] | None]) -> RawTask:
    task = task_from_values(r[0])
    packed = r[2]
    if packed is None:
        return RawTask(task, r[1])
    uid = task.uid
    deps = [None if d is None else Dependency(d[0], uid, d[1], d[2], d[3]) for d in packed]
    return RawTask(task, r[1], deps)
