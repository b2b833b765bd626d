"""Changes to projects and tasks land in the audit log with who, what, before and after,
filed under the project (`project:ID...`), in the same unit as the change; a refused change
leaves no change entry; the chain stays intact."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from steerco.domain import Conflict
from steerco.domain.accounts import Principal, Scope, implied_scopes
from steerco.services import accounts, audit, planning, projects
from steerco.services.accounts import LOCAL
from steerco.services.tasks import NewTask
from steerco.storage.uow import SqlUnitOfWorkFactory
from tests.integration.services.conftest import T0

PASSWORD = "a long and honest passphrase"


def entries(uow_factory: SqlUnitOfWorkFactory) -> list[tuple[str, str, str, Any, Any]]:
    with uow_factory(write=False) as uow:
        return [
            (e.actor, e.action, e.target, e.before, e.after)
            for e in reversed(uow.audit.recent(1000, None))
        ]


def test_plan_changes_are_audited(accounts_uow: SqlUnitOfWorkFactory) -> None:
    user = accounts.create_user(accounts_uow, "pm@example.org", PASSWORD, now=T0)
    pm = Principal(user.id, user.email, False, implied_scopes(Scope.WRITE), "session")
    project = projects.create_project(
        accounts_uow, "Plan", key="PLAN", actor=pm, today=date(2026, 11, 23)
    )
    pid = project.id
    start = len(entries(accounts_uow))
    design = planning.create_task(
        accounts_uow, "PLAN", NewTask(name="Design", duration="2d"), actor=pm
    ).task
    build = planning.create_task(
        accounts_uow, "PLAN", NewTask(name="Build"), actor=pm, predecessors="1"
    ).task
    done = planning.update_task(
        accounts_uow,
        "PLAN",
        design.uid,
        planning.TaskChanges(duration="3d"),
        actor=pm,
        version=design.version,
    )  # the cached fast path
    planning.update_task(
        accounts_uow,
        "PLAN",
        design.uid,
        planning.TaskChanges(name="Design v2"),
        actor=pm,
        version=done.task.version,
    )
    with pytest.raises(Conflict):  # stale: refused, and no entry
        planning.update_task(
            accounts_uow, "PLAN", design.uid, planning.TaskChanges(name="Lost"), actor=pm, version=0
        )
    planning.unlink(accounts_uow, "PLAN", design.uid, build.uid, actor=LOCAL)
    planning.link(accounts_uow, "PLAN", str(design.uid), str(build.uid), lag="1d", actor=pm)
    milestone = planning.create_task(
        accounts_uow, "PLAN", NewTask(name="Go", duration="0d", milestone=True), actor=pm
    ).task
    planning.update_task(
        accounts_uow,
        "PLAN",
        milestone.uid,
        planning.TaskChanges(percent_complete=100),
        actor=pm,
        version=milestone.version,
    )
    planning.delete_task(accounts_uow, "PLAN", build.uid, actor=pm)
    projects.update_project(accounts_uow, "PLAN", projects.ProjectFields(name="Plan B"), actor=pm)
    log = entries(accounts_uow)[start:]
    task = f"project:{pid}/task:"
    assert [(a, act, t) for a, act, t, _, _ in log] == [
        ("pm@example.org", "task.created", f"{task}{design.uid}"),
        ("pm@example.org", "task.created", f"{task}{build.uid}"),
        ("pm@example.org", "task.updated", f"{task}{design.uid}"),
        ("pm@example.org", "task.updated", f"{task}{design.uid}"),
        ("cli", "link.removed", f"{task}{build.uid}"),
        ("pm@example.org", "link.added", f"{task}{build.uid}"),
        ("pm@example.org", "task.created", f"{task}{milestone.uid}"),
        ("pm@example.org", "task.updated", f"{task}{milestone.uid}"),
        ("pm@example.org", "milestone.completed", f"{task}{milestone.uid}"),
        ("pm@example.org", "task.deleted", f"{task}{build.uid}"),
        ("pm@example.org", "project.updated", f"project:{pid}"),
    ]
    assert log[1][4] == {"name": "Build", "duration": "1d", "predecessors": "1"}
    assert (log[2][3], log[2][4]) == ({"duration": "2d"}, {"duration": "3d"})
    assert (log[3][3], log[3][4]) == ({"name": "Design"}, {"name": "Design v2"})
    assert log[5][4] == {"link": "1->2 1FS+1d"}
    assert (log[10][3], log[10][4]) == ({"name": "Plan"}, {"name": "Plan B"})
    verdict = audit.verify(accounts_uow)
    assert verdict.first_bad is None
