"""The audit log: append a chained entry inside the caller's unit of work; verify the chain.

`record` is called inside the same transaction as the change it describes, so an audited
change and its entry land together or not at all.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from steerco.domain import PermissionDenied
from steerco.domain.accounts import (
    AuthenticationFailed,
    HiddenProject,
    Principal,
    ProjectDenied,
    Scope,
    utc_naive,
)
from steerco.domain.audit import GENESIS, AuditEntry, AuditHead, next_entry, verify_chain
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory


def record(
    uow: UnitOfWork,
    *,
    actor: str,
    action: str,
    target: str,
    now: datetime,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Append an entry chained to the newest one. Secret-looking keys of `before`/`after`
    are redacted by the domain before hashing. The caller commits."""
    previous = uow.audit.last_for_append()
    entry = next_entry(
        previous,
        at=utc_naive(now),
        actor=actor,
        action=action,
        target=target,
        before=before,
        after=after,
    )
    uow.audit.append(entry)
    return entry


@dataclass(frozen=True, slots=True)
class Pending:
    """An entry to record: `record`'s arguments, kept for `record_all`."""

    actor: str
    action: str
    target: str
    now: datetime
    before: Any = None
    after: Any = None


def record_all(uow: UnitOfWork, pending: Sequence[Pending]) -> list[AuditEntry]:
    """`record` for several entries: chained in order, written in one statement (a batch
    of edits appends one entry per edit). The caller commits."""
    if not pending:
        return []
    previous = uow.audit.last_for_append()
    entries = []
    for p in pending:
        previous = next_entry(
            previous,
            at=utc_naive(p.now),
            actor=p.actor,
            action=p.action,
            target=p.target,
            before=p.before,
            after=p.after,
        )
        entries.append(previous)
    uow.audit.append_many(entries)
    return entries


def record_now(
    uow_factory: UnitOfWorkFactory,
    *,
    actor: str,
    action: str,
    target: str,
    now: datetime,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Record in a unit of its own: for events whose own transaction rolls back, such as a
    failed sign-in or a permission denial, which must be logged all the same."""
    with uow_factory() as uow:
        entry = record(
            uow, actor=actor, action=action, target=target, now=now, before=before, after=after
        )
        uow.commit()
    return entry


def record_denial(
    uow_factory: UnitOfWorkFactory, principal: Principal | None, what: str, now: datetime
) -> None:
    """Log a permission denial (ASVS: denials are audited). Adapters call this from the one
    place that maps PermissionDenied to 403."""
    actor = principal.email if principal else "anonymous"
    record_now(uow_factory, actor=actor, action="auth.denied", target=what[:200], now=now)


@contextmanager
def denials_audited(uow_factory: UnitOfWorkFactory, actor: str, what: str) -> Iterator[None]:
    """Wrap a use case's unit of work: a permission denial raised inside (a role or scope
    that falls short, or a project hidden from the caller) is recorded in a unit of its own
    once the refused one has rolled back, then raised on. The clock is read here, at the
    moment of the denial, so that no use case needs a `now` just for this."""
    try:
        yield
    except (PermissionDenied, HiddenProject) as exc:
        if isinstance(exc, AuthenticationFailed):
            raise  # not signed in: the sign-in service logs its own failures
        reason = "not a member" if isinstance(exc, HiddenProject) else str(exc)
        target = what
        if isinstance(exc, HiddenProject | ProjectDenied):
            target = f"project:{exc.project_id}"  # a project's history finds it there
        record_now(
            uow_factory,
            actor=actor,
            action="auth.denied",
            target=target[:200],
            now=datetime.now(UTC),
            after={"asked": what[:200], "reason": reason[:200]},
        )
        raise


@dataclass(frozen=True, slots=True)
class AuditVerdict:
    count: int
    first_bad: int | None  # the seq of the first altered entry, None if the chain is intact
    head: AuditHead


def verify(uow_factory: UnitOfWorkFactory) -> AuditVerdict:
    """Walk the whole chain once, streaming, and name the first entry that does not hold.
    `count` is the number of entries that verified before the first bad one (all, if none)."""
    count, head_hash = 0, GENESIS

    def counted(entries: Iterator[AuditEntry]) -> Iterator[AuditEntry]:
        nonlocal count, head_hash
        for entry in entries:
            yield entry
            # Reached only when verify_chain asks for the next entry: this one held.
            count, head_hash = count + 1, entry.hash

    with uow_factory(write=False) as uow:
        first_bad = verify_chain(counted(uow.audit.iter_all()))
    return AuditVerdict(count, first_bad, AuditHead(count, head_hash))


def recent(
    uow_factory: UnitOfWorkFactory,
    principal: Principal,
    *,
    limit: int = 100,
    before_seq: int | None = None,
) -> Sequence[AuditEntry]:
    """The newest entries, for instance admins only."""
    if not (principal.is_admin and principal.has_scope(Scope.ADMIN)):
        raise PermissionDenied("only an administrator may read the audit log")
    with uow_factory(write=False) as uow:
        return uow.audit.recent(max(1, min(limit, 1000)), before_seq)


def project_target(project_id: int) -> str:
    """The audit target of a project; entries about its parts extend it with `/...`
    (`project:7/user:3`, `project:7/calendar:2`). The id, never the key: a key is freed when
    its project is deleted and may be given to a new one, which must not inherit the old
    project's history."""
    return f"project:{project_id}"


# Recorded when a project is created or imported (services.projects); see `for_project`.
PROJECT_CREATED = "project.created"


def for_project(
    uow: UnitOfWork, project_id: int, *, limit: int = 50, before_seq: int | None = None
) -> Sequence[AuditEntry]:
    """A project's entries, newest first, inside the caller's unit of work. No permission
    check here: the caller has already made one (see `services.history`).

    Only entries from the project's newest `project.created` on: SQLite gives a deleted
    project's id to the next project created, and the new project must not show (to its own
    viewers) what happened to the old one. Sign-in and denial entries (`auth.*`) stay out:
    they name people outside the project, and belong to the administrators' log."""
    target = project_target(project_id)
    since = uow.audit.last_seq(target, PROJECT_CREATED)
    return uow.audit.for_targets(
        (target,), max(1, min(limit, 500)), before_seq, since, skip_actions="auth."
    )
