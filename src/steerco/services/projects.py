"""Project use cases: create, list, show, change, delete. Each takes the acting `actor`
(see `services.access` for the rules): a new project's creator becomes its owner, lists
hold only the projects the actor may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time

from steerco.domain import Methodology, PermissionDenied, Project, ValidationError
from steerco.domain.accounts import Principal
from steerco.domain.project import check_key, key_from_name
from steerco.services import access, audit
from steerco.services.access import Action
from steerco.services.accounts import Actor, actor_name, get_user_by_email
from steerco.services.accounts_members import add_owner, is_instance_admin
from steerco.services.ports import ProjectSummary, UnitOfWork, UnitOfWorkFactory

DEFAULT_START_TIME = time(8, 0)


def as_start(value: date | datetime | None, today: date) -> datetime:
    """Project starts are dates for people; MS Project stores a start-of-day datetime."""
    if value is None:
        value = today
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, DEFAULT_START_TIME)


def unique_key(wanted: str, taken: set[str]) -> str:
    if wanted not in taken:
        return wanted
    stem = wanted[:8]
    for n in range(2, 1000):
        candidate = f"{stem}{n}"
        if candidate not in taken:
            return candidate
    raise ValidationError(f"no free project key near {wanted!r}")


@dataclass(frozen=True, slots=True)
class ProjectFields:
    """The editable fields of a project; `None` leaves a field as it is."""

    name: str | None = None
    start: date | datetime | None = None
    status_date: datetime | None = None
    currency: str | None = None
    methodology: Methodology | None = None

    def named(self) -> list[str]:
        """The fields this change sets, for the field-level permission check."""
        return [f.name for f in fields(self) if getattr(self, f.name) is not None]


def create_project(
    uow_factory: UnitOfWorkFactory,
    name: str,
    *,
    actor: Actor,
    today: date,
    start: date | datetime | None = None,
    key: str | None = None,
    methodology: Methodology = Methodology.WATERFALL,
    currency: str = "EUR",
    owner: str | None = None,
) -> Project:
    """Create a project; see `store_new` for who becomes its owner."""
    if not name.strip():
        raise ValidationError("a project needs a name")
    access.check_create(actor)
    with uow_factory() as uow:
        taken = uow.projects.keys()
        if key is not None:
            check_key(key)
            if key in taken:
                raise ValidationError(f"project key {key} is already used")
        else:
            key = unique_key(key_from_name(name), taken)
        project = Project(
            name=name,
            key=key,
            start=as_start(start, today),
            methodology=methodology,
            currency=currency,
        )
        store_new(uow, project, actor=actor, owner=owner)
        uow.commit()
    return project


def adopt_project(
    uow_factory: UnitOfWorkFactory, project: Project, *, actor: Actor, owner: str | None = None
) -> Project:
    """Store a project built elsewhere (an import), giving it a free key."""
    access.check_create(actor)
    with uow_factory() as uow:
        project.key = unique_key(project.key, uow.projects.keys())
        store_new(uow, project, actor=actor, owner=owner)
        uow.commit()
    return project


def store_new(uow: UnitOfWork, project: Project, *, actor: Actor, owner: str | None) -> None:
    """Insert a new project with its owners, inside the caller's unit: a signed-in creator
    becomes an owner, and so does `owner` (an email). Only the local operator and instance
    admins may name someone else as owner; a project made by the local operator without
    `owner` has no members (only the operator and admins see it until some are added)."""
    if owner is not None and not is_instance_admin(actor):
        raise PermissionDenied("only an administrator may make someone else a project's owner")
    owner_user = get_user_by_email(uow, owner) if owner is not None else None
    uow.projects.add(project)
    assert project.id is not None
    now = datetime.now(UTC)
    owners = [actor.user_id] if isinstance(actor, Principal) else []
    if owner_user is not None and owner_user.id not in owners:
        owners.append(owner_user.id)
    for user_id in owners:
        add_owner(uow, project.id, user_id, now=now)
    audit.record(
        uow,
        actor=actor_name(actor),
        action="project.created",
        target=f"project:{project.id}",
        now=now,
        after={"key": project.key, "name": project.name},
    )


def list_projects(uow_factory: UnitOfWorkFactory, *, actor: Actor) -> Sequence[ProjectSummary]:
    """The projects `actor` may see, and no others."""
    with uow_factory(write=False) as uow:
        visible = access.visible_to(uow, actor)
        rows = uow.projects.list()
    if visible is None:
        return rows
    return [row for row in rows if row.id in visible]


def get_project(uow_factory: UnitOfWorkFactory, ref: str, *, actor: Actor) -> Project:
    """A whole project by key or numeric id."""
    with access.project_unit(
        uow_factory, actor, ref, Action.PROJECT_READ, write=False, what="read"
    ) as (_, project):
        return project


def update_project(
    uow_factory: UnitOfWorkFactory,
    ref: str,
    fields: ProjectFields,
    *,
    actor: Actor,
    version: int | None = None,
) -> Project:
    """Change a project's own fields: managers and owners (field by field, see
    `domain.accounts.PROJECT_FIELDS`)."""
    with access.denials_audited(uow_factory, actor, f"project:{ref} update"), uow_factory() as uow:
        found = access.check(uow, actor, ref, Action.PROJECT_READ)
        access.check_fields(found, "project", fields.named())
        project = uow.projects.get(found.key)
        before = {name: getattr(project, name) for name in fields.named()}
        if version is not None:
            project.version = version
        if fields.name is not None:
            project.name = fields.name
        if fields.start is not None:
            project.start = as_start(fields.start, project.start.date())
        if fields.status_date is not None:
            project.status_date = fields.status_date
        if fields.currency is not None:
            project.currency = fields.currency
        if fields.methodology is not None:
            project.methodology = fields.methodology
        project.__post_init__()  # re-validate the edited aggregate before it is written
        uow.projects.update_project(project)
        audit.record(
            uow,
            actor=actor_name(actor),
            action="project.updated",
            target=f"project:{found.project_id}",
            now=datetime.now(UTC),
            before=before,
            after={name: getattr(project, name) for name in fields.named()},
        )
        uow.commit()
    return project


def delete_project(uow_factory: UnitOfWorkFactory, ref: str, *, actor: Actor) -> None:
    """Owners only (and instance admins)."""
    with access.denials_audited(uow_factory, actor, f"project:{ref} delete"), uow_factory() as uow:
        found = access.check(uow, actor, ref, Action.PROJECT_DELETE)
        uow.projects.delete(found.project_id)
        audit.record(
            uow,
            actor=actor_name(actor),
            action="project.deleted",
            target=f"project:{found.project_id}",
            now=datetime.now(UTC),
            before={"key": found.key},
        )
        uow.commit()
