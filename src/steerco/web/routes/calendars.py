"""The calendar editor: working weeks, exceptions and new calendars of one project.

Every form posts with htmx and gets the whole editor back, since one change can touch what
another calendar inherits; a refused change lands in the page's message area instead.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from steerco.api.deps import now
from steerco.domain import Project
from steerco.services import calendars, planning
from steerco.services.accounts import Actor
from steerco.web.deps import CsrfDep, PrincipalDep, UowDep, get_app
from steerco.web.forms import day
from steerco.web.render import page

router = APIRouter(include_in_schema=False)

Times = Annotated[str, Form(max_length=200)]
Version = Annotated[int | None, Form()]


def editor(project: Project) -> list[dict[str, Any]]:
    names = {c.uid: c.name for c in project.calendars}
    return [
        {
            "uid": cal.uid,
            "name": cal.name,
            "base_name": names.get(cal.base_uid) if cal.base_uid is not None else None,
            "week": [
                {"name": name, "text": calendars.format_day(day)}
                for name, day in zip(calendars.WEEKDAYS, cal.week, strict=True)
            ],
            "exceptions": [
                {
                    "name": e.name,
                    "start": e.start,
                    "finish": e.finish,
                    "text": calendars.format_day(e.pattern),
                    "recurring": e.recurrence is not None,
                }
                for e in cal.exceptions
            ],
        }
        for cal in project.calendars
    ]


def _editor(
    request: Request, key: str, csrf: str, who: Actor, *, partial: bool, note: str = ""
) -> HTMLResponse:
    project = planning.load(get_app(request).uow, key, actor=who)
    template = "_calendars.html" if partial else "calendars.html"
    return page(request, template, project=project, calendars=editor(project), csrf=csrf, note=note)


@router.get("/projects/{key}/calendars", response_class=HTMLResponse)
def calendar_page(request: Request, key: str, who: PrincipalDep, csrf: CsrfDep) -> HTMLResponse:
    return _editor(request, key, csrf, who, partial=False)


@router.post("/projects/{key}/calendars", response_class=HTMLResponse)
def create(
    *,
    request: Request,
    key: str,
    uow: UowDep,
    who: PrincipalDep,
    csrf: CsrfDep,
    name: Times,
    base: Annotated[str, Form(max_length=12)] = "",
    version: Version = None,
) -> HTMLResponse:
    base_uid = int(base) if base.strip().isdigit() else None
    cal = calendars.add_calendar(
        uow, key, name, base_uid=base_uid, actor=who, now=now(), version=version
    )
    return _editor(request, key, csrf, who, partial=True, note=f"Created {cal.name}")


@router.post("/projects/{key}/calendars/{uid}/week", response_class=HTMLResponse)
async def week(
    request: Request, key: str, uid: int, uow: UowDep, who: PrincipalDep, csrf: CsrfDep
) -> HTMLResponse:
    form = await request.form()
    days: dict[int, str] = {}
    for i in range(7):
        value = form.get(f"day{i}")
        if isinstance(value, str):
            days[i] = value[:200]
    raw_version = form.get("version")
    version = int(raw_version) if isinstance(raw_version, str) and raw_version.isdigit() else None
    cal = calendars.set_week(uow, key, uid, days, actor=who, now=now(), version=version)
    return _editor(request, key, csrf, who, partial=True, note=f"Saved the week of {cal.name}")


@router.post("/projects/{key}/calendars/{uid}/exceptions", response_class=HTMLResponse)
def add_exception(
    *,
    request: Request,
    key: str,
    uid: int,
    uow: UowDep,
    who: PrincipalDep,
    csrf: CsrfDep,
    start: Annotated[str, Form(max_length=10)],
    finish: Annotated[str, Form(max_length=10)] = "",
    name: Times = "",
    times: Times = "nonworking",
    version: Version = None,
) -> HTMLResponse:
    first = day(start, "From")
    last = day(finish, "To") if finish else first
    calendars.add_exception(
        uow,
        key,
        uid,
        start=first,
        finish=last,
        name=name,
        times=times,
        actor=who,
        now=now(),
        version=version,
    )
    return _editor(request, key, csrf, who, partial=True, note=f"Added {name.strip() or start}")


@router.post(
    "/projects/{key}/calendars/{uid}/exceptions/{index}/delete", response_class=HTMLResponse
)
def remove_exception(
    *,
    request: Request,
    key: str,
    uid: int,
    index: int,
    uow: UowDep,
    who: PrincipalDep,
    csrf: CsrfDep,
    version: Version = None,
) -> HTMLResponse:
    calendars.remove_exception(uow, key, uid, index, actor=who, now=now(), version=version)
    return _editor(request, key, csrf, who, partial=True, note="Removed the exception")
