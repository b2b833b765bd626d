"""`steerco token ...`: API tokens for scripts and integrations."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from steerco.cli.context import actor, app, console, now
from steerco.cli.errors import ErrorHandlingGroup
from steerco.domain.accounts import Scope, format_scopes
from steerco.services import accounts_tokens as service

cli = typer.Typer(
    cls=ErrorHandlingGroup, help="Create, list and revoke API tokens.", no_args_is_help=True
)


@cli.command("create")
def create(
    email: Annotated[str, typer.Argument(help="The user the token acts as.")],
    scope: Annotated[Scope, typer.Option(help="read, write (with read) or admin.")] = Scope.READ,
    expires: Annotated[str, typer.Option(help="Lifetime: 90d, 12h, 4w; at most 366d.")] = "90d",
    name: Annotated[str, typer.Option(help="A label to recognise the token by.")] = "",
) -> None:
    """Create a token. It is shown once, as the last word of the output: store it now."""
    lifetime = service.parse_lifetime(expires)
    new = service.create_token(
        app().uow, email, now=now(), scope=scope, lifetime=lifetime, name=name, actor=actor()
    )
    expiry = f"{new.record.expires_at:%Y-%m-%d %H:%M} UTC" if new.record.expires_at else "never"
    console.print(
        f"Token {new.record.id} for {email.strip().lower()}, scopes "
        f"{format_scopes(new.record.scopes)}, expires {expiry}."
    )
    # typer.echo, not rich: rich may wrap or restyle a long word; the token must be verbatim.
    typer.echo(f"Shown once, store it now: {new.token}")


@cli.command("list")
def list_(email: Annotated[str, typer.Argument(help="The user whose tokens to list.")]) -> None:
    """List a user's tokens (never the secrets: they are not stored)."""
    records = service.list_tokens(app().uow, email, actor=actor())
    if not records:
        console.print(f"No tokens for {email.strip().lower()}")
        return
    table = Table("Id", "Name", "Prefix", "Scopes", "Expires", "Last used", "Status")
    for r in records:
        status = "revoked" if r.revoked_at else "active"
        table.add_row(
            str(r.id),
            r.name,
            r.prefix + "...",
            format_scopes(r.scopes),
            f"{r.expires_at:%Y-%m-%d}" if r.expires_at else "",
            f"{r.last_used_at:%Y-%m-%d %H:%M}" if r.last_used_at else "",
            status,
        )
    console.print(table)


@cli.command("revoke")
def revoke(token_id: Annotated[int, typer.Argument(help="The id from token list.")]) -> None:
    """Revoke a token; it stops working at once."""
    service.revoke_token(app().uow, actor(), token_id, now=now())
    console.print(f"Revoked token {token_id}")
