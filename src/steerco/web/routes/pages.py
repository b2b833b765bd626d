"""Pages: project list, new project, dashboard, task detail, import and export."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse

from steerco.api.deps import now
from steerco.domain import ValidationError
from steerco.services import (
    baselines,
    leveling,
    leveling_clear,
    planning,
    portfolio,
    projects,
    staffing,
)
from steerco.services.interop import import_plan
from steerco.web import views
from steerco.web.deps import CsrfDep, PrincipalDep, UowDep, get_app, today
from steerco.web.render import page

router = APIRouter(include_in_schema=False)

FORMATS = [
    ("mspdi", "MS Project XML"),
    ("csv", "CSV"),
    ("xlsx", "Excel (XLSX)"),
    ("ics", "Calendar (iCalendar)"),
]


@router.get("/", response_class=HTMLResponse)
def project_list(request: Request, uow: UowDep, who: PrincipalDep, csrf: CsrfDep) -> HTMLResponse:
    return page(
        request, "projects.html", projects=projects.list_projects(uow, actor=who), csrf=csrf
    )


@router.get("/portfolio", response_class=HTMLResponse)
def portfolio_overview(request: Request, uow: UowDep, who: PrincipalDep) -> HTMLResponse:
    return page(request, "portfolio.html", rows=portfolio.overview(uow, actor=who, today=today()))


@router.post("/projects")
def create_project(
    uow: UowDep,
    who: PrincipalDep,
    name: Annotated[str, Form(max_length=200)],
    start: Annotated[str, Form(max_length=10)] = "",
) -> RedirectResponse:
    try:
        start_day = date.fromisoformat(start) if start else None
    except ValueError:
        raise ValidationError(f"not a date: {start!r}; use YYYY-MM-DD") from None
    project = projects.create_project(uow, name, actor=who, today=today(), start=start_day)
    return RedirectResponse(f"/projects/{project.key}/tasks", status_code=303)


@router.get("/projects/{key}", response_class=HTMLResponse)
def dashboard(
    request: Request, key: str, uow: UowDep, who: PrincipalDep, csrf: CsrfDep
) -> HTMLResponse:
    view = planning.compute_schedule(uow, key, actor=who)
    return page(
        request,
        "dashboard.html",
        csrf=csrf,
        formats=FORMATS,
        baseline=baselines.status(view.project, view.result),
        **views.dashboard(view, today()),
    )


@router.post("/projects/{key}/baseline")
def save_baseline(key: str, uow: UowDep, who: PrincipalDep) -> RedirectResponse:
    baselines.save_baseline(uow, key, actor=who, now=now())
    return RedirectResponse(f"/projects/{key.upper()}", status_code=303)


@router.post("/projects/{key}/level", response_class=HTMLResponse)
def level(
    request: Request,
    key: str,
    uow: UowDep,
    who: PrincipalDep,
    csrf: CsrfDep,
    within_slack: Annotated[str, Form(max_length=5)] = "",
    split: Annotated[str, Form(max_length=5)] = "",
) -> HTMLResponse:
    """Level the project's resources and show each delay with its explanation; a plan that
    cannot be leveled (dates that cannot all hold) is an inline message on the same page."""
    try:
        outcome = leveling.level_stored(
            uow, key, within_slack=within_slack == "on", split=split == "on", actor=who, now=now()
        )
    except leveling.LevelingFailed as exc:
        project = projects.get_project(uow, key, actor=who)
        return page(
            request,
            "level.html",
            status=422,
            project=project,
            outcome=None,
            error=str(exc),
            csrf=csrf,
        )
    return page(
        request, "level.html", project=outcome.project, outcome=outcome, error=None, csrf=csrf
    )


@router.post("/projects/{key}/level/clear", response_class=HTMLResponse)
def clear_leveling(
    request: Request,
    key: str,
    uow: UowDep,
    who: PrincipalDep,
    csrf: CsrfDep,
    split: Annotated[str, Form(max_length=5)] = "",
) -> HTMLResponse:
    """Clear leveling (every leveling delay back to zero) and list the tasks that moved."""
    outcome = leveling_clear.clear_stored(uow, key, actor=who, now=now(), split=split == "on")
    return page(
        request,
        "level.html",
        project=outcome.project,
        outcome=None,
        cleared=outcome,
        error=None,
        csrf=csrf,
    )


@router.get("/projects/{key}/tasks/{uid}", response_class=HTMLResponse)
def task_detail(
    *, request: Request, key: str, uid: int, uow: UowDep, who: PrincipalDep, csrf: CsrfDep
) -> HTMLResponse:
    view = planning.compute_schedule(uow, key, actor=who)
    task = planning.task_ref(view.project, str(uid))  # NotFound for the summary row too
    suggestion = None
    if not task.summary and any(r.uid > 0 for r in view.project.resources):
        suggestion = staffing.suggest(uow, key, str(uid), actor=who)
    return page(
        request,
        "task.html",
        project=view.project,
        csrf=csrf,
        suggestion=suggestion,
        **views.staffed(view.project, task),
        **views.why(view, uid),
    )


# Registered before the grid's `/tasks/{uid}/{action}` (app.py includes this router first).
@router.post("/projects/{key}/tasks/{uid}/notes")
def save_notes(
    *,
    key: str,
    uid: int,
    uow: UowDep,
    who: PrincipalDep,
    version: Annotated[int, Form(ge=0, le=2**31)],
    notes: Annotated[str, Form(max_length=20_000)] = "",
) -> RedirectResponse:
    planning.update_task(
        uow, key, uid, planning.TaskChanges(notes=notes), actor=who, version=version
    )
    return RedirectResponse(f"/projects/{key.upper()}/tasks/{uid}", status_code=303)


@router.get("/import", response_class=HTMLResponse)
def import_form(request: Request, who: PrincipalDep, csrf: CsrfDep) -> HTMLResponse:
    return page(request, "import.html", csrf=csrf)


@router.post("/import")
async def import_file(
    request: Request,
    who: PrincipalDep,
    file: Annotated[UploadFile, File()],
) -> RedirectResponse:
    app = get_app(request)
    limit = app.settings.import_max_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"the file is larger than {limit} bytes")
    project = import_plan(app.uow, data, actor=who, max_bytes=limit, filename=file.filename or "")
    return RedirectResponse(f"/projects/{project.key}", status_code=303)


@router.get("/projects/{key}/export", response_class=HTMLResponse)
def export_page(
    request: Request, key: str, uow: UowDep, who: PrincipalDep, csrf: CsrfDep
) -> HTMLResponse:
    return page(
        request,
        "export.html",
        project=projects.get_project(uow, key, actor=who),
        formats=FORMATS,
        csrf=csrf,
    )
