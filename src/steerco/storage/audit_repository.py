"""The audit log and instance settings repositories (protocols in
`services.accounts_ports`), on the unit of work's connection like the others."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Table, and_, func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from steerco.domain.audit import AuditEntry, JsonValue, canonical_json
from steerco.storage.accounts_repository import Repo
from steerco.storage.accounts_schema import AuditRow, InstanceSettingRow

audit_log: Table = AuditRow.__table__  # type: ignore[assignment]
instance: Table = InstanceSettingRow.__table__  # type: ignore[assignment]

# Built once: a statement's cache key is then worked out once, not on every append.
_LAST = select(audit_log).order_by(audit_log.c.seq.desc()).limit(1)
_APPEND = insert(audit_log)

# Any constant: PostgreSQL transaction-level advisory lock serialising audit appends.
_AUDIT_LOCK = 0x5743_0A0D


def _load_json(value: str | None) -> JsonValue:
    return None if value is None else json.loads(value)


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        row.seq,
        row.at,
        row.actor,
        row.action,
        row.target,
        _load_json(row.before),
        _load_json(row.after),
        row.prev_hash,
        row.hash,
    )


def _row(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": entry.at,
        "actor": entry.actor,
        "action": entry.action,
        "target": entry.target,
        "before": None if entry.before is None else canonical_json(entry.before),
        "after": None if entry.after is None else canonical_json(entry.after),
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }


def _escape(prefix: str) -> str:
    """`prefix` as a literal LIKE pattern (with ESCAPE '\\')."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlAuditRepository(Repo):
    def __init__(self, session: Session) -> None:
        super().__init__(session)
        # The entry this repository appended last, with its transaction: while that
        # transaction lasts, it holds the write lock (SQLite) or the audit lock (PostgreSQL),
        # so the entry is still the newest, and a batch of edits appends without reading
        # the chain's head back once per entry.
        self._appended: tuple[object, AuditEntry] | None = None

    def last_for_append(self) -> AuditEntry | None:
        transaction = self.session.get_transaction()
        if (
            self._appended is not None
            and transaction is not None
            and self._appended[0] is transaction
        ):
            return self._appended[1]
        connection = self.session.connection()
        if connection.dialect.name == "postgresql":
            # Serialise appenders: two transactions must not both read seq N and write N+1.
            # (On SQLite a write unit already holds the database write lock.)
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _AUDIT_LOCK})
        row = self._execute(_LAST).first()
        return None if row is None else _entry(row)

    def append(self, entry: AuditEntry) -> None:
        self.append_many([entry])

    def append_many(self, entries: Sequence[AuditEntry]) -> None:
        if not entries:
            return
        self._execute(_APPEND, [_row(entry) for entry in entries])
        transaction = self.session.get_transaction()
        # Not inside a savepoint, whose rollback would take the entries away again.
        nested = self.session.in_nested_transaction()
        self._appended = None if nested or transaction is None else (transaction, entries[-1])

    def iter_all(self) -> Iterator[AuditEntry]:
        statement = select(audit_log).order_by(audit_log.c.seq)
        result = self.session.connection().execution_options(yield_per=1000).execute(statement)
        for row in result:
            yield _entry(row)

    def recent(self, limit: int, before_seq: int | None = None) -> Sequence[AuditEntry]:
        statement = select(audit_log).order_by(audit_log.c.seq.desc()).limit(limit)
        if before_seq is not None:
            statement = statement.where(audit_log.c.seq < before_seq)
        return [_entry(r) for r in self._execute(statement)]

    def for_targets(
        self,
        targets: Sequence[str],
        limit: int,
        before_seq: int | None = None,
        since_seq: int | None = None,
        skip_actions: str | None = None,
    ) -> Sequence[AuditEntry]:
        """Entries about any of `targets` or anything under one (`project:7`,
        `project:7/task:3`), newest first, from `since_seq` on, leaving out actions that
        start with `skip_actions`. Targets are fixed prefixes the service builds, never user
        text, and LIKE's wildcards are escaped all the same."""
        column = audit_log.c.target
        sqlite = self.session.connection().dialect.name == "sqlite"
        matches = []
        for target in targets:
            if sqlite:
                # SQLite's LIKE ignores case, so it cannot use the index; its BINARY order
                # puts exactly the strings that start with "T/" in ["T/", "T0"): '0' follows
                # '/'. PostgreSQL's LIKE uses the index (pattern operator class).
                under = and_(column >= target + "/", column < target + "0")
            else:
                under = column.like(_escape(target) + "/%", escape="\\")
            matches += [column == target, under]
        statement = (
            select(audit_log).where(or_(*matches)).order_by(audit_log.c.seq.desc()).limit(limit)
        )
        if before_seq is not None:
            statement = statement.where(audit_log.c.seq < before_seq)
        if since_seq is not None:
            statement = statement.where(audit_log.c.seq >= since_seq)
        if skip_actions is not None:
            statement = statement.where(
                audit_log.c.action.not_like(_escape(skip_actions) + "%", escape="\\")
            )
        return [_entry(r) for r in self._execute(statement)]

    def last_seq(self, target: str, action: str) -> int | None:
        statement = select(func.max(audit_log.c.seq)).where(
            audit_log.c.target == target, audit_log.c.action == action
        )
        value = self._execute(statement).scalar()
        return None if value is None else int(value)


class SqlInstanceSettingsRepository(Repo):
    def get(self, key: str) -> JsonValue:
        row = self._execute(select(instance.c.value).where(instance.c.key == key)).first()
        return None if row is None else _load_json(row.value)

    def set(self, key: str, value: JsonValue) -> None:
        encoded = canonical_json(value)
        statement = update(instance).where(instance.c.key == key).values(value=encoded)
        if self._execute(statement).rowcount == 0:
            self._execute(insert(instance), {"key": key, "value": encoded})
