"""/projects/{id}/level: resource leveling of a stored project, with every delay explained,
and /projects/{id}/level/clear: MS Project's Clear Leveling."""

from __future__ import annotations

from fastapi import APIRouter

from steerco.api.deps import PrincipalDep, UowDep, now
from steerco.api.errors import documented
from steerco.api.present import cleared_out, level_out
from steerco.api.schemas import ClearLevelIn, ClearLevelOut, LevelIn, LevelOut
from steerco.services import leveling, leveling_clear

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
        now=now(),
    )
    return level_out(outcome)


@router.post("/clear", response_model=ClearLevelOut)
def clear_leveling(
    project_id: str, uow: UowDep, who: PrincipalDep, body: ClearLevelIn | None = None
) -> ClearLevelOut:
    """Clear leveling: every leveling delay back to zero (with `split`, the pauses of tasks
    leveling may split too), and the plan rescheduled and stored. Needs the right to write
    tasks; audited."""
    outcome = leveling_clear.clear_stored(
        uow, project_id, actor=who, now=now(), split=body.split if body else False
    )
    return cleared_out(outcome)
