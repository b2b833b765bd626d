"""`steerco resource ...`, `steerco assign` and `steerco unassign`: who works on a project,
and their load."""

from __future__ import annotations

from datetime import datetime, time
from typing import Annotated

import typer

from steerco.cli.context import actor, app, console, now, parse_day, today
from steerco.cli.errors import ErrorHandlingGroup
from steerco.domain import Resource, ResourceKind, ValidationError
from steerco.domain.resource import rate_on
from steerco.domain.skills import ResourceProfile
from steerco.engine.allocation import Bucket
from steerco.services import calendars, costs, resources, staffing

cli = typer.Typer(
    cls=ErrorHandlingGroup, help="Resources, assignments and load.", no_args_is_help=True
)


@cli.command("add")
def add(
    project: Annotated[str, typer.Argument(help="Project key.")],
    name: Annotated[str, typer.Argument(help="Resource name, e.g. a person.")],
    max_units: Annotated[
        str, typer.Option(help="Capacity: 100% is one full-time person.")
    ] = "100%",
    email: Annotated[str, typer.Option(help="E-mail; matches the person across projects.")] = "",
    kind: Annotated[
        str, typer.Option(help="work (people, teams, machines), material or cost.")
    ] = "work",
) -> None:
    """Add a resource to a project: a person or a team (work), or material or cost."""
    try:
        sort = ResourceKind(kind.strip().lower())
    except ValueError:
        raise ValidationError(f"--kind is work, material or cost, not {kind[:10]!r}") from None
    res = resources.add_resource(
        app().uow, project, name, max_units=max_units, email=email, kind=sort, actor=actor(),
        now=now(),
    )  # fmt: skip
    console.print(f"Added resource {res.uid} {res.name} ({resources.format_units(res.max_units)})")


@cli.command("remove")
def remove(
    project: Annotated[str, typer.Argument(help="Project key.")],
    resource: Annotated[str, typer.Argument(help="Resource: id, name or e-mail.")],
) -> None:
    """Take a resource out of the project, with its assignments (effort-driven tasks keep
    their work with the others), skills, time zone and own calendar."""
    gone = resources.remove_resource(app().uow, project, resource, actor=actor(), now=now())
    console.print(f"Removed resource {gone.uid} {gone.name}", highlight=False, markup=False)


@cli.command("list")
def list_(project: Annotated[str, typer.Argument(help="Project key.")]) -> None:
    """Resources with their capacity, assignments and peak load."""
    usage = resources.project_usage(app().uow, project, actor=actor())
    if not usage.resources:
        console.print("No resources.")
        return
    for row in usage.resources:
        r = row.resource
        flag = f"  OVER on {len(row.over)} day(s)" if row.over else ""
        flag += "  Can Level off" if _can_level_off(r) else ""
        console.print(
            f"{r.uid:>4}  {r.name}  max {resources.format_units(r.max_units)}  "
            f"{row.assigned} assignment(s)  peak {resources.format_units(row.peak)}{flag}",
            highlight=False,
            markup=False,
        )


@cli.command("usage")
def usage(
    project: Annotated[str, typer.Argument(help="Project key.")],
    by: Annotated[str, typer.Option(help="Bucket: day or week.")] = "day",
    over_only: Annotated[bool, typer.Option("--over-only", help="Only over-allocations.")] = False,
) -> None:
    """Load per resource and day (or week): peak units against max units."""
    try:
        bucket = Bucket(by)
    except ValueError:
        raise ValidationError(f"--by is day or week, not {by[:10]!r}") from None
    found = resources.project_usage(app().uow, project, bucket, actor=actor())
    for row in found.resources:
        for load in row.over if over_only else row.loads:
            mark = "  OVER" if load.over else ""
            console.print(
                f"{load.day:%Y-%m-%d}  {row.resource.name}  peak "
                f"{resources.format_units(load.peak_units)} of "
                f"{resources.format_units(load.capacity)}  {load.work_minutes / 60:g}h  "
                f"tasks {','.join(map(str, load.tasks))}{mark}",
                highlight=False,
                markup=False,
            )
    over = sum(len(r.over) for r in found.resources)
    console.print(f"{over} over-allocated {bucket.value}(s)" if over else "No over-allocation")


def assign(
    project: Annotated[str, typer.Argument(help="Project key.")],
    task: Annotated[str, typer.Argument(help="Task: id, WBS code or name.")],
    resource: Annotated[str, typer.Argument(help="Resource: id, name or e-mail.")],
    units: Annotated[str, typer.Option(help="Share of the resource, e.g. 50%.")] = "100%",
) -> None:
    """Assign a resource to a task."""
    asg = resources.assign(
        app().uow, project, task, resource, units=units, actor=actor(), now=now()
    )
    console.print(
        f"Assigned resource {asg.resource_uid} to task {asg.task_uid} at "
        f"{resources.format_units(asg.units)}"
    )


def unassign(
    project: Annotated[str, typer.Argument(help="Project key.")],
    task: Annotated[str, typer.Argument(help="Task: id, WBS code or name.")],
    resource: Annotated[str, typer.Argument(help="Resource: id, name or e-mail.")],
    units: Annotated[
        str | None,
        typer.Option(help="Keep the assignment with these units instead, e.g. 50%."),
    ] = None,
) -> None:
    """Take a resource off a task (or, with --units, change its share of the task)."""
    find = resources.by_refs(task, resource)
    if units is not None:
        asg = resources.change_units(app().uow, project, find, units, actor=actor(), now=now())
        console.print(
            f"Resource {asg.resource_uid} on task {asg.task_uid} at "
            f"{resources.format_units(asg.units)}, {(asg.work_minutes or 0) / 60:g}h of work"
        )
        return
    gone = resources.unassign(app().uow, project, find, actor=actor(), now=now())
    console.print(f"Unassigned resource {gone.resource_uid} from task {gone.task_uid}")


@cli.command("skill")
def skill(
    project: Annotated[str, typer.Argument(help="Project key.")],
    resource: Annotated[str, typer.Argument(help="Resource: id, name or e-mail.")],
    name: Annotated[str, typer.Argument(help="Skill, e.g. python.")],
    level: Annotated[int, typer.Option(help="1 (aware) to 5 (expert).")] = 3,
    remove: Annotated[bool, typer.Option("--remove", help="Remove the skill.")] = False,
) -> None:
    """Give a resource a skill at a level (or remove it)."""
    if remove:
        staffing.update_profile(
            app().uow, project, resource, drop_skill=name, actor=actor(), now=now()
        )
        console.print(f"Removed {name.strip()}", highlight=False, markup=False)
        return
    staffing.update_profile(
        app().uow, project, resource, skill=(name, level), actor=actor(), now=now()
    )
    console.print(f"{name.strip()} at level {level}", highlight=False, markup=False)


@cli.command("cert")
def cert(
    project: Annotated[str, typer.Argument(help="Project key.")],
    resource: Annotated[str, typer.Argument(help="Resource: id, name or e-mail.")],
    name: Annotated[str, typer.Argument(help="Certification, e.g. PMP or AWS.")],
    expires: Annotated[str, typer.Option(help="Expiry date, YYYY-MM-DD.")] = "",
) -> None:
    """Record a certification with its expiry date."""
    until = parse_day(expires) if expires else None
    staffing.update_profile(
        app().uow, project, resource, certification=(name, until), actor=actor(), now=now()
    )
    console.print(
        f"{name.strip()} certified" + (f" until {until}" if until else ""),
        highlight=False,
        markup=False,
    )


@cli.command("set")
def set_(
    project: Annotated[str, typer.Argument(help="Project key.")],
    resource: Annotated[str, typer.Argument(help="Resource: id, name or e-mail.")],
    time_zone: Annotated[str | None, typer.Option(help="IANA zone, e.g. Europe/Berlin.")] = None,
    rate: Annotated[float | None, typer.Option(help="Cost of an hour, project currency.")] = None,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    max_units: Annotated[
        str | None, typer.Option(help="Capacity, e.g. 50% for someone going part-time.")
    ] = None,
    email: Annotated[
        str | None, typer.Option(help="E-mail; matches the person across projects.")
    ] = None,
    can_level: Annotated[
        bool | None,
        typer.Option(
            "--can-level/--no-can-level",
            help="May leveling delay tasks for this resource (MS Project's Can Level)?",
        ),
    ] = None,
) -> None:
    """Change a resource: where it works (time zone), what an hour costs, its name, e-mail,
    max units, and whether leveling may delay tasks for it. All or nothing."""
    changes = resources.ResourceChanges(
        name=name, max_units=max_units, email=email, can_level=can_level
    )
    if time_zone is None and rate is None and changes.empty():
        raise ValidationError(
            "nothing to set: give --time-zone, --rate, --name, --max-units, --email or"
            " --can-level/--no-can-level"
        )
    if time_zone is None and rate is None:
        res = resources.update_resource(
            app().uow, project, resource, changes, actor=actor(), now=now()
        )
        console.print(_headline(res), highlight=False, markup=False)
        return
    changed = staffing.update_profile(
        app().uow,
        project,
        resource,
        time_zone=time_zone,
        hourly_rate=rate,
        changes=changes,
        actor=actor(),
        now=now(),
    )
    # By uid: a new name may have just replaced the one the command was given.
    res, profile = staffing.profile_of(app().uow, project, str(changed.resource_uid), actor=actor())
    if not changes.empty():
        console.print(_headline(res), highlight=False, markup=False)
    console.print(_describe(profile, res), highlight=False, markup=False)


@cli.command("show")
def show(
    project: Annotated[str, typer.Argument(help="Project key.")],
    resource: Annotated[str, typer.Argument(help="Resource: id, name or e-mail.")],
) -> None:
    """A resource's capacity, skills, certifications, time zone and rate."""
    res, profile = staffing.profile_of(app().uow, project, resource, actor=actor())
    console.print(_headline(res), highlight=False, markup=False)
    console.print(_describe(profile, res), highlight=False, markup=False)
    for line in costs.describe_rates(res.rates):
        console.print(f"rate {line}", highlight=False, markup=False)


def _can_level_off(res: Resource) -> bool:
    # Material and cost resources are never leveled; the flag is a work resource's.
    return res.kind is ResourceKind.WORK and not res.can_level


def _headline(res: Resource) -> str:
    return (
        f"{res.uid} {res.name}  max {resources.format_units(res.max_units)}"
        + (f"  {res.email}" if res.email else "")
        + ("  Can Level off" if _can_level_off(res) else "")
    )


def _describe(p: ResourceProfile, res: Resource) -> str:
    skills = ", ".join(f"{s.name} {s.level}" for s in p.skills) or "none"
    certs = (
        ", ".join(c.name + (f" until {c.expires}" if c.expires else "") for c in p.certifications)
        or "none"
    )
    line = rate_on(res.rates, 0, datetime.combine(today(), time(12)))  # table A, today
    rate = f"{line.standard:g}/h" if line is not None else "unknown"
    return (
        f"skills: {skills}; certifications: {certs}; "
        f"time zone: {p.time_zone or 'unknown'}; rate: {rate}"
    )


def suggest(
    project: Annotated[str, typer.Argument(help="Project key.")],
    task: Annotated[str, typer.Argument(help="Task: id, WBS code or name.")],
) -> None:
    """Rank the project's people for a task, and say why each ranks where it does."""
    found = staffing.suggest(app().uow, project, task, actor=actor())
    needs = ", ".join(f"{n.name}:{n.level}" for n in found.needs) or "no skills"
    console.print(
        f"Task {found.task_uid} {found.task_name} ({found.start:%Y-%m-%d} -> "
        f"{found.finish:%Y-%m-%d}) needs {needs}",
        highlight=False,
        markup=False,
    )
    if not found.ranked:
        console.print("No work resources in this project.")
        return
    for i, r in enumerate(found.ranked, 1):
        flag = "" if r.qualified else "  (not qualified)"
        console.print(
            f"{i}. {r.name}  score {r.score:.2f}{flag}: " + "; ".join(r.reasons),
            highlight=False,
            markup=False,
        )


@cli.command("time-off")
def time_off(
    project: Annotated[str, typer.Argument(help="Project key.")],
    resource: Annotated[str, typer.Argument(help="Resource: id, name or e-mail.")],
    first: Annotated[str, typer.Argument(help="First day off, YYYY-MM-DD.")],
    last: Annotated[str | None, typer.Argument(help="Last day off (default: the first).")] = None,
    name: Annotated[str, typer.Option(help="What it is, e.g. Vacation.")] = "Vacation",
) -> None:
    """Time off for one person (vacation, training): their tasks move, nobody else's."""
    start = parse_day(first)
    finish = parse_day(last) if last else start
    cal = calendars.resource_time_off(
        app().uow,
        project,
        resource,
        start=start,
        finish=finish,
        name=name,
        actor=actor(),
        now=now(),
    )
    console.print(
        f"{cal.name}: {name.strip() or 'Vacation'} {start} to {finish}",
        highlight=False,
        markup=False,
    )
