"""`steerco user ...`: accounts, managed by whoever runs the CLI on the server.

There is no default account: the first administrator is made here, with
`steerco user create EMAIL --admin --password-stdin`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from steerco.cli.context import actor, app, console, now
from steerco.cli.errors import ErrorHandlingGroup, fail
from steerco.services import accounts as service

cli = typer.Typer(
    cls=ErrorHandlingGroup, help="Create, list and disable users.", no_args_is_help=True
)


def read_password(from_stdin: bool) -> str:
    """From stdin (scripts; one line, its newline dropped) or a hidden, confirmed prompt.
    Never from an argument, which would land in the shell history and `ps`."""
    if from_stdin:
        line = typer.get_text_stream("stdin").readline()
        password = line.removesuffix("\n").removesuffix("\r")
        if not password:
            raise fail("no password on stdin")
        return password
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@cli.command("create")
def create(
    email: Annotated[str, typer.Argument(help="The user's email address (their login).")],
    admin: Annotated[bool, typer.Option("--admin", help="Make an instance administrator.")] = False,
    name: Annotated[str, typer.Option(help="Display name (default: from the email).")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user. The password needs at least 12 characters."""
    password = read_password(password_stdin)
    user = service.create_user(
        app().uow, email, password, now=now(), display_name=name, is_admin=admin, actor=actor()
    )
    kind = "administrator" if user.is_admin else "user"
    console.print(f"Created {kind} {user.email} (id {user.id})")


@cli.command("list")
def list_() -> None:
    """List users."""
    users = service.list_users(app().uow, actor())
    if not users:
        console.print(
            "No users yet. Create the first admin with: "
            "steerco user create EMAIL --admin --password-stdin"
        )
        return
    table = Table("Id", "Email", "Name", "Admin", "2FA", "Status")
    for user in users:
        table.add_row(
            str(user.id),
            user.email,
            user.display_name,
            "yes" if user.is_admin else "",
            "on" if user.totp_enabled else "",
            "disabled" if user.disabled else "active",
        )
    console.print(table)


@cli.command("disable")
def disable(email: Annotated[str, typer.Argument(help="The user's email address.")]) -> None:
    """Disable a user: their sessions end and their API tokens stop working."""
    user = service.disable_user(app().uow, email, now=now(), actor=actor())
    console.print(f"Disabled {user.email}")


@cli.command("enable")
def enable(email: Annotated[str, typer.Argument(help="The user's email address.")]) -> None:
    """Enable a disabled user again."""
    user = service.enable_user(app().uow, email, now=now(), actor=actor())
    console.print(f"Enabled {user.email}")


@cli.command("reset-2fa")
def reset_2fa(email: Annotated[str, typer.Argument(help="The user's email address.")]) -> None:
    """Turn off a user's two-factor authentication (a lost phone)."""
    from steerco.services import accounts_totp

    accounts_totp.reset(app().uow, email, now=now(), actor=actor())
    console.print(f"Two-factor authentication is off for {email.strip().lower()}")


class Switch(StrEnum):
    ON = "on"
    OFF = "off"


@cli.command("enforce-2fa")
def enforce_2fa(state: Annotated[Switch, typer.Argument(help="on or off")]) -> None:
    """Require two-factor authentication for everyone (on) or not (off)."""
    on = state is Switch.ON
    service.set_enforce_2fa(app().uow, on, now=now(), actor=actor())
    console.print(f"Two-factor authentication is {'required' if on else 'optional'}")
