"""What the pages show, computed from a project and its schedule. Formatting only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from steerco.domain import Project, Task
from steerco.domain.links import format_link
from steerco.services.planning import format_predecessors
from steerco.services.portfolio import progress, upcoming_milestones
from steerco.services.resources import format_units
from steerco.services.scheduling import ProjectSchedule


@dataclass(frozen=True, slots=True)
class Row:
    task: Task
    wbs: str
    duration: str
    predecessors: str
    critical: bool


def rows(view: ProjectSchedule) -> list[Row]:
    project, result = view.project, view.result
    numbers = project.outline_numbers()
    incoming = _incoming(project)
    out = []
    for task in project.tasks:
        if task.outline_level == 0:
            continue
        times = result.tasks.get(task.uid)
        # A summary's own duration is meaningless (the engine rolls it up from its subtasks).
        duration = "" if task.summary else task.duration.format(project.work_time)
        out.append(
            Row(
                task,
                numbers[task.uid],
                duration,
                incoming.get(task.uid, ""),
                bool(times and times.critical),
            )
        )
    return out


def _incoming(project: Project) -> dict[int, str]:
    parts: dict[int, list[str]] = {}
    for d in project.dependencies:
        parts.setdefault(d.successor, []).append(
            format_link(str(d.predecessor), d.type, d.lag, project.work_time)
        )
    return {uid: ",".join(p) for uid, p in parts.items()}


def dashboard(view: ProjectSchedule, today: date) -> dict[str, Any]:
    project, result = view.project, view.result
    by_uid = {t.uid: t for t in project.tasks}
    return {
        "project": project,
        "result": result,
        "finish": result.finish,
        "critical": [by_uid[u] for u in result.critical_path if u in by_uid],
        "milestones": upcoming_milestones(project, result, today),
        "progress": progress(project),
        "task_count": sum(1 for t in project.tasks if t.outline_level > 0),
        "conflicts": result.conflicts,
    }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="minutes")


def gantt(view: ProjectSchedule, today: date) -> dict[str, Any]:
    """The Gantt's data, small keys because a 10,000-task plan ships it in one answer."""
    project, result = view.project, view.result
    numbers = project.outline_numbers()
    parents = project.parents()
    incoming = _incoming(project)
    tasks = []
    for task in project.tasks:
        if task.outline_level == 0:
            continue
        times = result.tasks.get(task.uid)
        tasks.append(
            {
                "id": task.uid,
                "wbs": numbers[task.uid],
                "name": task.name,
                "level": task.outline_level,
                "parent": parents.get(task.uid),
                "summary": task.summary,
                "milestone": task.milestone,
                "critical": bool(times and times.critical),
                "start": _iso(times.start if times else task.start),
                "finish": _iso(times.finish if times else task.finish),
                "pct": task.percent_complete,
                "dur": "" if task.summary else task.duration.format(project.work_time),
                "pred": incoming.get(task.uid, ""),
                "v": task.version,
            }
        )
        gaps = result.pauses.get(task.uid)
        if gaps:  # a split task: the chart leaves its pauses open
            tasks[-1]["gaps"] = [[_iso(a), _iso(b)] for a, b in gaps]
    return {
        "key": project.key,
        "name": project.name,
        "today": today.isoformat(),
        "start": _iso(result.start),
        "finish": _iso(result.finish),
        "tasks": tasks,
        "links": [[d.predecessor, d.successor, d.type.value] for d in project.dependencies],
    }


def why(view: ProjectSchedule, uid: int) -> dict[str, Any]:
    """The task detail's "why it starts then": the driver and its task, if any."""
    project, result = view.project, view.result
    task = project.task(uid)
    times = result.tasks.get(uid)
    driver_task = None
    if times is not None and times.driver.task_uid is not None:
        driver_task = project.task(times.driver.task_uid)
    successors = [project.task(d.successor) for d in project.dependencies if d.predecessor == uid]
    predecessors = [
        (project.task(d.predecessor), d) for d in project.dependencies if d.successor == uid
    ]
    return {
        "task": task,
        "times": times,
        "driver_task": driver_task,
        "pauses": result.pauses.get(uid, ()),
        "successors": successors,
        "predecessors": predecessors,
        "pred_text": format_predecessors(project, uid),
        "duration": task.duration.format(project.work_time),
        "slack_days": None
        if times is None
        else round(times.total_slack / project.work_time.minutes_per_day, 2),
    }


def staffed(project: Project, task: Task) -> dict[str, Any]:
    """The task page's assignments (with each resource) and who else could be assigned."""
    people = {r.uid: r for r in project.resources if r.uid > 0}
    mine = [(a, people[a.resource_uid]) for a in project.assignments
            if a.task_uid == task.uid and a.resource_uid in people]  # fmt: skip
    taken = {a.resource_uid for a, _ in mine}
    return {
        "assigned": mine,
        "unassigned": {uid: r for uid, r in people.items() if uid not in taken},  # by uid
        "units": format_units,
    }
