"""The permission check of every project use case: projects, tasks, planning, scheduling,
import and export. Each use case calls `check` first thing inside its unit of work, with the
acting `Actor` its adapter passed down, so the CLI, the REST API and the web UI enforce
exactly the same rules (and no adapter has permission logic of its own).

The rules (the tables are in `domain.accounts`):
- a project is named by its key or numeric id; one that is missing, or that the caller is
  not a member of, answers the same NotFound ("no project REF"), never Forbidden;
- a member whose role or credential scope falls short gets PermissionDenied;
- field-level rules: an update names the fields it changes, each checked against the role;
- the local operator (the CLI without `--as`) and instance admins (with the admin scope)
  may do anything to any project;
- denials are audited (`audit.denials_audited`), hidden projects included.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from steerco.domain import PermissionDenied, Project
from steerco.domain.accounts import (
    Action,
    AuthenticationFailed,
    Principal,
    ProjectDenied,
    Role,
    Scope,
)
from steerco.domain.accounts import check_fields as check_role_fields
from steerco.domain.records import ProjectStamp
from steerco.services import audit
from steerco.services.accounts import Actor, actor_name
from steerco.services.accounts_members import (
    is_instance_admin,
    project_head,
    require_ref,
    visible_to,
)
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory

__all__ = [
    "Access",
    "Action",
    "check",
    "check_create",
    "check_fields",
    "check_head",
    "denials_audited",
    "project_unit",
    "visible_to",
]


@dataclass(frozen=True, slots=True)
class Access:
    """What a passed check found: the project's id and key, and the caller's role in it
    (None for the local operator or an instance admin, who hold every right)."""

    project_id: int
    key: str
    role: Role | None


def check(uow: UnitOfWork, actor: Actor, ref: int | str, action: Action) -> Access:
    """May `actor` do `action` to the project `ref` (key or id)? Raises NotFound or
    PermissionDenied; call it before reading or changing anything of the project."""
    return check_head(uow, actor, project_head(uow, ref), ref, action)


def check_head(
    uow: UnitOfWork, actor: Actor, head: ProjectStamp, ref: int | str, action: Action
) -> Access:
    """`check` for a project whose head the caller has read already."""
    if is_instance_admin(actor):
        return Access(head.id, head.key, None)
    assert isinstance(actor, Principal)
    try:
        return Access(head.id, head.key, require_ref(uow, actor, head, ref, action))
    except PermissionDenied as exc:
        if isinstance(exc, AuthenticationFailed | ProjectDenied):
            raise
        raise ProjectDenied(str(exc), head.id) from None


def check_fields(access: Access, resource: str, fields: Iterable[str]) -> None:
    """Field-level rules for an update: unknown fields are a ValidationError for everyone;
    fields the role may not change are PermissionDenied, naming them."""
    names = list(fields)
    try:
        # An operator or admin holds every right: only the names count.
        check_role_fields(access.role or Role.OWNER, resource, names)
    except PermissionDenied as exc:
        raise ProjectDenied(str(exc), access.project_id) from None


def check_create(actor: Actor) -> None:
    """Anyone signed in may create a project (and becomes its owner), given a credential
    that may write."""
    if isinstance(actor, Principal) and not actor.has_scope(Scope.WRITE):
        raise PermissionDenied("this credential lacks the write scope")


@contextmanager
def project_unit(
    uow_factory: UnitOfWorkFactory,
    actor: Actor,
    ref: int | str,
    action: Action,
    *,
    write: bool = True,
    what: str = "",
) -> Iterator[tuple[UnitOfWork, Project]]:
    """A unit of work with the whole project loaded, once `actor` may do `action` to it;
    a denial is audited. For use cases that need the aggregate; the caller commits."""
    with (
        denials_audited(uow_factory, actor, f"project:{ref} {what or action.value}"),
        uow_factory(write=write) as uow,
    ):
        found = check(uow, actor, ref, action)
        yield uow, uow.projects.get(found.key)


@contextmanager
def denials_audited(uow_factory: UnitOfWorkFactory, actor: Actor, what: str) -> Iterator[None]:
    """Wrap a use case's unit of work so that a denial inside it is audited."""
    with audit.denials_audited(uow_factory, actor_name(actor), what):
        yield
