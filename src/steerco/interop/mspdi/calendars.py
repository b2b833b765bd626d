"""MSPDI calendars <-> domain calendars: week days, exceptions (old and new style), work weeks.

MS Project 2007+ writes each exception twice: in `Exceptions` (with its name and recurrence) and
expanded into old-style `WeekDay` entries with DayType 0 for older readers. When `Exceptions` is
present it is the truth and the old-style copies are carried verbatim; files from 2002/2003 only
have the old style, which then becomes the domain's exceptions.
"""

from __future__ import annotations

from datetime import date

from lxml import etree

from steerco.domain import (
    Calendar,
    CalendarException,
    DayPattern,
    Recurrence,
    RecurrenceType,
    WorkingTime,
    WorkWeek,
)
from steerco.domain.calendar import INHERIT, NONWORKING, STANDARD_DAY
from steerco.interop.mspdi.codes import format_bool, format_time, parse_bool, parse_date, parse_time
from steerco.interop.mspdi.fragments import children, fragment, leaf, merge, tag_of
from steerco.interop.mspdi.order import CALENDAR_ORDER, EXCEPTION_ORDER, WEEKDAY_ORDER, index_of

_CAL_ORDER = index_of(CALENDAR_ORDER)
_EXC_ORDER = index_of(EXCEPTION_ORDER)
_DAY_ORDER = index_of(WEEKDAY_ORDER)
_CAL_SINGLE = frozenset({"UID", "Name", "IsBaseCalendar", "BaseCalendarUID"})
_PLAIN = ("EnteredByOccurrences", "Occurrences", "Type")
_EXC_SINGLE = frozenset(
    {
        "Type",
        "Period",
        "DaysOfWeek",
        "Month",
        "MonthItem",
        "MonthPosition",
        "MonthDay",
        "Occurrences",
    }
)

# MSPDI recurrence Type codes. Type 1 ("daily", every day) is just a date range to the domain.
_RECURRENCE = {
    7: RecurrenceType.DAILY,
    6: RecurrenceType.WEEKLY,
    5: RecurrenceType.MONTHLY,
    4: RecurrenceType.MONTHLY,
    3: RecurrenceType.YEARLY,
    2: RecurrenceType.YEARLY,
}


def python_weekday(day_type: int) -> int:
    """MSPDI DayType 1=Sunday..7=Saturday to Python's 0=Monday..6=Sunday."""
    return (day_type + 5) % 7


def day_type(weekday: int) -> int:
    return (weekday + 1) % 7 + 1


# ----- reading --------------------------------------------------------------------------------


def _times(el: etree._Element) -> tuple[WorkingTime, ...]:
    out: list[WorkingTime] = []
    for _, wt in children(el):
        values = {name: (c.text or "") for name, c in children(wt)}
        if "FromTime" in values and "ToTime" in values:
            out.append(
                WorkingTime(parse_time(values["FromTime"]), parse_time(values["ToTime"], end=True))
            )
    return tuple(sorted(out))


def _pattern(el: etree._Element) -> tuple[int | None, DayPattern, tuple[date, date] | None]:
    """(DayType, pattern, TimePeriod) of a WeekDay element."""
    kind: int | None = None
    working: bool | None = None
    times: tuple[WorkingTime, ...] = ()
    period: tuple[date, date] | None = None
    for name, child in children(el):
        if name == "DayType":
            kind = int(child.text or "0")
        elif name == "DayWorking":
            working = parse_bool(child.text or "0")
        elif name == "WorkingTimes":
            times = _times(child)
        elif name == "TimePeriod":
            period = _period(child)
    return kind, DayPattern(working, times if working else ()), period


def _period(el: etree._Element) -> tuple[date, date]:
    values = {name: (c.text or "") for name, c in children(el)}
    return parse_date(values["FromDate"]), parse_date(values["ToDate"])


def _weekdays(el: etree._Element, default: list[DayPattern]) -> tuple[DayPattern, ...]:
    week = list(default)
    for _, wd in children(el):
        kind, pattern, _ = _pattern(wd)
        if kind and 1 <= kind <= 7:
            week[python_weekday(kind)] = pattern
    return tuple(week)


def _recurrence(values: dict[str, str]) -> Recurrence | None:
    kind = _RECURRENCE.get(int(values.get("Type", "1") or "1"))
    if kind is None:
        return None
    code = int(values["Type"])

    def num(tag: str) -> int | None:
        return int(values[tag]) if values.get(tag, "").strip() else None

    item = num("MonthItem")
    position = num("MonthPosition")
    month = num("Month")
    mask = num("DaysOfWeek") or 0
    return Recurrence(
        type=kind,
        period=num("Period") or 1,
        weekdays=tuple(sorted(python_weekday(b + 1) for b in range(7) if mask & (1 << b))),
        month_day=num("MonthDay") if code in (4, 2) else None,
        month=month + 1 if month is not None else None,
        position=position + 1 if position is not None and code in (5, 3) else None,
        weekday=(item - 4) % 7 if item is not None and code in (5, 3) else None,
        occurrences=num("Occurrences"),
    )


def _exception(el: etree._Element) -> CalendarException:
    values: dict[str, str] = {}
    extras: list[str] = []
    times: tuple[WorkingTime, ...] = ()
    span: tuple[date, date] | None = None
    for name, child in children(el):
        if name == "TimePeriod":
            span = _period(child)
        elif name == "WorkingTimes":
            times = _times(child)
        elif name in ("Name", "DayWorking", *_EXC_SINGLE, *_PLAIN) and len(child) == 0:
            values[name] = child.text or ""
        else:
            extras.append(fragment(child, name))
    if span is None:
        raise ValueError("calendar exception without a TimePeriod")
    recurrence = _recurrence(values)
    if recurrence is None:
        # A Type-1 exception is a plain range. Its bookkeeping is carried verbatim unless it is
        # exactly what the writer produces for a plain range anyway.
        plain = {"EnteredByOccurrences": "0", "Occurrences": str((span[1] - span[0]).days + 1)}
        if any(values.get(t, plain.get(t, "1")) != plain.get(t, "1") for t in _PLAIN):
            extras.extend(leaf(t, values[t]) for t in _PLAIN if t in values)
    elif "EnteredByOccurrences" in values:
        extras.append(leaf("EnteredByOccurrences", values["EnteredByOccurrences"]))
    working = parse_bool(values.get("DayWorking", "0"))
    return CalendarException(
        start=span[0],
        finish=span[1],
        pattern=DayPattern(working, times if working else ()),
        name=values.get("Name", ""),
        recurrence=recurrence,
        extras=tuple(extras),
    )


def _work_week(el: etree._Element) -> WorkWeek:
    span: tuple[date, date] | None = None
    name = ""
    days: tuple[DayPattern, ...] = (INHERIT,) * 7
    for tag, child in children(el):
        if tag == "TimePeriod":
            span = _period(child)
        elif tag == "Name":
            name = child.text or ""
        elif tag == "WeekDays":
            days = _weekdays(child, [INHERIT] * 7)
    if span is None:
        raise ValueError("work week without a TimePeriod")
    return WorkWeek(start=span[0], finish=span[1], days=days, name=name)


def read_calendar(el: etree._Element) -> Calendar:
    """One `Calendar` element. Raises ValueError/ValidationError on data it cannot model."""
    values: dict[str, str] = {}
    extras: list[str] = []
    weekdays: etree._Element | None = None
    old_style: list[tuple[str, CalendarException]] = []
    exceptions: list[CalendarException] | None = None
    work_weeks: list[WorkWeek] = []
    for name, child in children(el):
        if name in _CAL_SINGLE and len(child) == 0:
            values[name] = child.text or ""
        elif name == "WeekDays":
            weekdays = child
        elif name == "Exceptions":
            exceptions = [_exception(e) for _, e in children(child)]
        elif name == "WorkWeeks":
            work_weeks = [_work_week(w) for _, w in children(child)]
        else:
            extras.append(fragment(child, name))
    base_uid = int(values.get("BaseCalendarUID", "-1") or "-1")
    is_base = parse_bool(values.get("IsBaseCalendar", "1" if base_uid < 0 else "0"))
    derived = base_uid >= 0 and not is_base
    default = [INHERIT] * 7 if derived else [*([STANDARD_DAY] * 5), NONWORKING, NONWORKING]
    week = tuple(default)
    if weekdays is not None:
        week = _weekdays(weekdays, default)
        for _, wd in children(weekdays):
            kind, pattern, span = _pattern(wd)
            if kind == 0 and span is not None:
                exc = CalendarException(span[0], span[1], pattern)
                old_style.append((fragment(wd, "WeekDay"), exc))
    if exceptions is None:
        exceptions = [exc for _, exc in old_style]
    else:
        extras.extend(frag for frag, _ in old_style)
    uid = int(values["UID"])
    return Calendar(
        uid=uid,
        name=values.get("Name", "").strip() or f"Calendar {uid}",
        week=week,
        exceptions=exceptions,
        work_weeks=work_weeks,
        base_uid=base_uid if base_uid >= 0 else None,
        is_base=is_base,
        extras=extras,
    )


# ----- writing --------------------------------------------------------------------------------


def _times_xml(times: tuple[WorkingTime, ...]) -> str:
    if not times:
        return ""
    inner = "".join(
        f"<WorkingTime><FromTime>{format_time(t.start)}</FromTime>"
        f"<ToTime>{format_time(t.end)}</ToTime></WorkingTime>"
        for t in times
    )
    return f"<WorkingTimes>{inner}</WorkingTimes>"


def _weekday_xml(kind: int, pattern: DayPattern, span: tuple[date, date] | None = None) -> str:
    period = ""
    if span is not None:
        period = (
            f"<TimePeriod><FromDate>{span[0].isoformat()}T00:00:00</FromDate>"
            f"<ToDate>{span[1].isoformat()}T23:59:00</ToDate></TimePeriod>"
        )
    return (
        f"<WeekDay><DayType>{kind}</DayType>"
        f"<DayWorking>{format_bool(bool(pattern.working))}</DayWorking>"
        f"{period}{_times_xml(pattern.times)}</WeekDay>"
    )


def _week_xml(week: tuple[DayPattern, ...]) -> str:
    # Sunday first, as MS Project writes them; inherited days are simply absent.
    order = (6, 0, 1, 2, 3, 4, 5)
    return "".join(_weekday_xml(day_type(d), week[d]) for d in order if week[d].working is not None)


def _recurrence_xml(rec: Recurrence) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    if rec.occurrences is not None:
        items.append(("Occurrences", leaf("Occurrences", str(rec.occurrences))))
    relative = rec.weekday is not None and rec.position is not None
    code = {
        RecurrenceType.DAILY: 7,
        RecurrenceType.WEEKLY: 6,
        RecurrenceType.MONTHLY: 5 if relative else 4,
        RecurrenceType.YEARLY: 3 if relative else 2,
    }[rec.type]
    items.append(("Type", leaf("Type", str(code))))
    if rec.type is not RecurrenceType.YEARLY:
        items.append(("Period", leaf("Period", str(rec.period))))
    if rec.weekdays:
        mask = sum(1 << (day_type(d) - 1) for d in rec.weekdays)
        items.append(("DaysOfWeek", leaf("DaysOfWeek", str(mask))))
    if rec.month is not None:
        items.append(("Month", leaf("Month", str(rec.month - 1))))
    if relative:
        assert rec.weekday is not None and rec.position is not None
        items.append(("MonthItem", leaf("MonthItem", str((rec.weekday + 1) % 7 + 3))))
        items.append(("MonthPosition", leaf("MonthPosition", str(rec.position - 1))))
    if rec.month_day is not None:
        items.append(("MonthDay", leaf("MonthDay", str(rec.month_day))))
    return items


def _exception_xml(exc: CalendarException) -> str:
    items: list[tuple[str, str]] = [
        (
            "TimePeriod",
            f"<TimePeriod><FromDate>{exc.start.isoformat()}T00:00:00</FromDate>"
            f"<ToDate>{exc.finish.isoformat()}T23:59:00</ToDate></TimePeriod>",
        ),
        ("Name", leaf("Name", exc.name)),
        ("DayWorking", leaf("DayWorking", format_bool(bool(exc.pattern.working)))),
    ]
    if exc.pattern.times:
        items.append(("WorkingTimes", _times_xml(exc.pattern.times)))
    if exc.recurrence is not None:
        items.extend(_recurrence_xml(exc.recurrence))
    elif not any(tag_of(f) in _PLAIN for f in exc.extras):
        days = (exc.finish - exc.start).days + 1
        items.append(("EnteredByOccurrences", leaf("EnteredByOccurrences", "0")))
        items.append(("Occurrences", leaf("Occurrences", str(days))))
        items.append(("Type", leaf("Type", "1")))
    body = merge(items, exc.extras, _EXC_ORDER, _EXC_SINGLE)
    return f"<Exception>{body}</Exception>"


def _needs_new_style(cal: Calendar, old_copies: list[str]) -> bool:
    return bool(old_copies) or any(
        e.name or e.recurrence is not None or e.extras for e in cal.exceptions
    )


def write_calendar(cal: Calendar) -> str:
    old_copies = [f for f in cal.extras if tag_of(f) == "WeekDay"]
    extras = [f for f in cal.extras if tag_of(f) != "WeekDay"]
    items: list[tuple[str, str]] = [
        ("UID", leaf("UID", str(cal.uid))),
        ("Name", leaf("Name", cal.name)),
        ("IsBaseCalendar", leaf("IsBaseCalendar", format_bool(cal.is_base))),
        (
            "BaseCalendarUID",
            leaf("BaseCalendarUID", str(-1 if cal.base_uid is None else cal.base_uid)),
        ),
    ]
    days = _week_xml(cal.week)
    if _needs_new_style(cal, old_copies):
        days += "".join(old_copies)
        if cal.exceptions:
            inner = "".join(_exception_xml(e) for e in cal.exceptions)
            items.append(("Exceptions", f"<Exceptions>{inner}</Exceptions>"))
    else:
        days += "".join(_weekday_xml(0, e.pattern, (e.start, e.finish)) for e in cal.exceptions)
    if days:
        items.append(("WeekDays", f"<WeekDays>{days}</WeekDays>"))
    if cal.work_weeks:
        inner = "".join(
            f"<WorkWeek><TimePeriod><FromDate>{w.start.isoformat()}T00:00:00</FromDate>"
            f"<ToDate>{w.finish.isoformat()}T23:59:00</ToDate></TimePeriod>"
            f"{leaf('Name', w.name)}<WeekDays>{_week_xml(w.days)}</WeekDays></WorkWeek>"
            for w in cal.work_weeks
        )
        items.append(("WorkWeeks", f"<WorkWeeks>{inner}</WorkWeeks>"))
    return f"<Calendar>{merge(items, extras, _CAL_ORDER, _CAL_SINGLE)}</Calendar>"
