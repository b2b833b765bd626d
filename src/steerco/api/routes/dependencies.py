"""/projects/{id}/dependencies: list, add (a cycle is 409 and changes nothing), delete."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from steerco.api.deps import PrincipalDep, UowDep
from steerco.api.errors import documented
from steerco.api.present import dependency_out
from steerco.api.schemas import DependencyIn, DependencyOut
from steerco.domain import NotFound
from steerco.services import planning

router = APIRouter(
    prefix="/projects/{project_id}/dependencies",
    tags=["dependencies"],
    responses=documented(404, 422),
)

LinkId = Annotated[str, Path(pattern=r"^\d{1,9}-\d{1,9}$", description="predecessor-successor")]


@router.get("", response_model=list[DependencyOut])
def list_dependencies(project_id: str, uow: UowDep, who: PrincipalDep) -> list[DependencyOut]:
    project = planning.load(uow, project_id, actor=who)
    return [dependency_out(project, d) for d in project.dependencies]


@router.post("", status_code=201, response_model=DependencyOut, responses=documented(409))
def add_dependency(
    project_id: str, body: DependencyIn, uow: UowDep, who: PrincipalDep
) -> DependencyOut:
    dep = planning.link(
        uow, project_id, body.predecessor, body.successor, actor=who, type_=body.type, lag=body.lag
    )
    return dependency_out(planning.load(uow, project_id, actor=who), dep)


@router.delete("/{link_id}", status_code=204, response_class=Response)
def delete_dependency(project_id: str, link_id: LinkId, uow: UowDep, who: PrincipalDep) -> Response:
    pred, _, succ = link_id.partition("-")
    if not (pred.isdigit() and succ.isdigit()):
        raise NotFound(f"no link {link_id}")
    planning.unlink(uow, project_id, int(pred), int(succ), actor=who)
    return Response(status_code=204)
