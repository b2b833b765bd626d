"""Project use cases: create, list, show, change, delete."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from steerco.domain import Methodology, Project, ValidationError
from steerco.domain.project import check_key, key_from_name
from steerco.services.ports import ProjectSummary, UnitOfWorkFactory

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


def create_project(
    uow_factory: UnitOfWorkFactory,
    name: str,
    *,
    today: date,
    start: date | datetime | None = None,
    key: str | None = None,
    methodology: Methodology = Methodology.WATERFALL,
    currency: str = "EUR",
) -> Project:
    if not name.strip():
        raise ValidationError("a project needs a name")
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
        uow.projects.add(project)
        uow.commit()
    return project


def adopt_project(uow_factory: UnitOfWorkFactory, project: Project) -> Project:
    """Store a project built elsewhere (an import), giving it a free key."""
    with uow_factory() as uow:
        project.key = unique_key(project.key, uow.projects.keys())
        uow.projects.add(project)
        uow.commit()
    return project


def list_projects(uow_factory: UnitOfWorkFactory) -> Sequence[ProjectSummary]:
    with uow_factory(write=False) as uow:
        return uow.projects.list()


def get_project(uow_factory: UnitOfWorkFactory, key: str) -> Project:
    with uow_factory(write=False) as uow:
        return uow.projects.get(key.upper())


def update_project(
    uow_factory: UnitOfWorkFactory, key: str, fields: ProjectFields, *, version: int | None = None
) -> Project:
    with uow_factory() as uow:
        project = uow.projects.get(key.upper())
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
        uow.commit()
    return project


def delete_project(uow_factory: UnitOfWorkFactory, key: str) -> None:
    with uow_factory() as uow:
        project = uow.projects.get(key.upper())
        assert project.id is not None
        uow.projects.delete(project.id)
        uow.commit()
