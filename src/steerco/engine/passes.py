"""Both passes over a Snapshot; see forward.py and backward.py for the rules."""

from __future__ import annotations

from steerco.engine.arith import (
    D_ACTUAL,
    D_CONSTRAINT,
    D_LEVELING,
    D_LINK,
    D_MANUAL,
    D_PARENT,
    D_START,
    D_STATUS,
    Pass,
)
from steerco.engine.backward import Backward
from steerco.engine.forward import Forward

__all__ = [
    "D_ACTUAL",
    "D_CONSTRAINT",
    "D_LEVELING",
    "D_LINK",
    "D_MANUAL",
    "D_PARENT",
    "D_START",
    "D_STATUS",
    "Pass",
    "Passes",
]


class Passes(Forward, Backward):
    """Forward and backward passes for one snapshot (and one status date)."""
