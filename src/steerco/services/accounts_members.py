"""Project membership and the one permission check every front end goes through.

`require(uow, principal, project_id, action)` is called inside the caller's unit of work,
before anything of the project is read or changed:
- not a member: NotFound, worded exactly like a missing project (Plane CVE-2026-46558:
  never reveal that a project exists to someone outside it);
- a member whose role or credential scope falls short: PermissionDenied.
Instance admins (a session, or a token with the admin scope) may do anything to any
project, as the local operator at the CLI may; every change they make is audited like
anyone's. Project use cases go through `services.access`, which builds on this module.
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
    HiddenProject,
    Principal,
    Role,
    Scope,
    can,
    can_assign,
    check_fields,
    utc_naive,
)
from steerco.domain.records import ProjectStamp
from steerco.services import audit
from steerco.services.accounts import Actor, LocalOperator, actor_name, get_user_by_email
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory

# Re-exported for adapters and tests that render or check the matrix.
PERMISSIONS_FOR = PERMISSIONS


def not_found(ref: int | str) -> NotFound:
    """The error for a project that is missing or hidden from the caller: the same text,
    built from what the caller asked for (never the key behind an id, nor the reverse)."""
    return NotFound(f"no project {str(ref)[:40]}")


def project_head(uow: UnitOfWork, ref: int | str) -> ProjectStamp:
    """A project's id, key and revision from its key or numeric id, or `not_found(ref)`."""
    text = str(ref).strip()
    try:
        if text.isdigit():
            if len(text) > 15:  # beyond any id; also beyond what a database integer holds
                raise not_found(ref)
            return uow.projects.stamp_of_id(int(text))
        return uow.projects.stamp_of(text.upper())
    except NotFound:
        raise not_found(ref) from None


def is_instance_admin(actor: Actor) -> bool:
    """The local operator, or an admin whose credential carries the admin scope (an admin's
    read or write token acts with the admin's memberships only)."""
    if isinstance(actor, LocalOperator):
        return True
    return actor.is_admin and actor.has_scope(Scope.ADMIN)


def role_of(uow: UnitOfWork, user_id: int, project_id: int) -> Role | None:
    membership = uow.members.get(project_id, user_id)
    return None if membership is None else membership.role


def require(uow: UnitOfWork, principal: Principal, project_id: int, action: Action) -> Role:
    """The caller's role in the project, if it allows `action`; see the module docstring."""
    role = role_of(uow, principal.user_id, project_id)
    if role is None:
        raise HiddenProject(project_id, project_id)
    if not principal.has_scope(ACTION_SCOPE[action]):
        raise PermissionDenied(f"this credential lacks the {ACTION_SCOPE[action].value} scope")
    if not can(role, action):
        raise PermissionDenied(f"a {role.value} may not {action.value}")
    return role


def require_ref(
    uow: UnitOfWork, principal: Principal, head: ProjectStamp, ref: int | str, action: Action
) -> Role:
    """`require` for a project the caller named by `ref`: a hidden project's error repeats
    `ref`, exactly as `project_head` words a missing one."""
    try:
        return require(uow, principal, head.id, action)
    except HiddenProject:
        raise HiddenProject(ref, head.id) from None


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
    """Project ids `actor` may list; None means all (the local operator, an instance admin)."""
    if is_instance_admin(actor):
        return None
    assert isinstance(actor, Principal)
    return set(visible_projects(uow, actor))


def add_owner(uow: UnitOfWork, project_id: int, user_id: int, *, now: datetime) -> Membership:
    """Make the creator of a new project its owner, inside the unit that creates it."""
    membership = uow.members.add(project_id, user_id, Role.OWNER)
    audit.record(
        uow,
        actor=membership.email,
        action="member.added",
        target=f"project:{project_id}/user:{user_id}",
        now=utc_naive(now),
        after={"role": Role.OWNER},
    )
    return membership


def _manager_role(uow: UnitOfWork, actor: Actor, ref: int | str) -> tuple[int, Role | None]:
    """The project's id and the actor's role for managing its members; None stands for an
    instance admin or the local operator."""
    head = project_head(uow, ref)
    if is_instance_admin(actor):
        return head.id, None
    assert isinstance(actor, Principal)
    return head.id, require_ref(uow, actor, head, ref, Action.PROJECT_MANAGE_MEMBERS)


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
    uow_factory: UnitOfWorkFactory, actor: Actor, project: int | str
) -> Sequence[Membership]:
    """`project` is a numeric id or a key."""
    with (
        audit.denials_audited(uow_factory, actor_name(actor), f"project:{project} members"),
        uow_factory(write=False) as uow,
    ):
        head = project_head(uow, project)
        if not is_instance_admin(actor):
            assert isinstance(actor, Principal)
            require_ref(uow, actor, head, project, Action.PROJECT_READ)
        return uow.members.list(head.id)


def add_member(
    uow_factory: UnitOfWorkFactory,
    actor: Actor,
    project: int | str,
    email: str,
    role: Role,
    *,
    now: datetime,
) -> Membership:
    now = utc_naive(now)
    with (
        audit.denials_audited(uow_factory, actor_name(actor), f"project:{project} members"),
        uow_factory() as uow,
    ):
        project_id, actor_role = _manager_role(uow, actor, project)
        _check_assign(actor_role, None, role)
        user = get_user_by_email(uow, email)
        membership = uow.members.add(project_id, user.id, role)
        audit.record(
            uow,
            actor=actor_name(actor),
            action="member.added",
            target=f"project:{project_id}/user:{user.id}",
            now=now,
            after={"role": role},
        )
        uow.commit()
    return membership


def change_role(
    uow_factory: UnitOfWorkFactory,
    actor: Actor,
    project: int | str,
    user_id: int,
    role: Role,
    *,
    version: int,
    now: datetime,
) -> Membership:
    """Optimistic locking: `version` is the membership's version as the caller saw it."""
    now = utc_naive(now)
    with (
        audit.denials_audited(uow_factory, actor_name(actor), f"project:{project} members"),
        uow_factory() as uow,
    ):
        project_id, actor_role = _manager_role(uow, actor, project)
        current = uow.members.get(project_id, user_id)
        if current is None:
            raise NotFound("no such member")
        _check_assign(actor_role, current.role, role)
        _keep_an_owner(uow, project_id, current.role, role)
        membership = uow.members.change(project_id, user_id, role, version)
        audit.record(
            uow,
            actor=actor_name(actor),
            action="member.role_changed",
            target=f"project:{project_id}/user:{user_id}",
            now=now,
            before={"role": current.role},
            after={"role": role},
        )
        uow.commit()
    return membership


def remove_member(
    uow_factory: UnitOfWorkFactory,
    actor: Actor,
    project: int | str,
    user_id: int,
    *,
    now: datetime,
) -> None:
    """Managers and owners remove others; anyone may leave a project (except its last owner)."""
    now = utc_naive(now)
    with (
        audit.denials_audited(uow_factory, actor_name(actor), f"project:{project} members"),
        uow_factory() as uow,
    ):
        head = project_head(uow, project)
        current = uow.members.get(head.id, user_id)
        actor_role: Role | None
        if isinstance(actor, Principal) and actor.user_id == user_id and current is not None:
            if not actor.has_scope(Scope.WRITE):
                raise PermissionDenied("this credential lacks the write scope")
            actor_role = Role.OWNER  # leaving is always allowed, bar the last-owner rule
        else:
            _, actor_role = _manager_role(uow, actor, project)
        if current is None:
            raise NotFound("no such member")
        _check_assign(actor_role, current.role, None)
        _keep_an_owner(uow, head.id, current.role, None)
        uow.members.remove(head.id, user_id)
        audit.record(
            uow,
            actor=actor_name(actor),
            action="member.removed",
            target=f"project:{head.id}/user:{user_id}",
            now=now,
            before={"role": current.role},
        )
        uow.commit()
