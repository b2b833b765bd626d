"""Fixtures for the accounts and audit services on a real database (SQLite and PostgreSQL).

Until the initial migration is regenerated with the accounts tables, they are created here
with `create_all` on top of the migrated database (`checkfirst`: a no-op once they are in
the migration)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Table

from steerco.domain import Project
from steerco.services import accounts
from steerco.storage.accounts_schema import ACCOUNT_TABLES
from steerco.storage.db import make_engine
from steerco.storage.schema import Base
from steerco.storage.uow import SqlUnitOfWorkFactory

T0 = datetime(2026, 11, 22, 9, 0)
PRODUCTION_HASHER = accounts._hasher


@pytest.fixture(autouse=True)
def fast_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with tiny costs: the production profile (64 MiB, 3 passes) makes a matrix of
    a few hundred sign-ins take minutes. The algorithm and code path stay the same."""
    cheap = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", cheap)
    dummy = cheap.hash("dummy password for timing")
    monkeypatch.setattr(accounts, "_dummy_hash", lambda: dummy)


def ensure_account_tables(url: str) -> None:
    engine = make_engine(url)
    try:
        tables: list[Table] = [Base.metadata.tables[name] for name in ACCOUNT_TABLES]
        Base.metadata.create_all(engine, tables=tables, checkfirst=True)
    finally:
        engine.dispose()


@pytest.fixture
def accounts_uow(database_url: str) -> Iterator[SqlUnitOfWorkFactory]:
    ensure_account_tables(database_url)
    factory = SqlUnitOfWorkFactory.from_url(database_url)
    yield factory
    factory.dispose()


@pytest.fixture
def make_project(accounts_uow: SqlUnitOfWorkFactory) -> Callable[[str], int]:
    def make(key: str) -> int:
        with accounts_uow() as uow:
            project = uow.projects.add(Project(name=key.title(), key=key, start=T0))
            uow.commit()
        assert project.id is not None
        return project.id

    return make
