"""The project repository on SQLAlchemy Core.

Bulk paths (`add`, `get`, `replace_tasks`, `write_schedule`) use Core statements with
executemany lists of dicts and read plain rows, so an import of 100,000 tasks costs a few
seconds, not minutes. Edits use optimistic locking: `UPDATE ... WHERE version = :old`,
and a stale version raises `Conflict` rather than overwriting someone else's change.
"""

from __future__ import annotations

import builtins
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeVar

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from steerco.domain import (
    Calendar,
    CalendarException,
    Conflict,
    Dependency,
    NotFound,
    Project,
    ProjectSummary,
    ScheduledDates,
    Task,
    ValidationError,
    WorkWeek,
)
from steerco.storage import mappers
from steerco.storage.schema import (
    AssignmentRow,
    CalendarExceptionRow,
    CalendarRow,
    DependencyRow,
    ProjectRow,
    ResourceRow,
    TaskRow,
    WorkWeekRow,
)

projects: Table = ProjectRow.__table__  # type: ignore[assignment]
tasks: Table = TaskRow.__table__  # type: ignore[assignment]
dependencies: Table = DependencyRow.__table__  # type: ignore[assignment]
calendars: Table = CalendarRow.__table__  # type: ignore[assignment]
exceptions: Table = CalendarExceptionRow.__table__  # type: ignore[assignment]
work_weeks: Table = WorkWeekRow.__table__  # type: ignore[assignment]
resources: Table = ResourceRow.__table__  # type: ignore[assignment]
assignments: Table = AssignmentRow.__table__  # type: ignore[assignment]

# Stay well below SQLite's limit of bound parameters per statement in `IN (...)` lists.
_CHUNK = 500
_T = TypeVar("_T")


def _chunks(items: Iterable[_T], size: int = _CHUNK) -> Iterator[list[_T]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class SqlProjectRepository:
    """Implements `steerco.services.ports.ProjectRepository` inside one session."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _execute(self, statement: Any, params: Any = None) -> Any:
        # The session's connection, so Core statements share the unit of work's transaction.
        return self.session.connection().execute(statement, params)

    # ----- whole projects ------------------------------------------------------------------
    def add(self, project: Project) -> Project:
        if self._execute(select(projects.c.id).where(projects.c.key == project.key)).first():
            raise Conflict(f"a project with key {project.key} already exists")
        try:
            # One savepoint around the whole bulk insert: a bad import leaves no trace and
            # the unit of work stays usable.
            with self.session.begin_nested():
                project_id = self._insert_project(project)
        except IntegrityError as exc:
            if project.key in self.keys():
                raise Conflict(f"a project with key {project.key} already exists") from exc
            reason = str(exc.orig).splitlines()[0]
            raise ValidationError(
                f"project {project.key} has duplicate uids or links to missing tasks ({reason})"
            ) from exc
        project.id = project_id
        project.version = 1
        for task in project.tasks:
            task.version = 1
        return project

    def _insert_project(self, project: Project) -> int:
        fields = mappers.project_fields(project) | {"version": 1}
        project_id: int = self._execute(
            insert(projects).returning(projects.c.id), fields
        ).scalar_one()
        self._insert_calendars(project_id, project)
        if project.tasks:
            rows = [mappers.task_row(project_id, i, t) for i, t in enumerate(project.tasks)]
            self._execute(insert(tasks), rows)
        if project.dependencies:
            rows = [
                mappers.dependency_row(project_id, i, d) for i, d in enumerate(project.dependencies)
            ]
            self._execute(insert(dependencies), rows)
        if project.resources:
            rows = [mappers.resource_row(project_id, i, r) for i, r in enumerate(project.resources)]
            self._execute(insert(resources), rows)
        if project.assignments:
            rows = [
                mappers.assignment_row(project_id, i, a) for i, a in enumerate(project.assignments)
            ]
            self._execute(insert(assignments), rows)
        return project_id

    def _insert_calendars(self, project_id: int, project: Project) -> None:
        if not project.calendars:
            return
        rows = [mappers.calendar_row(project_id, i, c) for i, c in enumerate(project.calendars)]
        self._execute(insert(calendars), rows)
        ids = dict(
            self._execute(
                select(calendars.c.uid, calendars.c.id).where(calendars.c.project_id == project_id)
            ).all()
        )
        exc_rows = [
            mappers.exception_row(ids[c.uid], i, e)
            for c in project.calendars
            for i, e in enumerate(c.exceptions)
        ]
        if exc_rows:
            self._execute(insert(exceptions), exc_rows)
        week_rows = [
            mappers.work_week_row(ids[c.uid], i, w)
            for c in project.calendars
            for i, w in enumerate(c.work_weeks)
        ]
        if week_rows:
            self._execute(insert(work_weeks), week_rows)

    def get(self, key: str) -> Project:
        row = self._execute(select(projects).where(projects.c.key == key)).mappings().first()
        if row is None:
            raise NotFound(f"no project {key}")
        return self._load(row)

    def get_by_id(self, project_id: int) -> Project:
        row = self._execute(select(projects).where(projects.c.id == project_id)).mappings().first()
        if row is None:
            raise NotFound(f"no project with id {project_id}")
        return self._load(row)

    def _load(self, row: Any) -> Project:
        project = mappers.project_from_row(row)
        pid = row["id"]

        def rows(table: Table) -> Any:
            query = select(table).where(table.c.project_id == pid).order_by(table.c.position)
            return self._execute(query).mappings().all()

        project.tasks = [mappers.task_from_row(r) for r in rows(tasks)]
        project.dependencies = [mappers.dependency_from_row(r) for r in rows(dependencies)]
        project.resources = [mappers.resource_from_row(r) for r in rows(resources)]
        project.assignments = [mappers.assignment_from_row(r) for r in rows(assignments)]
        project.calendars = self._load_calendars(pid)
        return project

    def _load_calendars(self, project_id: int) -> builtins.list[Calendar]:
        cal_rows = (
            self._execute(
                select(calendars)
                .where(calendars.c.project_id == project_id)
                .order_by(calendars.c.position)
            )
            .mappings()
            .all()
        )
        owned = select(calendars.c.id).where(calendars.c.project_id == project_id)
        by_cal: dict[int, list[CalendarException]] = defaultdict(list)
        for r in self._execute(
            select(exceptions)
            .where(exceptions.c.calendar_id.in_(owned))
            .order_by(exceptions.c.calendar_id, exceptions.c.position)
        ).mappings():
            by_cal[r["calendar_id"]].append(mappers.exception_from_row(r))
        weeks: dict[int, list[WorkWeek]] = defaultdict(list)
        for r in self._execute(
            select(work_weeks)
            .where(work_weeks.c.calendar_id.in_(owned))
            .order_by(work_weeks.c.calendar_id, work_weeks.c.position)
        ).mappings():
            weeks[r["calendar_id"]].append(mappers.work_week_from_row(r))
        return [mappers.calendar_from_row(r, by_cal[r["id"]], weeks[r["id"]]) for r in cal_rows]

    def list(self) -> Sequence[ProjectSummary]:
        counts = (
            # The finish shown in lists is the scheduled one, rolled up from the tasks.
            select(
                tasks.c.project_id,
                func.count().label("n"),
                func.max(tasks.c.finish).label("last_finish"),
            )
            .where(tasks.c.outline_level > 0)
            .group_by(tasks.c.project_id)
            .subquery()
        )
        query = (
            select(
                projects,
                func.coalesce(counts.c.n, 0).label("task_count"),
                counts.c.last_finish,
            )
            .outerjoin(counts, counts.c.project_id == projects.c.id)
            .order_by(projects.c.key)
        )
        return [
            ProjectSummary(
                id=r.id,
                key=r.key,
                name=r.name,
                start=r.start,
                finish=r.last_finish or r.finish,
                methodology=r.methodology,
                task_count=r.task_count,
                version=r.version,
            )
            for r in self._execute(query)
        ]

    def keys(self) -> set[str]:
        return set(self._execute(select(projects.c.key)).scalars())

    def update_project(self, project: Project) -> None:
        if project.id is None:
            raise NotFound(f"project {project.key} was never stored")
        statement = (
            update(projects)
            .where(projects.c.id == project.id, projects.c.version == project.version)
            .values(**mappers.project_fields(project), version=projects.c.version + 1)
        )
        try:
            with self.session.begin_nested():
                matched = self._execute(statement).rowcount
        except IntegrityError as exc:
            raise Conflict(f"a project with key {project.key} already exists") from exc
        if matched == 0:
            self._raise_stale(projects, projects.c.id == project.id, f"project {project.key}")
        project.version += 1

    def delete(self, project_id: int) -> None:
        # Children go by ON DELETE CASCADE (foreign_keys=ON on SQLite).
        if self._execute(delete(projects).where(projects.c.id == project_id)).rowcount == 0:
            raise NotFound(f"no project with id {project_id}")

    def _raise_stale(self, table: Table, where: Any, what: str) -> None:
        if self._execute(select(func.count()).select_from(table).where(where)).scalar_one():
            raise Conflict(f"{what} was changed by someone else; reload and try again")
        raise NotFound(f"no {what}")

    # ----- tasks ---------------------------------------------------------------------------
    def add_task(self, project_id: int, task: Task, position: int) -> None:
        try:
            with self.session.begin_nested():  # a refused insert must not leave the shift
                self._execute(
                    update(tasks)
                    .where(tasks.c.project_id == project_id, tasks.c.position >= position)
                    .values(position=tasks.c.position + 1)
                )
                self._execute(insert(tasks), mappers.task_row(project_id, position, task))
        except IntegrityError as exc:
            raise Conflict(f"task uid {task.uid} is already used") from exc
        task.version = 1

    def update_task(self, project_id: int, task: Task) -> None:
        """Write an edit of one task. Its place in the WBS (position, outline level) belongs
        to `replace_tasks`, so a stale copy cannot undo someone's indent."""
        key = (tasks.c.project_id == project_id) & (tasks.c.uid == task.uid)
        statement = (
            update(tasks)
            .where(key, tasks.c.version == task.version)
            .values(**mappers.task_fields(task), version=tasks.c.version + 1)
        )
        if self._execute(statement).rowcount == 0:
            self._raise_stale(tasks, key, f"task {task.uid}")
        task.version += 1

    def replace_tasks(self, project: Project) -> None:
        """Make the stored WBS match `project.tasks`: order, outline levels and summary flags
        of kept tasks, new tasks inserted, missing ones deleted (with their links)."""
        pid = _require_id(project)
        stored = set(self._execute(select(tasks.c.uid).where(tasks.c.project_id == pid)).scalars())
        wanted = {t.uid for t in project.tasks}
        self.delete_tasks(pid, stored - wanted)
        moves = [
            {"b_uid": t.uid, "b_pos": i, "b_level": t.outline_level, "b_summary": t.summary}
            for i, t in enumerate(project.tasks)
            if t.uid in stored
        ]
        if moves:
            self._execute(
                update(tasks)
                .where(tasks.c.project_id == pid, tasks.c.uid == bindparam("b_uid"))
                .values(
                    position=bindparam("b_pos"),
                    outline_level=bindparam("b_level"),
                    summary=bindparam("b_summary"),
                ),
                moves,
            )
        new = [
            mappers.task_row(pid, i, t) for i, t in enumerate(project.tasks) if t.uid not in stored
        ]
        if new:
            self._execute(insert(tasks), new)
            for task in project.tasks:
                if task.uid not in stored:
                    task.version = 1

    def delete_tasks(self, project_id: int, uids: Iterable[int]) -> None:
        for chunk in _chunks(uids):
            self._execute(
                delete(tasks).where(tasks.c.project_id == project_id, tasks.c.uid.in_(chunk))
            )

    # ----- links ---------------------------------------------------------------------------
    def add_dependency(self, project_id: int, dep: Dependency) -> None:
        last = self._execute(
            select(func.max(dependencies.c.position)).where(dependencies.c.project_id == project_id)
        ).scalar_one()
        row = mappers.dependency_row(project_id, 0 if last is None else last + 1, dep)
        try:
            with self.session.begin_nested():
                self._execute(insert(dependencies), row)
        except IntegrityError as exc:
            raise Conflict(
                f"link {dep.predecessor} -> {dep.successor} exists or names a missing task"
            ) from exc

    def delete_dependency(self, project_id: int, predecessor: int, successor: int) -> None:
        statement = delete(dependencies).where(
            dependencies.c.project_id == project_id,
            dependencies.c.predecessor_uid == predecessor,
            dependencies.c.successor_uid == successor,
        )
        if self._execute(statement).rowcount == 0:
            raise NotFound(f"no link {predecessor} -> {successor}")

    # ----- schedule ------------------------------------------------------------------------
    def write_schedule(self, project_id: int, dates: Iterable[ScheduledDates]) -> None:
        rows = [{"b_uid": d.uid, "b_start": d.start, "b_finish": d.finish} for d in dates]
        if not rows:
            return
        self._execute(
            update(tasks)
            .where(tasks.c.project_id == project_id, tasks.c.uid == bindparam("b_uid"))
            .values(start=bindparam("b_start"), finish=bindparam("b_finish")),
            rows,
        )


def _require_id(project: Project) -> int:
    if project.id is None:
        raise NotFound(f"project {project.key} was never stored")
    return project.id
