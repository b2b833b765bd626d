"""Links between tasks."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from steerco.domain.duration import Lag
from steerco.domain.errors import ValidationError


class LinkType(str, Enum):
    FS = "FS"
    SS = "SS"
    FF = "FF"
    SF = "SF"


@dataclass(slots=True)
class Dependency:
    """`successor` may not start/finish until `predecessor` starts/finishes, plus `lag`."""

    predecessor: int
    successor: int
    type: LinkType = LinkType.FS
    lag: Lag = field(default_factory=Lag)
    extras: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.predecessor == self.successor:
            raise ValidationError(f"task {self.predecessor} cannot depend on itself")

    @property
    def key(self) -> tuple[int, int]:
        return (self.predecessor, self.successor)
