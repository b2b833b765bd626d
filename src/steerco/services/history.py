"""A project's history: its audit entries, newest first, a page at a time, for anyone who
may read the project (viewers included: the history is part of what a stakeholder reads).

The permission check is the same `access.check(..., PROJECT_READ)` every project read goes
through, so someone outside the project gets the same NotFound as for a missing one."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from steerco.domain import Project
from steerco.domain.audit import AuditEntry
from steerco.services import access, audit
from steerco.services.access import Action
from steerco.services.accounts import Actor
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
    with (
        access.denials_audited(uow_factory, actor, f"project:{key} history"),
        uow_factory(write=False) as uow,
    ):
        found = access.check(uow, actor, key, Action.PROJECT_READ)
        project = uow.projects.get(found.key)
        # One more than a page tells whether an older page exists without a count query.
        rows = audit.for_project(uow, found.project_id, limit=limit + 1, before_seq=before_seq)
    entries = rows[:limit]
    older = entries[-1].seq if len(rows) > limit else None
    return HistoryPage(project, entries, older)
