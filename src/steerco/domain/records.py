"""Read models that cross the storage boundary: a project's listing row and the dates a
reschedule writes back. They live here, not in `services.ports`, because `storage` sits
below `services` in the layer contract and must be able to build them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from steerco.domain.dependency import Dependency
from steerco.domain.duration import Duration, WorkTime


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
    # Renewed by every write to the project (0: never stamped); what read caches key on.
    revision: int = 0


@dataclass(frozen=True, slots=True)
class ScheduledDates:
    """What a reschedule writes back to a stored task."""

    uid: int
    start: datetime | None
    finish: datetime | None


class TaskLine(NamedTuple):
    """One row of a task listing: only what the grid and the API list show (a read model,
    built straight from stored rows without loading the whole project)."""

    uid: int
    name: str
    outline_level: int
    summary: bool
    milestone: bool
    duration: Duration
    start: datetime | None
    finish: datetime | None
    percent_complete: int
    constraint: str
    constraint_date: datetime | None
    deadline: datetime | None
    notes: str
    version: int
    splits: tuple[tuple[int, int], ...] = ()  # see Task.splits


@dataclass(frozen=True, slots=True)
class TaskListing:
    """A project's WBS rows in order, with its links (for the predecessor column)."""

    project_id: int
    key: str
    work_time: WorkTime
    tasks: list[TaskLine]
    links: list[Dependency]


@dataclass(frozen=True, slots=True)
class ProjectStamp:
    """A project's id and its revision: a random stamp every write renews (0: never stamped)."""

    id: int
    key: str
    revision: int
