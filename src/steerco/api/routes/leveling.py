"""/projects/{id}/level: resource leveling of a stored project, with every delay explained."""

from __future__ import annotations

from fastapi import APIRouter

from steerco.api.deps import PrincipalDep, UowDep
from steerco.api.errors import documented
from steerco.api.present import level_out
from steerco.api.schemas import LevelIn, LevelOut
from steerco.services import leveling

router = APIRouter(
    prefix="/projects/{project_id}/level", tags=["schedule"], responses=documented(404, 409, 422)
)


@router.post("", response_model=LevelOut)
def level_project(project_id: str, body: LevelIn, uow: UowDep, who: PrincipalDep) -> LevelOut:
    """Delay tasks so no work resource is above its max units; stores the leveling delays
    and dates, and returns each delay with its explanation. Needs the right to write tasks."""
    outcome = leveling.level_stored(
        uow,
        project_id,
        time_limit=body.time_limit,
        seed=body.seed,
        within_slack=body.within_slack,
        split=body.split,
        actor=who,
    )
    return level_out(outcome)
