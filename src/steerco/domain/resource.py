"""Resources and their assignments to tasks. Issue 7 grows this; MSPDI import fills it now."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from steerco.domain.errors import ValidationError


class ResourceKind(str, Enum):
    WORK = "work"
    MATERIAL = "material"
    COST = "cost"


@dataclass(slots=True)
class Resource:
    uid: int
    name: str
    kind: ResourceKind = ResourceKind.WORK
    max_units: float = 1.0
    calendar_uid: int | None = None
    initials: str = ""
    group: str = ""
    email: str = ""
    extras: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.max_units < 0:
            raise ValidationError(f"resource {self.name!r}: max units cannot be negative")


@dataclass(slots=True)
class Assignment:
    uid: int
    task_uid: int
    resource_uid: int
    units: float = 1.0
    work_minutes: int | None = None
    extras: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.units < 0:
            raise ValidationError("assignment units cannot be negative")
