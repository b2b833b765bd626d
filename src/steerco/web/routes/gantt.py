"""The Gantt chart: a page whose script draws only the visible rows, from JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic_core import to_json

from steerco.engine.gcpause import paused_gc
from steerco.services import planning
from steerco.services.scheduling import ProjectSchedule
from steerco.web import views
from steerco.web.deps import CsrfDep, PrincipalDep, UowDep, today
from steerco.web.render import page

router = APIRouter(include_in_schema=False)


@router.get("/projects/{key}/gantt", response_class=HTMLResponse)
def gantt_page(
    request: Request, key: str, uow: UowDep, who: PrincipalDep, csrf: CsrfDep
) -> HTMLResponse:
    project = planning.load(uow, key, actor=who)
    return page(request, "gantt.html", project=project, csrf=csrf)


def _json(data: dict[str, Any]) -> Response:
    # Plain dicts serialised by pydantic-core (4x json.dumps): FastAPI's jsonable_encoder
    # walks every value of a 10,000-task plan.
    return Response(to_json(data), media_type="application/json")


@router.get("/projects/{key}/gantt.json")
def gantt_data(key: str, uow: UowDep, who: PrincipalDep) -> Response:
    with paused_gc():  # a 10,000-task plan, scheduled and shaped: see engine.gcpause
        return _json(views.gantt(planning.compute_schedule(uow, key, actor=who), today()))


@router.post("/projects/{key}/gantt/{uid}")
def gantt_edit(
    *,
    key: str,
    uid: int,
    uow: UowDep,
    who: PrincipalDep,
    version: Annotated[int, Form()],
    duration: Annotated[str | None, Form(max_length=20)] = None,
    predecessors: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    changes = planning.TaskChanges(duration=duration, predecessors=predecessors)
    done = planning.update_task(uow, key, uid, changes, actor=who, version=version)
    assert done.result is not None
    return _json(views.gantt(ProjectSchedule(done.project, done.result), today()))
