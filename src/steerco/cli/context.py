"""Builds the application once per CLI process."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.console import Console

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
