"""Scheduling use cases: stored projects and MS Project files."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from steerco.domain import Project
from steerco.engine.cpm import schedule
from steerco.engine.gcpause import paused_gc
from steerco.engine.result import ScheduleResult
from steerco.interop.mspdi import read_mspdi, write_mspdi_parts
from steerco.interop.mspdi.split import Split, serial

if TYPE_CHECKING:
    from steerco.services.accounts import Actor
    from steerco.services.ports import UnitOfWork, UnitOfWorkFactory


def reschedule(
    uow: UnitOfWork, project: Project, status_date: datetime | None = None
) -> ScheduleResult:
    """Run the engine on a loaded project and store the dates it computes."""
    from steerco.services.ports import ScheduledDates  # see schedule_stored

    assert project.id is not None
    result = schedule(project, status_date=status_date or project.status_date)
    dates = []
    for task in project.tasks:
        times = result.tasks.get(task.uid)
        if times is None:
            continue
        if task.start != times.start or task.finish != times.finish:
            task.start, task.finish = times.start, times.finish
            dates.append(ScheduledDates(task.uid, times.start, times.finish))
    if project.finish != result.finish:
        project.finish = result.finish
    uow.projects.write_schedule(project.id, dates)
    return result


@dataclass(frozen=True, slots=True)
class ProjectSchedule:
    project: Project
    result: ScheduleResult
    # Figures derived from this plan and schedule, kept with a cached plan (see
    # `schedule_views.derived`); None where the plan is not cached.
    memo: dict[str, object] | None = field(default=None, compare=False, repr=False)


def schedule_stored(
    uow_factory: UnitOfWorkFactory,
    project_ref: str,
    status_date: datetime | None = None,
    *,
    actor: Actor,
) -> ProjectSchedule:
    """Reschedule a stored project and store its dates: a change, so members and up."""
    # Imported here: `steerco schedule FILE` (schedule_file) needs no storage ports and no
    # accounts, and they (argon2, the audit chain) are a fifth of what that command imports.
    from steerco.services import access
    from steerco.services.access import Action

    with access.project_unit(
        uow_factory, actor, project_ref, Action.TASK_WRITE, what="schedule"
    ) as (uow, project):
        result = reschedule(uow, project, status_date)
        uow.commit()
    return ProjectSchedule(project, result)


def schedule_project(
    project: Project, status_date: datetime | None = None, *, explain: bool = True
) -> ScheduleResult:
    """Schedule an in-memory project (a file), leaving storage alone. `explain=False`: the
    drivers are worked out only if read (a written file has no place for them)."""
    result = schedule(project, status_date=status_date or project.status_date, explain=explain)
    take_dates(project, result)
    return result


def take_dates(project: Project, result: ScheduleResult) -> None:
    """Copy a schedule's dates onto the tasks it scheduled; a manually scheduled task keeps
    the dates typed on it."""
    for task in project.tasks:
        times = result.tasks.get(task.uid)
        if times is not None and not task.manual:
            task.start, task.finish = times.start, times.finish


@dataclass(frozen=True, slots=True)
class ScheduledFile:
    project: Project  # as read: the computed dates are in `result` and `output`
    result: ScheduleResult
    parts: list[bytes]  # the output document in pieces, to write one after another

    @property
    def output(self) -> bytes:
        return b"".join(self.parts)


@paused_gc()
def schedule_file(
    data: bytes, *, max_bytes: int, status_date: datetime | None = None, split: Split = serial
) -> ScheduledFile:
    """Read MS Project XML, schedule it, and write it back with the computed fields.
    `split` may share the rows out to another process (the CLI's file path does); the
    output is the same either way."""
    project = read_mspdi(data, max_bytes=max_bytes, split=split)
    # Not schedule_project: copying the dates onto 100,000 tasks would work out every task's
    # times here, in one process, when the writer can work them out in two (TimesOnDemand).
    result = schedule(project, status_date=status_date or project.status_date, explain=False)
    return ScheduledFile(project, result, write_mspdi_parts(project, result, split=split))
