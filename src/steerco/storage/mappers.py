"""Row <-> domain conversion.

Writes produce plain dicts for Core `insert()`/`update()` executemany; reads take Core
result mappings, which are ten times cheaper per field than a Row's attribute access.
Building ORM objects for a 100,000-task import would cost several times the insert itself.
The hypothesis round-trip test holds these functions to exactness.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from steerco.domain import (
    Assignment,
    Calendar,
    CalendarException,
    ConstraintType,
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


def dump_extras(extras: list[str]) -> str:
    return json.dumps(extras, ensure_ascii=False)


def load_extras(text: str) -> list[str]:
    if text == "[]":  # nearly every row: skip the parser on 100,000-task loads
        return []
    value = json.loads(text)
    return [str(x) for x in value]


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
        "extras": dump_extras(task.extras),
    }


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


def task_from_row(row: Mapping[str, Any]) -> Task:
    remaining = None
    if row["remaining_minutes"] is not None:
        remaining = Duration(
            row["remaining_minutes"],
            TimeUnit(row["remaining_unit"]),
            bool(row["remaining_elapsed"]),
            bool(row["remaining_estimated"]),
        )
    return Task(
        uid=row["uid"],
        name=row["name"],
        outline_level=row["outline_level"],
        duration=Duration(
            row["duration_minutes"],
            TimeUnit(row["duration_unit"]),
            row["duration_elapsed"],
            row["duration_estimated"],
        ),
        milestone=row["milestone"],
        deliverable=row["deliverable"],
        manual=row["manual"],
        summary=row["summary"],
        start=row["start"],
        finish=row["finish"],
        constraint=ConstraintType(row["constraint_type"]),
        constraint_date=row["constraint_date"],
        deadline=row["deadline"],
        priority=row["priority"],
        notes=row["notes"],
        wbs=row["wbs"],
        percent_complete=row["percent_complete"],
        actual_start=row["actual_start"],
        actual_finish=row["actual_finish"],
        remaining_duration=remaining,
        calendar_uid=row["calendar_uid"],
        task_type=TaskType(row["task_type"]),
        effort_driven=row["effort_driven"],
        ignore_resource_calendar=row["ignore_resource_calendar"],
        work_minutes=row["work_minutes"],
        cost=row["cost"],
        fixed_cost=row["fixed_cost"],
        extras=load_extras(row["extras"]),
        version=row["version"],
    )


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
    return Dependency(
        predecessor=row["predecessor_uid"],
        successor=row["successor_uid"],
        type=LinkType(row["type"]),
        lag=Lag(
            row["lag_minutes"], TimeUnit(row["lag_unit"]), row["lag_elapsed"], row["lag_percent"]
        ),
        extras=load_extras(row["extras"]),
    )


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
        "version": 1,
    }


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
    )
