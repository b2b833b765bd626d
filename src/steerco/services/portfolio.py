"""The portfolio overview: each project the caller may see, with its schedule's headline figures.

A sponsor or PMO lead reads across projects before opening one: when each finishes, how far
that is from its baseline, how much is done, and what comes next. Every figure is computed
from the project's current schedule, the same one its dashboard shows, so the two never
disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from steerco.domain import Project
from steerco.engine.result import ScheduleResult
from steerco.services import baselines, costs, planning
from steerco.services.accounts import Actor
from steerco.services.ports import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    key: str
    name: str
    start: datetime
    finish: datetime
    baseline_finish: datetime | None
    variance_days: float | None  # working days, positive when later than the baseline
    progress: int  # percent complete, weighted by duration
    task_count: int
    critical_count: int
    conflicts: int  # constraint conflicts (negative slack) the schedule reports
    next_milestone: str | None
    next_milestone_finish: datetime | None
    cost: float = 0.0  # on the current schedule, at the resources' rate tables (`costs`)
    currency: str = "EUR"


def progress(project: Project) -> int:
    """Percent complete of the plan, weighted by duration (MS Project's summary rule)."""
    leaves = list(project.iter_work_tasks())
    total = sum(t.duration.minutes for t in leaves)
    if not total:
        return round(sum(t.percent_complete for t in leaves) / len(leaves)) if leaves else 0
    return round(sum(t.duration.minutes * t.percent_complete for t in leaves) / total)


@dataclass(frozen=True, slots=True)
class Milestone:
    uid: int
    name: str
    finish: datetime  # as scheduled now, not as last stored


def upcoming_milestones(
    project: Project, result: ScheduleResult, today: date, limit: int = 5
) -> list[Milestone]:
    """The next milestones by their computed finish. Stored dates lag behind any change not
    yet saved back (a link, a calendar exception), so the dashboard and the portfolio both
    read the schedule, as their finish dates do."""
    ahead = sorted(
        (times.finish, t.uid, t.name)
        for t in project.tasks
        if t.milestone
        and (times := result.tasks.get(t.uid)) is not None
        and times.finish.date() >= today
    )
    return [Milestone(uid, name, finish) for finish, uid, name in ahead[:limit]]


def overview(
    uow_factory: UnitOfWorkFactory, *, actor: Actor, today: date
) -> Sequence[PortfolioRow]:
    """One row per project `actor` may see, in the project list's order."""
    rows: list[PortfolioRow] = []
    for view in planning.readable_schedules(uow_factory, actor=actor):
        project, result = view.project, view.result
        against = baselines.status(project, result)
        ahead = upcoming_milestones(project, result, today, limit=1)
        rows.append(
            PortfolioRow(
                key=project.key,
                name=project.name,
                start=project.start,
                finish=result.finish,
                baseline_finish=against.baseline_finish,
                variance_days=against.variance_days,
                progress=progress(project),
                task_count=sum(1 for t in project.tasks if t.outline_level > 0),
                critical_count=len(result.critical_path),
                conflicts=len(result.conflicts),
                next_milestone=ahead[0].name if ahead else None,
                next_milestone_finish=ahead[0].finish if ahead else None,
                cost=costs.cost_total(view),
                currency=project.currency,
            )
        )
    return rows
