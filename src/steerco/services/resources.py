"""Resources of a project, who is assigned to what, and their load over time.

Units are typed as MS Project shows them, `50%` or `200%`, or as MSPDI stores them, a
fraction where `1` is one full-time person. Load is computed from the current schedule on
the project calendar: the peak booked at any moment of a day or week against max units
(see engine/allocation.py), so the usage view and the over-allocation list agree with what
leveling resolves.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from steerco.domain import (
    Assignment,
    Calendar,
    NotFound,
    Project,
    Resource,
    ResourceKind,
    Task,
    ValidationError,
    effort,
)
from steerco.engine.allocation import Booking, Bucket, Load, loads
from steerco.engine.calendar import CompiledCalendar, compile_calendar
from steerco.engine.cpm import schedule
from steerco.engine.result import ScheduleResult
from steerco.interop.mspdi.work_fields import actual_work
from steerco.services import access, audit
from steerco.services.access import Action
from steerco.services.accounts import Actor, actor_name
from steerco.services.planning import readable_schedules, task_ref
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory
from steerco.services.schedule_views import derived
from steerco.services.scheduling import ProjectSchedule, reschedule

MAX_UNITS = 1000.0  # 100,000%: a pool of a thousand people is the most a row can stand for
_UNITS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$")


def parse_units(text: str) -> float:
    """`50%` -> 0.5, `2` -> 2.0 (MSPDI's fraction)."""
    match = _UNITS.match(text)
    if match is None:
        raise ValidationError(f"not units: {text.strip()[:20]!r}; write e.g. 50% or 100%")
    value = float(match[1]) / (100 if match[2] else 1)
    if value > MAX_UNITS:
        raise ValidationError(f"units above {MAX_UNITS * 100:.0f}% are not plausible")
    return value


def format_units(value: float) -> str:
    return f"{value * 100:g}%"


def resource_ref(project: Project, ref: str) -> Resource:
    """A resource by uid, name or e-mail (case-insensitive)."""
    text = ref.strip()
    if text.isdigit():
        for r in project.resources:
            if r.uid == int(text):
                return r
    for r in project.resources:
        if text.lower() in (r.name.lower(), r.email.lower()):
            return r
    raise NotFound(f"project {project.key} has no resource {text[:60]!r}")


def add_resource(
    uow_factory: UnitOfWorkFactory,
    key: str,
    name: str,
    *,
    max_units: str = "100%",
    email: str = "",
    kind: ResourceKind = ResourceKind.WORK,
    actor: Actor,
    now: datetime,
) -> Resource:
    """A new resource of the project: its staffing is a project setting (managers, owners)."""
    name = _resource_name(name)
    with access.project_unit(
        uow_factory, actor, key, Action.PROJECT_UPDATE, what="add resource"
    ) as (uow, project):
        assert project.id is not None
        if any(r.name.lower() == name.lower() for r in project.resources):
            raise ValidationError(f"there is already a resource called {name!r}")
        uid = max((r.uid for r in project.resources if r.uid > 0), default=0) + 1
        res = Resource(
            uid=uid,
            name=name,
            kind=kind,
            max_units=parse_units(max_units),
            email=email.strip()[:255],
            # As MS Project sets it: only work resources are leveled.
            can_level=kind is ResourceKind.WORK,
        )
        uow.projects.add_resource(project.id, res, len(project.resources))
        audit.record(
            uow,
            actor=actor_name(actor),
            action="resource.created",
            target=f"{audit.project_target(project.id)}/resource:{uid}",
            now=now,
            after={"name": res.name, "max_units": res.max_units, "kind": kind.value},
        )
        uow.commit()
    return res


@dataclass(frozen=True, slots=True)
class ResourceChanges:
    """What to change on a resource; None leaves a field as it is."""

    name: str | None = None
    max_units: str | None = None  # `50%` or MSPDI's fraction, as `parse_units` reads it
    email: str | None = None
    can_level: bool | None = None  # MS Project's Can Level: may leveling delay tasks for it?

    def empty(self) -> bool:
        return all(v is None for v in (self.name, self.max_units, self.email, self.can_level))


def update_resource(
    uow_factory: UnitOfWorkFactory,
    key: str,
    resource: str,
    changes: ResourceChanges,
    *,
    actor: Actor,
    now: datetime,
) -> Resource:
    """Rename a resource, change its e-mail, its max units (someone going part-time) or
    whether leveling may delay tasks for it: staffing is a project setting (managers,
    owners). Max units and Can Level are a work resource's; the plan's dates do not move
    (max units bound leveling and the usage views, not the schedule)."""
    if changes.empty():
        raise ValidationError("nothing to change: give a name, max units, e-mail or can-level")
    with access.project_unit(
        uow_factory, actor, key, Action.PROJECT_UPDATE, what="change resource"
    ) as (uow, project):
        res = apply_changes(
            uow, project, resource_ref(project, resource), changes, actor=actor, now=now
        )
        uow.commit()
    return res


def apply_changes(
    uow: UnitOfWork,
    project: Project,
    res: Resource,
    changes: ResourceChanges,
    *,
    actor: Actor,
    now: datetime,
) -> Resource:
    """`update_resource`'s checks, write and audit entry inside the caller's unit of work
    (`staffing.update_profile`'s too, so one command changes a resource and its profile all
    or nothing). Returns the changed resource, which replaces `res` in the plan."""
    assert project.id is not None
    if changes.empty():
        return res
    name = res.name if changes.name is None else _resource_name(changes.name)
    if any(r.name.lower() == name.lower() for r in project.resources if r is not res):
        raise ValidationError(f"there is already a resource called {name!r}")
    if (changes.max_units, changes.can_level) != (None, None) and res.kind is not ResourceKind.WORK:
        raise ValidationError(
            f"{res.name} is a {res.kind.value} resource: only work resources have max units"
            " and are leveled"
        )
    new = replace(
        res,
        name=name,
        email=res.email if changes.email is None else changes.email.strip()[:255],
        max_units=res.max_units if changes.max_units is None else parse_units(changes.max_units),
        can_level=res.can_level if changes.can_level is None else changes.can_level,
    )
    uow.projects.update_resource(project.id, new)
    project.resources = [new if r is res else r for r in project.resources]
    before, after = _resource_fields(res), _resource_fields(new)
    audit.record(
        uow,
        actor=actor_name(actor),
        action="resource.changed",
        target=f"{audit.project_target(project.id)}/resource:{res.uid}",
        now=now,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )
    return new


def _resource_name(text: str) -> str:
    name = text.strip()
    if not name or len(name) > 255:
        raise ValidationError("a resource needs a name of at most 255 characters")
    return name


def _resource_fields(res: Resource) -> dict[str, object]:
    return {
        "name": res.name,
        "max_units": res.max_units,
        "email": res.email,
        "can_level": res.can_level,
    }


def assign(
    uow_factory: UnitOfWorkFactory,
    key: str,
    task: str,
    resource: str,
    *,
    units: str = "100%",
    actor: Actor,
    now: datetime,
) -> Assignment:
    """Assign a resource to a task: planning work, so members and up."""
    with access.project_unit(uow_factory, actor, key, Action.TASK_WRITE, what="assign") as (
        uow,
        project,
    ):
        assert project.id is not None
        target = task_ref(project, task)
        if target.summary:
            raise ValidationError(f"{target.name!r} is a summary task; assign its subtasks")
        res = resource_ref(project, resource)
        if any(a.task_uid == target.uid and a.resource_uid == res.uid for a in project.assignments):
            raise ValidationError(f"{res.name} is already assigned to {target.name!r}")
        uid = max((a.uid for a in project.assignments), default=0) + 1
        asg = Assignment(
            uid=uid, task_uid=target.uid, resource_uid=res.uid, units=parse_units(units)
        )
        # MS Project's work formula: an effort-driven task shares its work out, so it gets
        # shorter (fixed units, fixed work) or its people get thinner (fixed duration).
        existing = [a for a in project.assignments if a.task_uid == target.uid]
        effect = effort.add_resource(target, existing, asg)
        asg = effect.assignments[-1]
        uow.projects.add_assignment(project.id, asg, len(project.assignments))
        _store_effect(uow, project, target, [*existing, asg], effect)
        reschedule(uow, project)
        _audit(uow, actor, project, asg, "assignment.created", now, after=asg.units)
        uow.commit()
    return asg


Finder = Callable[[Project], Assignment]  # picks one assignment out of a loaded plan


def by_refs(task: str, resource: str) -> Finder:
    """The assignment of `resource` to `task` (each by id, WBS code or name, e-mail)."""

    def find(project: Project) -> Assignment:
        target, res = task_ref(project, task), resource_ref(project, resource)
        for a in project.assignments:
            if a.task_uid == target.uid and a.resource_uid == res.uid:
                return a
        raise NotFound(f"{res.name} is not assigned to {target.name!r}")

    return find


def by_id(uid: int, *, task_uid: int | None = None) -> Finder:
    """Assignment `uid`; with `task_uid`, only if it is on that task (a form on its page)."""

    def find(project: Project) -> Assignment:
        for a in project.assignments:
            if a.uid == uid:
                if task_uid is not None and a.task_uid != task_uid:
                    raise NotFound(f"assignment {uid} is not on task {task_uid}")
                return a
        raise NotFound(f"no assignment {uid} in project {project.key}")

    return find


def change_units(
    uow_factory: UnitOfWorkFactory,
    key: str,
    find: Finder,
    units: str,
    *,
    actor: Actor,
    now: datetime,
) -> Assignment:
    """New units for one assignment, with MS Project's work formula: a fixed-duration task
    keeps its dates and the work changes; the others keep the work and the task lasts as
    long as its longest assignment. `find` picks the assignment (`by_refs`, `by_id`)."""
    with _assignment_unit(uow_factory, actor, key, find) as (uow, project, asg, target, mine):
        effect = effort.change_units(target, mine, asg.uid, parse_units(units))
        _store_effect(uow, project, target, mine, effect)
        reschedule(uow, project)
        changed = next(a for a in effect.assignments if a.uid == asg.uid)
        _audit(uow, actor, project, asg, "assignment.changed", now, asg.units, changed.units)
        uow.commit()
    return changed


def unassign(
    uow_factory: UnitOfWorkFactory,
    key: str,
    find: Finder,
    *,
    actor: Actor,
    now: datetime,
) -> Assignment:
    """Take a resource off a task (`effort.remove_resource`: on an effort-driven task the
    others take over its work). Returns the assignment removed."""
    with _assignment_unit(uow_factory, actor, key, find) as (uow, project, asg, _, _):
        _take_off(uow, project, asg)
        reschedule(uow, project)
        _audit(uow, actor, project, asg, "assignment.removed", now, before=asg.units)
        uow.commit()
    return asg


def remove_resource(
    uow_factory: UnitOfWorkFactory,
    key: str,
    resource: str,
    *,
    actor: Actor,
    now: datetime,
) -> Resource:
    """Take a resource out of the project (someone leaves it): a project setting (managers,
    owners). Each of its assignments goes as `unassign` takes it, so an effort-driven task
    keeps its work with the others; its skills and time zone go with it, and so does its own
    calendar, as in MS Project. The plan is rescheduled once. Returns the resource removed."""
    with access.project_unit(
        uow_factory, actor, key, Action.PROJECT_UPDATE, what="remove resource"
    ) as (uow, project):
        assert project.id is not None
        res = resource_ref(project, resource)
        if res.uid <= 0:  # MS Project's row for unassigned work, which every file has
            raise ValidationError("that row stands for unassigned work and cannot be removed")
        mine = [a for a in project.assignments if a.resource_uid == res.uid]
        for asg in mine:
            _take_off(uow, project, asg)
        uow.projects.delete_resource(project.id, res.uid)
        project.resources = [r for r in project.resources if r is not res]
        _drop_own_calendar(uow, project, res)
        reschedule(uow, project)
        audit.record(
            uow,
            actor=actor_name(actor),
            action="resource.removed",
            target=f"{audit.project_target(project.id)}/resource:{res.uid}",
            now=now,
            before={**_resource_fields(res), "assignments": len(mine)},
        )
        uow.commit()
    return res


def _drop_own_calendar(uow: UnitOfWork, project: Project, res: Resource) -> None:
    """A resource's own calendar (not a base calendar, used by nobody else) goes with it."""
    uid = res.calendar_uid
    if uid is None or uid == project.calendar_uid:
        return
    own = next((c for c in project.calendars if c.uid == uid), None)
    used = any(r.calendar_uid == uid for r in project.resources) or any(
        t.calendar_uid == uid for t in project.tasks
    )
    if own is None or own.is_base or used:
        return
    project.calendars = [c for c in project.calendars if c is not own]
    uow.projects.replace_calendars(project)
    uow.projects.update_project(project)  # an open calendar editor must reload


@contextmanager
def _assignment_unit(
    uow_factory: UnitOfWorkFactory, actor: Actor, key: str, find: Finder
) -> Iterator[tuple[UnitOfWork, Project, Assignment, Task, list[Assignment]]]:
    """A unit of work on one assignment: the plan, the assignment, its task and all of that
    task's assignments. Changing who works on a task is a task edit (members and up)."""
    with access.project_unit(uow_factory, actor, key, Action.TASK_WRITE, what="assign") as (
        uow,
        project,
    ):
        asg = find(project)
        target = project.task(asg.task_uid)
        mine = [a for a in project.assignments if a.task_uid == target.uid]
        yield uow, project, asg, target, mine


def _store_effect(
    uow: UnitOfWork,
    project: Project,
    target: Task,
    before: list[Assignment],
    effect: effort.Effect,
) -> None:
    """Write what the work formula changed: the task's assignments, duration and work."""
    assert project.id is not None
    for a in effect.assignments:
        if a not in before:
            uow.projects.update_assignment(project.id, a)
    project.assignments = [
        *[a for a in project.assignments if a.task_uid != target.uid],
        *effect.assignments,
    ]
    if effect.duration_minutes != target.duration.minutes and not target.milestone:
        target.duration = replace(target.duration, minutes=effect.duration_minutes)
    target.work_minutes = sum(a.work_minutes or 0 for a in effect.assignments) or None
    uow.projects.update_task(project.id, target)


def _take_off(uow: UnitOfWork, project: Project, asg: Assignment) -> None:
    """Remove one assignment by MS Project's rule (`effort.remove_resource`: on an
    effort-driven task the others take over its work). The caller reschedules."""
    assert project.id is not None
    target = project.task(asg.task_uid)
    if actual_work(asg.extras) > 0:
        # As MS Project refuses it: the hours someone has already worked (and their cost)
        # would go with the assignment.
        name = next((r.name for r in project.resources if r.uid == asg.resource_uid), "?")
        raise ValidationError(
            f"{name} has actual work on {target.name!r}: taking them off would lose it"
        )
    mine = [a for a in project.assignments if a.task_uid == target.uid]
    effect = effort.remove_resource(target, mine, asg.uid)
    uow.projects.delete_assignment(project.id, asg.uid)
    _store_effect(uow, project, target, [a for a in mine if a.uid != asg.uid], effect)


def _audit(
    uow: UnitOfWork,
    actor: Actor,
    project: Project,
    asg: Assignment,
    action: str,
    now: datetime,
    before: float | None = None,
    after: float | None = None,
) -> None:
    """An assignment's entry under its task, with the resource's units before and after."""
    assert project.id is not None
    name = next((r.name for r in project.resources if r.uid == asg.resource_uid), "?")
    audit.record(
        uow,
        actor=actor_name(actor),
        action=action,
        target=f"{audit.project_target(project.id)}/task:{asg.task_uid}",
        now=now,
        before=None if before is None else {"resource": name, "units": before},
        after=None if after is None else {"resource": name, "units": after},
    )


@dataclass(frozen=True, slots=True)
class ResourceUsage:
    resource: Resource
    loads: list[Load]
    assigned: int

    @property
    def over(self) -> list[Load]:
        return [load for load in self.loads if load.over]

    @property
    def peak(self) -> float:
        return max((load.peak_units for load in self.loads), default=0.0)


@dataclass(frozen=True, slots=True)
class Usage:
    project: Project
    bucket: Bucket
    result: ScheduleResult  # the schedule the loads were counted on
    resources: list[ResourceUsage] = field(default_factory=list)

    @property
    def over_allocated(self) -> list[ResourceUsage]:
        return [r for r in self.resources if r.over]


def work_bookings(project: Project, result: ScheduleResult) -> Iterator[tuple[Resource, Booking]]:
    """Each assignment of a work resource to a scheduled task, as booked on the schedule
    (material and cost resources have no capacity to exceed)."""
    work = {r.uid: r for r in project.resources if r.kind is ResourceKind.WORK}
    for a in project.assignments:
        res = work.get(a.resource_uid)
        if res is not None and a.task_uid in result.tasks:
            for start, finish in result.work_spans(a.task_uid):
                yield res, Booking(res.uid, a.task_uid, start, finish, a.units)


def project_loads(
    project: Project, result: ScheduleResult, bucket: Bucket = Bucket.DAY
) -> list[Load]:
    """Load of every work resource of a scheduled project."""
    per_resource: dict[int, tuple[Resource, list[Booking]]] = {}
    for res, booking in work_bookings(project, result):
        per_resource.setdefault(res.uid, (res, []))[1].append(booking)
    if not per_resource:
        return []
    origin = min(b.start for _, mine in per_resource.values() for b in mine).date()
    minutes_of = resource_minutes(project, {c.uid: c for c in project.calendars}, origin)
    out: list[Load] = []
    # Each person's load is counted on their own calendar: a vacation inside a task's span
    # books nothing, exactly as the engine schedules their work around it.
    for uid, (res, mine) in per_resource.items():
        out += loads(
            mine,
            {uid: res.max_units},
            minutes_of(res),
            bucket=bucket,
        )
    return out


def resource_minutes(
    project: Project, calendars: Mapping[int, Calendar], origin: date
) -> Callable[[Resource], Callable[[datetime, datetime], int]]:
    """For each resource, working minutes between two instants on the calendar its work
    follows: its own, else the project's (`calendars` by uid, `origin` a day no earlier than
    the work). Each calendar is compiled once, however many resources follow it."""
    compiled: dict[int, CompiledCalendar] = {}

    def for_resource(res: Resource) -> Callable[[datetime, datetime], int]:
        own = res.calendar_uid
        uid = own if own is not None and own in calendars else project.calendar_uid
        cal = compiled.get(uid)
        if cal is None:
            cal = compiled[uid] = compile_calendar(uid, calendars, origin)

        def minutes(a: datetime, b: datetime) -> int:
            return cal.offset(b) - cal.offset(a)

        return minutes

    return for_resource


def usage(project: Project, result: ScheduleResult, bucket: Bucket = Bucket.DAY) -> Usage:
    by_resource: dict[int, list[Load]] = defaultdict(list)
    for load in project_loads(project, result, bucket):
        by_resource[load.resource_uid].append(load)
    counts: dict[int, int] = defaultdict(int)
    for a in project.assignments:
        counts[a.resource_uid] += 1
    rows = [
        ResourceUsage(r, by_resource.get(r.uid, []), counts[r.uid])
        for r in project.resources
        if r.uid > 0
    ]
    return Usage(project, bucket, result, rows)


def project_usage(
    uow_factory: UnitOfWorkFactory, key: str, bucket: Bucket = Bucket.DAY, *, actor: Actor
) -> Usage:
    with access.project_unit(uow_factory, actor, key, Action.PROJECT_READ, write=False) as (
        _,
        project,
    ):
        pass
    return usage(project, schedule(project, status_date=project.status_date), bucket)


@dataclass(frozen=True, slots=True)
class HeatCell:
    week: date
    peak_units: float
    capacity: float
    projects: tuple[str, ...]

    @property
    def ratio(self) -> float:
        return self.peak_units / self.capacity if self.capacity else float("inf")


@dataclass(frozen=True, slots=True)
class HeatRow:
    """One person (matched across projects by e-mail, else by name) week by week."""

    name: str
    cells: dict[date, HeatCell]


def person_key(res: Resource) -> str:
    """One person across projects: the same e-mail, else the same name (any case)."""
    return (res.email or res.name).strip().lower()


def portfolio_plans(
    uow_factory: UnitOfWorkFactory, *, actor: Actor, besides: int | None = None
) -> list[ProjectSchedule]:
    """Every project `actor` may read that books anyone (but project `besides`), with its
    computed schedule."""
    return list(
        readable_schedules(
            uow_factory, actor=actor, besides=besides, wanted=lambda p: bool(p.assignments)
        )
    )


def plan_bookings(plan: ProjectSchedule) -> list[tuple[Resource, Booking]]:
    """`work_bookings` of a plan, kept with it while it is cached (the heat map and
    suggestions read every project's on each request)."""
    return derived(plan, "work_bookings", lambda p: list(work_bookings(p.project, p.result)))


def heat_map(projects: Sequence[ProjectSchedule]) -> tuple[list[date], list[HeatRow]]:
    """Weekly peak load of every work resource across the given projects. A person booked
    50% in two projects in the same week shows 100%: this is where a portfolio's
    over-allocation appears although each project on its own looks fine."""
    bookings: dict[str, list[tuple[str, Booking]]] = defaultdict(list)
    names: dict[str, str] = {}
    capacity: dict[str, float] = {}
    for plan in projects:
        for res, booking in plan_bookings(plan):
            who = person_key(res)
            names.setdefault(who, res.name)
            capacity[who] = max(capacity.get(who, 0.0), res.max_units)
            # One person across projects: their bookings share one resource id, 0.
            bookings[who].append((plan.project.key, replace(booking, resource_uid=0)))
    weeks: set[date] = set()
    rows = []
    for who, booked in sorted(bookings.items(), key=lambda kv: names[kv[0]].lower()):
        cells: dict[date, HeatCell] = {}
        week_loads = loads(
            [b for _, b in booked], {0: capacity[who]}, weekday_minutes, bucket=Bucket.WEEK
        )
        booked_in = projects_by_week(booked)
        for load in week_loads:
            keys = booked_in.get(load.day, ())
            cells[load.day] = HeatCell(load.day, load.peak_units, load.capacity, keys)
            weeks.add(load.day)
        rows.append(HeatRow(names[who], cells))
    return sorted(weeks), rows


def projects_by_week(booked: Sequence[tuple[str, Booking]]) -> dict[date, tuple[str, ...]]:
    """The projects (sorted keys) with a booking in each week, by the week's Monday: every
    week from the one a booking starts in to the one it finishes in. One pass over the
    bookings, where testing every booking against every week cost a portfolio's heat map
    most of its time."""
    found: dict[date, set[str]] = defaultdict(set)
    for key, b in booked:
        week = Bucket.WEEK.first_day(b.start.date())
        last = Bucket.WEEK.first_day(b.finish.date())
        while week <= last:
            found[week].add(key)
            week += timedelta(days=7)
    return {week: tuple(sorted(keys)) for week, keys in found.items()}


def weekday_minutes(a: datetime, b: datetime) -> int:
    """Working time across projects with different calendars: Monday to Friday, whole
    minutes in [a, b). Only used to skip bookings that fall on a weekend within a week
    bucket. Counted from day 1 of the calendar (a Monday), so it costs the same for any span:
    the heat map asks once per booking and week."""
    return max(0, _weekday_minutes_since_day_one(b) - _weekday_minutes_since_day_one(a))


def _weekday_minutes_since_day_one(t: datetime) -> int:
    days = t.toordinal() - 1  # date(1, 1, 1) is a Monday
    weeks, rest = divmod(days, 7)
    today = t.hour * 60 + t.minute if rest < 5 else 0
    return (weeks * 5 + min(rest, 5)) * 1440 + today
