"""/projects/{id}/resources, /assignments and /tasks/{id}/suggestions: who works on what.

Thin: every rule (who may, what is valid, MS Project's work formula) is in the services.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from steerco.api.deps import PrincipalDep, UowDep, now
from steerco.api.errors import documented
from steerco.api.present import assignment_out, rate_out, resource_out, suggestions_out
from steerco.api.schemas import (
    AssignmentIn,
    AssignmentOut,
    AssignmentUnitsIn,
    CertificationIO,
    NeedsIO,
    ProfileIO,
    RateIn,
    RateOut,
    ResourceChangesIn,
    ResourceIn,
    ResourceOut,
    SkillIO,
    SuggestionsOut,
)
from steerco.domain import ResourceKind
from steerco.domain.skills import Certification, ResourceProfile, Skill
from steerco.services import costs, planning, resources, staffing

router = APIRouter(
    prefix="/projects/{project_id}", tags=["resources"], responses=documented(404, 422)
)


@router.get("/resources", response_model=list[ResourceOut])
def list_resources(project_id: str, uow: UowDep, who: PrincipalDep) -> list[ResourceOut]:
    """The project's resources with their max units and cost rate tables."""
    project = planning.load(uow, project_id, actor=who)
    return [resource_out(r) for r in project.resources if r.uid > 0]


@router.post("/resources", status_code=201, response_model=ResourceOut)
def add_resource(project_id: str, body: ResourceIn, uow: UowDep, who: PrincipalDep) -> ResourceOut:
    """A new resource: staffing is a project setting (managers and owners)."""
    res = resources.add_resource(
        uow,
        project_id,
        body.name,
        max_units=body.max_units,
        email=body.email,
        kind=ResourceKind(body.kind),
        actor=who,
        now=now(),
    )
    return resource_out(res)


@router.patch("/resources/{resource_id}", response_model=ResourceOut)
def change_resource(
    project_id: str, resource_id: int, body: ResourceChangesIn, uow: UowDep, who: PrincipalDep
) -> ResourceOut:
    """Rename a resource, change its e-mail, its max units (work resources) or whether
    leveling may delay tasks for it (`can_level`, MS Project's Can Level). Managers and up."""
    changes = resources.ResourceChanges(
        name=body.name, max_units=body.max_units, email=body.email, can_level=body.can_level
    )
    res = resources.update_resource(
        uow, project_id, str(resource_id), changes, actor=who, now=now()
    )
    return resource_out(res)


@router.delete("/resources/{resource_id}", status_code=204, response_class=Response)
def remove_resource(project_id: str, resource_id: int, uow: UowDep, who: PrincipalDep) -> Response:
    """Take a resource out of the project: its assignments go as unassigning takes them
    (effort-driven tasks keep their work with the others), then its profile and its own
    calendar. Managers and up."""
    resources.remove_resource(uow, project_id, str(resource_id), actor=who, now=now())
    return Response(status_code=204)


@router.get("/resources/{resource_id}/profile", response_model=ProfileIO)
def get_profile(project_id: str, resource_id: int, uow: UowDep, who: PrincipalDep) -> ProfileIO:
    """A person's time zone, skills (level 1-5) and certifications (with expiry dates)."""
    return _profile_out(staffing.profile_of(uow, project_id, str(resource_id), actor=who)[1])


@router.put("/resources/{resource_id}/profile", response_model=ProfileIO)
def put_profile(
    project_id: str, resource_id: int, body: ProfileIO, uow: UowDep, who: PrincipalDep
) -> ProfileIO:
    """Replace a person's whole profile: skills and certifications not listed are dropped.
    Managers and up."""
    profile = staffing.replace_profile(
        uow,
        project_id,
        str(resource_id),
        time_zone=body.time_zone,
        skills=[Skill(s.name, s.level) for s in body.skills],
        certifications=[Certification(c.name, c.expires) for c in body.certifications],
        actor=who,
        now=now(),
    )
    return _profile_out(profile)


def _profile_out(p: ResourceProfile) -> ProfileIO:
    return ProfileIO(
        time_zone=p.time_zone,
        skills=[SkillIO(name=s.name, level=s.level) for s in p.skills],
        certifications=[CertificationIO(name=c.name, expires=c.expires) for c in p.certifications],
    )


@router.put("/resources/{resource_id}/rates", response_model=list[RateOut])
def set_rate(
    project_id: str, resource_id: int, body: RateIn, uow: UowDep, who: PrincipalDep
) -> list[RateOut]:
    """Set (or with `remove`) take away the line of a rate table in force from `effective`;
    values not given keep the line's. Returns all the resource's lines."""
    lines = costs.set_rate(
        uow,
        project_id,
        str(resource_id),
        table=body.table,
        effective=body.effective,
        standard=body.standard,
        overtime=body.overtime,
        per_use=body.per_use,
        remove=body.remove,
        actor=who,
        now=now(),
    )
    return [rate_out(line) for line in lines]


@router.post("/assignments", status_code=201, response_model=AssignmentOut)
def assign(project_id: str, body: AssignmentIn, uow: UowDep, who: PrincipalDep) -> AssignmentOut:
    """Assign a resource to a task, with MS Project's work formula (effort-driven tasks
    share their work out). Members and up."""
    asg = resources.assign(
        uow, project_id, body.task, body.resource, units=body.units, actor=who, now=now()
    )
    return assignment_out(asg)


@router.patch("/assignments/{assignment_id}", response_model=AssignmentOut)
def change_assignment(
    project_id: str, assignment_id: int, body: AssignmentUnitsIn, uow: UowDep, who: PrincipalDep
) -> AssignmentOut:
    """New units for an assignment, with MS Project's work formula (a fixed-duration task
    keeps its dates, the others their work). Members and up."""
    find = resources.by_id(assignment_id)
    return assignment_out(
        resources.change_units(uow, project_id, find, body.units, actor=who, now=now())
    )


@router.delete("/assignments/{assignment_id}", status_code=204, response_class=Response)
def unassign(project_id: str, assignment_id: int, uow: UowDep, who: PrincipalDep) -> Response:
    """Take a resource off a task; on an effort-driven task the others take over its work.
    Members and up."""
    resources.unassign(uow, project_id, resources.by_id(assignment_id), actor=who, now=now())
    return Response(status_code=204)


@router.put("/tasks/{task_id}/needs", response_model=NeedsIO)
def set_needs(
    project_id: str, task_id: int, body: NeedsIO, uow: UowDep, who: PrincipalDep
) -> NeedsIO:
    """What the task needs, replacing what it needed: skills with a minimum level
    (`python:3`) or certifications (`AWS`). Members and up."""
    wanted = staffing.set_needs(uow, project_id, str(task_id), body.needs, actor=who, now=now())
    return NeedsIO(needs=[f"{n.name}:{n.level}" for n in wanted])


@router.get("/tasks/{task_id}/suggestions", response_model=SuggestionsOut)
def suggest(project_id: str, task_id: int, uow: UowDep, who: PrincipalDep) -> SuggestionsOut:
    """Who could do the task, best first, each with the reasons for their place."""
    return suggestions_out(staffing.suggest(uow, project_id, str(task_id), actor=who))
