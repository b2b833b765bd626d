"""Builds the application once per CLI process, and says who the CLI acts as."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.console import Console

from steerco.domain import ValidationError
from steerco.services.accounts import LOCAL, Actor, cli_principal

if TYPE_CHECKING:
    from steerco.bootstrap import App
    from steerco.config import Settings

console = Console(highlight=False, soft_wrap=True)


@lru_cache(maxsize=1)
def app() -> App:
    # Imported here: the database layer is not loaded by commands that never open it.
    from steerco.bootstrap import build

    return build()


def settings() -> Settings:
    """The app's settings without building the app (and loading the database layer)."""
    from steerco.config import get_settings

    return get_settings()


def today() -> date:
    return date.today()


def now() -> datetime:
    """The moment a command acts, for audit entries, tokens and sessions (aware, UTC)."""
    return datetime.now(UTC)


_acting_as: list[str] = []  # the global --as EMAIL (or STEERCO_USER) of this invocation


def act_as(email: str | None) -> None:
    """Set by the root command before any subcommand runs (once per invocation)."""
    _acting_as[:] = [email] if email and email.strip() else []


def act_as_env_user() -> None:
    """For the fast `steerco level` entry, which skips the root command: take STEERCO_USER
    unless an --as was already given."""
    if not _acting_as:
        act_as(os.environ.get("STEERCO_USER"))


def actor() -> Actor:
    """Who this command acts as: the `--as` user with their own rights, or else the local
    operator, who runs the CLI on the server, owns the database file, and so has every
    right (documented in docs/accounts.md and docs/cli.md)."""
    if not _acting_as:
        return LOCAL
    return cli_principal(app().uow, _acting_as[0])


def parse_day(text: str) -> date:
    """A YYYY-MM-DD argument, or the one-line error every command gives for a bad one."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"not a date: {text[:20]!r}; use YYYY-MM-DD") from None
