"""Migrations match the row classes, on both backends, and upgrading is idempotent."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from steerco.storage import migrate
from steerco.storage.db import make_engine


def test_check_passes_and_upgrade_is_idempotent(database_url: str) -> None:
    migrate.check(database_url)
    before = migrate.current(database_url)
    migrate.upgrade(database_url)
    migrate.upgrade(database_url)
    assert migrate.current(database_url) == before == migrate.head()
    migrate.check(database_url)


def test_fresh_database_upgrades_from_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nested' / 'dir' / 'new.db'}"
    assert migrate.current(url) is None
    with pytest.raises(migrate.SchemaDrift):
        migrate.check(url)
    migrate.upgrade(url)
    migrate.check(url)


def test_check_catches_drift(database_url: str) -> None:
    # Drift made on the database side: a model change without a migration looks the same.
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_tasks_project_id_position"))
    engine.dispose()
    with pytest.raises(migrate.SchemaDrift, match="ix_tasks_project_id_position"):
        migrate.check(database_url)


def test_sqlite_pragmas(sqlite_database: str) -> None:
    engine = make_engine(sqlite_database)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 30_000
    engine.dispose()


def test_cli_check_without_url_uses_a_scratch_database(capsys: pytest.CaptureFixture[str]) -> None:
    assert migrate.main(["check"]) == 0
    assert "agree" in capsys.readouterr().out


def test_failed_migration_leaves_schema_as_it_was(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DDL is transactional on both backends (on SQLite thanks to our own BEGIN)."""
    import shutil

    from sqlalchemy import inspect

    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts)
    head = migrate.head()
    (scripts / "versions" / "9999_boom.py").write_text(
        f"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("halfway", sa.Column("id", sa.Integer, primary_key=True))
    with op.batch_alter_table("projects") as batch:
        batch.add_column(sa.Column("halfway", sa.Integer))
    raise RuntimeError("boom")


def downgrade():
    pass
"""
    )
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)
    with pytest.raises(RuntimeError, match="boom"):
        migrate.upgrade(database_url)
    assert migrate.current(database_url) == head
    engine = make_engine(database_url)
    with engine.connect() as conn:
        found = inspect(conn)
        assert "halfway" not in found.get_table_names()
        assert "halfway" not in {c["name"] for c in found.get_columns("projects")}
    engine.dispose()


def test_0004_moves_leveling_delays_out_of_extras(database_url: str) -> None:
    """Plans imported before 0004 carried LevelingDelay verbatim in extras; the upgrade makes
    it the task's field (the way the MSPDI reader now reads it), the downgrade puts it back."""

    from alembic import command

    from steerco.domain import Duration, Project, Task, TimeUnit
    from steerco.storage.uow import SqlUnitOfWorkFactory

    kept = "<LevelingDelay>7</LevelingDelay>"  # tenths of a minute: not whole minutes
    factory = SqlUnitOfWorkFactory.from_url(database_url)
    with factory() as uow:
        p = Project(name="Old", key="OLD", start=datetime(2026, 1, 5, 8))
        p.tasks.append(
            Task(
                uid=1,
                name="A",
                extras=[
                    "<Hyperlink>x</Hyperlink>",
                    "<LevelingDelay>28800</LevelingDelay>",
                    "<LevelingDelayFormat>8</LevelingDelayFormat>",
                ],
            )
        )
        p.tasks.append(Task(uid=2, name="B", extras=[kept]))
        uow.projects.add(p)
        uow.commit()
    factory.dispose()
    cfg = migrate.config(database_url)
    command.downgrade(cfg, "0003")
    command.upgrade(cfg, "head")
    factory = SqlUnitOfWorkFactory.from_url(database_url)
    with factory(write=False) as uow:
        a, b = uow.projects.get("OLD").tasks
    assert a.leveling_delay == Duration(2880, TimeUnit.DAY, elapsed=True)
    assert a.extras == ["<Hyperlink>x</Hyperlink>"]
    assert (b.leveling_delay, b.extras) == (None, [kept])
    factory.dispose()
    command.downgrade(cfg, "0003")
    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT extras FROM tasks ORDER BY uid")).scalars().all()
    engine.dispose()
    assert "<LevelingDelay>28800</LevelingDelay>" in rows[0]
    assert "<LevelingDelayFormat>8</LevelingDelayFormat>" in rows[0]
    command.upgrade(cfg, "head")


def test_0008_moves_profile_rates_into_rate_table_a(database_url: str) -> None:
    """A rate set in a profile before 0008 becomes table A's line from the start, unless the
    resource already has one (from an MS Project file); the downgrade puts it back."""
    from alembic import command

    from steerco.domain import CostRate, Project, Resource
    from steerco.storage.uow import SqlUnitOfWorkFactory

    factory = SqlUnitOfWorkFactory.from_url(database_url)
    with factory() as uow:
        p = Project(name="Old", key="OLD", start=datetime(2026, 1, 5, 8))
        p.resources += [
            Resource(1, "Ana"),
            Resource(2, "Bob", rates=(CostRate(standard=70), CostRate(table=1, standard=99))),
            Resource(3, "Cy", rates=(CostRate(effective=datetime(2027, 1, 1), standard=80),)),
        ]
        uow.projects.add(p)
        uow.commit()
    factory.dispose()
    cfg = migrate.config(database_url)
    command.downgrade(cfg, "0007")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        pid = conn.execute(text("SELECT id FROM projects WHERE key = 'OLD'")).scalar()
        for uid, rate in [(1, 95.0), (2, 50.0), (3, 60.0)]:
            conn.execute(
                text(
                    "INSERT INTO resource_profiles (project_id, resource_uid, time_zone, skills,"
                    " certifications, hourly_rate, version) VALUES (:p, :u, '', '[]', '[]', :r, 1)"
                ),
                {"p": pid, "u": uid, "r": rate},
            )
    engine.dispose()
    command.upgrade(cfg, "head")
    migrate.check(database_url)
    factory = SqlUnitOfWorkFactory.from_url(database_url)
    with factory(write=False) as uow:
        ana, bob, cy = uow.projects.get("OLD").resources
    factory.dispose()
    assert ana.rates == (CostRate(standard=95),)
    assert bob.rates == (CostRate(standard=70), CostRate(table=1, standard=99))  # the file's
    assert cy.rates == (
        CostRate(standard=60),
        CostRate(effective=datetime(2027, 1, 1), standard=80),
    )
    command.downgrade(cfg, "0007")
    engine = make_engine(database_url)
    with engine.connect() as conn:
        back = conn.execute(
            text("SELECT resource_uid, hourly_rate FROM resource_profiles ORDER BY resource_uid")
        ).all()
    engine.dispose()
    assert [tuple(r) for r in back] == [(1, 95.0), (2, 70.0), (3, 60.0)]
    command.upgrade(cfg, "head")


def test_0010_can_level_round_trips_and_rebuilds_lose_no_rows(database_url: str) -> None:
    """0010 adds resources.can_level, moving an imported `CanLevel` out of the extras (and
    back on the way down). Going down and up again rebuilds `resources` and `tasks` on SQLite
    (batch mode); the rows that refer to them (a resource's profile, a task's assignments)
    must survive that."""
    from alembic import command

    from steerco.domain import Assignment, Project, Resource, Task
    from steerco.domain.skills import ResourceProfile
    from steerco.storage.uow import SqlUnitOfWorkFactory

    factory = SqlUnitOfWorkFactory.from_url(database_url)
    with factory() as uow:
        p = Project(name="Old", key="OLD", start=datetime(2026, 1, 5, 8))
        p.tasks.append(Task(uid=1, name="Build"))
        p.resources += [
            Resource(1, "Ana"),
            Resource(2, "Room", can_level=False),
            # As 0009 stored an imported resource: the flag verbatim, the column not there.
            Resource(3, "Bo", extras=["<Group>IT</Group>", "<CanLevel>0</CanLevel>"]),
            Resource(4, "Cy", extras=["<CanLevel>maybe</CanLevel>"]),
        ]
        p.assignments.append(Assignment(1, 1, 1))
        uow.projects.add(p)
        assert p.id is not None
        uow.skills.save_profile(p.id, ResourceProfile(1, time_zone="Europe/Berlin"))
        uow.commit()
    factory.dispose()
    cfg = migrate.config(database_url)
    command.downgrade(cfg, "0008")
    engine = make_engine(database_url)
    with engine.begin() as conn:  # a material resource stored before 0010, no flag at all
        conn.execute(
            text(
                "INSERT INTO resources (project_id, uid, position, name, kind, max_units,"
                " initials, group_name, email, extras, rates, version) SELECT id, 5, 4,"
                " 'Paper', 'material', 0, '', '', '', '[]', '[]', 1 FROM projects"
                " WHERE key = 'OLD'"
            )
        )
    engine.dispose()
    command.upgrade(cfg, "head")
    migrate.check(database_url)
    factory = SqlUnitOfWorkFactory.from_url(database_url)
    with factory(write=False) as uow:
        back = uow.projects.get("OLD")
        assert back.id is not None
        profiles = uow.skills.profiles(back.id)
    factory.dispose()
    by_name = {r.name: r for r in back.resources}
    assert [r.can_level for r in back.resources] == [True, False, False, True, False]
    assert by_name["Bo"].extras == ["<Group>IT</Group>"]  # moved into the column
    assert by_name["Cy"].extras == ["<CanLevel>maybe</CanLevel>"]  # not a boolean: verbatim
    assert by_name["Paper"].extras == by_name["Ana"].extras == []  # nothing left behind
    assert [(a.task_uid, a.resource_uid) for a in back.assignments] == [(1, 1)]
    assert [pr.time_zone for pr in profiles.values()] == ["Europe/Berlin"]
