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


def test_bulk_insert_stores_what_core_insert_stores(sqlite_database: str) -> None:
    """`add` hands SQLite pre-converted tuples; the stored text must be byte for byte what
    SQLAlchemy's bind processors write, or SQL comparisons against bound datetimes break."""
    from sqlalchemy import insert, text

    from steerco.storage import mappers
    from steerco.storage.repository import tasks

    factory = SqlUnitOfWorkFactory.from_url(sqlite_database)
    project = big_project(3, key="FAST")
    project.tasks[0].start = datetime(2026, 1, 5, 8, 0, 0)
    project.tasks[0].finish = datetime(2026, 1, 5, 17, 30, 15, 250)
    project.tasks[0].deadline = datetime(999, 1, 2, 3, 4, 5)
    project.tasks[0].extras = ['<Hyperlink>a "b" é\\</Hyperlink>']
    with factory() as uow:
        uow.projects.add(project)
        uow.commit()
    columns = "start, finish, deadline, milestone, extras, duration_minutes"
    with factory() as uow:
        conn = uow.session.connection()
        fast = conn.execute(text(f"SELECT {columns} FROM tasks ORDER BY uid")).all()
        conn.execute(text("DELETE FROM tasks"))
        pid = project.id
        assert pid is not None
        rows = [mappers.task_row(pid, i, t) for i, t in enumerate(project.tasks)]
        conn.execute(insert(tasks), rows)
        core = conn.execute(text(f"SELECT {columns} FROM tasks ORDER BY uid")).all()
        uow.rollback()
    factory.dispose()
    assert fast == core
    assert fast[0][1] == "2026-01-05 17:30:15.000250"
