"""Read models that cross the storage boundary: a project's listing row and the dates a
reschedule writes back. They live here, not in `services.ports`, because `storage` sits
below `services` in the layer contract and must be able to build them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ProjectSummary:
    id: int
    key: str
    name: str
    start: datetime
    finish: datetime | None
    methodology: str
    task_count: int
    version: int


@dataclass(frozen=True, slots=True)
class ScheduledDates:
    """What a reschedule writes back to a stored task."""

    uid: int
    start: datetime | None
    finish: datetime | None
