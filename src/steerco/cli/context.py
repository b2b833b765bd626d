"""Builds the application once per CLI process, and says who the CLI acts as."""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache

from rich.console import Console

from steerco.bootstrap import App, build
from steerco.services.accounts import LOCAL, Actor, cli_principal

console = Console(highlight=False, soft_wrap=True)


@lru_cache(maxsize=1)
def app() -> App:
    return build()


def today() -> date:
    return date.today()


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
