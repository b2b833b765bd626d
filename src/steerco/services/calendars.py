"""The calendar editor's use cases: working weeks, holidays and other exceptions, new calendars.

Working times are typed as a project manager reads them, `08:00-12:00, 13:00-17:00`;
`nonworking` closes a day and `default` (on a derived calendar) inherits the base calendar's
day. Every change checks the project's version (a stale editor gets Conflict, not a silent
overwrite), reschedules inside the same unit of work, and is audited with before and after.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime

from steerco.domain import Conflict, NotFound, Project, ValidationError
from steerco.domain.calendar import (
    INHERIT,
    NONWORKING,
    Calendar,
    CalendarException,
    DayPattern,
    WorkingTime,
    standard_week,
)
from steerco.services import access, audit
from steerco.services.access import Action
from steerco.services.accounts import Actor, actor_name
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory
from steerco.services.resources import resource_ref
from steerco.services.scheduling import reschedule

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_EXCEPTION_DAYS = 366 * 10
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def parse_day(text: str, *, derived: bool) -> DayPattern:
    """`08:00-12:00, 13:00-17:00`, `nonworking`, or (derived calendars) `default`."""
    words = text.strip().lower()
    if words in ("", "nonworking", "non-working", "off"):
        return NONWORKING
    if words in ("default", "inherit"):
        if not derived:
            raise ValidationError("only a calendar based on another one can use 'default'")
        return INHERIT
    spans = []
    for part in words.split(","):
        match = _SPAN.match(part)
        if match is None:
            raise ValidationError(
                f"not a working time: {part.strip()!r}; write e.g. 08:00-12:00, 13:00-17:00"
            )
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if m1 > 59 or m2 > 59 or h1 > 24 or h2 > 24:
            raise ValidationError(f"not a time of day: {part.strip()!r}")
        spans.append(WorkingTime(h1 * 60 + m1, h2 * 60 + m2))
    return DayPattern(True, tuple(sorted(spans)))


def format_day(pattern: DayPattern) -> str:
    if pattern.working is None:
        return "default"
    if not pattern.working:
        return "nonworking"
    return ", ".join(f"{_hhmm(t.start)}-{_hhmm(t.end)}" for t in pattern.times)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _summary(cal: Calendar) -> dict[str, object]:
    return {
        "name": cal.name,
        "week": [format_day(d) for d in cal.week],
        "exceptions": [
            [e.start.isoformat(), e.finish.isoformat(), e.name, format_day(e.pattern)]
            for e in cal.exceptions
        ],
    }


class _Edit:
    """A project loaded for one calendar change; `save` writes it, reschedules, audits the
    calendar's before and after, and commits."""

    def __init__(self, uow: UnitOfWork, project: Project, actor: Actor) -> None:
        self.uow = uow
        self.project = project
        self.actor = actor

    def save(self, cal: Calendar, now: datetime, action: str) -> Calendar:
        project = self.project
        old = next((c for c in project.calendars if c.uid == cal.uid), None)
        before = _summary(old) if old is not None else None
        project.calendars = [cal if c.uid == cal.uid else c for c in project.calendars]
        if old is None:
            project.calendars.append(cal)
        self.uow.projects.replace_calendars(project)
        self.uow.projects.update_project(project)
        reschedule(self.uow, project)  # an impossible calendar fails here, before the commit
        audit.record(
            self.uow,
            actor=actor_name(self.actor),
            action=action,
            target=f"{audit.project_target(project.id or 0)}/calendar:{cal.uid}",
            now=now,
            before=before,
            after=_summary(cal),
        )
        self.uow.commit()
        return cal


@contextmanager
def _editing(
    uow_factory: UnitOfWorkFactory, key: str, actor: Actor, version: int | None
) -> Iterator[_Edit]:
    # Calendars are project settings: managers and owners.
    with access.project_unit(uow_factory, actor, key, Action.PROJECT_UPDATE, what="calendars") as (
        uow,
        project,
    ):
        if version is not None and version != project.version:
            raise Conflict(
                f"project {project.key} was changed by someone else; reload and try again"
            )
        yield _Edit(uow, project, actor)


def _new_uid(project: Project) -> int:
    return max((c.uid for c in project.calendars), default=0) + 1


def _derived(project: Project, name: str, base: Calendar) -> Calendar:
    """A calendar of `project` that inherits every day from `base` until changed."""
    return Calendar(
        uid=_new_uid(project), name=name, week=(INHERIT,) * 7, base_uid=base.uid, is_base=False
    )


def _overlapping(cal: Calendar, start: date, finish: date) -> CalendarException | None:
    return next((e for e in cal.exceptions if e.start <= finish and start <= e.finish), None)


def _with_exception(cal: Calendar, exc: CalendarException) -> Calendar:
    return replace(cal, exceptions=sorted([*cal.exceptions, exc], key=lambda e: e.start))


def set_week(
    uow_factory: UnitOfWorkFactory,
    key: str,
    uid: int,
    days: dict[int, str],
    *,
    actor: Actor,
    now: datetime,
    version: int | None = None,
) -> Calendar:
    """Replace the working times of the given weekdays (0 = Monday) of calendar `uid`."""
    with _editing(uow_factory, key, actor, version) as edit:
        cal = edit.project.calendar(uid)
        week = list(cal.week)
        derived = cal.base_uid is not None
        for day, text in days.items():
            if not 0 <= day <= 6:
                raise ValidationError(f"weekday {day} does not exist; 0 is Monday, 6 Sunday")
            week[day] = parse_day(text, derived=derived)
        if not derived and not any(d.working for d in week):
            raise ValidationError("a calendar needs at least one working day")
        return edit.save(replace(cal, week=tuple(week)), now, "calendar.week")


def add_exception(
    uow_factory: UnitOfWorkFactory,
    key: str,
    uid: int,
    *,
    start: date,
    finish: date,
    name: str,
    times: str = "nonworking",
    actor: Actor,
    now: datetime,
    version: int | None = None,
) -> Calendar:
    """A holiday (`nonworking`) or changed working times for the days start..finish."""
    if (finish - start).days > MAX_EXCEPTION_DAYS:
        raise ValidationError("an exception spans at most ten years")
    name = name.strip()[:200]
    with _editing(uow_factory, key, actor, version) as edit:
        cal = edit.project.calendar(uid)
        exc = CalendarException(start, finish, parse_day(times, derived=False), name)
        other = _overlapping(cal, start, finish)
        if other is not None:
            raise ValidationError(
                f"the dates overlap the exception {other.name or other.start.isoformat()!r}"
            )
        return edit.save(_with_exception(cal, exc), now, "calendar.exception_added")


def remove_exception(
    uow_factory: UnitOfWorkFactory,
    key: str,
    uid: int,
    index: int,
    *,
    actor: Actor,
    now: datetime,
    version: int | None = None,
) -> Calendar:
    with _editing(uow_factory, key, actor, version) as edit:
        cal = edit.project.calendar(uid)
        exceptions = list(cal.exceptions)
        if not 0 <= index < len(exceptions):
            raise NotFound(f"calendar {uid} has no exception {index}")
        del exceptions[index]
        return edit.save(replace(cal, exceptions=exceptions), now, "calendar.exception_removed")


def add_calendar(
    uow_factory: UnitOfWorkFactory,
    key: str,
    name: str,
    *,
    base_uid: int | None = None,
    actor: Actor,
    now: datetime,
    version: int | None = None,
) -> Calendar:
    """A new base calendar with a standard week, or one derived from `base_uid`."""
    with _editing(uow_factory, key, actor, version) as edit:
        project = edit.project
        if any(c.name.strip().lower() == name.strip().lower() for c in project.calendars):
            raise ValidationError(f"there is already a calendar called {name.strip()!r}")
        if base_uid is None:
            cal = Calendar(uid=_new_uid(project), name=name, week=standard_week())
        else:
            base = project.calendar(base_uid)
            if base.base_uid is not None:
                raise ValidationError(f"{base.name!r} is itself based on another calendar")
            cal = _derived(project, name, base)
        return edit.save(cal, now, "calendar.created")


def resource_time_off(
    uow_factory: UnitOfWorkFactory,
    key: str,
    resource: str,
    *,
    start: date,
    finish: date,
    name: str = "Vacation",
    actor: Actor,
    now: datetime,
) -> Calendar:
    """Time off for one resource: an exception on the resource's own calendar, made on first
    use as a calendar based on the project calendar (as MS Project gives every resource its
    own). Tasks the resource works on move; nobody else's do."""
    if (finish - start).days > MAX_EXCEPTION_DAYS:
        raise ValidationError("time off spans at most ten years")
    with access.project_unit(uow_factory, actor, key, Action.PROJECT_UPDATE, what="time off") as (
        uow,
        project,
    ):
        assert project.id is not None
        res = resource_ref(project, resource)
        own = next((c for c in project.calendars if c.uid == res.calendar_uid), None)
        if own is None or own.is_base:
            base = project.calendar(project.calendar_uid)
            if base.base_uid is not None:
                base = project.calendar(base.base_uid)
            own = _derived(project, res.name, base)
            project.calendars.append(own)
            res.calendar_uid = own.uid
            uow.projects.update_resource(project.id, res)
        exc = CalendarException(start, finish, NONWORKING, name.strip()[:200] or "Vacation")
        if _overlapping(own, start, finish) is not None:
            raise ValidationError(f"{res.name} already has time off overlapping those dates")
        cal = _with_exception(own, exc)
        project.calendars = [cal if c.uid == cal.uid else c for c in project.calendars]
        uow.projects.replace_calendars(project)
        # A calendar change, like the editor's: an editor opened before it is now stale.
        uow.projects.update_project(project)
        reschedule(uow, project)
        audit.record(
            uow,
            actor=actor_name(actor),
            action="resource.time_off",
            target=f"{audit.project_target(project.id)}/resource:{res.uid}",
            now=now,
            after={"from": start.isoformat(), "to": finish.isoformat(), "name": exc.name},
        )
        uow.commit()
    return cal
