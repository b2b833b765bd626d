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

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import replace

from steerco.domain import (
    Conflict,
    Dependency,
    LinkType,
    NotFound,
    Project,
    Task,
    ValidationError,
)
from steerco.domain.links import parse_link_list
from steerco.domain.records import TaskListing
from steerco.engine.gcpause import paused_gc
from steerco.services import access, change_log, edit_queue, task_edits
from steerco.services.access import Action
from steerco.services.accounts import Actor
from steerco.services.accounts_members import project_head
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory
from steerco.services.projects import list_projects
from steerco.services.schedule_views import VIEWS, View
from steerco.services.scheduling import ProjectSchedule, reschedule
from steerco.services.task_edits import apply_changes
from steerco.services.tasks import NewTask, add_task_to, check_lag, link_tasks

# Adapters and tests name these from here; they live in task_edits, shared with edit_queue.
Changed = task_edits.Changed
TaskChanges = task_edits.TaskChanges
check_duration = task_edits.check_duration


@paused_gc()  # every task of the plan at once: see engine.gcpause
def load(uow_factory: UnitOfWorkFactory, ref: str, *, actor: Actor) -> Project:
    """A whole project by key or numeric id, for anyone who may read it."""
    with access.project_unit(
        uow_factory, actor, ref, Action.TASK_READ, write=False, what="read"
    ) as (_, project):
        return project


@paused_gc()
def list_tasks(uow_factory: UnitOfWorkFactory, ref: str, *, actor: Actor) -> TaskListing:
    """A project's WBS rows for a listing (by key or numeric id), without the whole plan."""
    with (
        access.denials_audited(uow_factory, actor, f"project:{ref} read"),
        uow_factory(write=False) as uow,
    ):
        found = access.check(uow, actor, ref, Action.TASK_READ)
        return uow.projects.task_listing(found.key)


@paused_gc()
def compute_schedule(uow_factory: UnitOfWorkFactory, ref: str, *, actor: Actor) -> ProjectSchedule:
    """Schedule a stored project without writing: safe for GET requests.

    Served from `schedule_views.VIEWS` while the project's revision is unchanged (the
    permission check is made every time), so the plan and result are shared: read them,
    never change them."""
    with (
        access.denials_audited(uow_factory, actor, f"project:{ref} read"),
        uow_factory(write=False) as uow,
    ):
        head = project_head(uow, ref)
        access.check_head(uow, actor, head, ref, Action.TASK_READ)
        view = VIEWS.get(head.id, head.revision)
        if view is None:
            # Read after the stamp: this revision or a newer one, never an older one.
            view = View(head.revision, uow.projects.get(head.key))
            VIEWS.put(head.id, view)
    return view.scheduled()


def readable_schedules(
    uow_factory: UnitOfWorkFactory,
    *,
    actor: Actor,
    besides: int | None = None,
    wanted: Callable[[Project], bool] = lambda project: True,
) -> Iterator[ProjectSchedule]:
    """Each project `actor` may read, in the project list's order, with its computed
    schedule: not project `besides` (not even loaded), nor one `wanted` refuses (loaded,
    not scheduled).

    Plans and schedules come from `schedule_views.VIEWS` while their revision is the one
    listed, so they are shared: read them, never change them."""
    for summary in list_projects(uow_factory, actor=actor):
        if summary.id == besides:
            continue
        view = VIEWS.get(summary.id, summary.revision)
        if view is None:
            try:
                project = load(uow_factory, str(summary.id), actor=actor)
            except NotFound:
                continue  # deleted since it was listed
            # Loaded after the listing, so it is this revision or a newer one: a newer
            # one is cached under the listed (older) revision and simply misses next time.
            view = View(summary.revision, project)
            VIEWS.put(summary.id, view)
        if wanted(view.project):
            yield view.scheduled()


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
        change_log.task_created(uow, actor, project, task)
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
    pending = submit_update(uow_factory, ref, uid, changes, actor=actor, version=version)
    if pending is not None:
        return pending.result()
    with _writing(uow_factory, actor, ref, f"edit task {uid}", changes.named()) as (uow, project):
        assert project.id is not None
        task = task_ref(project, str(uid))
        if task.version != version:
            # Checked here too (not only by storage) so a stale edit fails before any work.
            raise Conflict(f"task {task.uid} was changed by someone else; reload and try again")
        before = change_log.task_fields(project, task, changes.named())
        was_done = task.percent_complete >= 100
        old = task.copy()
        apply_changes(project, task, changes)
        followed = task_edits.work_follows(project, old, task)
        uow.projects.update_task(project.id, task)
        for assignment in followed:
            uow.projects.update_assignment(project.id, assignment)
        if changes.predecessors is not None:
            _set_predecessors(uow, project, task, changes.predecessors)
        result = reschedule(uow, project)
        change_log.record(
            uow,
            actor,
            project.id,
            "task.updated",
            task.uid,
            before=before,
            after=change_log.task_fields(project, task, changes.named()),
        )
        if task.milestone and not was_done and task.percent_complete >= 100:
            change_log.record(
                uow,
                actor,
                project.id,
                "milestone.completed",
                task.uid,
                after={"name": task.name, "finish": task.finish},
            )
        uow.commit()
    return Changed(project, task, result)


def submit_update(
    uow_factory: UnitOfWorkFactory,
    ref: str,
    uid: int,
    changes: TaskChanges,
    *,
    actor: Actor,
    version: int,
) -> Future[Changed] | None:
    """`update_task` without waiting, for the common edit, a new duration and nothing else:
    it is queued for the group commit (`services.edit_queue`) and the future answers it
    once committed. None for any other change, which the caller makes with `update_task`.
    The REST API awaits the future on its event loop instead of holding a thread."""
    if not changes.duration_only():
        return None
    return edit_queue.submit(uow_factory, ref, uid, changes, actor=actor, version=version)


def _set_predecessors(uow: UnitOfWork, project: Project, task: Task, text: str) -> None:
    """Make `task`'s incoming links exactly the typed list."""
    assert project.id is not None
    wanted: list[Dependency] = []
    for spec in parse_link_list(text, project.work_time):
        check_lag(spec.lag)
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
        change_log.record(
            uow,
            actor,
            project.id,
            "task.deleted",
            task.uid,
            before={"name": task.name, "deleted": gone},
        )
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
        change_log.record(
            uow,
            actor,
            project.id,
            "task.indented" if step > 0 else "task.outdented",
            task.uid,
            before={"outline_level": level},
            after={"outline_level": task.outline_level},
        )
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
    return link_tasks(
        uow_factory, ref, predecessor, successor, type_, lag, actor=actor, find=task_ref
    )


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
        change_log.record(uow, actor, project.id, "link.removed", successor, before={"link": text})
        uow.commit()
