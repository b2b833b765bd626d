"""The `steerco` command."""

from __future__ import annotations

from typing import Annotated

import typer

from steerco import __version__
from steerco.cli import (
    admin,
    audit,
    context,
    costs,
    files,
    level,
    members,
    projects,
    resources,
    tasks,
    tokens,
    users,
)
from steerco.cli.errors import ErrorHandlingGroup

cli = typer.Typer(
    cls=ErrorHandlingGroup,
    help="steerco: plan, schedule and track IT projects.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"steerco {__version__}")
        raise typer.Exit()


@cli.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    as_user: Annotated[
        str | None,
        typer.Option(
            "--as",
            envvar="STEERCO_USER",
            metavar="EMAIL",
            help="Act as this user, with their project roles. Without it the CLI acts as "
            "the local operator, with every right.",
        ),
    ] = None,
) -> None:
    """steerco: plan, schedule and track IT projects."""
    context.act_as(as_user)


cli.add_typer(projects.cli, name="project")
cli.add_typer(tasks.cli, name="task")
cli.add_typer(members.cli, name="member")
cli.add_typer(users.cli, name="user")
cli.add_typer(tokens.cli, name="token")
cli.add_typer(audit.cli, name="audit")
resources.cli.command("rate")(costs.rate)
resources.cli.command("rate-table")(costs.rate_table)
cli.add_typer(resources.cli, name="resource")
cli.command("assign")(resources.assign)
cli.command("unassign")(resources.unassign)
cli.command("suggest")(resources.suggest)
cli.command("cost")(costs.cost)
cli.command("init")(admin.init)
cli.command("demo")(admin.demo)
cli.command("backup")(admin.backup)
cli.command("restore")(admin.restore)
cli.command("serve")(admin.serve)
cli.command("schedule")(files.schedule)
cli.command("import")(files.import_)
cli.command("export")(files.export)
cli.command("level")(level.level)


def main() -> None:
    cli()
