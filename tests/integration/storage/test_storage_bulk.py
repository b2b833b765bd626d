"""Big imports are bulk inserts, and loading a project is a fixed handful of queries."""

from __future__ import annotations

import time
from datetime import date, datetime

import pytest
from sqlalchemy import event

from steerco.domain import (
    Assignment,
    Calendar,
    CalendarException,
    Dependency,
    Project,
    Resource,
    Task,
)
from steerco.storage.uow import SqlUnitOfWorkFactory


def big_project(n: int, key: str = "BIG") -> Project:
    project = Project(name="Big", key=key, start=datetime(2026, 1, 5, 8))
    project.tasks = [
        Task(uid=i, name=f"Task {i}", outline_level=1 if i % 10 == 1 else 2)
        for i in range(1, n + 1)
    ]
    project.dependencies = [Dependency(i, i + 1) for i in range(1, n)]
    project.resources = [Resource(uid=r, name=f"R{r}") for r in range(1, 21)]
    project.assignments = [
        Assignment(uid=i, task_uid=i, resource_uid=i % 20 + 1) for i in range(1, n + 1, 3)
    ]
    for cal in range(2, 6):
        holidays = [CalendarException(date(2026, 12, d), date(2026, 12, d)) for d in (24, 25, 26)]
        project.calendars.append(Calendar(uid=cal, name=f"Cal {cal}", exceptions=holidays))
    return project


def test_get_is_a_fixed_number_of_queries(uow_factory: SqlUnitOfWorkFactory) -> None:
    with uow_factory() as uow:
        uow.projects.add(big_project(300))
        uow.commit()
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(uow_factory.engine, "before_cursor_execute", count)
    try:
        with uow_factory(write=False) as uow:
            project = uow.projects.get("BIG")
    finally:
        event.remove(uow_factory.engine, "before_cursor_execute", count)
    assert len(project.tasks) == 300 and len(project.calendars) == 5
    assert len(statements) <= 10


@pytest.mark.slow
def test_import_of_100k_tasks_takes_seconds(sqlite_database: str) -> None:
    factory = SqlUnitOfWorkFactory.from_url(sqlite_database)
    project = big_project(100_000)
    began = time.perf_counter()
    with factory() as uow:
        uow.projects.add(project)
        uow.commit()
    took = time.perf_counter() - began
    with factory(write=False) as uow:
        [summary] = uow.projects.list()
    factory.dispose()
    assert summary.task_count == 100_000
    # About 3 s on an idle machine; the margin is for a loaded CI runner.
    assert took < 20, f"import of 100,000 tasks took {took:.1f}s"
