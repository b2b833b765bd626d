"""Every field of a stored domain class has a column, so a new field cannot be silently
dropped on save (the round-trip property test only sees fields it generates)."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime

import pytest

from steerco.domain import (
    Assignment,
    Calendar,
    CalendarException,
    Dependency,
    Project,
    Resource,
    Task,
    WorkWeek,
)
from steerco.storage import mappers

# Fields stored other than as a column of the same name, and where they go.
TASK_ELSEWHERE = {
    "uid",
    "outline_level",
    "version",
    "duration",
    "constraint",
    "remaining_duration",
    "leveling_delay",
}


def names(cls: type) -> set[str]:
    return {f.name for f in fields(cls)}


def test_task_fields_all_stored() -> None:
    row = mappers.task_row(1, 0, Task(uid=1, name="x"))
    stored = set(row) | TASK_ELSEWHERE
    assert names(Task) <= stored


def test_project_fields_all_stored() -> None:
    row = mappers.project_fields(Project(name="x", key="XX", start=datetime(2026, 1, 1)))
    children = {"tasks", "dependencies", "calendars", "resources", "assignments"}
    assert names(Project) <= set(row) | children | {"work_time", "id", "version"}


@pytest.mark.parametrize(
    ("cls", "row", "elsewhere"),
    [
        (
            Dependency,
            lambda: mappers.dependency_row(1, 0, Dependency(1, 2)),
            {"predecessor", "successor", "lag"},
        ),
        (
            Calendar,
            lambda: mappers.calendar_row(1, 0, Calendar(1, "c")),
            {"exceptions", "work_weeks"},
        ),
        (
            CalendarException,
            lambda: mappers.exception_row(
                1, 0, CalendarException(date(2026, 1, 1), date(2026, 1, 1))
            ),
            {"pattern"},
        ),
        (
            WorkWeek,
            lambda: mappers.work_week_row(
                1, 0, WorkWeek(date(2026, 1, 1), date(2026, 1, 1), Calendar(1, "c").week)
            ),
            set(),
        ),
        (Resource, lambda: mappers.resource_row(1, 0, Resource(1, "r")), {"group"}),
        (Assignment, lambda: mappers.assignment_row(1, 0, Assignment(1, 1, 1)), set()),
    ],
)
def test_child_fields_all_stored(cls: type, row: object, elsewhere: set[str]) -> None:
    assert callable(row)
    assert names(cls) <= set(row()) | elsewhere
