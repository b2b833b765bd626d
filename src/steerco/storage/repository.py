"""The project repository on SQLAlchemy Core.

Bulk paths (`add`, `get`, `replace_tasks`, `write_schedule`) use Core statements with
executemany lists of dicts and read plain rows, so an import of 100,000 tasks costs a few
seconds, not minutes. Edits use optimistic locking: `UPDATE ... WHERE version = :old`,
and a stale version raises `Conflict` rather than overwriting someone else's change.
"""

from __future__ import annotations

import builtins
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from itertools import islice
from operator import itemgetter
from typing import Any, TypeVar, cast

from sqlalchemy import (
    Boolean,
    DateTime,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from steerco.domain import (
    Assignment,
    Calendar,
    CalendarException,
    Conflict,
    Dependency,
    NotFound,
    Project,
    ProjectSummary,
    Resource,
    ScheduledDates,
    Task,
    ValidationError,
    WorkTime,
    WorkWeek,
)
from steerco.domain.records import ProjectStamp, TaskLine, TaskListing
from steerco.engine.gcpause import paused_gc
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


# Statements of the edit path, built once with bound parameters: building an UPDATE of 32
# literal values (and its cache key) cost more than running it.
_TASK_COLUMNS = tuple(mappers.task_fields(Task(uid=1, name="columns")))
_UPDATE_TASK = (
    update(tasks)
    .where(
        tasks.c.project_id == bindparam("b_pid"),
        tasks.c.uid == bindparam("b_uid"),
        tasks.c.version == bindparam("b_version"),
    )
    .values({**{name: bindparam(name) for name in _TASK_COLUMNS}, "version": tasks.c.version + 1})
)
_WRITE_DATES = (
    update(tasks)
    .where(tasks.c.project_id == bindparam("b_pid"), tasks.c.uid == bindparam("b_uid"))
    .values(start=bindparam("b_start"), finish=bindparam("b_finish"))
)
_STAMP = (
    update(projects)
    .where(projects.c.id == bindparam("b_pid"))
    .values(revision=bindparam("b_revision"))
)
_STAMP_OF = select(projects.c.id, projects.c.key, projects.c.revision).where(
    projects.c.key == bindparam("b_key")
)
_STAMP_OF_ID = select(projects.c.id, projects.c.key, projects.c.revision).where(
    projects.c.id == bindparam("b_pid")
)


class SqlProjectRepository:
    """Implements `steerco.services.ports.ProjectRepository` inside one session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._stamped: dict[int, tuple[object, int]] = {}  # project id -> (transaction, stamp)

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
            with self.session.begin_nested(), paused_gc():
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
        self.stamp(project_id)  # a stored plan always has a revision read caches can key on
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
            self._insert_many(tasks, rows)
        if project.dependencies:
            rows = [
                mappers.dependency_row(project_id, i, d) for i, d in enumerate(project.dependencies)
            ]
            self._insert_many(dependencies, rows)
        if project.resources:
            rows = [mappers.resource_row(project_id, i, r) for i, r in enumerate(project.resources)]
            self._insert_many(resources, rows)
        if project.assignments:
            rows = [
                mappers.assignment_row(project_id, i, a) for i, a in enumerate(project.assignments)
            ]
            self._insert_many(assignments, rows)
        return project_id

    def _insert_many(self, table: Table, rows: builtins.list[mappers.RowDict]) -> None:
        """`insert(table)` executemany of `rows` (dicts with the same keys).

        On SQLite the statement is compiled once and the rows go to the driver as tuples,
        converted column by column with the dialect's own bind processors: SQLAlchemy's
        per-row parameter processing costs more than SQLite's insert itself at 100,000 rows.
        """
        conn = self.session.connection()
        if conn.dialect.name != "sqlite":
            conn.execute(insert(table), rows)
            return
        compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(rows[0]))
        names = builtins.list(compiled.positiontup or ())
        if len(names) < 2:  # itemgetter of one name gives values, not tuples
            conn.execute(insert(table), rows)
            return
        # Rows to tuples and back to columns in C; only converted columns are touched again.
        tuples = map(itemgetter(*names), rows)
        columns: builtins.list[Any] = builtins.list(zip(*tuples, strict=True))
        for i, name in enumerate(names):
            convert = _sqlite_converter(table.c[name].type, conn.dialect)
            if convert is not None:
                columns[i] = map(convert, columns[i])
        conn.exec_driver_sql(compiled.string, builtins.list(zip(*columns, strict=True)))

    def _insert_calendars(self, project_id: int, project: Project) -> None:
        if not project.calendars:
            return
        rows = [mappers.calendar_row(project_id, i, c) for i, c in enumerate(project.calendars)]
        self._insert_many(calendars, rows)
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
            self._insert_many(exceptions, exc_rows)
        week_rows = [
            mappers.work_week_row(ids[c.uid], i, w)
            for c in project.calendars
            for i, w in enumerate(c.work_weeks)
        ]
        if week_rows:
            self._insert_many(work_weeks, week_rows)

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
                revision=r.revision,
            )
            for r in self._execute(query)
        ]

    # ----- light reads and revision stamps -------------------------------------------------
    def task_listing(self, key: str) -> TaskListing:
        """The WBS rows a listing shows, straight from the columns it needs (no aggregate)."""
        head = self._execute(
            select(
                projects.c.id,
                projects.c.key,
                projects.c.minutes_per_day,
                projects.c.minutes_per_week,
                projects.c.days_per_month,
            ).where(projects.c.key == key)
        ).first()
        if head is None:
            raise NotFound(f"no project {key}")
        pid = head.id
        t = tasks.c
        query = (
            select(
                t.uid,
                t.name,
                t.outline_level,
                t.summary,
                t.milestone,
                t.duration_minutes,
                t.duration_unit,
                t.duration_elapsed,
                t.duration_estimated,
                t.start,
                t.finish,
                t.percent_complete,
                t.constraint_type,
                t.constraint_date,
                t.deadline,
                t.notes,
                t.version,
                t.splits,
            )
            .where(t.project_id == pid)
            .order_by(t.position)
        )
        duration, splits = mappers.stored_duration, mappers.load_splits
        lines = [
            TaskLine(
                r[0],
                r[1],
                r[2],
                r[3],
                r[4],
                duration(r[5], r[6], r[7], r[8]),
                r[9],
                r[10],
                r[11],
                r[12],
                r[13],
                r[14],
                r[15],
                r[16],
                splits(r[17]),
            )
            for r in self._execute(query)
        ]
        d = dependencies.c
        link_query = (
            select(
                d.predecessor_uid,
                d.successor_uid,
                d.type,
                d.lag_minutes,
                d.lag_unit,
                d.lag_elapsed,
                d.lag_percent,
            )
            .where(d.project_id == pid)
            .order_by(d.position)
        )
        link = mappers.stored_link
        links = [link(*r) for r in self._execute(link_query)]
        work_time = WorkTime(head.minutes_per_day, head.minutes_per_week, head.days_per_month)
        return TaskListing(pid, head.key, work_time, lines, links)

    def stamp_of(self, key: str) -> ProjectStamp:
        """The project's id and revision, read inside the unit of work's transaction."""
        row = self._execute(_STAMP_OF, {"b_key": key}).first()
        if row is None:
            raise NotFound(f"no project {key}")
        return ProjectStamp(row.id, row.key, row.revision)

    def stamp_of_id(self, project_id: int) -> ProjectStamp:
        """`stamp_of` by numeric id: what a permission check reads before anything else."""
        row = self._execute(_STAMP_OF_ID, {"b_pid": project_id}).first()
        if row is None:
            raise NotFound(f"no project with id {project_id}")
        return ProjectStamp(row.id, row.key, row.revision)

    def stamp(self, project_id: int) -> int:
        """Renew the project's revision (every write does); returns the new stamp. One stamp
        per project and transaction: later writes in the same transaction keep it."""
        transaction = self.session.get_transaction()
        done = self._stamped.get(project_id)
        if done is not None and done[0] is transaction and transaction is not None:
            return done[1]
        value = secrets.randbits(62) or 1
        self._execute(_STAMP, {"b_pid": project_id, "b_revision": value})
        self._stamped[project_id] = (self.session.get_transaction(), value)
        return value

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
        self.stamp(project.id)
        project.version += 1

    def replace_calendars(self, project: Project) -> None:
        """Make the stored calendars match `project.calendars` (their exceptions and work
        weeks go with them, by ON DELETE CASCADE). Calendars are small, so they are rewritten
        whole rather than diffed."""
        pid = _require_id(project)
        self.stamp(pid)
        self._execute(delete(calendars).where(calendars.c.project_id == pid))
        self._insert_calendars(pid, project)

    # ----- resources and assignments -----------------------------------------------------
    def add_resource(self, project_id: int, resource: Resource, position: int) -> None:
        try:
            with self.session.begin_nested():
                row = mappers.resource_row(project_id, position, resource)
                self._execute(insert(resources), row)
        except IntegrityError as exc:
            raise Conflict(f"resource uid {resource.uid} is already used") from exc
        self.stamp(project_id)

    def add_assignment(self, project_id: int, assignment: Assignment, position: int) -> None:
        try:
            with self.session.begin_nested():
                self._execute(
                    insert(assignments), mappers.assignment_row(project_id, position, assignment)
                )
        except IntegrityError as exc:
            raise Conflict(f"assignment uid {assignment.uid} is already used") from exc
        self.stamp(project_id)

    def update_resource(self, project_id: int, resource: Resource) -> None:
        """A resource's own fields (name, kind, max units, calendar, contact, rates, extras)."""
        row = mappers.resource_row(project_id, 0, resource)
        for key in ("project_id", "uid", "position", "version"):
            row.pop(key)
        done = self._execute(
            update(resources)
            .where(resources.c.project_id == project_id, resources.c.uid == resource.uid)
            .values(**row, version=resources.c.version + 1)
        ).rowcount
        if done == 0:
            raise NotFound(f"no resource {resource.uid}")
        self.stamp(project_id)

    def update_assignment(self, project_id: int, assignment: Assignment) -> None:
        """Units, work and rate table of a stored assignment."""
        done = self._execute(
            update(assignments)
            .where(assignments.c.project_id == project_id, assignments.c.uid == assignment.uid)
            .values(
                units=assignment.units,
                work_minutes=assignment.work_minutes,
                rate_table=assignment.rate_table,
                version=assignments.c.version + 1,
            )
        ).rowcount
        if done == 0:
            raise NotFound(f"no assignment {assignment.uid}")
        self.stamp(project_id)

    def delete_assignment(self, project_id: int, uid: int) -> None:
        where = (assignments.c.project_id == project_id) & (assignments.c.uid == uid)
        if self._execute(delete(assignments).where(where)).rowcount == 0:
            raise NotFound(f"no assignment {uid}")
        self.stamp(project_id)

    def delete_resource(self, project_id: int, uid: int) -> None:
        # Its profile goes by ON DELETE CASCADE; assignments are the caller's to remove first.
        where = (resources.c.project_id == project_id) & (resources.c.uid == uid)
        if self._execute(delete(resources).where(where)).rowcount == 0:
            raise NotFound(f"no resource {uid}")
        self.stamp(project_id)

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
        self.stamp(project_id)
        task.version = 1

    def update_task(self, project_id: int, task: Task) -> None:
        """Write an edit of one task. Its place in the WBS (position, outline level) belongs
        to `replace_tasks`, so a stale copy cannot undo someone's indent."""
        params = mappers.task_fields(task)
        params.update(b_pid=project_id, b_uid=task.uid, b_version=task.version)
        if self._execute(_UPDATE_TASK, params).rowcount == 0:
            key = (tasks.c.project_id == project_id) & (tasks.c.uid == task.uid)
            self._raise_stale(tasks, key, f"task {task.uid}")
        self.stamp(project_id)
        task.version += 1

    def update_tasks(self, project_id: int, edits: Sequence[tuple[Task, int]]) -> None:
        """A batch of edits in one statement: each task as edited, with the version stored
        before that edit (the task's own version is already the next one; a task edited
        twice comes twice). Conflict if any stored version differs: some rows may then be
        written, so the caller's unit of work must roll back."""
        if not edits:
            return
        rows = []
        for task, version in edits:
            params = mappers.task_fields(task)
            params.update(b_pid=project_id, b_uid=task.uid, b_version=version)
            rows.append(params)
        if self._execute(_UPDATE_TASK, rows).rowcount != len(rows):
            raise Conflict("a task was changed by someone else; reload and try again")
        self.stamp(project_id)

    def replace_tasks(self, project: Project) -> None:
        """Make the stored WBS match `project.tasks`: order, outline levels and summary flags
        of kept tasks, new tasks inserted, missing ones deleted (with their links)."""
        pid = _require_id(project)
        self.stamp(pid)
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
        self.stamp(project_id)
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
        self.stamp(project_id)
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
        self.stamp(project_id)

    # ----- schedule ------------------------------------------------------------------------
    def write_schedule(self, project_id: int, dates: Iterable[ScheduledDates]) -> None:
        rows = [
            {"b_pid": project_id, "b_uid": d.uid, "b_start": d.start, "b_finish": d.finish}
            for d in dates
        ]
        if not rows:
            return
        self.stamp(project_id)
        self._execute(_WRITE_DATES, rows)


def _sqlite_converter(type_: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """What SQLite's bind processor makes of one column's values; None when nothing.

    Booleans need none (sqlite3 stores True as 1, as the processor's int() does). Naive
    datetimes take `isoformat`, which writes SQLAlchemy's storage format
    (`2025-01-06 08:00:00.000000`) in C; anything else goes through the processor itself.
    """
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    if process is None or isinstance(type_, Boolean):
        return None
    if not isinstance(type_, DateTime):
        return cast(Callable[[Any], Any], process)

    def to_text(value: Any) -> Any:
        if type(value) is datetime and value.tzinfo is None:
            return value.isoformat(" ", "microseconds")
        return process(value)

    return to_text


def _require_id(project: Project) -> int:
    if project.id is None:
        raise NotFound(f"project {project.key} was never stored")
    return project.id
