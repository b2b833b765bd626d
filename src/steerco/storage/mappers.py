"""Row <-> domain conversion.

Writes produce plain dicts for Core `insert()`/`update()` executemany; reads take Core
result mappings, which are ten times cheaper per field than a Row's attribute access.
Building ORM objects for a 100,000-task import would cost several times the insert itself.
The hypothesis round-trip test holds these functions to exactness.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from steerco.domain import (
    Assignment,
    Calendar,
    CalendarException,
    ConstraintType,
    CostRate,
    DayPattern,
    Dependency,
    Duration,
    Lag,
    LinkType,
    Methodology,
    Project,
    Recurrence,
    RecurrenceType,
    Resource,
    ResourceKind,
    Task,
    TaskType,
    TimeUnit,
    WorkingTime,
    WorkTime,
    WorkWeek,
)

RowDict = dict[str, Any]


# json's own C string encoder: `"[" + ", ".join(...) + "]"` is byte for byte what
# json.dumps(extras, ensure_ascii=False) writes for a list of str, at a third of the cost
# (json.dumps builds an encoder per call; an import dumps one list per row).
_encode_str: Any = getattr(json.encoder, "c_encode_basestring", None) or (
    json.encoder.py_encode_basestring
)


def dump_extras(extras: list[str]) -> str:
    if not extras:
        return "[]"
    try:
        return "[" + ", ".join(map(_encode_str, extras)) + "]"
    except TypeError:  # not a str: let json say what it makes of it
        return json.dumps(extras, ensure_ascii=False)


# The decoder's C scanner, called directly: json.loads adds two Python-level calls and a
# whitespace regex per row, a third of the cost of loading 100,000 tasks' extras.
_decoder: Any = json.JSONDecoder()
_scan = _decoder.scan_once


def load_extras(text: str) -> list[str]:
    if text == "[]":  # nearly every row: skip the parser on 100,000-task loads
        return []
    try:
        value, end = _scan(text, 0)
    except StopIteration:
        value, end = None, -1
    if end != len(text) or not isinstance(value, list):
        value = json.loads(text)  # padded or not a list: json says what it makes of it
    return list(map(str, value))


# ----- projects ------------------------------------------------------------------------------
def project_fields(project: Project) -> RowDict:
    """The project's own columns (not its tasks, links, calendars or resources)."""
    return {
        "key": project.key,
        "name": project.name,
        "start": project.start,
        "status_date": project.status_date,
        "finish": project.finish,
        "currency": project.currency,
        "calendar_uid": project.calendar_uid,
        "methodology": project.methodology.value,
        "schedule_from_start": project.schedule_from_start,
        "minutes_per_day": project.work_time.minutes_per_day,
        "minutes_per_week": project.work_time.minutes_per_week,
        "days_per_month": project.work_time.days_per_month,
        "default_start_time": project.default_start_time,
        "default_finish_time": project.default_finish_time,
        "extras": dump_extras(project.extras),
    }


def project_from_row(row: Mapping[str, Any]) -> Project:
    project = Project(
        name=row["name"],
        key=row["key"],
        start=row["start"],
        status_date=row["status_date"],
        finish=row["finish"],
        currency=row["currency"],
        calendar_uid=row["calendar_uid"],
        methodology=Methodology(row["methodology"]),
        schedule_from_start=row["schedule_from_start"],
        work_time=WorkTime(row["minutes_per_day"], row["minutes_per_week"], row["days_per_month"]),
        default_start_time=row["default_start_time"],
        default_finish_time=row["default_finish_time"],
        calendars=[],
        extras=load_extras(row["extras"]),
    )
    project.id = row["id"]
    project.version = row["version"]
    return project


# ----- tasks ---------------------------------------------------------------------------------
def task_fields(task: Task) -> RowDict:
    """Every column an edit of one task may change (not its place in the WBS)."""
    remaining = task.remaining_duration
    delay = task.leveling_delay
    return {
        "name": task.name,
        "duration_minutes": task.duration.minutes,
        "duration_unit": task.duration.unit.value,
        "duration_elapsed": task.duration.elapsed,
        "duration_estimated": task.duration.estimated,
        "milestone": task.milestone,
        "deliverable": task.deliverable,
        "manual": task.manual,
        "summary": task.summary,
        "start": task.start,
        "finish": task.finish,
        "constraint_type": task.constraint.value,
        "constraint_date": task.constraint_date,
        "deadline": task.deadline,
        "priority": task.priority,
        "notes": task.notes,
        "wbs": task.wbs,
        "percent_complete": task.percent_complete,
        "actual_start": task.actual_start,
        "actual_finish": task.actual_finish,
        "remaining_minutes": None if remaining is None else remaining.minutes,
        "remaining_unit": None if remaining is None else remaining.unit.value,
        "remaining_elapsed": None if remaining is None else remaining.elapsed,
        "remaining_estimated": None if remaining is None else remaining.estimated,
        "calendar_uid": task.calendar_uid,
        "task_type": task.task_type.value,
        "effort_driven": task.effort_driven,
        "ignore_resource_calendar": task.ignore_resource_calendar,
        "work_minutes": task.work_minutes,
        "cost": task.cost,
        "fixed_cost": task.fixed_cost,
        "leveling_delay_minutes": None if delay is None else delay.minutes,
        "leveling_delay_unit": None if delay is None else delay.unit.value,
        "leveling_delay_elapsed": None if delay is None else delay.elapsed,
        "splits": json.dumps([list(s) for s in task.splits]) if task.splits else None,
        "extras": dump_extras(task.extras),
    }


def load_splits(text: str | None) -> tuple[tuple[int, int], ...]:
    return tuple((int(d), int(p)) for d, p in json.loads(text)) if text else ()


def task_row(project_id: int, position: int, task: Task, version: int = 1) -> RowDict:
    row = task_fields(task)
    row.update(
        project_id=project_id,
        uid=task.uid,
        position=position,
        outline_level=task.outline_level,
        version=version,
    )
    return row


# Rows come from our own database, written through validated domain objects, so reads skip
# the user-input checks in `__post_init__`: a 10,000-task load spent most of its time there.
# Durations and lags are immutable values, so equal ones are shared (built, and validated,
# once per distinct value).
_new = object.__new__
_DURATIONS: dict[tuple[Any, ...], Duration] = {}
_LAGS: dict[tuple[Any, ...], Lag] = {}
_CACHE_LIMIT = 4096


def _duration(minutes: int, unit: str, elapsed: Any, estimated: Any) -> Duration:
    key = (minutes, unit, bool(elapsed), bool(estimated))
    value = _DURATIONS.get(key)
    if value is None:
        value = Duration(minutes, TimeUnit(unit), bool(elapsed), bool(estimated))
        if len(_DURATIONS) < _CACHE_LIMIT:
            _DURATIONS[key] = value
    return value


def _lag(minutes: int, unit: str, elapsed: Any, percent: float | None) -> Lag:
    key = (minutes, unit, bool(elapsed), percent)
    value = _LAGS.get(key)
    if value is None:
        value = Lag(minutes, TimeUnit(unit), bool(elapsed), percent)
        if len(_LAGS) < _CACHE_LIMIT:
            _LAGS[key] = value
    return value


def stored_duration(minutes: int, unit: str, elapsed: Any, estimated: Any) -> Duration:
    """A stored duration (shared and trusted, as in `task_from_row`)."""
    return _duration(minutes, unit, elapsed, estimated)


def stored_link(
    pred: int, succ: int, type_: str, minutes: int, unit: str, elapsed: Any, percent: float | None
) -> Dependency:
    """A stored link from its scheduling columns only (extras left empty): for listings."""
    dep: Dependency = _new(Dependency)
    dep.predecessor = pred
    dep.successor = succ
    dep.type = _LINK_TYPES[type_]
    dep.lag = _lag(minutes, unit, elapsed, percent)
    dep.extras = []
    return dep


_CONSTRAINTS = {c.value: c for c in ConstraintType}
_TASK_TYPES = {t.value: t for t in TaskType}
_LINK_TYPES = {t.value: t for t in LinkType}


def task_from_row(row: Mapping[str, Any]) -> Task:
    """A stored task, trusted: no `__post_init__` (see above)."""
    remaining = None
    if row["remaining_minutes"] is not None:
        remaining = _duration(
            row["remaining_minutes"],
            row["remaining_unit"],
            row["remaining_elapsed"],
            row["remaining_estimated"],
        )
    task: Task = _new(Task)
    task.uid = row["uid"]
    task.name = row["name"]
    task.outline_level = row["outline_level"]
    task.duration = _duration(
        row["duration_minutes"],
        row["duration_unit"],
        row["duration_elapsed"],
        row["duration_estimated"],
    )
    task.milestone = bool(row["milestone"])
    task.deliverable = bool(row["deliverable"])
    task.manual = bool(row["manual"])
    task.summary = bool(row["summary"])
    task.start = row["start"]
    task.finish = row["finish"]
    task.constraint = _CONSTRAINTS[row["constraint_type"]]
    task.constraint_date = row["constraint_date"]
    task.deadline = row["deadline"]
    task.priority = row["priority"]
    task.notes = row["notes"]
    task.wbs = row["wbs"]
    task.percent_complete = row["percent_complete"]
    task.actual_start = row["actual_start"]
    task.actual_finish = row["actual_finish"]
    task.remaining_duration = remaining
    task.calendar_uid = row["calendar_uid"]
    task.task_type = _TASK_TYPES[row["task_type"]]
    task.effort_driven = bool(row["effort_driven"])
    task.ignore_resource_calendar = bool(row["ignore_resource_calendar"])
    task.work_minutes = row["work_minutes"]
    task.cost = row["cost"]
    task.fixed_cost = row["fixed_cost"]
    minutes = row.get("leveling_delay_minutes")
    task.leveling_delay = (
        None
        if minutes is None
        else _duration(minutes, row["leveling_delay_unit"], row["leveling_delay_elapsed"], False)
    )
    task.splits = load_splits(row.get("splits"))
    task.extras = load_extras(row["extras"])
    task.version = row["version"]
    return task


# ----- dependencies --------------------------------------------------------------------------
def dependency_row(project_id: int, position: int, dep: Dependency) -> RowDict:
    return {
        "project_id": project_id,
        "position": position,
        "predecessor_uid": dep.predecessor,
        "successor_uid": dep.successor,
        "type": dep.type.value,
        "lag_minutes": dep.lag.minutes,
        "lag_unit": dep.lag.unit.value,
        "lag_elapsed": dep.lag.elapsed,
        "lag_percent": dep.lag.percent,
        "extras": dump_extras(dep.extras),
    }


def dependency_from_row(row: Mapping[str, Any]) -> Dependency:
    """A stored link, trusted like `task_from_row`."""
    dep: Dependency = _new(Dependency)
    dep.predecessor = row["predecessor_uid"]
    dep.successor = row["successor_uid"]
    dep.type = _LINK_TYPES[row["type"]]
    dep.lag = _lag(row["lag_minutes"], row["lag_unit"], row["lag_elapsed"], row["lag_percent"])
    dep.extras = load_extras(row["extras"])
    return dep


# ----- calendars -----------------------------------------------------------------------------
def _pattern_json(pattern: DayPattern) -> dict[str, Any]:
    return {"working": pattern.working, "times": [[t.start, t.end] for t in pattern.times]}


def _pattern_from_json(value: dict[str, Any]) -> DayPattern:
    return DayPattern(value["working"], tuple(WorkingTime(s, e) for s, e in value["times"]))


def _days_json(days: tuple[DayPattern, ...]) -> str:
    return json.dumps([_pattern_json(d) for d in days])


def _days_from_json(text: str) -> tuple[DayPattern, ...]:
    return tuple(_pattern_from_json(d) for d in json.loads(text))


def calendar_row(project_id: int, position: int, cal: Calendar) -> RowDict:
    return {
        "project_id": project_id,
        "uid": cal.uid,
        "position": position,
        "name": cal.name,
        "week": _days_json(cal.week),
        "base_uid": cal.base_uid,
        "is_base": cal.is_base,
        "extras": dump_extras(cal.extras),
        "version": 1,
    }


def calendar_from_row(
    row: Mapping[str, Any], exceptions: list[CalendarException], work_weeks: list[WorkWeek]
) -> Calendar:
    return Calendar(
        uid=row["uid"],
        name=row["name"],
        week=_days_from_json(row["week"]),
        exceptions=exceptions,
        work_weeks=work_weeks,
        base_uid=row["base_uid"],
        is_base=row["is_base"],
        extras=load_extras(row["extras"]),
    )


def _recurrence_json(rec: Recurrence | None) -> str | None:
    if rec is None:
        return None
    return json.dumps(
        {
            "type": rec.type.value,
            "period": rec.period,
            "weekdays": list(rec.weekdays),
            "month_day": rec.month_day,
            "month": rec.month,
            "position": rec.position,
            "weekday": rec.weekday,
            "occurrences": rec.occurrences,
        }
    )


def _recurrence_from_json(text: str | None) -> Recurrence | None:
    if text is None:
        return None
    value = json.loads(text)
    return Recurrence(
        type=RecurrenceType(value["type"]),
        period=value["period"],
        weekdays=tuple(value["weekdays"]),
        month_day=value["month_day"],
        month=value["month"],
        position=value["position"],
        weekday=value["weekday"],
        occurrences=value["occurrences"],
    )


def exception_row(calendar_id: int, position: int, exc: CalendarException) -> RowDict:
    return {
        "calendar_id": calendar_id,
        "position": position,
        "name": exc.name,
        "start": exc.start,
        "finish": exc.finish,
        "working": exc.pattern.working,
        "times": json.dumps([[t.start, t.end] for t in exc.pattern.times]),
        "recurrence": _recurrence_json(exc.recurrence),
        "extras": dump_extras(list(exc.extras)),
    }


def exception_from_row(row: Mapping[str, Any]) -> CalendarException:
    times = tuple(WorkingTime(s, e) for s, e in json.loads(row["times"]))
    return CalendarException(
        start=row["start"],
        finish=row["finish"],
        pattern=DayPattern(row["working"], times),
        name=row["name"],
        recurrence=_recurrence_from_json(row["recurrence"]),
        extras=tuple(load_extras(row["extras"])),
    )


def work_week_row(calendar_id: int, position: int, week: WorkWeek) -> RowDict:
    return {
        "calendar_id": calendar_id,
        "position": position,
        "name": week.name,
        "start": week.start,
        "finish": week.finish,
        "days": _days_json(week.days),
    }


def work_week_from_row(row: Mapping[str, Any]) -> WorkWeek:
    return WorkWeek(
        start=row["start"],
        finish=row["finish"],
        days=_days_from_json(row["days"]),
        name=row["name"],
    )


# ----- resources and assignments -------------------------------------------------------------
def resource_row(project_id: int, position: int, res: Resource) -> RowDict:
    return {
        "project_id": project_id,
        "uid": res.uid,
        "position": position,
        "name": res.name,
        "kind": res.kind.value,
        "max_units": res.max_units,
        "calendar_uid": res.calendar_uid,
        "initials": res.initials,
        "group_name": res.group,
        "email": res.email,
        "extras": dump_extras(res.extras),
        "rates": dump_rates(res.rates),
        "can_level": res.can_level,
        "version": 1,
    }


def dump_rates(rates: tuple[CostRate, ...]) -> str:
    if not rates:
        return "[]"
    return json.dumps([
        [r.table, r.effective.isoformat() if r.effective else None, r.standard, r.overtime,
         r.per_use, r.standard_format, r.overtime_format]
        for r in rates
    ])  # fmt: skip


def load_rates(text: str | None) -> tuple[CostRate, ...]:
    if not text or text == "[]":
        return ()
    return tuple(
        CostRate(table, datetime.fromisoformat(start) if start else None, standard, overtime,
                 per_use, standard_format, overtime_format)
        for table, start, standard, overtime, per_use, standard_format, overtime_format
        in json.loads(text)
    )  # fmt: skip


def resource_from_row(row: Mapping[str, Any]) -> Resource:
    return Resource(
        uid=row["uid"],
        name=row["name"],
        kind=ResourceKind(row["kind"]),
        max_units=row["max_units"],
        calendar_uid=row["calendar_uid"],
        initials=row["initials"],
        group=row["group_name"],
        email=row["email"],
        extras=load_extras(row["extras"]),
        rates=load_rates(row["rates"]),
        can_level=row["can_level"],
    )


def assignment_row(project_id: int, position: int, asg: Assignment) -> RowDict:
    return {
        "project_id": project_id,
        "uid": asg.uid,
        "position": position,
        "task_uid": asg.task_uid,
        "resource_uid": asg.resource_uid,
        "units": asg.units,
        "work_minutes": asg.work_minutes,
        "extras": dump_extras(asg.extras),
        "rate_table": asg.rate_table,
        "version": 1,
    }


def assignment_from_row(row: Mapping[str, Any]) -> Assignment:
    return Assignment(
        uid=row["uid"],
        task_uid=row["task_uid"],
        resource_uid=row["resource_uid"],
        units=row["units"],
        work_minutes=row["work_minutes"],
        extras=load_extras(row["extras"]),
        rate_table=row["rate_table"],
    )
