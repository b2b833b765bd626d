"""/projects/{id}/schedule: computed dates, slack, the critical path and each driver."""

from __future__ import annotations

from fastapi import APIRouter

from steerco.api.deps import PrincipalDep, UowDep
from steerco.api.errors import documented
from steerco.api.present import schedule_out
from steerco.api.schemas import ScheduleOut
from steerco.services import planning

router = APIRouter(
    prefix="/projects/{project_id}/schedule", tags=["schedule"], responses=documented(404, 409, 422)
)


@router.get("", response_model=ScheduleOut)
def get_schedule(project_id: str, uow: UowDep, who: PrincipalDep) -> ScheduleOut:
    return schedule_out(planning.compute_schedule(uow, project_id, actor=who))
