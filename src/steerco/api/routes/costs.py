"""/projects/{id}/costs: what a stored project costs on its current schedule."""

from __future__ import annotations

from fastapi import APIRouter

from steerco.api.deps import PrincipalDep, UowDep
from steerco.api.errors import documented
from steerco.api.present import costs_out
from steerco.api.schemas import CostsOut
from steerco.services import costs

router = APIRouter(
    prefix="/projects/{project_id}/costs", tags=["schedule"], responses=documented(404)
)


@router.get("", response_model=CostsOut)
def project_costs(project_id: str, uow: UowDep, who: PrincipalDep) -> CostsOut:
    """Each task's and resource's cost: assignments' work at the rate table lines in force
    while it is done, plus per-use charges. Anyone who may read the project."""
    return costs_out(costs.project_costs(uow, project_id, actor=who))
