"""Reading what people type into the web app's forms."""

from __future__ import annotations

import math
from datetime import date

from steerco.domain import ValidationError


def items(text: str) -> list[str]:
    """A comma-separated list as typed (`python:4, sql:3`), blanks left out."""
    return [part.strip() for part in text.split(",") if part.strip()]


def day(text: str, what: str) -> date:
    """A YYYY-MM-DD date (what a date input sends); `what` names the field in the error."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(f"{what}: not a date {text[:20]!r}; use YYYY-MM-DD") from None


def amount(text: str, what: str) -> float | None:
    """A money amount (`1,200.50`), or None when left blank."""
    if not text.strip():
        return None
    try:
        value = float(text.replace(",", "").strip())
    except ValueError:
        raise ValidationError(f"{what}: not an amount {text[:20]!r}") from None
    if not math.isfinite(value):
        raise ValidationError(f"{what}: not an amount {text[:20]!r}")
    return value
