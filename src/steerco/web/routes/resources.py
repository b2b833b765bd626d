"""Resource usage of one project (a table and a histogram per resource), adding and changing
its resources, and the heat map of every person across the projects the caller can see.

The forms post with htmx: a refused change is a message on the page (`web/errors.py`), a
done one reloads the page. Without JavaScript they are plain forms and answer 303."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from steerco.api.deps import now
from steerco.domain import ResourceKind, ValidationError
from steerco.domain.skills import ResourceProfile
from steerco.engine.allocation import Bucket
from steerco.services import costs, resources, staffing
from steerco.web.deps import CsrfDep, PrincipalDep, UowDep
from steerco.web.forms import amount, day, items
from steerco.web.render import done, page

router = APIRouter(include_in_schema=False)

BAR, GAP, HEIGHT = 14, 2, 80  # histogram geometry in SVG user units


def histogram(row: resources.ResourceUsage) -> dict[str, Any]:
    """Bars (one per bucket) scaled so that both the peak and the capacity line fit."""
    top = max([row.resource.max_units, *(load.peak_units for load in row.loads)]) or 1.0
    bars = []
    for i, load in enumerate(row.loads):
        h = round(HEIGHT * load.peak_units / top, 1)
        bars.append(
            {
                "x": i * (BAR + GAP),
                "y": round(HEIGHT - h, 1),
                "h": h,
                "over": load.over,
                "day": load.day,
                "label": f"{load.day:%a %d %b}: {resources.format_units(load.peak_units)}",
            }
        )
    return {
        "bars": bars,
        "width": max(1, len(bars) * (BAR + GAP)),
        "height": HEIGHT,
        "capacity_y": round(HEIGHT - HEIGHT * row.resource.max_units / top, 1),
        "bar": BAR,
    }


@router.get("/projects/{key}/resources", response_class=HTMLResponse)
def usage_page(
    request: Request, key: str, uow: UowDep, who: PrincipalDep, csrf: CsrfDep, by: str = "day"
) -> HTMLResponse:
    bucket = Bucket.WEEK if by == "week" else Bucket.DAY
    found = resources.project_usage(uow, key, bucket, actor=who)
    priced = costs.cost_report(found.project, found.result)
    profiles = staffing.profiles(uow, key, actor=who)
    rows = [
        {
            "usage": row,
            "chart": histogram(row),
            "rates": costs.describe_rates(row.resource.rates),
            "cost": priced.by_resource.get(row.resource.uid),
            "profile": profiles.get(row.resource.uid),
        }
        for row in found.resources
    ]
    return page(
        request,
        "resources.html",
        project=found.project,
        rows=rows,
        bucket=bucket,
        units=resources.format_units,
        total=priced.total,
        csrf=csrf,
    )


Name = Annotated[str, Form(min_length=1, max_length=255)]
Units = Annotated[str, Form(min_length=1, max_length=20)]
Email = Annotated[str, Form(max_length=255)]


@router.post("/projects/{key}/resources")
def add(
    *,
    request: Request,
    key: str,
    uow: UowDep,
    who: PrincipalDep,
    name: Name,
    max_units: Units = "100%",
    email: Email = "",
    kind: Annotated[str, Form(max_length=10)] = "work",
) -> Response:
    try:
        sort = ResourceKind(kind)
    except ValueError:
        raise ValidationError(f"a resource is work, material or cost, not {kind!r}") from None
    resources.add_resource(
        uow, key, name, max_units=max_units, email=email, kind=sort, actor=who, now=now()
    )
    return _back(request, key)


@router.post("/projects/{key}/resources/{uid}")
def change(
    *,
    request: Request,
    key: str,
    uid: int,
    uow: UowDep,
    who: PrincipalDep,
    name: Name,
    max_units: Annotated[str | None, Form(min_length=1, max_length=20)] = None,
    email: Email = "",
    can_level: Annotated[str, Form(max_length=5)] = "",
    was: Annotated[str, Form(max_length=600)] = "",
) -> Response:
    """The row's whole form: an unticked box is not sent, so its absence means off. A
    material or cost resource's form has no max units (nor the box), and leaves both be.

    `was` holds the values the form was drawn with: only fields that differ from them are
    written, so a form left open does not put back what someone changed since in the
    fields this user did not touch (the API's PATCH sends only its changes anyway)."""
    work = max_units is not None
    shown = _shown(was)
    box = ("on" if can_level else "off") if work else None

    def edited(field: str, value: str | None) -> str | None:
        return None if value is None or shown.get(field) == value else value

    changes = resources.ResourceChanges(
        name=edited("name", name),
        max_units=edited("max_units", max_units),
        email=edited("email", email),
        can_level=None if edited("can_level", box) is None else box == "on",
    )
    if not changes.empty():
        resources.update_resource(uow, key, str(uid), changes, actor=who, now=now())
    return _back(request, key)


def _shown(was: str) -> dict[str, str]:
    """`name=...&max_units=...`, as the template writes it (URL-encoded pairs)."""
    return dict(parse_qsl(was, keep_blank_values=True))


@router.post("/projects/{key}/resources/{uid}/remove")
def remove(*, request: Request, key: str, uid: int, uow: UowDep, who: PrincipalDep) -> Response:
    resources.remove_resource(uow, key, str(uid), actor=who, now=now())
    return _back(request, key)


Listed = Annotated[str, Form(max_length=4000)]


@router.post("/projects/{key}/resources/{uid}/profile")
def profile(
    *,
    request: Request,
    key: str,
    uid: int,
    uow: UowDep,
    who: PrincipalDep,
    time_zone: Annotated[str, Form(max_length=64)] = "",
    skills: Listed = "",
    certifications: Listed = "",
    was: Annotated[str, Form(max_length=9000)] = "",
) -> Response:
    """The whole profile, as typed: `python:4, sql:3` and `PMP until 2027-05-01, AWS`.
    With `was` (what the form was drawn with), only the user's edits are applied, as the
    Change form does."""
    drawn = None
    if was:
        shown = _shown(was)
        drawn = ResourceProfile(
            uid,
            shown.get("time_zone", ""),
            tuple(staffing.parse_skills(items(shown.get("skills", "")))),
            tuple(staffing.parse_certifications(items(shown.get("certifications", "")))),
        )
    staffing.replace_profile(
        uow,
        key,
        str(uid),
        time_zone=time_zone,
        skills=staffing.parse_skills(items(skills)),
        certifications=staffing.parse_certifications(items(certifications)),
        actor=who,
        now=now(),
        shown=drawn,
    )
    return _back(request, key)


Amount = Annotated[str, Form(max_length=20)]


@router.post("/projects/{key}/resources/{uid}/rates")
def rate(
    *,
    request: Request,
    key: str,
    uid: int,
    uow: UowDep,
    who: PrincipalDep,
    table: Annotated[str, Form(max_length=1)] = "A",
    effective: Annotated[str, Form(max_length=10)] = "",
    standard: Amount = "",
    overtime: Amount = "",
    per_use: Amount = "",
    remove: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """One line of a rate table, as `steerco resource rate` sets it: blank amounts keep the
    line's (0 on a new line), a blank date means from the start."""
    costs.set_rate(
        uow,
        key,
        str(uid),
        table=table,
        effective=day(effective, "In force from") if effective.strip() else None,
        standard=amount(standard, "Standard rate"),
        overtime=amount(overtime, "Overtime rate"),
        per_use=amount(per_use, "Cost per use"),
        remove=bool(remove),
        actor=who,
        now=now(),
    )
    return _back(request, key)


def _back(request: Request, key: str) -> Response:
    return done(request, f"/projects/{key.upper()}/resources")


@router.get("/resources", response_class=HTMLResponse)
def heat_map_page(request: Request, uow: UowDep, who: PrincipalDep, csrf: CsrfDep) -> HTMLResponse:
    plans = resources.portfolio_plans(uow, actor=who)
    weeks, rows = resources.heat_map(plans)
    return page(
        request, "heat_map.html", weeks=weeks, rows=rows, units=resources.format_units, csrf=csrf
    )
