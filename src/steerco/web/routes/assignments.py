"""Who works on a task, from its page: assign a resource (from the list or a suggestion),
change an assignment's units, take someone off, say what skills the task needs. Plain forms;
each answers with the task page again (a domain error is shown as the web app shows every
error); the needs form posts with htmx too, so a refusal is a message on the page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from steerco.api.deps import now
from steerco.services import resources, staffing
from steerco.web.deps import PrincipalDep, UowDep
from steerco.web.forms import items
from steerco.web.render import done

router = APIRouter(include_in_schema=False)

Units = Annotated[str, Form(min_length=1, max_length=20)]


@router.post("/projects/{key}/tasks/{uid}/assignments")
def assign(
    *,
    key: str,
    uid: int,
    uow: UowDep,
    who: PrincipalDep,
    resource: Annotated[str, Form(min_length=1, max_length=255)],
    units: Units = "100%",
) -> RedirectResponse:
    resources.assign(uow, key, str(uid), resource, units=units, actor=who, now=now())
    return _back(key, uid)


@router.post("/projects/{key}/tasks/{uid}/assignments/{aid}/units")
def change_units(
    *, key: str, uid: int, aid: int, uow: UowDep, who: PrincipalDep, units: Units
) -> RedirectResponse:
    resources.change_units(
        uow, key, resources.by_id(aid, task_uid=uid), units, actor=who, now=now()
    )
    return _back(key, uid)


@router.post("/projects/{key}/tasks/{uid}/assignments/{aid}/remove")
def unassign(*, key: str, uid: int, aid: int, uow: UowDep, who: PrincipalDep) -> RedirectResponse:
    resources.unassign(uow, key, resources.by_id(aid, task_uid=uid), actor=who, now=now())
    return _back(key, uid)


@router.post("/projects/{key}/tasks/{uid}/needs")
def needs(
    *,
    request: Request,
    key: str,
    uid: int,
    uow: UowDep,
    who: PrincipalDep,
    needs: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """What the task needs, as typed (`python:3, AWS`); an empty box clears it."""
    staffing.set_needs(uow, key, str(uid), items(needs), actor=who, now=now())
    return done(request, f"/projects/{key.upper()}/tasks/{uid}")


def _back(key: str, uid: int) -> RedirectResponse:
    return RedirectResponse(f"/projects/{key.upper()}/tasks/{uid}", status_code=303)
