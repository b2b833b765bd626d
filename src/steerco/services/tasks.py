"""Task and link use cases (the CLI's). Every change reschedules, so stored dates stay
true. Each takes the acting `actor`, checked by `services.access`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from steerco.domain import (
    ConstraintType,
    Dependency,
    Duration,
    LinkType,
    Project,
    Task,
    ValidationError,
)
from steerco.domain.duration import Lag
from steerco.domain.links import parse_link
from steerco.domain.task import TaskType
from steerco.services import access, change_log
from steerco.services.access import Action
from steerco.services.accounts import Actor
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory
from steerco.services.scheduling import reschedule
from steerco.services.task_edits import MAX_MINUTES


@dataclass(frozen=True, slots=True)
class NewTask:
    name: str
    duration: str = "1d"
    parent: str | None = None
    after: Sequence[str] = ()
    milestone: bool = False
    deliverable: bool = False
    constraint: ConstraintType = ConstraintType.ASAP
    constraint_date: datetime | None = None
    deadline: datetime | None = None
    notes: str = ""
    task_type: TaskType = TaskType.FIXED_UNITS
    effort_driven: bool = False


def build_task(project: Project, spec: NewTask) -> Task:
    duration = Duration.parse(spec.duration, project.work_time)
    if spec.milestone and duration.minutes:
        raise ValidationError("a milestone has no duration: drop --duration or use 0d")
    return Task(
        uid=project.next_uid(),
        name=spec.name,
        duration=duration,
        milestone=spec.milestone,
        deliverable=spec.deliverable,
        constraint=spec.constraint,
        constraint_date=spec.constraint_date,
        deadline=spec.deadline,
        notes=spec.notes,
        task_type=spec.task_type,
        # Fixed work is effort-driven by definition, as in MS Project.
        effort_driven=spec.effort_driven or spec.task_type is TaskType.FIXED_WORK,
    )


def add_task(
    uow_factory: UnitOfWorkFactory, project_ref: str, spec: NewTask, *, actor: Actor
) -> Task:
    with access.project_unit(
        uow_factory, actor, project_ref, Action.TASK_WRITE, what="add task"
    ) as (uow, project):
        task = add_task_to(uow, project, spec)
        change_log.task_created(uow, actor, project, task)
        uow.commit()
    return task


def add_task_to(uow: UnitOfWork, project: Project, spec: NewTask) -> Task:
    """Add one task with its links to a loaded project inside an open unit of work."""
    assert project.id is not None
    if spec.milestone and spec.duration == "1d":
        spec = replace(spec, duration="0d")
    # Every link is read and checked before anything is added, so a bad one leaves no task.
    links = [parse_link(text, project.work_time) for text in spec.after]
    preds = []
    for link in links:
        check_lag(link.lag)
        preds.append(project.find_task(link.ref))
    task = build_task(project, spec)
    parent = project.find_task(spec.parent) if spec.parent else None
    was_summary = parent.summary if parent else True
    project.add_task(task, parent.uid if parent else None)
    uow.projects.add_task(project.id, task, project.position(task.uid))
    if parent is not None and not was_summary:
        uow.projects.update_task(project.id, parent)
    for link, pred in zip(links, preds, strict=True):
        dep = project.add_dependency(Dependency(pred.uid, task.uid, link.type, link.lag))
        uow.projects.add_dependency(project.id, dep)
    reschedule(uow, project)
    return task


def link_tasks(
    uow_factory: UnitOfWorkFactory,
    project_ref: str,
    predecessor: str,
    successor: str,
    type_: LinkType = LinkType.FS,
    lag: str = "",
    *,
    actor: Actor,
    find: Callable[[Project, str], Task] = Project.find_task,
) -> Dependency:
    """Add a link; a link that would close a cycle raises DependencyCycle and changes nothing.
    `find` reads the task references: the CLI's WBS code or name by default; the REST API
    passes `planning.task_ref`, which tries a uid first."""
    with access.project_unit(uow_factory, actor, project_ref, Action.TASK_WRITE, what="link") as (
        uow,
        project,
    ):
        assert project.id is not None
        parsed = Lag.parse(lag, project.work_time)
        check_lag(parsed)
        pred, succ = find(project, predecessor), find(project, successor)
        dep = project.add_dependency(Dependency(pred.uid, succ.uid, type_, parsed))
        reschedule(uow, project)  # raises on a cycle through summaries, before anything lands
        uow.projects.add_dependency(project.id, dep)
        change_log.record(
            uow,
            actor,
            project.id,
            "link.added",
            dep.successor,
            after={"link": change_log.link_text(project, dep)},
        )
        uow.commit()
    return dep


def check_lag(lag: Lag) -> None:
    """Refuse a lag no plan means (and the engine's minute arithmetic should not meet)."""
    if abs(lag.minutes) > MAX_MINUTES or (lag.percent is not None and abs(lag.percent) > 10_000):
        raise ValidationError("a lag is too long")


def list_tasks(uow_factory: UnitOfWorkFactory, project_ref: str, *, actor: Actor) -> Project:
    with (
        access.denials_audited(uow_factory, actor, f"project:{project_ref} read"),
        uow_factory(write=False) as uow,
    ):
        found = access.check(uow, actor, project_ref, Action.TASK_READ)
        return uow.projects.get(found.key)
