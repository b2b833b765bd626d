"""Audit entries for changes to a project's plan: who changed which task, from what to what.

Recorded inside the change's own unit of work (so an entry lands with its change or not at
all) under `project:ID/task:UID`, next to the project's own entries (`project:ID`) and its
membership changes (`project:ID/user:UID`), so a project's history is one prefix."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from steerco.domain import Dependency, Project, Task
from steerco.domain.links import format_link
from steerco.services import audit
from steerco.services.accounts import Actor, actor_name
from steerco.services.ports import UnitOfWork
from steerco.services.task_edits import format_splits


def record(
    uow: UnitOfWork,
    actor: Actor,
    project_id: int,
    action: str,
    uid: int | None = None,
    *,
    before: Any = None,
    after: Any = None,
) -> None:
    p = pending(actor, project_id, action, uid, before=before, after=after)
    audit.record(
        uow,
        actor=p.actor,
        action=p.action,
        target=p.target,
        now=p.now,
        before=p.before,
        after=p.after,
    )


def task_created(uow: UnitOfWork, actor: Actor, project: Project, task: Task) -> None:
    """The entry for a new task, with what it was created with."""
    assert project.id is not None
    after = task_fields(project, task, ("name", "duration", "predecessors"))
    record(uow, actor, project.id, "task.created", task.uid, after=after)


def pending(
    actor: Actor,
    project_id: int,
    action: str,
    uid: int | None = None,
    *,
    before: Any = None,
    after: Any = None,
) -> audit.Pending:
    """`record`'s entry, to be written later with others by `audit.record_all`."""
    target = f"project:{project_id}" + (f"/task:{uid}" if uid is not None else "")
    return audit.Pending(actor_name(actor), action, target, datetime.now(UTC), before, after)


def predecessors(project: Project, uid: int) -> str:
    """A task's incoming links as MS Project types them: `3,5FS+2d`."""
    return ",".join(
        format_link(str(d.predecessor), d.type, d.lag, project.work_time)
        for d in project.dependencies
        if d.successor == uid
    )


def link_text(project: Project, dep: Dependency) -> str:
    return f"{dep.predecessor}->{dep.successor} " + format_link(
        str(dep.predecessor), dep.type, dep.lag, project.work_time
    )


def task_fields(project: Project, task: Task, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of a task as people read them (durations as typed, not minutes)."""
    out: dict[str, Any] = {}
    for name in names:
        if name == "duration":
            out[name] = task.duration.format(project.work_time)
        elif name == "predecessors":
            out[name] = predecessors(project, task.uid)
        elif name == "splits":
            out[name] = format_splits(task.splits, project.work_time)
        else:
            out[name] = getattr(task, name)
    return out
