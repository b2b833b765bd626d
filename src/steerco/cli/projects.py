"""`steerco project ...`"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from steerco.cli.context import actor, app, console, today
from steerco.cli.errors import ErrorHandlingGroup
from steerco.domain import Methodology
from steerco.services import projects as service

cli = typer.Typer(
    cls=ErrorHandlingGroup, help="Create, list and show projects.", no_args_is_help=True
)

DateOption = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="YYYY-MM-DD")]


@cli.command("create")
def create(
    name: Annotated[str, typer.Argument(help="The project's name.")],
    start: DateOption = None,
    key: Annotated[
        str | None, typer.Option(help="Short key; made from the name if omitted.")
    ] = None,
    methodology: Annotated[Methodology, typer.Option()] = Methodology.WATERFALL,
    currency: Annotated[str, typer.Option()] = "EUR",
    owner: Annotated[
        str | None, typer.Option(help="E-mail of the project's owner (added as a member).")
    ] = None,
) -> None:
    """Create a project."""
    project = service.create_project(
        app().uow,
        name,
        actor=actor(),
        owner=owner,
        today=today(),
        start=start.date() if start else None,
        key=key.upper() if key else None,
        methodology=methodology,
        currency=currency.upper(),
    )
    console.print(
        f"Created project {project.name} ({project.start:%Y-%m-%d}) with key {project.key}"
    )


@cli.command("list")
def list_() -> None:
    """List projects."""
    rows = service.list_projects(app().uow, actor=actor())
    table = Table("Key", "Name", "Start", "Finish", "Tasks", "Method")
    for row in rows:
        finish = f"{row.finish:%Y-%m-%d}" if row.finish else ""
        table.add_row(
            row.key, row.name, f"{row.start:%Y-%m-%d}", finish, str(row.task_count), row.methodology
        )
    if not rows:
        console.print("No projects yet. Create one with: steerco project create NAME")
        return
    console.print(table)


@cli.command("show")
def show(key: Annotated[str, typer.Argument(help="The project key.")]) -> None:
    """Show a project's settings and dates."""
    project = service.get_project(app().uow, key, actor=actor())
    work = [t for t in project.iter_work_tasks()]
    console.print(f"{project.key}  {project.name}")
    console.print(f"  methodology  {project.methodology.value}")
    console.print(f"  start        {project.start:%Y-%m-%d %H:%M}")
    finish = max((t.finish for t in work if t.finish), default=None)
    console.print(f"  finish       {finish:%Y-%m-%d %H:%M}" if finish else "  finish       -")
    status = f"{project.status_date:%Y-%m-%d}" if project.status_date else "-"
    console.print(f"  status date  {status}")
    console.print(f"  currency     {project.currency}")
    cal = next((c.name for c in project.calendars if c.uid == project.calendar_uid), "-")
    console.print(f"  calendar     {cal}")
    console.print(f"  tasks        {len(work)} ({sum(t.milestone for t in work)} milestones)")
    console.print(f"  links        {len(project.dependencies)}")
