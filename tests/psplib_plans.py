"""PSPLIB instances as steerco plans, the way the leveling acceptance check builds them.

One period is one working day of the Standard calendar (Mon-Fri 08:00-17:00), each renewable
resource is a work resource whose max units equal its capacity, every job is a task (the dummy
source and sink become milestones) and every assignment's units are the job's demand.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from steerco.domain import Assignment, Dependency, Duration, Project, Resource, Task
from steerco.interop.mspdi import write_mspdi
from steerco.interop.psplib import read_sm

START = datetime(2026, 1, 5, 8, 0)  # a Monday
DAY = 480


def psplib_project(path: Path) -> Project:
    inst = read_sm(path)
    problem = inst.problem
    project = Project(name=path.stem, key="PSP", start=START)
    for r, res in enumerate(problem.resources, start=1):
        project.resources.append(Resource(uid=r, name=res.name, max_units=float(res.capacity)))
    asn = 0
    for j, act in enumerate(problem.activities, start=1):
        project.tasks.append(
            Task(
                uid=j,
                name=f"Task {j}",
                duration=Duration(act.duration * DAY),
                milestone=act.duration == 0,
            )
        )
        for r, amount in act.demands.items():
            asn += 1
            project.assignments.append(Assignment(asn, j, r + 1, float(amount)))
    for link in problem.links:
        project.dependencies.append(Dependency(link.pred + 1, link.succ + 1))
    return project


def write_psplib_mspdi(path: Path, dest: Path) -> Path:
    dest.write_bytes(write_mspdi(psplib_project(path)))
    return dest


def working_days(start: date, end: date) -> int:
    """Weekdays in [start, end)."""
    days = 0
    day = start
    while day < end:
        if day.weekday() < 5:
            days += 1
        day += timedelta(days=1)
    return days


def makespan_days(finish: datetime) -> int:
    """Working days from the project start to `finish` (a 17:00 finish counts its day)."""
    end = finish.date() + timedelta(days=1) if finish.hour >= 17 else finish.date()
    return working_days(START.date(), end)


def optimum(folder: Path) -> dict[str, int]:
    """Known optima of `optimum.csv` (open instances, "lb..ub", are left out)."""
    out: dict[str, int] = {}
    for line in (folder / "optimum.csv").read_text().splitlines()[1:]:
        name, value = line.split(",")
        if value.isdigit():
            out[name] = int(value)
    return out
