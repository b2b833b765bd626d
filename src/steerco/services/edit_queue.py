"""Group commit of duration edits: one writer thread applies queued edits in batches.

The common edit, a new duration, runs on the cached plan (`services.schedule_cache`): only
what the change reaches is rescheduled, and only the task and the dates that moved are
written (the same outcome as `planning.update_task`'s full path, which tests compare).

`submit` queues an edit and returns a future; one thread of the process (`_WRITER`) takes
every edit queued so far and applies those of each database in one transaction, in arrival
order, with one commit, then answers them and takes the next batch. Under
`synchronous=FULL` a commit is an fsync, which costs more than an edit, so 20 concurrent
editors share commits instead of queueing behind 20 of them. Callers do not need a thread
of their own while they wait: the REST API awaits the future on its event loop, so an edit
costs no thread-pool hop and wakes no other waiting request, and a plain caller just
blocks on `result()`.

Each edit is still checked (permission, version, duration) on its own, and is answered
only once its transaction committed. Inside the transaction, which holds the write lock,
the stored revision must equal the cached one, or the plan is loaded afresh. Permissions
are checked per edit inside that transaction too, and a denial is audited in it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from steerco.domain import Assignment, Conflict, NotFound, PermissionDenied, Task, ValidationError
from steerco.domain.accounts import HiddenProject, ProjectDenied
from steerco.domain.records import ProjectStamp, ScheduledDates
from steerco.engine.arith import Pass
from steerco.engine.cpm import ScheduleState
from steerco.engine.gcpause import refreeze
from steerco.engine.report import task_dates as scheduled_dates  # see _edit_cached
from steerco.services import access, audit, change_log
from steerco.services.access import Action
from steerco.services.accounts import Actor, actor_name
from steerco.services.accounts_members import project_head
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory
from steerco.services.schedule_cache import CACHE, Entry
from steerco.services.task_edits import Changed, TaskChanges, apply_changes, work_follows


@dataclass(slots=True)
class _Request:
    uow_factory: UnitOfWorkFactory
    key: str
    uid: int
    changes: TaskChanges
    version: int
    actor: Actor
    future: Future[Changed] = field(default_factory=Future)


def submit(
    uow_factory: UnitOfWorkFactory,
    ref: str,
    uid: int,
    changes: TaskChanges,
    *,
    actor: Actor,
    version: int,
) -> Future[Changed]:
    """Queue a duration-only edit; the future holds its `Changed`, or the error that
    refused it (Conflict when `version` is stale, NotFound, PermissionDenied, ...)."""
    global _draining
    request = _Request(uow_factory, ref.strip().upper(), uid, changes, version, actor)
    with _LOCK:
        _QUEUE.append(request)
        start, _draining = not _draining, True
    if start:
        _WRITER.submit(_drain)
    return request.future


# A plan this big, once cached, is frozen out of the collector's scans (engine.gcpause):
# ~15 objects a task, which every full collection, in any request, would otherwise walk.
FREEZE_FROM_TASKS = 1000

_LOCK = threading.Lock()
_QUEUE: list[_Request] = []
_draining = False  # a `_drain` is scheduled or running: it takes whatever is queued
_WRITER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="steerco-edits")


def wait_idle() -> None:
    """Return once the writer has finished the work it had, the collection that follows a
    large plan's load included: an edit's answer is set before that collection runs."""
    _WRITER.submit(lambda: None).result()


def _drain() -> None:
    global _draining
    while True:
        with _LOCK:
            batch = [r for r in _QUEUE if r.future.set_running_or_notify_cancel()]
            _QUEUE.clear()
            if not batch:
                _draining = False
                return
        try:
            for group in _by_database(batch):
                with CACHE.lock:
                    _lead(group)
        except BaseException:
            with _LOCK:
                _draining = False  # the next `submit` schedules a new drain
            raise
        finally:
            for r in batch:  # never leave a caller waiting (e.g. after KeyboardInterrupt)
                if not r.future.done():
                    r.future.set_exception(RuntimeError("the edit was interrupted"))


def _by_database(batch: list[_Request]) -> list[list[_Request]]:
    groups: dict[int, list[_Request]] = {}
    for r in batch:
        groups.setdefault(id(r.uow_factory), []).append(r)
    return list(groups.values())


def _lead(batch: list[_Request]) -> None:
    try:
        _commit_edits(batch)
    except Exception:
        # Something beyond a refused edit: each edit again in its own transaction, so one
        # edit's failure is its own.
        for r in batch:
            try:
                _commit_edits([r])
            except Exception as exc:
                r.future.set_exception(exc)


def _commit_edits(batch: list[_Request]) -> None:
    """Apply `batch` (in order, all of one database) in one transaction; a refused edit
    (stale version, missing task, bad duration) is answered with its error and changes
    nothing. Raises on anything else, with the cache entries it used dropped and no request
    answered."""
    touched: list[int] = []
    built_large = False
    outcomes: list[tuple[_Request, Changed | None, Exception | None]] = []
    try:
        with batch[0].uow_factory() as uow:
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
                    built_large |= len(entry.project.tasks) >= FREEZE_FROM_TASKS
                # The batch's rows are written together, three statements in all: the edited
                # tasks, their audit entries, the dates that moved.
                written: list[tuple[Task, int]] = []
                entries: list[audit.Pending] = []
                dates: dict[int, ScheduledDates] = {}
                for r in allowed:
                    old = entry.task(r.uid)
                    try:
                        edit = _edit_cached(entry, r.uid, r.changes, r.version)
                    except (Conflict, NotFound, ValidationError) as exc:
                        outcomes.append((r, None, exc))  # refused before any change
                        continue
                    entry = edit.entry
                    written.append((edit.task, r.version))
                    for assignment in edit.assignments:
                        uow.projects.update_assignment(head.id, assignment)
                    assert old is not None
                    entries.append(
                        change_log.pending(
                            r.actor,
                            head.id,
                            "task.updated",
                            r.uid,
                            before=change_log.task_fields(entry.project, old, ["duration"]),
                            after=change_log.task_fields(entry.project, edit.task, ["duration"]),
                        )
                    )
                    dates.update((d.uid, d) for d in edit.dates)
                    outcomes.append((r, Changed(entry.project, edit.task, state=edit.state), None))
                uow.projects.update_tasks(head.id, written)
                audit.record_all(uow, entries)
                uow.projects.write_schedule(head.id, dates.values())
                entry.revision = uow.projects.stamp(head.id)
                CACHE.put(head.id, entry)
            uow.commit()
    except BaseException:
        for project_id in touched:
            CACHE.drop(project_id)
        raise
    for r, changed, error in outcomes:
        if error is not None:
            r.future.set_exception(error)
        else:
            assert changed is not None
            r.future.set_result(changed)
    if built_large:
        # After the answers are set, though their requests still wait for the collection
        # (it holds the GIL): once per load of a large plan, which itself took far longer.
        refreeze()


def _check_edit(uow: UnitOfWork, r: _Request, head: ProjectStamp) -> None:
    """`planning._writing`'s checks for a queued edit, inside the batch's transaction; a
    denial is audited in that transaction, which commits whatever else the batch holds."""
    try:
        found = access.check_head(uow, r.actor, head, r.key, Action.TASK_WRITE)
        access.check_fields(found, "task", r.changes.named())
    except (ProjectDenied, HiddenProject) as exc:
        hidden = isinstance(exc, HiddenProject)
        audit.record(
            uow,
            actor=actor_name(r.actor),
            action="auth.denied",
            target=f"project:{head.id}",
            now=datetime.now(UTC),
            after={
                "asked": f"project:{r.key} edit task {r.uid}",
                "reason": "not a member" if hidden else str(exc)[:200],
            },
        )
        raise


@dataclass(frozen=True, slots=True)
class _Edit:
    entry: Entry
    task: Task
    dates: list[ScheduledDates]
    state: ScheduleState
    assignments: list[Assignment]  # whose work (or units) followed the new duration


def _edit_cached(entry: Entry, uid: int, changes: TaskChanges, version: int) -> _Edit:
    """Apply a duration change to a cached plan and reschedule it incrementally. Changed
    tasks are replaced by copies, so earlier results handed out keep their values."""
    project = entry.project
    old = entry.task(uid)
    if old is None or old.outline_level == 0:
        raise NotFound(f"no task {uid} in project {project.key}")
    if old.version != version:
        raise Conflict(f"task {uid} was changed by someone else; reload and try again")
    task = old.copy()
    apply_changes(project, task, changes)  # validates before anything changes
    followed = work_follows(project, old, task)
    task.version += 1  # the copy stands for the row as this edit leaves it
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
    # (`engine.report.task_dates`); building the whole result would cost half of an edit
    # on a 200-task plan. The tests compare the stored dates with a full reschedule after
    # every edit.
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
            moved = t if t is task else t.copy()
            moved.start, moved.finish = start, finish
            project.tasks[at] = moved
            dates.append(ScheduledDates(t.uid, start, finish))
    entry.fresh = False
    project.finish = state.finish
    return _Edit(entry, task, dates, state, followed)


def _moved(old: Pass, new: Pass, n: int) -> set[int]:
    """Tasks (0..n-1) whose scheduled values differ between two passes (`Pass.state_of` is
    what the incremental pass itself compares)."""
    return {i for i in range(n) if old.state_of(i, n) != new.state_of(i, n)}
