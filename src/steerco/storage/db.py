"""Database engines: SQLite tuned for one writer behind a web server, or PostgreSQL.

SQLite: the pysqlite driver's own transaction handling is switched off (it starts
transactions late and never for DDL), and a `begin` event emits the BEGIN itself. A write
unit of work begins `BEGIN IMMEDIATE`, so it takes the write lock up front and waits on
the busy timeout instead of failing half way with "database is locked" when it tries to
upgrade a read lock. Read units begin a plain deferred BEGIN and, under WAL, never block
the writer. PostgreSQL gets the same shape: write units queue on one advisory lock,
read units see one snapshot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from steerco.domain import ValidationError

# Execution option a write unit of work sets on its engine to get BEGIN IMMEDIATE.
WRITE_OPTION = "steerco_write"
BUSY_TIMEOUT_MS = 30_000


def is_sqlite(url: str | URL) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str | URL) -> Path:
    """The file behind a SQLite URL. In-memory databases are refused: they cannot be shared
    between the connections of a pool, nor backed up."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise ValidationError("steerco needs a SQLite file, not an in-memory database")
    return Path(database)


def make_engine(url: str | URL, *, echo: bool = False) -> Engine:
    """An engine for `url`: `sqlite:///path/to/file.db` or `postgresql+psycopg://...`."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(parsed, echo=echo, pool_pre_ping=True)
        event.listen(engine, "begin", _postgres_begin)
        return engine
    path = sqlite_path(parsed)
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, echo=echo, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def write_engine(engine: Engine) -> Engine:
    """The same engine and pool, marked so that its transactions take the write lock."""
    return engine.execution_options(**{WRITE_OPTION: True})


def read_engine(engine: Engine) -> Engine:
    """The same engine and pool, for read units: one consistent snapshot per unit, so the
    several queries that load a project see one state of it. SQLite's deferred BEGIN
    under WAL already gives that; PostgreSQL needs REPEATABLE READ."""
    if engine.dialect.name == "sqlite":
        return engine
    return engine.execution_options(isolation_level="REPEATABLE READ")


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # None = autocommit at the driver level: no implicit BEGIN/COMMIT from pysqlite.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before it returns, also in WAL mode (NORMAL may lose
        # the last commits on power loss, which is not acceptable for a plan of record).
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


# Any constant: the key of the one advisory lock that stands for "the write lock".
_PG_WRITE_LOCK = 0x5743_4F00


def _postgres_begin(conn: Connection) -> None:
    # PostgreSQL has no database-wide write lock; this transaction-scoped advisory lock
    # gives write units SQLite's semantics (one writer at a time, queued, released at
    # commit or rollback), so read-modify-write sequences like "shift positions, insert"
    # cannot interleave. Version columns still catch edits made from stale reads.
    if conn.get_execution_options().get(WRITE_OPTION, False):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_WRITE_LOCK})")


def _sqlite_begin(conn: Connection) -> None:
    immediate = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
