"""Alembic environment. Configured in code by `steerco.storage.migrate`: no alembic.ini."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from steerco.storage.db import make_engine, write_engine
from steerco.storage.metadata import metadata

config = context.config
target_metadata = metadata()


def _configure(connection: Connection | None = None, url: str | None = None) -> None:
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=True,
        compare_type=True,
        literal_binds=connection is None,
        # Our SQLite engine emits BEGIN itself, so SQLite DDL is transactional too: a
        # migration that fails half way leaves the schema as it was.
        transactional_ddl=True,
    )


def run_offline() -> None:
    _configure(url=config.get_main_option("sqlalchemy.url"))
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    # Our engine: on SQLite it emits its own BEGIN, so DDL runs inside the transaction and
    # a failed migration leaves nothing half done.
    engine = write_engine(make_engine(url))
    try:
        with engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                # Batch mode rebuilds a table by copy, drop and rename. With foreign keys
                # on, the drop cascades and deletes every row that refers to the table (a
                # resource's profile, a task's assignments). The pragma only takes effect
                # outside a transaction, so it goes straight to the driver, before BEGIN.
                driver = conn.connection.driver_connection
                assert driver is not None
                driver.execute("PRAGMA foreign_keys=OFF")
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    _check_foreign_keys(conn)
    finally:
        engine.dispose()


def _check_foreign_keys(conn: Connection) -> None:
    """With the checks off, a migration could leave a dangling reference: refuse to commit."""
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"migration left {len(broken)} broken reference(s), e.g. {broken[0]}")


if context.is_offline_mode():
    run_offline()
else:
    run_online()
