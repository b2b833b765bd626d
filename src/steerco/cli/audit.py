"""`steerco audit ...`: check the audit log's hash chain."""

from __future__ import annotations

import typer

from steerco.cli.context import app, console
from steerco.cli.errors import ErrorHandlingGroup
from steerco.services import audit as service

cli = typer.Typer(cls=ErrorHandlingGroup, help="Check the audit log.", no_args_is_help=True)


@cli.command("verify")
def verify() -> None:
    """Recompute the hash chain. Exit 0 if intact, 1 naming the first altered entry."""
    verdict = service.verify(app().uow)
    if verdict.first_bad is not None:
        typer.echo(
            f"audit chain broken at entry {verdict.first_bad}: it was altered, "
            f"inserted, or an entry before it was deleted",
            err=True,
        )
        raise typer.Exit(1)
    console.print(f"audit chain intact: {verdict.count} entries")
    console.print(f"head {verdict.head.hash}: keep a copy elsewhere to detect a cut-off tail")
