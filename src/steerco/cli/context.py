"""Builds the application once per CLI process."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.console import Console

if TYPE_CHECKING:
    from steerco.bootstrap import App

console = Console(highlight=False, soft_wrap=True)


@lru_cache(maxsize=1)
def app() -> App:
    # Imported here: the database layer is not loaded by commands that never open it.
    from steerco.bootstrap import build

    return build()


def today() -> date:
    return date.today()
