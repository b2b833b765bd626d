"""Backup and verified restore, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from steerco.domain import Dependency, Project, Task, ValidationError
from steerco.storage import backup
from steerco.storage.uow import SqlUnitOfWorkFactory


def _project(key: str, n: int) -> Project:
    project = Project(name=key.title(), key=key, start=datetime(2026, 1, 5, 8))
    for uid in range(1, n + 1):
        project.add_task(Task(uid=uid, name=f"Task {uid}"))
    for uid in range(1, n):
        project.add_dependency(Dependency(uid, uid + 1))
    return project


def _add(factory: SqlUnitOfWorkFactory, project: Project) -> None:
    with factory() as uow:
        uow.projects.add(project)
        uow.commit()


def _keys(factory: SqlUnitOfWorkFactory) -> set[str]:
    with factory(write=False) as uow:
        return uow.projects.keys()


def test_backup_then_restore_brings_back_the_data(
    database_url: str, uow_factory: SqlUnitOfWorkFactory, tmp_path: Path
) -> None:
    original = _project("ALPHA", 20)
    _add(uow_factory, original)
    dump = backup.backup(database_url, tmp_path / "backups" / "steerco.bak")
    assert dump.is_file() and dump.stat().st_size > 0

    # Life goes on after the backup: a change that the restore must undo.
    _add(uow_factory, _project("BETA", 5))
    with uow_factory() as uow:
        uow.projects.delete(uow.projects.get("ALPHA").id or 0)
        uow.commit()

    counts = backup.restore(database_url, dump)
    assert counts["projects"] == 1 and counts["tasks"] == 20 and counts["dependencies"] == 19
    assert _keys(uow_factory) == {"ALPHA"}
    with uow_factory(write=False) as uow:
        assert uow.projects.get("ALPHA") == original
    assert backup.integrity_check(database_url) == []


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign", "missing"])
def test_bad_backup_is_refused_and_nothing_replaced(
    database_url: str, uow_factory: SqlUnitOfWorkFactory, tmp_path: Path, damage: str
) -> None:
    _add(uow_factory, _project("ALPHA", 10))
    bad = tmp_path / "bad.bak"
    if damage == "garbage":
        bad.write_bytes(b"this is not a backup\n" * 500)
    elif damage == "truncated":
        good = backup.backup(database_url, tmp_path / "good.bak")
        bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif damage == "foreign":
        # A sound SQLite database (or dump) that is not steerco's.
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.commit()
        conn.close()
    with pytest.raises(ValidationError) as info:
        backup.restore(database_url, bad)
    assert "\n" not in str(info.value)
    assert _keys(uow_factory) == {"ALPHA"}
    with uow_factory(write=False) as uow:
        assert len(uow.projects.get("ALPHA").tasks) == 10
    assert backup.integrity_check(database_url) == []


def test_sqlite_backup_is_a_single_self_contained_file(
    sqlite_database: str, tmp_path: Path
) -> None:
    dump = backup.backup(sqlite_database, tmp_path / "one.bak")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("one.bak") and p != dump]
    conn = sqlite3.connect(dump)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


def test_integrity_check_reports_an_unmigrated_database(tmp_path: Path) -> None:
    problems = backup.integrity_check(f"sqlite:///{tmp_path / 'empty.db'}")
    assert problems and "cannot read" in problems[0]


def test_restore_replaces_a_database_with_tables_the_backup_lacks(
    database_url: str, uow_factory: SqlUnitOfWorkFactory, tmp_path: Path
) -> None:
    """As after an upgrade that added an area: the whole database goes back to the backup."""
    from sqlalchemy import text

    from steerco.storage.db import make_engine

    _add(uow_factory, _project("ALPHA", 3))
    dump = backup.backup(database_url, tmp_path / "before-upgrade.bak")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE later_area (id INTEGER PRIMARY KEY, project_id INTEGER "
                "REFERENCES projects (id))"
            )
        )
        conn.execute(text("INSERT INTO later_area SELECT 1, id FROM projects"))
    engine.dispose()

    counts = backup.restore(database_url, dump)
    assert counts["tasks"] == 3
    assert _keys(uow_factory) == {"ALPHA"}
    engine = make_engine(database_url)
    with engine.connect() as conn:
        from sqlalchemy import inspect

        assert "later_area" not in inspect(conn).get_table_names()
    engine.dispose()


def test_a_backup_from_before_an_upgrade_restores_and_is_upgraded(tmp_path: Path) -> None:
    """A backup taken at an older schema revision (here 0003, before leveling delays and
    resource profiles) is accepted, restored, and brought to the current schema."""
    from sqlalchemy import inspect

    from steerco.storage import migrate
    from steerco.storage.db import make_engine

    old = f"sqlite:///{tmp_path / 'old.db'}"
    migrate.upgrade(old, "0003")
    dump = backup.backup(old, tmp_path / "old.bak")
    current = f"sqlite:///{tmp_path / 'current.db'}"
    migrate.upgrade(current)
    backup.restore(current, dump)
    assert migrate.current(current) == migrate.head()
    engine = make_engine(current)
    with engine.connect() as conn:
        assert {"resource_profiles", "task_skill_needs"} <= set(inspect(conn).get_table_names())
    engine.dispose()
