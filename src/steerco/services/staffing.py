"""Skills, certifications, time zones and rates of resources; what tasks need; and who
should do a task (`steerco suggest`).

Capacity for a suggestion is the mean units a person is already booked over the task's
working window (excluding the task itself): on this project's plan, plus every other project
the asker may read in which the same person (same e-mail, else same name) is booked. Projects
the asker may not read are not counted, so their bookings stay private.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TypeVar

from steerco.domain import NotFound, Project, Resource, ResourceKind, ValidationError
from steerco.domain.resource import rate_on
from steerco.domain.skills import (
    Certification,
    ResourceProfile,
    Skill,
    SkillNeed,
    check_time_zone,
    skill_name,
)
from steerco.engine.calendar import compile_calendar
from steerco.engine.cpm import schedule
from steerco.engine.suggest import Candidate, Ranked, rank
from steerco.services import access, audit, costs
from steerco.services.access import Action
from steerco.services.accounts import Actor, actor_name
from steerco.services.planning import task_ref
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory
from steerco.services.resources import (
    ResourceChanges,
    apply_changes,
    person_key,
    plan_bookings,
    portfolio_plans,
    resource_ref,
)

_LEVELED = re.compile(r"^\s*(.+?)(?:\s*:\s*(\d))?\s*$")


def _name_and_level(item: str, default: int, what: str) -> tuple[str, int]:
    """`python:3` -> ("python", 3); `AWS` -> ("AWS", default). `what` says what was typed."""
    match = _LEVELED.match(item)
    if match is None or not match[1]:
        raise ValidationError(f"not a {what}: {item[:60]!r}; write e.g. python:3")
    return match[1], int(match[2] or default)


def parse_needs(task_uid: int, items: list[str]) -> list[SkillNeed]:
    """`python:3`, `AWS` (level 1, or a certification)."""
    out: list[SkillNeed] = []
    seen: set[str] = set()
    for item in items:
        need = SkillNeed(task_uid, *_name_and_level(item, 1, "skill need"))
        if need.name.lower() in seen:
            raise ValidationError(f"{need.name} is listed twice")
        seen.add(need.name.lower())
        out.append(need)
    return out


def _profile(
    uow: UnitOfWork, project: Project, resource: str
) -> tuple[int, Resource, ResourceProfile]:
    assert project.id is not None
    res = resource_ref(project, resource)
    if res.kind is not ResourceKind.WORK:
        raise ValidationError(f"{res.name} is a {res.kind.value} resource; only people have skills")
    current = uow.skills.profiles(project.id).get(res.uid) or ResourceProfile(res.uid)
    return project.id, res, current


def update_profile(
    uow_factory: UnitOfWorkFactory,
    key: str,
    resource: str,
    *,
    actor: Actor,
    now: datetime,
    skill: tuple[str, int] | None = None,
    drop_skill: str | None = None,
    certification: tuple[str, date | None] | None = None,
    time_zone: str | None = None,
    hourly_rate: float | None = None,
    changes: ResourceChanges | None = None,
) -> ResourceProfile:
    """Change one or more parts of a resource's profile in one audited transaction: a
    project setting (managers, owners). `hourly_rate` is money, checked as a budget field:
    it is the standard rate of the resource's rate table A from the start (`costs`), where
    MS Project keeps it too. `changes` are the resource's own fields
    (`resources.update_resource`), written in the same transaction."""
    action = Action.BUDGET_WRITE if hourly_rate is not None else Action.PROJECT_UPDATE
    with access.project_unit(uow_factory, actor, key, action, what="resource profile") as (
        uow,
        project,
    ):
        pid, res, before = _profile(uow, project, resource)
        if changes is not None:
            res = apply_changes(uow, project, res, changes, actor=actor, now=now)
        if hourly_rate is not None:
            rates = costs.with_line(res, 0, None, standard=hourly_rate)
            costs.save_rates(uow, pid, res, rates, actor=actor, now=now)
        after = before
        if skill is not None:
            name = skill_name(skill[0])
            kept = tuple(s for s in after.skills if s.name.lower() != name.lower())
            after = replace(after, skills=(*kept, Skill(name, skill[1])))
        if drop_skill is not None:
            name = skill_name(drop_skill)
            if not after.level_of(name):
                raise NotFound(f"no skill {name!r} to remove")
            after = replace(
                after, skills=tuple(s for s in after.skills if s.name.lower() != name.lower())
            )
        if certification is not None:
            cert = Certification(*certification)
            kept_c = tuple(c for c in after.certifications if c.name.lower() != cert.name.lower())
            after = replace(after, certifications=(*kept_c, cert))
        if time_zone is not None:
            after = replace(after, time_zone=check_time_zone(time_zone))
        if after != before or (hourly_rate is None and (changes is None or changes.empty())):
            _save_profile(uow, pid, before, after, actor=actor, now=now)
        uow.commit()
    return after


def replace_profile(
    uow_factory: UnitOfWorkFactory,
    key: str,
    resource: str,
    *,
    time_zone: str,
    skills: list[Skill],
    certifications: list[Certification],
    actor: Actor,
    now: datetime,
    shown: ResourceProfile | None = None,
) -> ResourceProfile:
    """A resource's whole profile at once (the web form, `PUT .../profile`): a project
    setting (managers, owners). Skills and certifications not listed are dropped.

    `shown` is the profile a form was drawn with: then only what differs from it is applied
    to the stored profile, so a form left open does not drop a skill someone added since."""
    with access.project_unit(
        uow_factory, actor, key, Action.PROJECT_UPDATE, what="resource profile"
    ) as (
        uow,
        project,
    ):
        pid, res, before = _profile(uow, project, resource)
        after = ResourceProfile(
            res.uid, check_time_zone(time_zone), tuple(skills), tuple(certifications)
        )
        if shown is not None:
            after = _edited(before, shown, after)
        _save_profile(uow, pid, before, after, actor=actor, now=now)
        uow.commit()
    return after


def _edited(
    stored: ResourceProfile, shown: ResourceProfile, wanted: ResourceProfile
) -> ResourceProfile:
    """`stored` with the edits that turn `shown` into `wanted`."""
    zone = wanted.time_zone if wanted.time_zone != shown.time_zone else stored.time_zone
    return ResourceProfile(
        stored.resource_uid,
        zone,
        _edits(stored.skills, shown.skills, wanted.skills),
        _edits(stored.certifications, shown.certifications, wanted.certifications),
    )


_Named = TypeVar("_Named", Skill, Certification)


def _edits(
    stored: tuple[_Named, ...], shown: tuple[_Named, ...], wanted: tuple[_Named, ...]
) -> tuple[_Named, ...]:
    was: dict[str, _Named] = {x.name.lower(): x for x in shown}
    now_: dict[str, _Named] = {x.name.lower(): x for x in wanted}
    changed: list[_Named] = [x for k, x in now_.items() if was.get(k) != x]
    gone: set[str] = (was.keys() - now_.keys()) | {x.name.lower() for x in changed}
    kept: list[_Named] = [x for x in stored if x.name.lower() not in gone]
    return tuple(kept + changed)


def _save_profile(
    uow: UnitOfWork,
    pid: int,
    before: ResourceProfile,
    after: ResourceProfile,
    *,
    actor: Actor,
    now: datetime,
) -> None:
    uow.skills.save_profile(pid, after)
    audit.record(
        uow,
        actor=actor_name(actor),
        action="resource.profile_changed",
        target=f"{audit.project_target(pid)}/resource:{after.resource_uid}",
        now=now,
        before=_plain(before),
        after=_plain(after),
    )


_CERT = re.compile(r"^\s*(.+?)(?:\s+until\s+(\d{4}-\d{2}-\d{2}))?\s*$", re.IGNORECASE)


def parse_skills(items: list[str]) -> list[Skill]:
    """`python:4`, `sql` (level 3, as `steerco resource skill` has it)."""
    return [Skill(*_name_and_level(item, 3, "skill")) for item in items]


def parse_certifications(items: list[str]) -> list[Certification]:
    """`AWS`, `PMP until 2027-05-01`."""
    out: list[Certification] = []
    for item in items:
        match = _CERT.match(item)
        if match is None or not match[1]:
            raise ValidationError(
                f"not a certification: {item[:60]!r}; write e.g. PMP until 2027-05-01"
            )
        try:
            until = date.fromisoformat(match[2]) if match[2] else None
        except ValueError:
            raise ValidationError(f"not a date: {match[2]!r}; use YYYY-MM-DD") from None
        out.append(Certification(match[1], until))
    return out


def _plain(p: ResourceProfile) -> dict[str, object]:
    return {
        "time_zone": p.time_zone,
        "skills": {s.name: s.level for s in p.skills},
        "certifications": {
            c.name: c.expires.isoformat() if c.expires else None for c in p.certifications
        },
    }


def profile_of(
    uow_factory: UnitOfWorkFactory, key: str, resource: str, *, actor: Actor
) -> tuple[Resource, ResourceProfile]:
    with access.project_unit(uow_factory, actor, key, Action.PROJECT_READ, write=False) as (
        uow,
        project,
    ):
        assert project.id is not None
        res = resource_ref(project, resource)
        return res, uow.skills.profiles(project.id).get(res.uid) or ResourceProfile(res.uid)


def profiles(
    uow_factory: UnitOfWorkFactory, key: str, *, actor: Actor
) -> dict[int, ResourceProfile]:
    """Every stored profile of the project, by resource uid (the Resources page)."""
    with access.project_unit(uow_factory, actor, key, Action.PROJECT_READ, write=False) as (
        uow,
        project,
    ):
        assert project.id is not None
        return uow.skills.profiles(project.id)


def set_needs(
    uow_factory: UnitOfWorkFactory,
    key: str,
    task: str,
    items: list[str],
    *,
    actor: Actor,
    now: datetime,
) -> list[SkillNeed]:
    with access.project_unit(uow_factory, actor, key, Action.TASK_WRITE, what="skill needs") as (
        uow,
        project,
    ):
        assert project.id is not None
        target = task_ref(project, task)
        wanted = parse_needs(target.uid, items)
        before = uow.skills.needs(project.id).get(target.uid, [])
        uow.skills.set_needs(project.id, target.uid, wanted)
        audit.record(
            uow,
            actor=actor_name(actor),
            action="task.needs_changed",
            target=f"{audit.project_target(project.id)}/task:{target.uid}",
            now=now,
            before={n.name: n.level for n in before},
            after={n.name: n.level for n in wanted},
        )
        uow.commit()
    return wanted


@dataclass(frozen=True, slots=True)
class Suggestion:
    task_uid: int
    task_name: str
    start: datetime
    finish: datetime
    needs: list[SkillNeed]
    ranked: list[Ranked]


def suggest(uow_factory: UnitOfWorkFactory, key: str, task: str, *, actor: Actor) -> Suggestion:
    with access.project_unit(uow_factory, actor, key, Action.PROJECT_READ, write=False) as (
        uow,
        project,
    ):
        assert project.id is not None
        profiles = uow.skills.profiles(project.id)
        needs = uow.skills.needs(project.id)
    target = task_ref(project, task)
    if target.summary:
        raise ValidationError(f"{target.name!r} is a summary task; suggest for its subtasks")
    result = schedule(project, status_date=project.status_date)
    window = result.tasks[target.uid]
    cal = compile_calendar(
        project.calendar_uid,
        {c.uid: c for c in project.calendars},
        min(window.start, project.start).date(),
    )
    span = max(1, cal.offset(window.finish) - cal.offset(window.start))

    def minutes(lo: datetime, hi: datetime) -> int:
        lo, hi = max(lo, window.start), min(hi, window.finish)
        return cal.offset(hi) - cal.offset(lo) if hi > lo else 0

    def booked(resource_uid: int) -> float:
        total = 0.0
        for a in project.assignments:
            if a.resource_uid != resource_uid or a.task_uid == target.uid:
                continue
            if a.task_uid in result.tasks:
                total += a.units * sum(minutes(*s) for s in result.work_spans(a.task_uid))
        return total / span

    # The same person's bookings in the other projects, per project key, over this window.
    elsewhere: dict[str, dict[str, float]] = {}
    for other in portfolio_plans(uow_factory, actor=actor, besides=project.id):
        for res, booking in plan_bookings(other):
            share = booking.units * minutes(booking.start, booking.finish) / span
            if share > 0:
                mine = elsewhere.setdefault(person_key(res), {})
                mine[other.project.key] = mine.get(other.project.key, 0.0) + share

    people = [r for r in project.resources if r.kind is ResourceKind.WORK and r.uid > 0]
    assigned = {a.resource_uid for a in project.assignments}
    candidates = []
    for r in people:
        theirs = elsewhere.get(person_key(r), {})
        line = rate_on(r.rates, 0, window.start)  # table A when the task starts
        candidates.append(Candidate(
            r.uid, r.name, r.max_units, profiles.get(r.uid) or ResourceProfile(r.uid),
            booked(r.uid) + sum(theirs.values()), elsewhere=tuple(sorted(theirs.items())),
            rate=line.standard if line is not None else None,
        ))  # fmt: skip
    zones = {u: p.time_zone for u, p in profiles.items() if u in assigned and p.time_zone}
    team = {
        c.resource_uid: [z for u, z in zones.items() if u != c.resource_uid] for c in candidates
    }
    final = rank(candidates, needs.get(target.uid, []), team, window.start, window.finish)
    return Suggestion(
        target.uid, target.name, window.start, window.finish, needs.get(target.uid, []), final
    )
