"""A project's history page: its audit entries (who, when, what, before -> after), newest
first, a page at a time. Read-only, so GET only; anyone who may read the project sees it."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from steerco.domain.audit import AuditEntry
from steerco.services.history import project_history
from steerco.web.deps import CsrfDep, PrincipalDep, UowDep
from steerco.web.render import page

router = APIRouter(include_in_schema=False)

MAX_VALUE = 300  # characters of one before/after value shown; the log keeps all of it


def _text(value: Any) -> str:
    if value is None:
        return "(none)"
    text = (
        value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    )
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE] + "…"


def changes(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) rows: one per changed key when the values are objects, else
    one row for the whole value. Escaping is the template's job (autoescape)."""
    before, after = entry.before, entry.after
    if before is None and after is None:
        return []
    if isinstance(before, dict | None) and isinstance(after, dict | None):
        b, a = before or {}, after or {}
        keys = sorted(set(b) | set(a))
        changed = [k for k in keys if b.get(k) != a.get(k)] or keys
        return [(k, _text(b.get(k)), _text(a.get(k))) for k in changed]
    return [("", _text(before), _text(after))]


@router.get("/projects/{key}/history", response_class=HTMLResponse)
def history(
    request: Request,
    key: str,
    uow: UowDep,
    who: PrincipalDep,
    csrf: CsrfDep,
    before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> HTMLResponse:
    found = project_history(uow, who, key, before_seq=before)
    rows = [(e, changes(e)) for e in found.entries]
    return page(
        request,
        "history.html",
        project=found.project,
        rows=rows,
        older=found.older,
        paged=before is not None,
        csrf=csrf,
    )
