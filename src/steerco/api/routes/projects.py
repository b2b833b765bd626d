"""/projects: list, create, show, change, delete."""

from __future__ import annotations

from fastapi import APIRouter, Response

from steerco.api.deps import PrincipalDep, UowDep, today
from steerco.api.errors import documented
from steerco.api.present import project_out
from steerco.api.schemas import ProjectIn, ProjectOut, ProjectPatch
from steerco.services import projects

router = APIRouter(prefix="/projects", tags=["projects"], responses=documented(422))


@router.get("", response_model=list[ProjectOut])
def list_projects(uow: UowDep, who: PrincipalDep) -> list[ProjectOut]:
    return [project_out(p) for p in projects.list_projects(uow, actor=who)]


@router.post("", status_code=201, response_model=ProjectOut, responses=documented(409))
def create_project(body: ProjectIn, uow: UowDep, who: PrincipalDep) -> ProjectOut:
    project = projects.create_project(
        uow,
        body.name,
        actor=who,
        today=today(),
        start=body.start,
        key=body.key,
        methodology=body.methodology,
        currency=body.currency,
    )
    return project_out(project)


@router.get("/{project_id}", response_model=ProjectOut, responses=documented(404))
def get_project(project_id: str, uow: UowDep, who: PrincipalDep) -> ProjectOut:
    return project_out(projects.get_project(uow, project_id, actor=who))


@router.patch("/{project_id}", response_model=ProjectOut, responses=documented(404, 409))
def update_project(
    project_id: str, body: ProjectPatch, uow: UowDep, who: PrincipalDep
) -> ProjectOut:
    fields = projects.ProjectFields(
        name=body.name,
        start=body.start,
        status_date=body.status_date,
        currency=body.currency,
        methodology=body.methodology,
    )
    return project_out(
        projects.update_project(uow, project_id, fields, actor=who, version=body.version)
    )


@router.delete("/{project_id}", status_code=204, response_class=Response, responses=documented(404))
def delete_project(project_id: str, uow: UowDep, who: PrincipalDep) -> Response:
    projects.delete_project(uow, project_id, actor=who)
    return Response(status_code=204)
