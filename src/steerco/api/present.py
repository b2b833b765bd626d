"""Domain objects to response bodies. Formatting only: no queries, no rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from steerco.api.schemas import (
    AssignmentOut,
    CandidateOut,
    ClearedTaskOut,
    ClearLevelOut,
    CostsOut,
    DelayOut,
    DependencyOut,
    DriverOut,
    LevelOut,
    PauseOut,
    ProjectOut,
    RateOut,
    ResourceCostOut,
    ResourceOut,
    ScheduledTaskOut,
    ScheduleOut,
    SplitOut,
    SuggestionsOut,
    TaskCostOut,
    TaskOut,
)
from steerco.domain import (
    Assignment,
    CostRate,
    Dependency,
    Project,
    ProjectSummary,
    Resource,
    Task,
)
from steerco.domain.duration import Lag
from steerco.domain.links import format_link
from steerco.domain.records import TaskListing
from steerco.domain.resource import RATE_TABLES
from steerco.services.costs import CostReport
from steerco.services.leveling import ClearedLeveling, LevelingOutcome
from steerco.services.planning import format_predecessors
from steerco.services.scheduling import ProjectSchedule
from steerco.services.staffing import Suggestion
from steerco.services.task_edits import format_splits


def project_out(p: Project | ProjectSummary) -> ProjectOut:
    if isinstance(p, ProjectSummary):
        return ProjectOut(
            id=str(p.id),
            key=p.key,
            name=p.name,
            start=p.start,
            finish=p.finish,
            methodology=p.methodology,
            task_count=p.task_count,
            version=p.version,
        )
    return ProjectOut(
        id=str(p.id),
        key=p.key,
        name=p.name,
        start=p.start,
        finish=p.finish,
        status_date=p.status_date,
        currency=p.currency,
        methodology=p.methodology.value,
        task_count=sum(1 for t in p.tasks if t.outline_level > 0),
        version=p.version,
    )


def tasks_out(project: Project) -> list[dict[str, Any]]:
    """The WBS as plain dicts shaped like TaskOut: a 10,000-task listing spends less in
    building models than in loading the plan."""
    numbers = project.outline_numbers()
    parents = project.parents()
    incoming: dict[int, list[Dependency]] = {}
    for dep in project.dependencies:
        incoming.setdefault(dep.successor, []).append(dep)
    out = []
    for task in project.tasks:
        if task.outline_level == 0:
            continue  # MS Project's project summary row is the project itself here
        parent = parents.get(task.uid)
        preds = ",".join(
            format_link(str(d.predecessor), d.type, d.lag, project.work_time)
            for d in incoming.get(task.uid, ())
        )
        out.append(_task(project, task, numbers[task.uid], parent, preds))
    return out


def listing_out(listing: TaskListing) -> list[dict[str, Any]]:
    """The same dicts as `tasks_out`, from the listing read model (no aggregate loaded)."""
    work_time = listing.work_time
    preds: dict[int, list[str]] = {}
    suffixes: dict[tuple[object, object], str] = {}  # "FS+2d" per link type and lag
    for dep in listing.links:
        kind = (dep.type, dep.lag)
        suffix = suffixes.get(kind)
        if suffix is None:
            suffix = suffixes[kind] = format_link("", dep.type, dep.lag, work_time)
        preds.setdefault(dep.successor, []).append(f"{dep.predecessor}{suffix}")
    formatted: dict[object, str] = {}  # durations are shared values: format each once
    counters: list[int] = []
    stack: list[tuple[int, str | None]] = []  # (outline level, id) of the open ancestors
    out: list[dict[str, Any]] = []
    append = out.append
    for t in listing.tasks:
        level = t.outline_level
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        uid = str(t.uid)
        stack.append((level, uid if level > 0 else None))
        if level == 0:
            continue  # MS Project's project summary row is the project itself here
        del counters[level:]
        while len(counters) < level:
            counters.append(0)
        counters[level - 1] += 1
        duration = formatted.get(t.duration)
        if duration is None:
            duration = formatted[t.duration] = t.duration.format(work_time)
        start, finish, constraint_date, deadline = (
            t.start,
            t.finish,
            t.constraint_date,
            t.deadline,
        )
        append(
            {
                "id": uid,
                "name": t.name,
                "wbs": ".".join(map(str, counters)),
                "outline_level": level,
                "parent": parent,
                "summary": t.summary,
                "milestone": t.milestone,
                "duration": duration,
                "start": None if start is None else start.isoformat(),
                "finish": None if finish is None else finish.isoformat(),
                "percent_complete": t.percent_complete,
                "constraint": t.constraint,
                "constraint_date": None if constraint_date is None else constraint_date.isoformat(),
                "deadline": None if deadline is None else deadline.isoformat(),
                "notes": t.notes,
                "predecessors": ",".join(preds.get(t.uid, ())),
                "version": t.version,
                "splits": format_splits(t.splits, work_time) if t.splits else "",
            }
        )
    return out


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def task_out(project: Project, task: Task) -> TaskOut:
    number, parent = project.place_of(task.uid)
    return TaskOut(**_task(project, task, number, parent, format_predecessors(project, task.uid)))


def _task(project: Project, task: Task, wbs: str, parent: int | None, preds: str) -> dict[str, Any]:
    return {
        "id": str(task.uid),
        "name": task.name,
        "wbs": wbs,
        "outline_level": task.outline_level,
        "parent": None if parent is None else str(parent),
        "summary": task.summary,
        "milestone": task.milestone,
        "duration": task.duration.format(project.work_time),
        "start": _iso(task.start),
        "finish": _iso(task.finish),
        "percent_complete": task.percent_complete,
        "constraint": task.constraint.value,
        "constraint_date": _iso(task.constraint_date),
        "deadline": _iso(task.deadline),
        "notes": task.notes,
        "predecessors": preds,
        "version": task.version,
        "splits": format_splits(task.splits, project.work_time) if task.splits else "",
    }


def lag_text(lag: Lag, project: Project) -> str:
    return "" if lag.is_zero else lag.format(project.work_time)


def dependency_out(project: Project, dep: Dependency) -> DependencyOut:
    return DependencyOut(
        id=f"{dep.predecessor}-{dep.successor}",
        predecessor=str(dep.predecessor),
        successor=str(dep.successor),
        type=dep.type,
        lag=lag_text(dep.lag, project),
        text=format_link(str(dep.predecessor), dep.type, dep.lag, project.work_time),
    )


def slack_text(minutes: int, project: Project) -> str:
    return f"{round(minutes / project.work_time.minutes_per_day, 2):g}d"


def schedule_out(view: ProjectSchedule) -> ScheduleOut:
    project, result = view.project, view.result
    tasks = []
    for task in project.tasks:
        times = result.tasks.get(task.uid)
        if times is None or task.outline_level == 0:
            continue
        d = times.driver
        tasks.append(
            ScheduledTaskOut(
                id=str(task.uid),
                name=task.name,
                start=times.start,
                finish=times.finish,
                early_start=times.early_start,
                early_finish=times.early_finish,
                late_start=times.late_start,
                late_finish=times.late_finish,
                total_slack=slack_text(times.total_slack, project),
                total_slack_minutes=times.total_slack,
                free_slack_minutes=times.free_slack,
                critical=times.critical,
                driver=DriverOut(
                    kind=d.kind.value,
                    explanation=d.explanation,
                    task=None if d.task_uid is None else str(d.task_uid),
                    link=d.link,
                ),
            )
        )
    return ScheduleOut(
        project=project.key,
        status=result.status.value,
        start=result.start,
        finish=result.finish,
        critical_path=[str(u) for u in result.critical_path],
        tasks=tasks,
        conflicts=[c.message for c in result.conflicts],
    )


def level_out(outcome: LevelingOutcome) -> LevelOut:
    return LevelOut(
        project=outcome.project.key,
        status=outcome.status,
        finish_before=outcome.finish_before,
        finish=outcome.result.finish,
        delays=[
            DelayOut(
                id=str(d.uid),
                name=d.name,
                delay=d.delay_text,
                delay_minutes=d.delay_minutes,
                start_before=d.start_before,
                start=d.start_after,
                explanation=d.explanation,
            )
            for d in outcome.delayed
        ],
        splits=[
            SplitOut(
                id=str(t.uid),
                name=t.name,
                explanation=t.explanation,
                pauses=[PauseOut(paused=a, resumed=b) for a, b in t.pauses],
            )
            for t in outcome.split
        ],
        unleveled=list(outcome.unleveled),
    )


def cleared_out(outcome: ClearedLeveling) -> ClearLevelOut:
    return ClearLevelOut(
        project=outcome.project.key,
        finish_before=outcome.finish_before,
        finish=outcome.result.finish,
        cleared=[
            ClearedTaskOut(id=str(c.uid), name=c.name, start_before=c.start_before, start=c.start)
            for c in outcome.cleared
        ],
    )


def costs_out(report: CostReport) -> CostsOut:
    p = report.project
    numbers = p.outline_numbers()
    return CostsOut(
        project=p.key,
        currency=p.currency,
        total=report.total,
        tasks=[
            TaskCostOut(
                id=str(t.uid), wbs=numbers.get(t.uid, ""), name=t.name, cost=report.by_task[t.uid]
            )
            for t in p.tasks
            if t.uid in report.by_task and t.outline_level > 0
        ],
        resources=[
            ResourceCostOut(id=str(r.uid), name=r.name, cost=report.by_resource[r.uid])
            for r in p.resources
            if r.uid in report.by_resource
        ],
    )


def resource_out(r: Resource) -> ResourceOut:
    return ResourceOut(
        id=str(r.uid),
        name=r.name,
        kind=r.kind.value,
        max_units=r.max_units,
        email=r.email,
        can_level=r.can_level,
        rates=[rate_out(line) for line in r.rates],
    )


def rate_out(line: CostRate) -> RateOut:
    return RateOut(
        table=RATE_TABLES[line.table],
        effective=line.effective,
        standard=line.standard,
        overtime=line.overtime,
        per_use=line.per_use,
    )


def assignment_out(a: Assignment) -> AssignmentOut:
    return AssignmentOut(
        id=str(a.uid),
        task=str(a.task_uid),
        resource=str(a.resource_uid),
        units=a.units,
        work_minutes=a.work_minutes,
        rate_table=RATE_TABLES[a.rate_table],
    )


def suggestions_out(s: Suggestion) -> SuggestionsOut:
    return SuggestionsOut(
        task=str(s.task_uid),
        name=s.task_name,
        start=s.start,
        finish=s.finish,
        needs=[f"{n.name}:{n.level}" for n in s.needs],
        candidates=[
            CandidateOut(
                resource=str(r.resource_uid),
                name=r.name,
                score=r.score,
                qualified=r.qualified,
                scores=r.scores,
                reasons=r.reasons,
            )
            for r in s.ranked
        ],
    )
