"""Backup, verified restore and integrity checks.

A restore checks the backup completely before it touches the live database: a truncated
or foreign file is refused with a one-line `ValidationError` and the live data stays as it
was. The replacement itself is atomic: SQLite copies the verified file in with the online
backup API (one write transaction on the live file); PostgreSQL restores the dump with
`pg_restore --single-transaction`, after a trial restore into a scratch database.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Connection, func, select, table, text
from sqlalchemy.engine import URL, make_url

from steerco.domain import ValidationError
from steerco.storage import migrate
from steerco.storage.db import BUSY_TIMEOUT_MS, is_sqlite, make_engine, sqlite_path
from steerco.storage.metadata import metadata

ALEMBIC_TABLE = "alembic_version"


def backup(url: str, path: str | Path) -> Path:
    """Write a consistent copy of the database at `url` to `path`, also while the app runs."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if is_sqlite(url):
        tmp = target.with_name(target.name + ".part")
        tmp.unlink(missing_ok=True)
        with _sqlite(sqlite_path(url)) as live, _sqlite(tmp) as copy:
            live.backup(copy)
            # A backup is one self-contained file, not a WAL database with side files.
            copy.execute("PRAGMA journal_mode=DELETE")
        tmp.replace(target)
        return target
    _run([_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(target), "--dbname", _libpq(url)], url)
    return target


def restore(url: str, path: str | Path) -> dict[str, int]:
    """Replace the database at `url` with the backup at `path`; return its rows per table.

    Raises `ValidationError` (nothing replaced) when the file is not a sound steerco backup.
    """
    source = Path(path)
    if not source.is_file():
        raise ValidationError(f"backup {source} does not exist")
    if is_sqlite(url):
        counts = verify_sqlite_backup(source)
        live_path = sqlite_path(url)
        live_path.parent.mkdir(parents=True, exist_ok=True)
        with _sqlite(source, read_only=True) as verified, _sqlite(live_path) as live:
            live.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            verified.backup(live)
    else:
        counts = _restore_postgres(url, source)
    # A backup from an older steerco is brought up to this one's schema.
    migrate.upgrade(url)
    return counts


def verify_sqlite_backup(path: Path) -> dict[str, int]:
    try:
        with _sqlite(path, read_only=True) as conn:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                raise ValidationError(f"backup {path.name} is damaged: {result[0]}")
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            _require_tables(path, tables)
            _require_revision(path, [r[0] for r in conn.execute(f"SELECT * FROM {ALEMBIC_TABLE}")])
            return {
                t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in _ours(tables)
            }
    except sqlite3.DatabaseError as exc:
        raise ValidationError(f"backup {path.name} is not a steerco database: {exc}") from exc


def integrity_check(url: str) -> list[str]:
    """Problems found in the database at `url`; an empty list means it is sound."""
    problems: list[str] = []
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if is_sqlite(url):
                rows = conn.exec_driver_sql("PRAGMA integrity_check").scalars().all()
                problems += [str(r) for r in rows if r != "ok"]
                for table, rowid, parent, _ in conn.exec_driver_sql("PRAGMA foreign_key_check"):
                    problems.append(f"{table} row {rowid} points to a missing {parent} row")
            at = conn.execute(text(f"SELECT version_num FROM {ALEMBIC_TABLE}")).scalars().all()
            if at != [migrate.head()]:
                problems.append(f"schema is at revision {at}, the code expects {migrate.head()}")
    except Exception as exc:  # any failure to read the database is itself the finding
        problems.append(f"cannot read the database: {exc}")
    finally:
        engine.dispose()
    return problems


# ----- PostgreSQL ------------------------------------------------------------------------------
def _restore_postgres(url: str, source: Path) -> dict[str, int]:
    listing = subprocess.run(
        [_tool("pg_restore"), "--list", str(source)], check=False, capture_output=True, text=True
    )
    if listing.returncode != 0:
        raise ValidationError(f"backup {source.name} is not a PostgreSQL dump: {_first(listing)}")
    live = make_url(url)
    scratch = live.set(database=f"{live.database}_verify_{uuid.uuid4().hex[:8]}")
    with _admin(live) as admin:
        admin.exec_driver_sql(f'CREATE DATABASE "{scratch.database}" TEMPLATE template0')
    try:
        trial = _pg_restore(source, scratch, ["--exit-on-error"])
        if trial.returncode != 0:
            raise ValidationError(f"backup {source.name} does not restore: {_first(trial)}")
        counts = _verify_postgres(source, scratch)
    finally:
        with _admin(live) as admin:
            admin.exec_driver_sql(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)')
    _replace_postgres(source, live)
    return counts


def _replace_postgres(source: Path, live: URL) -> None:
    """Drop every table of the live schema and load the dump, as one transaction: other
    sessions see the old data or the new, never a mix. Dropping all tables (not only
    those in the dump, as `pg_restore --clean` would) lets an older backup replace a
    database that a newer steerco has already migrated; `upgrade` then runs again."""
    engine = make_engine(live)
    try:
        with engine.connect() as conn:
            names = conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            ).scalars()
            drop = ", ".join(f'"{n}"' for n in names)
    finally:
        engine.dispose()
    prelude = f"DROP TABLE IF EXISTS {drop} CASCADE;\n" if drop else ""
    psql = [
        _tool("psql"), "--no-psqlrc", "--quiet", "--single-transaction",
        "-v", "ON_ERROR_STOP=1", "--dbname", _libpq(live), "-c", prelude or "SELECT 1", "-f", "-",
    ]  # fmt: skip
    script = [_tool("pg_restore"), "--no-owner", "--no-privileges", "-f", "-", str(source)]
    with subprocess.Popen(script, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as dump:
        done = subprocess.run(
            psql, stdin=dump.stdout, capture_output=True, text=True, env=_pg_env(live), check=False
        )
    if dump.returncode != 0 or done.returncode != 0:
        raise RuntimeError(
            f"restore into {live.database} failed and was rolled back: {_first(done)}"
        )


def _verify_postgres(source: Path, url: URL) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(
                conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
                ).scalars()
            )
            _require_tables(source, tables)
            revisions = conn.execute(text(f"SELECT version_num FROM {ALEMBIC_TABLE}")).scalars()
            _require_revision(source, list(revisions))
            return {
                t: conn.execute(select(func.count()).select_from(table(t))).scalar_one()
                for t in _ours(tables)
            }
    finally:
        engine.dispose()


def _pg_restore(source: Path, url: URL, options: list[str]) -> subprocess.CompletedProcess[str]:
    cmd = [_tool("pg_restore"), "--no-owner", *options, "--dbname", _libpq(url), str(source)]
    return subprocess.run(cmd, check=False, capture_output=True, text=True, env=_pg_env(url))


@contextlib.contextmanager
def _admin(url: URL) -> Iterator[Connection]:
    """An autocommit engine on the maintenance database: CREATE/DROP DATABASE need one."""
    engine = make_engine(url.set(database="postgres")).execution_options(
        isolation_level="AUTOCOMMIT"
    )
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def _libpq(url: str | URL) -> str:
    """The URL as libpq reads it: no SQLAlchemy driver suffix, no password on the
    command line (where `ps` would show it; it goes in PGPASSWORD instead)."""
    parsed = make_url(url).set(drivername="postgresql", password=None)
    return parsed.render_as_string(hide_password=False)


def _pg_env(url: str | URL) -> dict[str, str]:
    password = make_url(url).password
    return {**os.environ, "PGPASSWORD": str(password)} if password else dict(os.environ)


def _run(cmd: list[str], url: str) -> None:
    result = subprocess.run(cmd, check=False, capture_output=True, text=True, env=_pg_env(url))
    if result.returncode != 0:
        raise RuntimeError(f"{Path(cmd[0]).name} failed: {_first(result)}")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed (it comes with the PostgreSQL client)")
    return found


def _first(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return lines[0] if lines else f"exit status {result.returncode}"


# ----- shared ----------------------------------------------------------------------------------
@contextlib.contextmanager
def _sqlite(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    target = f"file:{path}?mode=ro" if read_only else str(path)
    conn = sqlite3.connect(target, uri=read_only)
    try:
        yield conn
    finally:
        conn.close()


def _ours(present: set[str]) -> list[str]:
    """Our tables in the backup, parents first. An older backup may lack the tables of a
    newer area; the upgrade after the restore creates them."""
    return [t.name for t in metadata().sorted_tables if t.name in present]


# Tables every steerco database has had since its first migration: what makes a file ours.
# Tables of later areas may be missing from an older backup; the upgrade after the restore
# creates them, so requiring them would refuse every backup taken before an upgrade.
_FIRST_TABLES = ("projects", "calendars", "tasks", "dependencies")


def _require_tables(source: Path, tables: set[str]) -> None:
    missing = sorted({*_FIRST_TABLES, ALEMBIC_TABLE} - tables)
    if missing:
        raise ValidationError(f"backup {source.name} is not a steerco database: no {missing[0]}")


def _require_revision(source: Path, revisions: list[str]) -> None:
    if len(revisions) != 1:
        raise ValidationError(f"backup {source.name} has no schema revision")
    if revisions[0] not in migrate.known_revisions():
        raise ValidationError(
            f"backup {source.name} is at schema revision {revisions[0]}, newer than this steerco"
        )
