"""Planning use cases the REST API and the web grid need beyond `tasks.py`: edit and delete
a task, indent and outdent, replace a task's predecessors from a typed `3,5FS+2d` list,
unlink, and a read-only schedule view.

Row references in a predecessor list are task ids (the stable uid the grid shows in its ID
column), not outline numbers, so inserting a row never changes what an existing link means.
Anything else (a name, a WBS code such as `1.2`) goes through `Project.find_task`.
Every change reschedules inside the same unit of work, so stored dates stay true, and a
refused change (a cycle, a stale version) leaves nothing behind.
Every use case takes the project by key or numeric id (`ref`) and the acting `actor`, and
checks it first (`services.access`): reads need a viewer, changes a member.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime

from steerco.domain import (
    Conflict,
    ConstraintType,
    Dependency,
    Duration,
    LinkType,
    NotFound,
    PermissionDenied,
    Project,
    Task,
    ValidationError,
)
from steerco.domain.accounts import HiddenProject, ProjectDenied
from steerco.domain.duration import Lag, WorkTime
from steerco.domain.links import parse_link_list
from steerco.domain.records import ProjectStamp, ScheduledDates, TaskListing
from steerco.engine.arith import Pass
from steerco.engine.cpm import DEFAULT_NEAR_CRITICAL, ScheduleState, schedule
from steerco.engine.report import _dates as scheduled_dates  # see _edit_cached
from steerco.engine.report import build_result
from steerco.engine.result import ScheduleResult
from steerco.services import access, audit, change_log
from steerco.services.access import Action
from steerco.services.accounts import Actor, actor_name
from steerco.services.accounts_members import project_head
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory
from steerco.services.schedule_cache import CACHE, Entry
from steerco.services.scheduling import ProjectSchedule, reschedule
from steerco.services.tasks import NewTask, add_task_to

# About 40 working years: far beyond any plan, and small enough that the engine's calendar
# walk stays quick. Without a bound, "99999999d" would keep a request busy for minutes.
MAX_MINUTES = 40 * 260 * 480


class Changed:
    """A changed task with its project as stored after the change: adapters present it
    without loading the project a second time. `result` is the schedule the change
    produced, when known; after a cached edit it is built on first use (the API's answer
    never needs it, the web grid's does)."""

    __slots__ = ("_result", "_state", "project", "task")

    def __init__(
        self,
        project: Project,
        task: Task,
        result: ScheduleResult | None = None,
        *,
        state: ScheduleState | None = None,
    ) -> None:
        self.project = project
        self.task = task
        self._result = result
        self._state = state

    @property
    def result(self) -> ScheduleResult | None:
        if self._result is None and self._state is not None:
            self._result = build_result(self._state, near_critical=DEFAULT_NEAR_CRITICAL)
        return self._result


@dataclass(frozen=True, slots=True)
class TaskChanges:
    """Fields of one task to change; `None` leaves a field as it is."""

    name: str | None = None
    duration: str | None = None
    milestone: bool | None = None
    constraint: ConstraintType | None = None
    constraint_date: datetime | None = None
    deadline: datetime | None = None
    notes: str | None = None
    percent_complete: int | None = None
    predecessors: str | None = None  # the whole list, as typed: "3,5FS+2d"

    def named(self) -> list[str]:
        """The fields this change sets, for the field-level permission check."""
        return [f.name for f in fields(self) if getattr(self, f.name) is not None]


def load(uow_factory: UnitOfWorkFactory, ref: str, *, actor: Actor) -> Project:
    """A whole project by key or numeric id, for anyone who may read it."""
    with access.project_unit(uow_factory, actor, ref, Action.TASK_READ, write=False,
                             what="read") as (_, project):
        return project


def list_tasks(uow_factory: UnitOfWorkFactory, ref: str, *, actor: Actor) -> TaskListing:
    """A project's WBS rows for a listing (by key or numeric id), without the whole plan."""
    with (
        access.denials_audited(uow_factory, actor, f"project:{ref} read"),
        uow_factory(write=False) as uow,
    ):
        found = access.check(uow, actor, ref, Action.TASK_READ)
        return uow.projects.task_listing(found.key)


def compute_schedule(uow_factory: UnitOfWorkFactory, ref: str, *, actor: Actor) -> ProjectSchedule:
    """Schedule a stored project without writing: safe for GET requests."""
    project = load(uow_factory, ref, actor=actor)
    result = schedule(project, status_date=project.status_date)
    return ProjectSchedule(project, result)


def check_duration(text: str, work_time: WorkTime) -> Duration:
    duration = Duration.parse(text, work_time)
    if duration.minutes > MAX_MINUTES:
        raise ValidationError(f"duration {text!r} is too long")
    return duration


def _check_lag(lag: Lag) -> None:
    if abs(lag.minutes) > MAX_MINUTES or (lag.percent is not None and abs(lag.percent) > 10_000):
        raise ValidationError("a lag is too long")


def task_ref(project: Project, ref: str) -> Task:
    """A task by id (uid) first, then by WBS code or name."""
    ref = ref.strip()
    if ref.isdigit():
        uid = int(ref)
        for task in project.tasks:
            if task.uid == uid and task.outline_level > 0:
                return task
        raise NotFound(f"no task {ref} in project {project.key}")
    return project.find_task(ref)


format_predecessors = change_log.predecessors


@contextmanager
def _writing(
    uow_factory: UnitOfWorkFactory, actor: Actor, ref: str, what: str, fields: Iterable[str] = ()
) -> Iterator[tuple[UnitOfWork, Project]]:
    """A write unit of work with the project loaded, once `actor` may change its tasks
    (and the `fields` named): the one entry of every task change below."""
    with access.denials_audited(uow_factory, actor, f"project:{ref} {what}"), uow_factory() as uow:
        found = access.check(uow, actor, ref, Action.TASK_WRITE)
        access.check_fields(found, "task", fields)
        yield uow, uow.projects.get(found.key)


def create_task(
    uow_factory: UnitOfWorkFactory,
    ref: str,
    spec: NewTask,
    *,
    actor: Actor,
    parent: str | None = None,
    predecessors: str = "",
) -> Changed:
    """Add a task (as the last child of `parent`, a task id) with its typed predecessors."""
    with _writing(uow_factory, actor, ref, "add task") as (uow, project):
        check_duration(spec.duration, project.work_time)
        if parent:
            # add_task_to takes a reference; an outline number names exactly one row.
            spec = replace(spec, parent=project.outline_numbers()[task_ref(project, parent).uid])
        task = add_task_to(uow, project, replace(spec, after=()))
        if predecessors.strip():
            _set_predecessors(uow, project, task, predecessors)
            reschedule(uow, project)
        assert project.id is not None
        change_log.record(uow, actor, project.id, "task.created", task.uid,
                          after=change_log.task_fields(project, task,
                                                       ("name", "duration", "predecessors")))
        uow.commit()
    return Changed(project, task)


def update_task(
    uow_factory: UnitOfWorkFactory,
    ref: str,
    uid: int,
    changes: TaskChanges,
    *,
    actor: Actor,
    version: int,
) -> Changed:
    """Edit one task. `version` is the row version the caller saw: Conflict when stale."""
    if _duration_only(changes):
        return _update_duration(uow_factory, ref, uid, changes, actor=actor, version=version)
    with _writing(uow_factory, actor, ref, f"edit task {uid}", changes.named()) as (
        uow, project
    ):
        assert project.id is not None
        task = task_ref(project, str(uid))
        if task.version != version:
            # Checked here too (not only by storage) so a stale edit fails before any work.
            raise Conflict(f"task {task.uid} was changed by someone else; reload and try again")
        before = change_log.task_fields(project, task, changes.named())
        was_done = task.percent_complete >= 100
        _apply(project, task, changes)
        uow.projects.update_task(project.id, task)
        if changes.predecessors is not None:
            _set_predecessors(uow, project, task, changes.predecessors)
        result = reschedule(uow, project)
        change_log.record(uow, actor, project.id, "task.updated", task.uid, before=before,
                          after=change_log.task_fields(project, task, changes.named()))
        if task.milestone and not was_done and task.percent_complete >= 100:
            change_log.record(uow, actor, project.id, "milestone.completed", task.uid,
                              after={"name": task.name, "finish": task.finish})
        uow.commit()
    return Changed(project, task, result)


def _duration_only(changes: TaskChanges) -> bool:
    return changes.duration is not None and all(
        getattr(changes, f.name) is None for f in fields(changes) if f.name != "duration"
    )


def _update_duration(
    uow_factory: UnitOfWorkFactory,
    ref: str,
    uid: int,
    changes: TaskChanges,
    *,
    actor: Actor,
    version: int,
) -> Changed:
    """The common edit, a new duration, on the cached plan: only what the change reaches is
    rescheduled, and only the task and the dates that moved are written (the same outcome as
    `update_task`'s full path, which tests compare).

    Edits are group-committed: each joins a queue, and whoever holds `CACHE.lock` applies
    every queued edit of the same database in one transaction, in arrival order, and
    commits once. A commit (an fsync) costs more than an edit, so 20 concurrent editors
    share commits instead of queueing behind 20 of them. Each edit is still checked
    (version, duration) on its own, and is answered only once its transaction committed.
    Inside the transaction, which holds the write lock, the stored revision must equal the
    cached one, or the plan is loaded afresh. Permissions are checked per edit inside that
    transaction too, and a denial is audited in it."""
    request = _Request(uow_factory, ref.strip().upper(), uid, changes, version, actor)
    with _QUEUE_READY:
        _QUEUE.append(request)
        while _LEADING and not request.done:
            _QUEUE_READY.wait()
        if not request.done:  # lead: take every queued edit of this database
            _LEADING.append(request)
            batch = [r for r in _QUEUE if r.uow_factory is uow_factory]
            _QUEUE[:] = [r for r in _QUEUE if r.uow_factory is not uow_factory]
    if not request.done:
        try:
            with CACHE.lock:
                _lead(uow_factory, batch)
        finally:
            with _QUEUE_READY:
                _LEADING.clear()
                _QUEUE_READY.notify_all()
    if request.error is not None:
        raise request.error
    assert request.changed is not None
    return request.changed


def _lead(uow_factory: UnitOfWorkFactory, batch: list[_Request]) -> None:
    try:
        _commit_edits(uow_factory, batch)
    except Exception:
        # Something beyond a refused edit: each edit again in its own transaction, so one
        # edit's failure is its own.
        for r in batch:
            try:
                _commit_edits(uow_factory, [r])
            except Exception as exc:
                r.error, r.done = exc, True
    finally:
        for r in batch:  # never leave a caller waiting (e.g. after KeyboardInterrupt)
            if not r.done:
                r.error, r.done = RuntimeError("the edit was interrupted"), True


@dataclass(slots=True)
class _Request:
    uow_factory: UnitOfWorkFactory
    key: str
    uid: int
    changes: TaskChanges
    version: int
    actor: Actor
    done: bool = False
    changed: Changed | None = None
    error: Exception | None = None


_QUEUE: list[_Request] = []
_QUEUE_READY = threading.Condition()
_LEADING: list[_Request] = []  # the request whose thread is committing a batch, if any


def _commit_edits(uow_factory: UnitOfWorkFactory, batch: list[_Request]) -> None:
    """Apply `batch` (in order) in one transaction; a refused edit (stale version, missing
    task, bad duration) is answered with its error and changes nothing. Raises on anything
    else, with the cache entries it used dropped and no request answered."""
    touched: list[int] = []
    outcomes: list[tuple[_Request, Changed | None, Exception | None]] = []
    try:
        with uow_factory() as uow:
            for key in dict.fromkeys(r.key for r in batch):
                try:
                    head = project_head(uow, key)  # the first one takes the write lock
                except NotFound as exc:
                    outcomes.extend((r, None, exc) for r in batch if r.key == key)
                    continue
                allowed = []
                for r in (r for r in batch if r.key == key):
                    try:
                        _check_edit(uow, r, head)  # before the plan is loaded
                        allowed.append(r)
                    except (NotFound, PermissionDenied, ValidationError) as exc:
                        outcomes.append((r, None, exc))
                if not allowed:
                    continue
                touched.append(head.id)
                entry = CACHE.get(head.id, head.revision)
                if entry is None:
                    entry = Entry.build(uow.projects.get(head.key), head.revision)
                dates: dict[int, ScheduledDates] = {}
                for r in allowed:
                    old = entry.task(r.uid)
                    try:
                        edit = _edit_cached(entry, r.uid, r.changes, r.version)
                    except (Conflict, NotFound, ValidationError) as exc:
                        outcomes.append((r, None, exc))  # refused before any change
                        continue
                    entry = edit.entry
                    uow.projects.update_task(head.id, edit.task)
                    assert old is not None
                    change_log.record(
                        uow, r.actor, head.id, "task.updated", r.uid,
                        before=change_log.task_fields(entry.project, old, ["duration"]),
                        after=change_log.task_fields(entry.project, edit.task, ["duration"]))
                    dates.update((d.uid, d) for d in edit.dates)
                    outcomes.append((r, Changed(entry.project, edit.task, state=edit.state), None))
                uow.projects.write_schedule(head.id, dates.values())
                entry.revision = uow.projects.stamp(head.id)
                CACHE.put(head.id, entry)
            uow.commit()
    except BaseException:
        for project_id in touched:
            CACHE.drop(project_id)
        raise
    for r, changed, error in outcomes:
        r.changed, r.error, r.done = changed, error, True


def _check_edit(uow: UnitOfWork, r: _Request, head: ProjectStamp) -> None:
    """`_writing`'s checks for a queued edit, inside the batch's transaction; a denial is
    audited in that transaction, which commits whatever else the batch holds."""
    try:
        found = access.check_head(uow, r.actor, head, r.key, Action.TASK_WRITE)
        access.check_fields(found, "task", r.changes.named())
    except (ProjectDenied, HiddenProject) as exc:
        hidden = isinstance(exc, HiddenProject)
        audit.record(uow, actor=actor_name(r.actor), action="auth.denied",
                     target=f"project:{head.id}", now=datetime.now(UTC),
                     after={"asked": f"project:{r.key} edit task {r.uid}",
                            "reason": "not a member" if hidden else str(exc)[:200]})
        raise


@dataclass(frozen=True, slots=True)
class _Edit:
    entry: Entry
    task: Task
    dates: list[ScheduledDates]
    state: ScheduleState


def _edit_cached(entry: Entry, uid: int, changes: TaskChanges, version: int) -> _Edit:
    """Apply a duration change to a cached plan and reschedule it incrementally. Changed
    tasks are replaced by copies, so earlier results handed out keep their values."""
    project = entry.project
    old = entry.task(uid)
    if old is None or old.outline_level == 0:
        raise NotFound(f"no task {uid} in project {project.key}")
    if old.version != version:
        raise Conflict(f"task {uid} was changed by someone else; reload and try again")
    task = copy.copy(old)
    _apply(project, task, changes)  # validates before anything changes
    entry.put(task)
    before = entry.rescheduler.state
    if task.duration.elapsed != old.duration.elapsed:
        entry = Entry.build(project, entry.revision)  # the snapshot's elapsed flag changes
        state = entry.rescheduler.state
    else:
        state = entry.rescheduler.set_duration(uid, task.duration.minutes)
    # Only tasks whose offsets moved can have new dates (and the edited one, whose duration
    # decides how its finish reads), except on a fresh entry, whose stored dates may
    # predate the plan's last change. Dates are read the way `build_result` reads them
    # (engine.report._dates: please keep it, or give it a public name); building the
    # whole result would cost half of an edit on a 200-task plan. The tests compare the
    # stored dates with a full reschedule after every edit.
    snap, sched = state.snapshot, state.scheduled
    reached = entry.rescheduler.moved
    if entry.fresh:
        moved_nodes: Iterable[int] = range(snap.size)
    elif reached is not None:
        moved_nodes = reached  # what the incremental pass itself found moved
    else:
        moved_nodes = _moved(before.scheduled, sched, snap.size) | {snap.index(uid)}
    dates = []
    for i in sorted(moved_nodes):
        start, finish = scheduled_dates(snap, sched, i)
        at = entry.positions[snap.uids[i]]
        t = project.tasks[at]
        if t.start != start or t.finish != finish:
            moved = t if t is task else copy.copy(t)
            moved.start, moved.finish = start, finish
            project.tasks[at] = moved
            dates.append(ScheduledDates(t.uid, start, finish))
    entry.fresh = False
    project.finish = state.finish
    return _Edit(entry, task, dates, state)


def _moved(old: Pass, new: Pass, n: int) -> set[int]:
    """Tasks (0..n-1) whose scheduled values differ between two passes (`Pass.state_of` is
    what the incremental pass itself compares)."""
    return {i for i in range(n) if old.state_of(i, n) != new.state_of(i, n)}


def _apply(project: Project, task: Task, changes: TaskChanges) -> None:
    if changes.name is not None:
        task.name = changes.name
    if changes.duration is not None:
        task.duration = check_duration(changes.duration, project.work_time)
    if changes.milestone is not None:
        task.milestone = changes.milestone
        if changes.milestone and changes.duration is None:
            task.duration = Duration(0)
    if task.milestone and task.duration.minutes:
        raise ValidationError("a milestone has no duration: use 0d")
    if changes.constraint is not None:
        task.constraint = changes.constraint
        if not task.constraint.needs_date:
            task.constraint_date = None
    if changes.constraint_date is not None:
        task.constraint_date = changes.constraint_date
    if changes.deadline is not None:
        task.deadline = changes.deadline
    if changes.notes is not None:
        task.notes = changes.notes
    if changes.percent_complete is not None:
        task.percent_complete = changes.percent_complete
    task.__post_init__()  # re-validate the edited row before it is written


def _set_predecessors(uow: UnitOfWork, project: Project, task: Task, text: str) -> None:
    """Make `task`'s incoming links exactly the typed list."""
    assert project.id is not None
    wanted: list[Dependency] = []
    for spec in parse_link_list(text, project.work_time):
        _check_lag(spec.lag)
        pred = task_ref(project, spec.ref)
        wanted.append(Dependency(pred.uid, task.uid, spec.type, spec.lag))
    if len({d.key for d in wanted}) != len(wanted):
        raise ValidationError("the same predecessor is listed twice")
    for dep in [d for d in project.dependencies if d.successor == task.uid]:
        project.dependencies.remove(dep)
        uow.projects.delete_dependency(project.id, dep.predecessor, dep.successor)
    for dep in wanted:
        uow.projects.add_dependency(project.id, project.add_dependency(dep))


def delete_task(uow_factory: UnitOfWorkFactory, ref: str, uid: int, *, actor: Actor) -> list[int]:
    """Delete a task with its subtasks and links; returns the deleted ids."""
    with _writing(uow_factory, actor, ref, f"delete task {uid}") as (uow, project):
        task = task_ref(project, str(uid))
        gone = project.remove_task(task.uid)
        uow.projects.replace_tasks(project)
        reschedule(uow, project)
        assert project.id is not None
        change_log.record(uow, actor, project.id, "task.deleted", task.uid,
                          before={"name": task.name, "deleted": gone})
        uow.commit()
    return gone


def indent(uow_factory: UnitOfWorkFactory, ref: str, uid: int, *, actor: Actor) -> Changed:
    """Make the task (and its subtasks) a child of the row above it, as MS Project does."""
    return _shift(uow_factory, ref, uid, +1, actor)


def outdent(uow_factory: UnitOfWorkFactory, ref: str, uid: int, *, actor: Actor) -> Changed:
    return _shift(uow_factory, ref, uid, -1, actor)


def _shift(uow_factory: UnitOfWorkFactory, ref: str, uid: int, step: int, actor: Actor) -> Changed:
    with _writing(uow_factory, actor, ref, f"move task {uid}") as (uow, project):
        task = task_ref(project, str(uid))
        i = project.position(task.uid)
        if step > 0:
            above = project.tasks[i - 1] if i > 0 else None
            if above is None or above.outline_level < task.outline_level:
                raise ValidationError(f"{task.name!r} has no row above it at its level")
        elif task.outline_level <= 1:
            raise ValidationError(f"{task.name!r} is already at the top level")
        level = task.outline_level
        for uid_ in [task.uid, *project.descendants(task.uid)]:
            project.task(uid_).outline_level += step
        project.refresh_summaries()
        _check_no_summary_links(project)
        uow.projects.replace_tasks(project)
        result = reschedule(uow, project)
        assert project.id is not None
        change_log.record(uow, actor, project.id,
                          "task.indented" if step > 0 else "task.outdented", task.uid,
                          before={"outline_level": level},
                          after={"outline_level": task.outline_level})
        uow.commit()
    return Changed(project, task, result)


def _check_no_summary_links(project: Project) -> None:
    for dep in project.dependencies:
        if dep.successor in project.descendants(dep.predecessor) or dep.predecessor in (
            project.descendants(dep.successor)
        ):
            raise ValidationError("a summary task cannot be linked to its own subtasks")
        if project.task(dep.predecessor).milestone and project.task(dep.predecessor).summary:
            raise ValidationError("a milestone cannot hold subtasks")
    for task in project.tasks:
        if task.summary and task.milestone:
            raise ValidationError(f"milestone {task.name!r} cannot hold subtasks")


def link(
    uow_factory: UnitOfWorkFactory,
    ref: str,
    predecessor: str,
    successor: str,
    *,
    actor: Actor,
    type_: LinkType = LinkType.FS,
    lag: str = "",
) -> Dependency:
    """Add one link by task ids; a cycle raises DependencyCycle and changes nothing."""
    with _writing(uow_factory, actor, ref, "link") as (uow, project):
        assert project.id is not None
        parsed = Lag.parse(lag, project.work_time)
        _check_lag(parsed)
        pred, succ = task_ref(project, predecessor), task_ref(project, successor)
        dep = project.add_dependency(Dependency(pred.uid, succ.uid, type_, parsed))
        reschedule(uow, project)  # raises on a cycle through summaries, before anything lands
        uow.projects.add_dependency(project.id, dep)
        change_log.record(uow, actor, project.id, "link.added", dep.successor,
                          after={"link": change_log.link_text(project, dep)})
        uow.commit()
    return dep


def unlink(
    uow_factory: UnitOfWorkFactory, ref: str, predecessor: int, successor: int, *, actor: Actor
) -> None:
    with _writing(uow_factory, actor, ref, "unlink") as (uow, project):
        assert project.id is not None
        found = [d for d in project.dependencies if d.key == (predecessor, successor)]
        if not found:
            raise NotFound(f"no link {predecessor} -> {successor}")
        text = change_log.link_text(project, found[0])
        project.dependencies = [
            d for d in project.dependencies if d.key != (predecessor, successor)
        ]
        uow.projects.delete_dependency(project.id, predecessor, successor)
        reschedule(uow, project)
        change_log.record(uow, actor, project.id, "link.removed", successor,
                          before={"link": text})
        uow.commit()
