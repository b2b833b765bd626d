"""MS Project's Clear Leveling: every leveling delay back to zero, and the plan rescheduled.

Leveling only ever adds delays (and, when asked to, pauses), so clearing them gives back the
plan as its links, constraints and calendars alone would schedule it: what a project manager
wants after a leveling run they do not like, or before leveling again by hand.

With `split`, the pauses of the tasks leveling may split go too, as leveling with `split`
clears them before deciding them afresh. Without it every pause stays: steerco cannot tell a
pause leveling made from one typed by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from steerco.domain import Duration, Project, Task, TimeUnit, ValidationError
from steerco.engine.cpm import schedule
from steerco.engine.result import ScheduleResult
from steerco.interop.mspdi.task_splits import leveling_can_split
from steerco.services.scheduling import schedule_project

if TYPE_CHECKING:
    from steerco.services.accounts import Actor
    from steerco.services.ports import UnitOfWork, UnitOfWorkFactory

DELAY_TAGS = ("<LevelingDelay>", "<LevelingDelayFormat>")  # a verbatim delay in the extras


@dataclass(frozen=True, slots=True)
class ClearedTask:
    uid: int
    name: str
    start_before: datetime
    start: datetime  # where it starts now, without its delay (or pauses)


@dataclass(frozen=True, slots=True)
class ClearedLeveling:
    project: Project
    result: ScheduleResult
    finish_before: datetime
    cleared: tuple[ClearedTask, ...]  # tasks that had a delay (or, with `split`, pauses)


def clear_leveling(
    project: Project, *, split: bool = False, status_date: datetime | None = None
) -> ClearedLeveling:
    """Clear `project`'s leveling in place: delays to zero (with `split`, the pauses of tasks
    leveling may split joined), tasks rescheduled."""
    if not project.schedule_from_start:
        raise ValidationError("leveling a plan scheduled from its finish date is not supported")
    status_date = status_date or project.status_date
    before = schedule(project, status_date=status_date)
    touched = [task for task in project.tasks if _clear(task, split)]
    after = schedule_project(project, status_date)
    cleared = tuple(
        ClearedTask(t.uid, t.name, before.tasks[t.uid].start, after.tasks[t.uid].start)
        for t in touched
        if t.uid in before.tasks and t.uid in after.tasks
    )
    return ClearedLeveling(project, after, before.finish, cleared)


def _clear(task: Task, split: bool) -> bool:
    """Clear one task's leveling; whether it had any."""
    if task.outline_level == 0:
        return False
    had_delay = clear_delay(task)
    paused = split and bool(task.splits) and not task.summary and leveling_can_split(task)
    if paused:
        task.splits = ()
    return had_delay or paused


def clear_delay(task: Task) -> bool:
    """Set `task`'s leveling delay to zero (in its own format); whether it had one.

    A delay the domain cannot hold (a fraction of a minute, a percentage) rides along
    verbatim in the extras; MS Project would still apply it, so it goes too."""
    delay = task.leveling_delay
    odd = any(f.startswith(DELAY_TAGS) for f in task.extras)
    if not odd and (delay is None or not delay.minutes):
        return False
    unit, elapsed = (delay.unit, delay.elapsed) if delay is not None else (TimeUnit.DAY, True)
    task.leveling_delay = Duration(0, unit, elapsed)
    task.extras = [f for f in task.extras if not f.startswith(DELAY_TAGS)]
    return True


def clear_stored(
    uow_factory: UnitOfWorkFactory, ref: str, *, actor: Actor, now: datetime, split: bool = False
) -> ClearedLeveling:
    """Clear a stored project's leveling (by key or id) and save it, in one transaction; it
    rewrites delays and dates, so it needs the right to write tasks. Audited."""
    from steerco.domain.accounts import Action
    from steerco.services import access

    with access.project_unit(uow_factory, actor, ref, Action.TASK_WRITE, what="clear leveling") as (
        uow,
        project,
    ):
        outcome = clear_leveling(project, split=split)
        store(
            uow, project, outcome.result, {c.uid for c in outcome.cleared},
            Run("leveling.cleared", actor, now, outcome.finish_before,
                {"tasks": len(outcome.cleared), "split": split}),
        )  # fmt: skip
        uow.commit()
    return outcome


@dataclass(frozen=True, slots=True)
class Run:
    """The audit entry of a leveling run (or of clearing it): who, when, the finish before
    (the finish after is the stored schedule's) and what else the run reports."""

    action: str
    actor: Actor
    now: datetime
    finish_before: datetime
    details: dict[str, object]


def store(
    uow: UnitOfWork, project: Project, result: ScheduleResult, changed: set[int], run: Run
) -> None:
    """Write what leveling (or clearing it) changed: the tasks in `changed` (each checked
    against its version, which stamps the project), every scheduled date and the run's
    audit entry."""
    from steerco.domain.records import ScheduledDates
    from steerco.services import audit
    from steerco.services.accounts import actor_name

    assert project.id is not None
    for task in project.tasks:
        if task.uid in changed:
            uow.projects.update_task(project.id, task)
    dates = [
        ScheduledDates(t.uid, t.start, t.finish) for t in project.tasks if t.uid in result.tasks
    ]
    uow.projects.write_schedule(project.id, dates)
    audit.record(
        uow,
        actor=actor_name(run.actor),
        action=run.action,
        target=audit.project_target(project.id),
        now=run.now,
        before={"finish": run.finish_before.isoformat()},
        after={"finish": result.finish.isoformat(), **run.details},
    )
