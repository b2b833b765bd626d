"""`steerco member ...`: who may see and change a project, and with which role."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from steerco.cli.context import actor, app, console, now
from steerco.cli.errors import ErrorHandlingGroup
from steerco.domain import NotFound
from steerco.domain.account_records import Membership
from steerco.domain.accounts import Role, normalise_email
from steerco.services import accounts_members as service

cli = typer.Typer(
    cls=ErrorHandlingGroup,
    help="List, add, change and remove project members.",
    no_args_is_help=True,
)

Project = Annotated[str, typer.Argument(help="Project key.")]
Email = Annotated[str, typer.Argument(help="The member's email address.")]


def _member(project: str, email: str) -> Membership:
    address = normalise_email(email)
    for member in service.list_members(app().uow, actor(), project):
        if member.email == address:
            return member
    raise NotFound(f"{address} is not a member of {project.upper()}")


@cli.command("list")
def list_(project: Project) -> None:
    """List a project's members and their roles."""
    table = Table("Email", "Role")
    for member in service.list_members(app().uow, actor(), project):
        table.add_row(member.email, member.role.value)
    console.print(table)


@cli.command("add")
def add(
    project: Project,
    email: Email,
    role: Annotated[Role, typer.Option(help="owner, manager, member or viewer.")],
) -> None:
    """Add a user to a project with a role."""
    member = service.add_member(app().uow, actor(), project, email, role, now=now())
    console.print(f"Added {member.email} to {project.upper()} as {member.role.value}")


@cli.command("set-role")
def set_role(
    project: Project,
    email: Email,
    role: Annotated[Role, typer.Argument(help="owner, manager, member or viewer.")],
) -> None:
    """Change a member's role."""
    current = _member(project, email)
    member = service.change_role(
        app().uow, actor(), project, current.user_id, role, version=current.version, now=now()
    )
    console.print(f"{member.email} is now {member.role.value} of {project.upper()}")


@cli.command("remove")
def remove(project: Project, email: Email) -> None:
    """Remove a member from a project (a project keeps at least one owner)."""
    current = _member(project, email)
    service.remove_member(app().uow, actor(), project, current.user_id, now=now())
    console.print(f"Removed {current.email} from {project.upper()}")
