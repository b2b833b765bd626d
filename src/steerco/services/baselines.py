"""Baselines: save the current schedule as baseline N, and compare the forecast against it.

A baseline lives where MS Project keeps it (a `<Baseline>` element per task), so a plan's
baselines travel through MSPDI export and import unchanged. Saving one is audited: the
baseline is what the project is judged against, and later change control will only allow
it through an approved change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from steerco.domain import Project
from steerco.engine.calendar import compile_calendar
from steerco.engine.result import ScheduleResult
from steerco.interop.mspdi.baselines import (
    baseline_fragment,
    check_number,
    read_baselines,
    with_baseline,
)
from steerco.services import access, audit
from steerco.services.access import Action
from steerco.services.accounts import Actor, actor_name
from steerco.services.ports import UnitOfWorkFactory
from steerco.services.scheduling import reschedule


@dataclass(frozen=True, slots=True)
class BaselineStatus:
    """The forecast finish against baseline `number`. `variance_days` is in working days of
    the project calendar, positive when the forecast is later than the baseline."""

    number: int
    finish: datetime
    baseline_finish: datetime | None
    variance_days: float | None

    @property
    def exists(self) -> bool:
        return self.baseline_finish is not None


def save_baseline(
    uow_factory: UnitOfWorkFactory, key: str, *, actor: Actor, now: datetime, number: int = 0
) -> int:
    """Store the current schedule of every task (and the project row) as baseline `number`:
    approving a baseline is a project decision, so managers and owners.
    Returns how many tasks were baselined."""
    check_number(number)
    with access.project_unit(uow_factory, actor, key, Action.PROJECT_UPDATE, what="baseline") as (
        uow,
        project,
    ):
        assert project.id is not None
        result = reschedule(uow, project)
        count = 0
        for task in project.tasks:
            times = result.tasks.get(task.uid)
            start = times.start if times else task.start
            finish = times.finish if times else task.finish
            if start is None or finish is None:
                continue
            frag = baseline_fragment(number, start, finish, task.duration.minutes)
            task.extras = with_baseline(task.extras, frag, number)
            uow.projects.update_task(project.id, task)
            count += task.outline_level > 0
        audit.record(
            uow,
            actor=actor_name(actor),
            action="baseline.saved",
            target=audit.project_target(project.id or 0),
            now=now,
            after={"number": number, "tasks": count, "finish": result.finish.isoformat()},
        )
        uow.commit()
    return count


def baseline_finish(project: Project, number: int = 0) -> datetime | None:
    """The baseline finish of the project: its summary row's, else the latest task's."""
    finishes = []
    for task in project.tasks:
        values = read_baselines(task.extras).get(number) if task.extras else None
        if values is None or values.finish is None:
            continue
        if task.uid == 0 and task.outline_level == 0:
            return values.finish
        finishes.append(values.finish)
    return max(finishes, default=None)


def status(project: Project, result: ScheduleResult, number: int = 0) -> BaselineStatus:
    planned = baseline_finish(project, number)
    if planned is None:
        return BaselineStatus(number, result.finish, None, None)
    calendars = {c.uid: c for c in project.calendars}
    origin = min(planned, result.finish, project.start).date()
    cal = compile_calendar(project.calendar_uid, calendars, origin)
    minutes = cal.offset(result.finish) - cal.offset(planned)
    days = round(minutes / project.work_time.minutes_per_day, 1)
    return BaselineStatus(number, result.finish, planned, days)
