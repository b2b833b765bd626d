"""Counting what an MSPDI document says, to measure what a round trip keeps.

A fact is one value a user could see in MS Project: a task field, a link, a resource or
assignment field, a calendar week day or exception, a baseline value, a custom-field value.
Values equal to MS Project's defaults (0, empty, false, CalendarUID -1, priority 500, an FS link,
lag format days...) count as absent, so writing a default out explicitly neither gains nor loses.
Values are normalised (dates, ISO durations, numbers, booleans) before comparison, so `1`/`true`
or `1.00`/`1` are the same fact. Whole-document bookkeeping (views, tables, filters) is not
counted here; it is carried verbatim and checked by the domain-equality test instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from lxml import etree

from steerco.interop.mspdi import codes
from steerco.interop.mspdi.fragments import children
from steerco.interop.mspdi.safe import parse_document

Fact = tuple[str, ...]

_DEFAULTS: dict[str, str] = {
    "CalendarUID": "-1",
    "Priority": "500",
    "BaseCalendarUID": "-1",
    "LagFormat": "7",
}
_SKIP_TASK = frozenset(
    {"UID", "PredecessorLink", "Baseline", "ExtendedAttribute", "TimephasedData", "OutlineCode"}
)


def _norm(text: str | None) -> str:
    """A canonical form of a value: numbers, durations and dates compare by meaning."""
    value = (text or "").strip()
    low = value.lower()
    if low in ("true", "false"):
        return "1" if low == "true" else "0"
    try:
        number = float(value)
    except ValueError:
        pass
    else:
        return repr(round(number, 4) + 0.0)
    if value.startswith(("P", "-P")):
        seconds = codes.parse_iso_seconds(value)
        if seconds is not None:
            return repr(round(seconds, 1) + 0.0)
    if len(value) >= 16 and value[4:5] == "-" and value[10:11] == "T":
        try:
            return codes.parse_datetime(value).isoformat()
        except ValueError:
            return value
    return value


def _absent(tag: str, value: str) -> bool:
    return value in ("", "0.0") or (_norm(_DEFAULTS.get(tag, "")) == value and tag in _DEFAULTS)


def _fields(kind: str, key: str, el: etree._Element, skip: frozenset[str]) -> Iterator[Fact]:
    for name, child in children(el):
        if name in skip or len(child):
            continue
        value = _norm(child.text)
        if not _absent(name, value):
            yield (kind, key, name, value)


def _nested(kind: str, key: str, el: etree._Element) -> Iterator[Fact]:
    """Baseline values and custom-field values of a task, resource or assignment."""
    for name, child in children(el):
        if name == "Baseline":
            values = {n: c.text or "" for n, c in children(child) if not len(c)}
            number = values.pop("Number", "0")
            for field, text in values.items():
                value = _norm(text)
                if not _absent(field, value):
                    yield (kind, key, f"Baseline{number}", field, value)
        elif name in ("ExtendedAttribute", "OutlineCode"):
            values = {n: c.text or "" for n, c in children(child) if not len(c)}
            field_id = values.pop("FieldID", "")
            for field, text in values.items():
                yield (kind, key, f"{name}{field_id}", field, _norm(text))


def _times(el: etree._Element | None) -> str:
    if el is None:
        return ""
    spans = []
    for _, wt in children(el):
        values = {n: (c.text or "") for n, c in children(wt)}
        spans.append(f"{values.get('FromTime', '')}-{values.get('ToTime', '')}")
    return ",".join(sorted(spans))


def _find(el: etree._Element, tag: str) -> etree._Element | None:
    for name, child in children(el):
        if name == tag:
            return child
    return None


def _day(cal: str, el: etree._Element, kind: str) -> Fact:
    values = {n: (c.text or "") for n, c in children(el) if not len(c)}
    period = _find(el, "TimePeriod")
    span = ""
    if period is not None:
        dates = {n: _norm(c.text)[:10] for n, c in children(period)}
        span = f"{dates.get('FromDate', '')}..{dates.get('ToDate', '')}"
    working = _norm(values.get("DayWorking", "0"))
    day = values.get("DayType", "")
    if day == "0" or kind == "exception":
        return ("calendar", cal, "exception", span, working, _times(_find(el, "WorkingTimes")))
    return ("calendar", cal, kind, span, day, working, _times(_find(el, "WorkingTimes")))


def _calendar(el: etree._Element) -> Iterator[Fact]:
    uid = _norm(_find_text(el, "UID"))
    yield from _fields("calendar", uid, el, frozenset({"UID"}))
    for name, child in children(el):
        if name == "WeekDays":
            for _, wd in children(child):
                yield _day(uid, wd, "weekday")
        elif name == "Exceptions":
            for _, exc in children(child):
                yield _day(uid, exc, "exception")
                span = _day(uid, exc, "exception")[3]
                for fact in _fields("calendar-exception", f"{uid}:{span}", exc, frozenset()):
                    if fact[2] not in ("DayWorking", "EnteredByOccurrences"):
                        yield fact
        elif name == "WorkWeeks":
            for _, ww in children(child):
                period = _find(ww, "TimePeriod")
                span = (
                    "" if period is None else ",".join(_norm(c.text) for _, c in children(period))
                )
                yield ("calendar", uid, "workweek", span, _norm(_find_text(ww, "Name")))
                days = _find(ww, "WeekDays")
                for _, wd in children(days) if days is not None else ():
                    yield _day(f"{uid}:{span}", wd, "workweek-day")


def _find_text(el: etree._Element, tag: str) -> str:
    child = _find(el, tag)
    return (child.text or "") if child is not None else ""


def facts(root: etree._Element) -> Counter[Fact]:
    out: Counter[Fact] = Counter()
    for name, section in children(root):
        if name == "Calendars":
            for _, cal in children(section):
                out.update(_calendar(cal))
        elif name == "Tasks":
            for _, task in children(section):
                uid = _norm(_find_text(task, "UID"))
                out.update(_fields("task", uid, task, _SKIP_TASK))
                out.update(_nested("task", uid, task))
                for tag, link in children(task):
                    if tag == "PredecessorLink":
                        pred = _norm(_find_text(link, "PredecessorUID"))
                        out.update(_fields("link", f"{pred}->{uid}", link, frozenset()))
                        out[("link", pred, uid)] += 1
        elif name in ("Resources", "Assignments"):
            kind = name[:-1].lower()
            for _, row in children(section):
                uid = _norm(_find_text(row, "UID"))
                out.update(_fields(kind, uid, row, _SKIP_TASK))
                out.update(_nested(kind, uid, row))
    return out


def count_facts(data: bytes) -> Counter[Fact]:
    return facts(parse_document(data))


def fact_retention(original: bytes, exported: bytes) -> tuple[int, int]:
    """(facts of `original` still present in `exported`, facts in `original`)."""
    before = count_facts(original)
    after = count_facts(exported)
    kept = sum(min(n, after[f]) for f, n in before.items())
    return kept, sum(before.values())


def lost_facts(original: bytes, exported: bytes) -> list[Fact]:
    """The facts a round trip dropped or changed, for test failure messages."""
    before = count_facts(original)
    after = count_facts(exported)
    return sorted(f for f, n in before.items() if after[f] < n)
