"""What the services need from storage, as protocols. `storage` implements them;
service tests may use in-memory fakes of the same shape."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import Protocol, Self

from steerco.domain import Assignment, Dependency, Project, Resource, Task
from steerco.domain.records import ProjectStamp, ProjectSummary, ScheduledDates, TaskListing
from steerco.domain.skills import ResourceProfile, SkillNeed
from steerco.services.accounts_ports import (
    AuditRepository,
    InstanceSettingsRepository,
    LoginAttemptRepository,
    MembershipRepository,
    SessionRepository,
    TokenRepository,
    UserRepository,
)


class ProjectRepository(Protocol):
    def add(self, project: Project) -> Project:
        """Insert a whole project (bulk, for imports too); sets `project.id`."""

    def get(self, key: str) -> Project:
        """Load the whole aggregate by key, or raise NotFound."""

    def get_by_id(self, project_id: int) -> Project: ...

    def list(self) -> Sequence[ProjectSummary]: ...

    def keys(self) -> set[str]: ...

    def task_listing(self, key: str) -> TaskListing:
        """The WBS rows a task listing shows, without loading the whole aggregate."""

    def stamp_of(self, key: str) -> ProjectStamp:
        """The project's id and revision. Every write to a project renews its revision in the
        same transaction, so a cache keyed by it cannot outlive a change from any process."""

    def stamp_of_id(self, project_id: int) -> ProjectStamp:
        """`stamp_of` by the project's numeric id."""

    def stamp(self, project_id: int) -> int:
        """Renew the project's revision; returns the new one. Any new write path must call
        it (the repository's own write methods do)."""

    def update_project(self, project: Project) -> None:
        """Write the project's own fields; Conflict if `project.version` is stale."""

    def replace_calendars(self, project: Project) -> None:
        """Rewrite the project's calendars as they are in `project.calendars`."""

    def add_resource(self, project_id: int, resource: Resource, position: int) -> None:
        """Insert a resource at `position`; Conflict if its uid is taken."""

    def add_assignment(self, project_id: int, assignment: Assignment, position: int) -> None:
        """Insert an assignment at `position`; Conflict if its uid is taken."""

    def update_resource(self, project_id: int, resource: Resource) -> None:
        """Write a resource's own fields; NotFound if it is not stored."""

    def update_assignment(self, project_id: int, assignment: Assignment) -> None:
        """Write an assignment's units and work; NotFound if it is not stored."""

    def delete_assignment(self, project_id: int, uid: int) -> None:
        """Remove an assignment; NotFound if it is not stored."""

    def delete_resource(self, project_id: int, uid: int) -> None:
        """Remove a resource (its profile goes with it); NotFound if it is not stored."""

    def delete(self, project_id: int) -> None: ...

    def add_task(self, project_id: int, task: Task, position: int) -> None:
        """Insert `task` at `position` in WBS order, shifting later rows."""

    def update_task(self, project_id: int, task: Task) -> None:
        """Write one task; Conflict if `task.version` is stale. Bumps `task.version`."""

    def update_tasks(self, project_id: int, edits: Sequence[tuple[Task, int]]) -> None:
        """A batch of edits in one statement: each edited task with the version stored
        before its edit (`task.version` is already the next). On Conflict some rows may be
        written: the caller's unit of work must then roll back."""

    def replace_tasks(self, project: Project) -> None:
        """Rewrite WBS order and outline levels of every task (indent, outdent, delete)."""

    def delete_tasks(self, project_id: int, uids: Iterable[int]) -> None: ...

    def add_dependency(self, project_id: int, dep: Dependency) -> None: ...

    def delete_dependency(self, project_id: int, predecessor: int, successor: int) -> None: ...

    def write_schedule(self, project_id: int, dates: Iterable[ScheduledDates]) -> None:
        """Store computed dates without touching row versions (a reschedule is not an edit)."""


class SkillRepository(Protocol):
    """Resource profiles and tasks' skill needs (storage/skills_repository.py)."""

    def profiles(self, project_id: int) -> dict[int, ResourceProfile]: ...

    def save_profile(self, project_id: int, profile: ResourceProfile) -> None:
        """Insert or replace; NotFound if the resource does not exist."""

    def needs(self, project_id: int) -> dict[int, list[SkillNeed]]: ...

    def set_needs(self, project_id: int, task_uid: int, wanted: Iterable[SkillNeed]) -> None:
        """Replace what a task needs."""


class UnitOfWork(Protocol):
    """One transaction. Leaving the block without `commit()` rolls everything back."""

    # Read-only properties, not plain attributes: a protocol attribute is invariant, so an
    # implementation's `projects: SqlProjectRepository` would not match it; a property is
    # covariant and matches.
    @property
    def projects(self) -> ProjectRepository: ...

    @property
    def skills(self) -> SkillRepository: ...

    # The accounts and audit area (services/accounts_ports.py).
    @property
    def users(self) -> UserRepository: ...

    @property
    def sessions(self) -> SessionRepository: ...

    @property
    def tokens(self) -> TokenRepository: ...

    @property
    def members(self) -> MembershipRepository: ...

    @property
    def login_attempts(self) -> LoginAttemptRepository: ...

    @property
    def audit(self) -> AuditRepository: ...

    @property
    def instance(self) -> InstanceSettingsRepository: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self, *, write: bool = True) -> UnitOfWork:
        """A write unit holds the database's write lock from its first statement."""


__all__ = [
    "ProjectRepository",
    "ProjectSummary",
    "ScheduledDates",
    "UnitOfWork",
    "UnitOfWorkFactory",
]
