"""Project membership and the one permission check every front end goes through.

`require(uow, principal, project_id, action)` is called inside the caller's unit of work,
before anything of the project is read or changed:
- not a member: NotFound, worded exactly like a missing project (Plane CVE-2026-46558:
  never reveal that a project exists to someone outside it);
- a member whose role or credential scope falls short: PermissionDenied.
Instance admins get no silent access to project content; they may manage any project's
members (to rescue a project whose owners left), and that is audited like any change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from steerco.domain import Conflict, NotFound, PermissionDenied
from steerco.domain.account_records import Membership
from steerco.domain.accounts import (
    ACTION_SCOPE,
    PERMISSIONS,
    Action,
    Principal,
    Role,
    Scope,
    can,
    can_assign,
    check_fields,
    utc_naive,
)
from steerco.services import audit
from steerco.services.accounts import Actor, LocalOperator, get_user_by_email
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory

# Re-exported for adapters and tests that render or check the matrix.
PERMISSIONS_FOR = PERMISSIONS


def not_found(project_id: int) -> NotFound:
    """The error for a project that is missing or hidden from the caller: the same text."""
    return NotFound(f"no project {project_id}")


def role_of(uow: UnitOfWork, user_id: int, project_id: int) -> Role | None:
    membership = uow.members.get(project_id, user_id)
    return None if membership is None else membership.role


def require(uow: UnitOfWork, principal: Principal, project_id: int, action: Action) -> Role:
    """The caller's role in the project, if it allows `action`; see the module docstring."""
    role = role_of(uow, principal.user_id, project_id)
    if role is None:
        raise not_found(project_id)
    if not principal.has_scope(ACTION_SCOPE[action]):
        raise PermissionDenied(f"this credential lacks the {ACTION_SCOPE[action].value} scope")
    if not can(role, action):
        raise PermissionDenied(f"a {role.value} may not {action.value}")
    return role


def authorize(uow: UnitOfWork, actor: Actor, project_id: int, action: Action) -> Role | None:
    """`require` for services that also serve the CLI: the local operator (who owns the
    database file anyway) passes and gets None; a principal is checked as in `require`."""
    if isinstance(actor, LocalOperator):
        return None
    return require(uow, actor, project_id, action)


def require_fields(
    uow: UnitOfWork, principal: Principal, project_id: int, resource: str, fields: Iterable[str]
) -> Role:
    """Field-level check for an update (mass assignment): read access first (so outsiders
    get NotFound), then every field against the role. Call before loading the object."""
    role = require(uow, principal, project_id, Action.PROJECT_READ)
    if not principal.has_scope(Scope.WRITE):
        raise PermissionDenied("this credential lacks the write scope")
    check_fields(role, resource, fields)
    return role


def visible_projects(uow: UnitOfWork, principal: Principal) -> dict[int, Role]:
    """Project ids the principal may see, with their role: filter listings with this."""
    if not principal.has_scope(Scope.READ):
        return {}
    return uow.members.projects_of(principal.user_id)


def visible_to(uow: UnitOfWork, actor: Actor) -> set[int] | None:
    """Project ids `actor` may list; None means all (the local operator)."""
    if isinstance(actor, LocalOperator):
        return None
    return set(visible_projects(uow, actor))


def add_owner(uow: UnitOfWork, project_id: int, user_id: int, *, now: datetime) -> Membership:
    """Make the creator of a new project its owner, inside the unit that creates it."""
    membership = uow.members.add(project_id, user_id, Role.OWNER)
    audit.record(uow, actor=membership.email, action="member.added",
                 target=f"project:{project_id}/user:{user_id}", now=utc_naive(now),
                 after={"role": Role.OWNER})
    return membership


def _manager_role(uow: UnitOfWork, principal: Principal, project_id: int) -> Role | None:
    """The actor's role for managing members; None stands for an instance admin."""
    if principal.is_admin and principal.has_scope(Scope.ADMIN):
        uow.projects.get_by_id(project_id)  # NotFound for a project that does not exist
        return None
    return require(uow, principal, project_id, Action.PROJECT_MANAGE_MEMBERS)


def _check_assign(actor_role: Role | None, current: Role | None, new: Role | None) -> None:
    if actor_role is not None and not can_assign(actor_role, current, new):
        raise PermissionDenied(f"a {actor_role.value} may not change an owner")


def _keep_an_owner(uow: UnitOfWork, project_id: int, current: Role, new: Role | None) -> None:
    if (
        current is Role.OWNER
        and new is not Role.OWNER
        and uow.members.count_role(project_id, Role.OWNER) <= 1
    ):
        raise Conflict("a project keeps at least one owner")


def list_members(
    uow_factory: UnitOfWorkFactory, principal: Principal, project_id: int
) -> Sequence[Membership]:
    with uow_factory(write=False) as uow:
        require(uow, principal, project_id, Action.PROJECT_READ)
        return uow.members.list(project_id)


def add_member(
    uow_factory: UnitOfWorkFactory,
    principal: Principal,
    project_id: int,
    email: str,
    role: Role,
    *,
    now: datetime,
) -> Membership:
    now = utc_naive(now)
    with uow_factory() as uow:
        actor_role = _manager_role(uow, principal, project_id)
        _check_assign(actor_role, None, role)
        user = get_user_by_email(uow, email)
        membership = uow.members.add(project_id, user.id, role)
        audit.record(uow, actor=principal.email, action="member.added",
                     target=f"project:{project_id}/user:{user.id}", now=now,
                     after={"role": role})
        uow.commit()
    return membership


def change_role(
    uow_factory: UnitOfWorkFactory,
    principal: Principal,
    project_id: int,
    user_id: int,
    role: Role,
    *,
    version: int,
    now: datetime,
) -> Membership:
    """Optimistic locking: `version` is the membership's version as the caller saw it."""
    now = utc_naive(now)
    with uow_factory() as uow:
        actor_role = _manager_role(uow, principal, project_id)
        current = uow.members.get(project_id, user_id)
        if current is None:
            raise NotFound("no such member")
        _check_assign(actor_role, current.role, role)
        _keep_an_owner(uow, project_id, current.role, role)
        membership = uow.members.change(project_id, user_id, role, version)
        audit.record(uow, actor=principal.email, action="member.role_changed",
                     target=f"project:{project_id}/user:{user_id}", now=now,
                     before={"role": current.role}, after={"role": role})
        uow.commit()
    return membership


def remove_member(
    uow_factory: UnitOfWorkFactory,
    principal: Principal,
    project_id: int,
    user_id: int,
    *,
    now: datetime,
) -> None:
    """Managers and owners remove others; anyone may leave a project (except its last owner)."""
    now = utc_naive(now)
    with uow_factory() as uow:
        current = uow.members.get(project_id, user_id)
        actor_role: Role | None
        if principal.user_id == user_id and current is not None:
            if not principal.has_scope(Scope.WRITE):
                raise PermissionDenied("this credential lacks the write scope")
            actor_role = Role.OWNER  # leaving is always allowed, bar the last-owner rule
        else:
            actor_role = _manager_role(uow, principal, project_id)
        if current is None:
            raise NotFound("no such member")
        _check_assign(actor_role, current.role, None)
        _keep_an_owner(uow, project_id, current.role, None)
        uow.members.remove(project_id, user_id)
        audit.record(uow, actor=principal.email, action="member.removed",
                     target=f"project:{project_id}/user:{user_id}", now=now,
                     before={"role": current.role})
        uow.commit()
