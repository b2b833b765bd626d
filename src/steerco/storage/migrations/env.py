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
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
