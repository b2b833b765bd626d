"""A project's history: its own audit entries only (never a neighbour whose id shares a
prefix), newest first, paged; readable by every member, hidden from outsiders like the
project itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import event

from steerco.domain import NotFound
from steerco.domain.accounts import Principal, Role, Scope, implied_scopes
from steerco.services import accounts, audit
from steerco.services import accounts_members as members
from steerco.services.accounts import LOCAL, LocalOperator
from steerco.services.history import project_history
from steerco.storage.uow import SqlUnitOfWorkFactory
from tests.integration.services.conftest import T0


def _record(
    uow_factory: SqlUnitOfWorkFactory, target: str, n: int, action: str = "task.updated"
) -> None:
    with uow_factory() as uow:
        for i in range(n):
            audit.record(
                uow,
                actor="pm@example.org",
                action=action,
                target=target,
                now=T0 + timedelta(minutes=i),
                before={"name": f"v{i}"},
                after={"name": f"v{i + 1}"},
            )
        uow.commit()


def _ids(make_project: Callable[[str], int], count: int) -> list[int]:
    return [make_project(f"P{n:02d}") for n in range(count)]


def test_only_this_projects_entries_newest_first(
    accounts_uow: SqlUnitOfWorkFactory, make_project: Callable[[str], int]
) -> None:
    ids = _ids(make_project, 11)  # ids 1 and 10 (or 11): "project:1" is a prefix of both
    first, tenth = ids[0], ids[9]
    _record(accounts_uow, f"project:{first}", 2, "project.updated")
    _record(accounts_uow, f"project:{first}/task:3", 3)
    _record(accounts_uow, f"project:{tenth}/task:1", 4)
    _record(accounts_uow, f"project:{first}0", 1)  # a prefix neighbour written by hand
    _record(accounts_uow, "user:1", 2)
    page = project_history(accounts_uow, LOCAL, "P00")
    assert [e.target for e in page.entries] == [f"project:{first}/task:3"] * 3 + [
        f"project:{first}"
    ] * 2
    seqs = [e.seq for e in page.entries]
    assert seqs == sorted(seqs, reverse=True) and page.older is None
    assert page.project.key == "P00"


def test_like_wildcards_in_a_target_match_nothing_extra(
    accounts_uow: SqlUnitOfWorkFactory, make_project: Callable[[str], int]
) -> None:
    make_project("AA")
    _record(accounts_uow, "project_1/x", 1)
    _record(accounts_uow, "projectX1/x", 1)
    with accounts_uow(write=False) as uow:
        assert [e.target for e in uow.audit.for_targets(["project_1"], 10)] == ["project_1/x"]
        assert uow.audit.for_targets(["project%"], 10) == []


def test_pages_cover_every_entry_once(
    accounts_uow: SqlUnitOfWorkFactory, make_project: Callable[[str], int]
) -> None:
    pid = make_project("PAGED")
    _record(accounts_uow, f"project:{pid}/task:1", 23)
    seen: list[int] = []
    before = None
    for _ in range(5):
        page = project_history(accounts_uow, LOCAL, "paged", before_seq=before, limit=10)
        seen += [e.seq for e in page.entries]
        if page.older is None:
            break
        before = page.older
    assert len(seen) == 23 and seen == sorted(set(seen), reverse=True)


def _principal(uow_factory: SqlUnitOfWorkFactory, name: str) -> Principal:
    user = accounts.create_user(uow_factory, f"{name}@example.org", "correct horse battery", now=T0)
    return Principal(user.id, user.email, False, implied_scopes(Scope.READ), "session")


@pytest.mark.parametrize("role", list(Role))
def test_every_member_reads_it_and_an_outsider_gets_not_found(
    accounts_uow: SqlUnitOfWorkFactory, make_project: Callable[[str], int], role: Role
) -> None:
    pid = make_project("SECRET")
    reader, outsider = _principal(accounts_uow, "reader"), _principal(accounts_uow, "outsider")
    with accounts_uow() as uow:
        uow.members.add(pid, reader.user_id, role)
        uow.commit()
    _record(accounts_uow, f"project:{pid}/task:1", 2)
    assert len(project_history(accounts_uow, reader, "SECRET").entries) == 2
    with pytest.raises(NotFound) as hidden:
        project_history(accounts_uow, outsider, "SECRET")
    with pytest.raises(NotFound) as missing:
        project_history(accounts_uow, outsider, "NOSUCH")
    # The same words for a hidden project as for a missing one, with only the key differing.
    assert str(hidden.value).replace("SECRET", "K") == str(missing.value).replace("NOSUCH", "K")


def test_membership_changes_show_in_the_history(
    accounts_uow: SqlUnitOfWorkFactory, make_project: Callable[[str], int]
) -> None:
    pid = make_project("TEAM")
    owner = _principal(accounts_uow, "owner")
    owner = Principal(owner.user_id, owner.email, False, implied_scopes(Scope.WRITE), "session")
    _principal(accounts_uow, "dev")
    with accounts_uow() as uow:
        members.add_owner(uow, pid, owner.user_id, now=T0)
        uow.commit()
    members.add_member(accounts_uow, owner, pid, "dev@example.org", Role.VIEWER, now=T0)
    entries = project_history(accounts_uow, owner, "TEAM").entries
    assert [e.action for e in entries] == ["member.added", "member.added"]
    assert entries[0].actor == "owner@example.org"


def test_calendar_and_baseline_changes_show_in_the_history(
    accounts_uow: SqlUnitOfWorkFactory,
) -> None:
    # Real services writing real entries, found by the project's id whatever its key.
    from datetime import date

    from steerco.services import baselines, calendars, projects

    ana = LocalOperator("ana")
    project = projects.create_project(
        accounts_uow, "Data centre move", actor=ana, today=date(2026, 11, 23)
    )
    calendars.add_exception(
        accounts_uow,
        project.key,
        1,
        start=date(2026, 11, 26),
        finish=date(2026, 11, 27),
        name="Thanksgiving",
        actor=ana,
        now=T0,
    )
    baselines.save_baseline(accounts_uow, project.key, actor=ana, now=T0)
    entries = project_history(accounts_uow, LOCAL, project.key).entries
    assert [e.action for e in entries][-1:] != []
    assert {e.actor for e in entries} == {"ana"}
    assert [e.action for e in entries][0] == "baseline.saved"
    assert any(e.target == f"project:{project.id}/calendar:1" for e in entries)


def test_a_reused_id_or_key_does_not_inherit_the_old_projects_history(
    accounts_uow: SqlUnitOfWorkFactory,
) -> None:
    # SQLite hands a deleted project's id to the next project. The history starts at the
    # project's own `project.created` entry, which creating a project records.
    from datetime import date

    from steerco.services import baselines, projects

    ana = LocalOperator("ana")
    projects.create_project(accounts_uow, "Old", actor=ana, today=date(2026, 11, 23), key="REUSE")
    baselines.save_baseline(accounts_uow, "REUSE", actor=ana, now=T0)
    assert [e.action for e in project_history(accounts_uow, LOCAL, "REUSE").entries] == [
        "baseline.saved",
        "project.created",
    ]
    projects.delete_project(accounts_uow, "REUSE", actor=ana)
    projects.create_project(accounts_uow, "New", actor=ana, today=date(2026, 11, 23), key="REUSE")
    entries = project_history(accounts_uow, LOCAL, "REUSE").entries
    assert [e.action for e in entries] == ["project.created"]


def test_sign_in_and_denial_entries_stay_out_of_a_project_history(
    accounts_uow: SqlUnitOfWorkFactory, make_project: Callable[[str], int]
) -> None:
    # An outsider's probe names that outsider: the administrators' log keeps it, the
    # project's own readers do not see it.
    pid = make_project("PROBED")
    _record(accounts_uow, f"project:{pid}", 2, action="auth.denied")
    _record(accounts_uow, f"project:{pid}/task:1", 1, action="task.updated")
    _record(accounts_uow, f"project:{pid}/task:1", 1, action="authoring.note")  # not auth.*
    entries = project_history(accounts_uow, LOCAL, "PROBED").entries
    assert [e.action for e in entries] == ["authoring.note", "task.updated"]


def test_history_reads_an_index_range_not_the_whole_log(
    accounts_uow: SqlUnitOfWorkFactory, make_project: Callable[[str], int]
) -> None:
    """The plan SQLite picks for the two history queries: PostgreSQL's planner rightly scans
    a table this small, so only the index's existence is checked there (by `migrate.check`)."""
    pid = make_project("AA")
    _record(accounts_uow, f"project:{pid}/task:1", 3)
    seen: list[tuple[str, object]] = []

    def grab(conn, cursor, statement, params, context, executemany):
        if "FROM audit_log" in statement and "SELECT" in statement:
            seen.append((statement, params))

    with accounts_uow(write=False) as uow:
        connection = uow.session.connection()
        if connection.dialect.name != "sqlite":
            pytest.skip("query plans are compared on SQLite only")
        event.listen(connection, "before_cursor_execute", grab)
        assert len(audit.for_project(uow, pid)) == 3
        event.remove(connection, "before_cursor_execute", grab)
        assert len(seen) == 2  # the newest project.created, then the page
        for statement, params in seen:
            plan = " | ".join(
                row[-1]
                for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)
            )
            assert "ix_audit_log_target_seq" in plan and "SCAN audit_log" not in plan, plan
