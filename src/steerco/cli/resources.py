"""`steerco resource ...` and `steerco assign`: who works on a project, and their load."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from steerco.cli.context import app, console
from steerco.cli.errors import ErrorHandlingGroup
from steerco.domain import ValidationError
from steerco.engine.allocation import Bucket
from steerco.services import resources
from steerco.services.accounts import LOCAL, actor_name

cli = typer.Typer(cls=ErrorHandlingGroup, help="Resources, assignments and load.",
                  no_args_is_help=True)


def _now() -> datetime:
    return datetime.now(UTC)


@cli.command("add")
def add(
    project: Annotated[str, typer.Argument(help="Project key.")],
    name: Annotated[str, typer.Argument(help="Resource name, e.g. a person.")],
    max_units: Annotated[
        str, typer.Option(help="Capacity: 100% is one full-time person.")
    ] = "100%",
    email: Annotated[str, typer.Option(help="E-mail; matches the person across projects.")] = "",
) -> None:
    """Add a work resource (a person or a team) to a project."""
    res = resources.add_resource(app().uow, project, name, max_units=max_units, email=email,
                                 actor=actor_name(LOCAL), now=_now())
    console.print(f"Added resource {res.uid} {res.name} ({resources.format_units(res.max_units)})")


@cli.command("list")
def list_(project: Annotated[str, typer.Argument(help="Project key.")]) -> None:
    """Resources with their capacity, assignments and peak load."""
    usage = resources.project_usage(app().uow, project)
    if not usage.resources:
        console.print("No resources.")
        return
    for row in usage.resources:
        r = row.resource
        flag = f"  OVER on {len(row.over)} day(s)" if row.over else ""
        console.print(
            f"{r.uid:>4}  {r.name}  max {resources.format_units(r.max_units)}  "
            f"{row.assigned} assignment(s)  peak {resources.format_units(row.peak)}{flag}",
            highlight=False, markup=False,
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
    found = resources.project_usage(app().uow, project, bucket)
    for row in found.resources:
        for load in row.over if over_only else row.loads:
            mark = "  OVER" if load.over else ""
            console.print(
                f"{load.day:%Y-%m-%d}  {row.resource.name}  peak "
                f"{resources.format_units(load.peak_units)} of "
                f"{resources.format_units(load.capacity)}  {load.work_minutes / 60:g}h  "
                f"tasks {','.join(map(str, load.tasks))}{mark}",
                highlight=False, markup=False,
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
    asg = resources.assign(app().uow, project, task, resource, units=units,
                           actor=actor_name(LOCAL), now=_now())
    console.print(
        f"Assigned resource {asg.resource_uid} to task {asg.task_uid} at "
        f"{resources.format_units(asg.units)}"
    )
