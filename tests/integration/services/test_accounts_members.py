"""Project membership: 404 for outsiders, 403 for members short of the right, field rules,
role changes audited, at least one owner kept."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from steerco.domain import Conflict, NotFound, PermissionDenied, ValidationError
from steerco.domain.accounts import Action, Principal, Role, Scope, implied_scopes
from steerco.services import accounts, audit
from steerco.services import accounts_members as members
from steerco.storage.uow import SqlUnitOfWorkFactory
from tests.integration.services.conftest import T0

PASSWORD = "correct horse battery"


def principal(
    uow_factory: SqlUnitOfWorkFactory, name: str, *, admin: bool = False, scope: Scope = Scope.WRITE
) -> Principal:
    user = accounts.create_user(
        uow_factory, f"{name}@example.org", PASSWORD, now=T0, is_admin=admin
    )
    return Principal(user.id, user.email, admin, implied_scopes(scope), "session")


@pytest.fixture
def world(
    accounts_uow: SqlUnitOfWorkFactory, make_project: Callable[[str], int]
) -> dict[str, object]:
    """Two projects; each role in ALPHA, and an owner of BETA who is nothing in ALPHA."""
    alpha, beta = make_project("ALPHA"), make_project("BETA")
    people = {
        name: principal(accounts_uow, name)
        for name in ("owner", "manager", "member", "viewer", "outsider")
    }
    with accounts_uow() as uow:
        members.add_owner(uow, alpha, people["owner"].user_id, now=T0)
        members.add_owner(uow, beta, people["outsider"].user_id, now=T0)
        for name in ("manager", "member", "viewer"):
            uow.members.add(alpha, people[name].user_id, Role(name))
        uow.commit()
    return {"alpha": alpha, "beta": beta, **people}


@pytest.mark.parametrize("who", ["owner", "manager", "member", "viewer", "outsider"])
def test_require_404_for_outsiders_403_for_members(
    accounts_uow: SqlUnitOfWorkFactory, world: dict[str, object], who: str
) -> None:
    p, alpha = world[who], world["alpha"]
    assert isinstance(p, Principal) and isinstance(alpha, int)
    missing = 999_999
    with accounts_uow(write=False) as uow:
        for action in Action:
            if who == "outsider":
                with pytest.raises(NotFound) as info:
                    members.require(uow, p, alpha, action)
                # Word for word what a missing project says: existence is not revealed.
                with pytest.raises(NotFound) as gone:
                    members.require(uow, p, missing, action)
                assert str(info.value).replace(str(alpha), "N") == str(gone.value).replace(
                    str(missing), "N"
                )
            elif action in members.PERMISSIONS_FOR[Role(who)]:
                assert members.require(uow, p, alpha, action) is Role(who), action
            else:
                with pytest.raises(PermissionDenied):
                    members.require(uow, p, alpha, action)


def test_read_only_credential_cannot_write_despite_the_role(
    accounts_uow: SqlUnitOfWorkFactory, world: dict[str, object]
) -> None:
    owner = world["owner"]
    assert isinstance(owner, Principal)
    read_only = Principal(owner.user_id, owner.email, False, frozenset({Scope.READ}), "token")
    with accounts_uow(write=False) as uow:
        members.require(uow, read_only, world["alpha"], Action.TASK_READ)  # type: ignore[arg-type]
        with pytest.raises(PermissionDenied, match="write"):
            members.require(uow, read_only, world["alpha"], Action.TASK_WRITE)  # type: ignore[arg-type]


@pytest.mark.parametrize("who", ["viewer", "member"])
def test_field_level_rule(
    accounts_uow: SqlUnitOfWorkFactory, world: dict[str, object], who: str
) -> None:
    p, alpha = world[who], world["alpha"]
    assert isinstance(p, Principal) and isinstance(alpha, int)
    with accounts_uow(write=False) as uow:
        with pytest.raises(PermissionDenied, match="budget"):
            members.require_fields(uow, p, alpha, "project", ["budget"])
        with pytest.raises(PermissionDenied, match="role"):
            members.require_fields(uow, p, alpha, "member", ["role"])
        with pytest.raises(ValidationError):
            members.require_fields(uow, p, alpha, "task", ["__class__"])
    manager = world["manager"]
    assert isinstance(manager, Principal)
    with accounts_uow(write=False) as uow:
        members.require_fields(uow, manager, alpha, "project", ["budget", "name"])
    # ...and the service refuses the role change itself, leaving the row unchanged.
    member = world["member"]
    assert isinstance(member, Principal)
    with pytest.raises(PermissionDenied):
        members.change_role(accounts_uow, p, alpha, member.user_id, Role.OWNER, version=1, now=T0)
    with accounts_uow(write=False) as uow:
        assert members.role_of(uow, member.user_id, alpha) is Role.MEMBER


def test_outsider_cannot_touch_members_of_another_project(
    accounts_uow: SqlUnitOfWorkFactory, world: dict[str, object]
) -> None:
    outsider, alpha, member = world["outsider"], world["alpha"], world["member"]
    assert isinstance(outsider, Principal) and isinstance(alpha, int)
    assert isinstance(member, Principal)
    with pytest.raises(NotFound):
        members.list_members(accounts_uow, outsider, alpha)
    with pytest.raises(NotFound):
        members.add_member(
            accounts_uow, outsider, alpha, "outsider@example.org", Role.OWNER, now=T0
        )
    with pytest.raises(NotFound):
        members.change_role(
            accounts_uow, outsider, alpha, member.user_id, Role.VIEWER, version=1, now=T0
        )
    with pytest.raises(NotFound):
        members.remove_member(accounts_uow, outsider, alpha, member.user_id, now=T0)
    assert len(members.list_members(accounts_uow, member, alpha)) == 4


def test_role_changes_are_audited_and_versioned(
    accounts_uow: SqlUnitOfWorkFactory, world: dict[str, object]
) -> None:
    owner, manager, viewer, alpha = (
        world["owner"],
        world["manager"],
        world["viewer"],
        world["alpha"],
    )
    assert isinstance(owner, Principal) and isinstance(manager, Principal)
    assert isinstance(viewer, Principal) and isinstance(alpha, int)
    changed = members.change_role(
        accounts_uow, manager, alpha, viewer.user_id, Role.MEMBER, version=1, now=T0
    )
    assert (changed.role, changed.version) == (Role.MEMBER, 2)
    with pytest.raises(Conflict):
        members.change_role(
            accounts_uow, owner, alpha, viewer.user_id, Role.MANAGER, version=1, now=T0
        )
    with pytest.raises(PermissionDenied):  # a manager cannot make an owner
        members.change_role(
            accounts_uow, manager, alpha, viewer.user_id, Role.OWNER, version=2, now=T0
        )
    principal(accounts_uow, "newbie")
    members.add_member(accounts_uow, manager, alpha, "newbie@example.org", Role.VIEWER, now=T0)
    with pytest.raises(Conflict):
        members.add_member(accounts_uow, manager, alpha, "newbie@example.org", Role.VIEWER, now=T0)
    members.remove_member(accounts_uow, owner, alpha, viewer.user_id, now=T0)
    with accounts_uow(write=False) as uow:
        rows = uow.session.execute(
            text(
                "SELECT actor, action, target, before, after FROM audit_log "
                "WHERE action LIKE 'member.%' ORDER BY seq"
            )
        ).all()
    assert [(r.actor, r.action) for r in rows[-3:]] == [
        ("manager@example.org", "member.role_changed"),
        ("manager@example.org", "member.added"),
        ("owner@example.org", "member.removed"),
    ]
    assert rows[-3].before == '{"role":"viewer"}' and rows[-3].after == '{"role":"member"}'
    assert audit.verify(accounts_uow).first_bad is None


def test_a_project_keeps_an_owner(
    accounts_uow: SqlUnitOfWorkFactory, world: dict[str, object]
) -> None:
    owner, alpha = world["owner"], world["alpha"]
    assert isinstance(owner, Principal) and isinstance(alpha, int)
    with pytest.raises(Conflict):
        members.change_role(
            accounts_uow, owner, alpha, owner.user_id, Role.MANAGER, version=1, now=T0
        )
    with pytest.raises(Conflict):
        members.remove_member(accounts_uow, owner, alpha, owner.user_id, now=T0)
    member = world["member"]
    assert isinstance(member, Principal)
    members.remove_member(accounts_uow, member, alpha, member.user_id, now=T0)  # leaving is fine


def test_admin_has_every_right_but_only_with_the_admin_scope(
    accounts_uow: SqlUnitOfWorkFactory, world: dict[str, object]
) -> None:
    """`require` is membership only; the project services' `access.check` gives an admin
    (admin scope) every right, and an admin's write token only the admin's memberships."""
    from steerco.services import access

    admin = principal(accounts_uow, "root", admin=True, scope=Scope.ADMIN)
    admin_writer = Principal(admin.user_id, admin.email, True, implied_scopes(Scope.WRITE), "token")
    alpha = world["alpha"]
    assert isinstance(alpha, int)
    with accounts_uow(write=False) as uow:
        with pytest.raises(NotFound):
            members.require(uow, admin, alpha, Action.PROJECT_READ)
        assert access.check(uow, admin, alpha, Action.PROJECT_DELETE).role is None
        with pytest.raises(NotFound):
            access.check(uow, admin_writer, alpha, Action.PROJECT_READ)
        assert members.visible_to(uow, admin) is None
        assert members.visible_to(uow, admin_writer) == set()
    members.add_member(accounts_uow, admin, alpha, "root@example.org", Role.OWNER, now=T0)
    with pytest.raises(NotFound):
        members.add_member(accounts_uow, admin, 999_999, "root@example.org", Role.OWNER, now=T0)


def test_deleting_a_project_deletes_its_memberships(
    accounts_uow: SqlUnitOfWorkFactory, world: dict[str, object]
) -> None:
    alpha = world["alpha"]
    assert isinstance(alpha, int)
    with accounts_uow() as uow:
        uow.projects.delete(alpha)
        uow.commit()
    with accounts_uow(write=False) as uow:
        assert uow.members.list(alpha) == []


def test_authorize_lets_the_local_operator_through(
    accounts_uow: SqlUnitOfWorkFactory, world: dict[str, object]
) -> None:
    outsider, viewer, alpha, beta = (
        world["outsider"],
        world["viewer"],
        world["alpha"],
        world["beta"],
    )
    assert isinstance(outsider, Principal) and isinstance(viewer, Principal)
    assert isinstance(alpha, int) and isinstance(beta, int)
    with accounts_uow(write=False) as uow:
        assert members.authorize(uow, accounts.LOCAL, alpha, Action.PROJECT_DELETE) is None
        assert members.authorize(uow, viewer, alpha, Action.TASK_READ) is Role.VIEWER
        with pytest.raises(NotFound):
            members.authorize(uow, outsider, alpha, Action.TASK_READ)
        assert members.visible_to(uow, accounts.LOCAL) is None
        assert members.visible_to(uow, outsider) == {beta}
        assert members.visible_to(uow, viewer) == {alpha}
