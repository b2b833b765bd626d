"""The WBS grid: inline add and edit, indent and outdent, delete. Every change answers the
grid's rows again, because a reschedule can move any date in the plan."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from steerco.domain import NotFound
from steerco.services import planning
from steerco.services.accounts import Actor
from steerco.services.scheduling import ProjectSchedule
from steerco.services.tasks import NewTask
from steerco.web import views
from steerco.web.deps import CsrfDep, PrincipalDep, UowDep
from steerco.web.render import page

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=512)]
Short = Annotated[str, Form(max_length=2000)]


def _rows(
    request: Request,
    uow: UowDep,
    key: str,
    csrf: str,
    who: Actor,
    *,
    note: str = "",
    done: planning.Changed | None = None,
) -> HTMLResponse:
    if done is not None and done.result is not None:
        view = ProjectSchedule(done.project, done.result)  # no second load after an edit
    else:
        view = planning.compute_schedule(uow, key, actor=who)
    return page(
        request,
        "_grid_rows.html",
        project=view.project,
        rows=views.rows(view),
        csrf=csrf,
        note=note,
    )


@router.get("/projects/{key}/tasks", response_class=HTMLResponse)
def grid(request: Request, key: str, uow: UowDep, who: PrincipalDep, csrf: CsrfDep) -> HTMLResponse:
    view = planning.compute_schedule(uow, key, actor=who)
    return page(request, "grid.html", project=view.project, rows=views.rows(view), csrf=csrf)


@router.post("/projects/{key}/tasks", response_class=HTMLResponse)
def add(
    *,
    request: Request,
    key: str,
    uow: UowDep,
    who: PrincipalDep,
    csrf: CsrfDep,
    name: Text,
    duration: Annotated[str, Form(max_length=20)] = "1d",
    predecessors: Short = "",
) -> HTMLResponse:
    planning.create_task(
        uow,
        key,
        NewTask(name=name, duration=duration or "1d"),
        actor=who,
        predecessors=predecessors,
    )
    return _rows(request, uow, key, csrf, who, note=f"Added {name.strip()}")


@router.post("/projects/{key}/tasks/{uid}", response_class=HTMLResponse)
def edit(
    *,
    request: Request,
    key: str,
    uid: int,
    uow: UowDep,
    who: PrincipalDep,
    csrf: CsrfDep,
    version: Annotated[int, Form()],
    name: Text,
    duration: Annotated[str, Form(max_length=20)],
    predecessors: Short = "",
) -> HTMLResponse:
    # A summary row posts an empty, read-only duration: leave it alone.
    changes = planning.TaskChanges(name=name, duration=duration or None, predecessors=predecessors)
    done = planning.update_task(uow, key, uid, changes, actor=who, version=version)
    return _rows(request, uow, key, csrf, who, done=done)


@router.post("/projects/{key}/tasks/{uid}/{action}", response_class=HTMLResponse)
def act(
    *,
    request: Request,
    key: str,
    uid: int,
    action: str,
    uow: UowDep,
    who: PrincipalDep,
    csrf: CsrfDep,
) -> HTMLResponse:
    # A fixed table, never getattr on the request's word (OpenProject GHSA-9c69-v342-vqr7).
    if action == "indent":
        planning.indent(uow, key, uid, actor=who)
    elif action == "outdent":
        planning.outdent(uow, key, uid, actor=who)
    elif action == "delete":
        planning.delete_task(uow, key, uid, actor=who)
    else:
        raise NotFound(f"no action {action[:20]!r}")
    return _rows(request, uow, key, csrf, who)
