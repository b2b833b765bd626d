"""The audit service: entries land with the change they describe, and tampering with a
stored row makes `verify` name that row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from steerco.domain import PermissionDenied
from steerco.domain.accounts import Principal, Scope
from steerco.services import audit
from steerco.storage.uow import SqlUnitOfWorkFactory
from tests.integration.services.conftest import T0


def seed(uow_factory: SqlUnitOfWorkFactory, n: int = 5) -> None:
    for i in range(n):
        with uow_factory() as uow:
            audit.record(
                uow,
                actor="cli",
                action="user.created",
                target=f"user:{i + 1}",
                now=T0 + timedelta(seconds=i),
                after={"email": f"u{i}@example.org", "password": "never stored!"},
            )
            uow.commit()


def test_empty_and_intact_chains(accounts_uow: SqlUnitOfWorkFactory) -> None:
    assert audit.verify(accounts_uow).count == 0
    seed(accounts_uow)
    verdict = audit.verify(accounts_uow)
    assert (verdict.count, verdict.first_bad) == (5, None)
    with accounts_uow(write=False) as uow:
        rows = uow.session.execute(
            text("SELECT seq, after, hash FROM audit_log ORDER BY seq")
        ).all()
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert verdict.head.hash == rows[-1].hash
    assert "never stored" not in str(rows)


def test_entry_rolls_back_with_its_unit(accounts_uow: SqlUnitOfWorkFactory) -> None:
    seed(accounts_uow, 2)
    with accounts_uow() as uow:
        audit.record(uow, actor="cli", action="x", target="y", now=T0)
    seed(accounts_uow, 1)
    verdict = audit.verify(accounts_uow)
    assert (verdict.count, verdict.first_bad) == (3, None)


@pytest.mark.parametrize(
    ("statement", "bad", "intact"),
    [
        ('UPDATE audit_log SET after = \'{"email":"mallory@example.org"}\' WHERE seq = 3', 3, 2),
        ("UPDATE audit_log SET actor = 'someone' WHERE seq = 2", 2, 1),
        ("UPDATE audit_log SET action = 'user.deleted' WHERE seq = 5", 5, 4),
        ("UPDATE audit_log SET at = at + INTERVAL '1 hour' WHERE seq = 4", 4, 3),
        ("UPDATE audit_log SET hash = prev_hash WHERE seq = 1", 1, 0),
        ("DELETE FROM audit_log WHERE seq = 3", 4, 2),
        ("DELETE FROM audit_log WHERE seq = 1", 2, 0),
        ("UPDATE audit_log SET seq = seq + 10 WHERE seq = 5", 15, 4),
    ],
)
def test_tampering_names_the_altered_entry(
    accounts_uow: SqlUnitOfWorkFactory, statement: str, bad: int, intact: int
) -> None:
    seed(accounts_uow)
    with accounts_uow() as uow:
        if uow.session.get_bind().dialect.name == "sqlite":
            statement = statement.replace("at + INTERVAL '1 hour'", "datetime(at, '+1 hour')")
        uow.session.execute(text(statement))
        uow.commit()
    verdict = audit.verify(accounts_uow)
    assert (verdict.first_bad, verdict.count) == (bad, intact)


def test_recent_is_for_admins(accounts_uow: SqlUnitOfWorkFactory) -> None:
    seed(accounts_uow, 3)
    admin = Principal(1, "root@example.org", True, frozenset(Scope), "session")
    assert [e.seq for e in audit.recent(accounts_uow, admin, limit=2)] == [3, 2]
    assert [e.seq for e in audit.recent(accounts_uow, admin, before_seq=2)] == [1]
    for p in (
        Principal(2, "a@example.org", False, frozenset(Scope), "session"),
        Principal(1, "root@example.org", True, frozenset({Scope.READ}), "token"),
    ):
        with pytest.raises(PermissionDenied):
            audit.recent(accounts_uow, p)


def test_denials_are_recorded(accounts_uow: SqlUnitOfWorkFactory) -> None:
    p = Principal(2, "a@example.org", False, frozenset({Scope.READ}), "token")
    audit.record_denial(accounts_uow, p, "PATCH /api/projects/7", T0)
    audit.record_denial(accounts_uow, None, "GET /admin", T0)
    with accounts_uow(write=False) as uow:
        rows = uow.session.execute(text("SELECT actor, action, target FROM audit_log")).all()
    assert [tuple(r) for r in rows] == [
        ("a@example.org", "auth.denied", "PATCH /api/projects/7"),
        ("anonymous", "auth.denied", "GET /admin"),
    ]


def test_concurrent_appends_keep_one_chain(accounts_uow: SqlUnitOfWorkFactory) -> None:
    """Writers in parallel threads: the append lock (BEGIN IMMEDIATE on SQLite, an advisory
    lock on PostgreSQL) must keep seq gap-free and every link intact."""
    from concurrent.futures import ThreadPoolExecutor

    def write(i: int) -> None:
        with accounts_uow() as uow:
            audit.record(uow, actor=f"w{i}", action="test.concurrent", target="x", now=T0)
            uow.commit()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, range(20)))
    verdict = audit.verify(accounts_uow)
    assert (verdict.count, verdict.first_bad) == (20, None)
