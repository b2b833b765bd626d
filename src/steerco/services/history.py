"""A project's history: its audit entries, newest first, a page at a time, for anyone who
may read the project (viewers included: the history is part of what a stakeholder reads).

The permission check is the same `authorize(..., PROJECT_READ)` every project read goes
through, so someone outside the project gets the same NotFound as for a missing one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from steerco.domain import NotFound, Project
from steerco.domain.accounts import Action
from steerco.domain.audit import AuditEntry
from steerco.services import audit
from steerco.services.accounts import Actor
from steerco.services.accounts_members import authorize
from steerco.services.ports import UnitOfWorkFactory

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class HistoryPage:
    project: Project  # for the page's title and tabs
    entries: Sequence[AuditEntry]
    # The `before` of the next (older) page; None on the last page.
    older: int | None


def project_history(
    uow_factory: UnitOfWorkFactory,
    actor: Actor,
    key: str,
    *,
    before_seq: int | None = None,
    limit: int = PAGE_SIZE,
) -> HistoryPage:
    limit = max(1, min(limit, 500))
    with uow_factory(write=False) as uow:
        stamp = uow.projects.stamp_of(key.upper())
        try:
            authorize(uow, actor, stamp.id, Action.PROJECT_READ)
        except NotFound:
            # Word it exactly as a missing key is worded, so the answer tells nothing.
            raise NotFound(f"no project {key.upper()}") from None
        project = uow.projects.get(stamp.key)
        # One more than a page tells whether an older page exists without a count query.
        rows = audit.for_project(uow, stamp.id, limit=limit + 1, before_seq=before_seq)
    entries = rows[:limit]
    older = entries[-1].seq if len(rows) > limit else None
    return HistoryPage(project, entries, older)
