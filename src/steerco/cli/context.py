"""Builds the application once per CLI process."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from rich.console import Console

from steerco.bootstrap import App, build

console = Console(highlight=False, soft_wrap=True)


@lru_cache(maxsize=1)
def app() -> App:
    return build()


def today() -> date:
    return date.today()
