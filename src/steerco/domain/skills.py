"""What people can do: skills with levels, certifications with expiry dates, where they work
(a time zone) and what an hour of their time costs; and what a task needs.

Levels run 1 (aware) to 5 (expert), the scale most skills matrices use. A task's need names
a skill or a certification: "python" at level 3, or "AWS" (a certification that must still
be valid when the task finishes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from steerco.domain.errors import ValidationError

MIN_LEVEL, MAX_LEVEL = 1, 5
_NAME = re.compile(r"^[\w .+#/&-]{1,60}$")


def skill_name(text: str) -> str:
    """Skill and certification names compare case-insensitively; stored trimmed."""
    name = " ".join(text.split())
    if not _NAME.match(name):
        raise ValidationError(
            f"not a skill name: {text.strip()[:60]!r}; letters, digits, spaces and .+#/&- only"
        )
    return name


def check_level(level: int) -> int:
    if not MIN_LEVEL <= level <= MAX_LEVEL:
        raise ValidationError(f"skill levels run from {MIN_LEVEL} to {MAX_LEVEL}")
    return level


def check_time_zone(name: str) -> str:
    name = name.strip()
    if name == "":
        return name
    if name not in _zones():
        raise ValidationError(f"unknown time zone {name[:60]!r}; use e.g. Europe/Berlin")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"unknown time zone {name[:60]!r}") from None
    return name


_ZONES: set[str] = set()


def _zones() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


@dataclass(frozen=True, slots=True)
class Skill:
    name: str
    level: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", skill_name(self.name))
        check_level(self.level)


@dataclass(frozen=True, slots=True)
class Certification:
    name: str
    expires: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", skill_name(self.name))

    def valid_on(self, day: date) -> bool:
        return self.expires is None or day <= self.expires


@dataclass(frozen=True, slots=True)
class ResourceProfile:
    """The parts of a resource MS Project has no field for, kept beside it."""

    resource_uid: int
    time_zone: str = ""
    skills: tuple[Skill, ...] = ()
    certifications: tuple[Certification, ...] = ()

    def __post_init__(self) -> None:
        check_time_zone(self.time_zone)
        for listed, what in ((self.skills, "skill"), (self.certifications, "certification")):
            names = [x.name.lower() for x in listed]
            if len(names) != len(set(names)):
                raise ValidationError(f"a {what} is listed twice")

    def level_of(self, name: str) -> int:
        key = name.lower()
        return next((s.level for s in self.skills if s.name.lower() == key), 0)

    def certification(self, name: str) -> Certification | None:
        key = name.lower()
        return next((c for c in self.certifications if c.name.lower() == key), None)


@dataclass(frozen=True, slots=True)
class SkillNeed:
    """A task needs `name` (a skill at `level` or better, or a certification)."""

    task_uid: int
    name: str
    level: int = MIN_LEVEL

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", skill_name(self.name))
        check_level(self.level)
