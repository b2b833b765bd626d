"""Reading what people type into the web app's forms."""

from __future__ import annotations


def items(text: str) -> list[str]:
    """A comma-separated list as typed (`python:4, sql:3`), blanks left out."""
    return [part.strip() for part in text.split(",") if part.strip()]
