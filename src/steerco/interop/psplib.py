"""PSPLIB single-mode `.sm` files (Kolisch & Sprecher 1997) to leveling problems.

One period is one working day, each renewable resource's capacity is its availability, and
every precedence is finish-to-start with no lag. Jobs keep their PSPLIB order: job `k` is
activity `k - 1`, including the dummy source (first) and sink (last).
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from steerco.domain import Assignment, Dependency, Duration, Project, Resource, Task
from steerco.domain.errors import ImportRejected
from steerco.engine.rcpsp import LinkType, ProblemBuilder, ProblemData

__all__ = [
    "Bounds",
    "PsplibInstance",
    "data_root",
    "instance_key",
    "load_bounds",
    "parse_sm",
    "read_sm",
    "to_project",
]


@dataclass(frozen=True, slots=True)
class PsplibInstance:
    name: str
    problem: ProblemData
    horizon: int
    due_date: int | None


@dataclass(frozen=True, slots=True)
class Bounds:
    """A row of `bounds.csv`: CPM bound, best proven lower bound, best known makespan."""

    cpm_lb: int
    lb: int
    ub: int

    @property
    def closed(self) -> bool:
        return self.lb == self.ub


def data_root() -> Path:
    """`$STEERCO_DATA` if set, else the shared data folder beside the repository."""
    return Path(os.environ.get("STEERCO_DATA", "/work/shared/data"))


def read_sm(path: Path) -> PsplibInstance:
    return parse_sm(path.read_text(encoding="ascii", errors="replace"), name=path.name)


def parse_sm(text: str, name: str = "") -> PsplibInstance:
    lines = text.splitlines()
    jobs = _int_after(lines, "jobs (incl. supersource/sink )")
    horizon = _int_after(lines, "horizon")
    renewable = _int_after(lines, "- renewable")
    due = _project_due_date(lines)

    succ_rows = _rows_after(lines, "PRECEDENCE RELATIONS:", jobs)
    req_rows = _rows_after(lines, "REQUESTS/DURATIONS:", jobs, skip_dashes=True)
    avail_rows = _rows_after(lines, "RESOURCEAVAILABILITIES:", 1)

    builder = ProblemBuilder()
    caps = avail_rows[0]
    if len(caps) < renewable:
        raise ImportRejected(f"{name}: {len(caps)} availabilities for {renewable} resources")
    for r in range(renewable):
        builder.add_resource(caps[r], name=f"R{r + 1}")
    for k, row in enumerate(req_rows, start=1):
        if len(row) < 3 + renewable or row[0] != k:
            raise ImportRejected(f"{name}: bad request line for job {k}: {row}")
        demands = {r: row[3 + r] for r in range(renewable) if row[3 + r]}
        builder.add_activity(row[2], demands, name=f"job {k}")
    for k, row in enumerate(succ_rows, start=1):
        if len(row) < 3 or row[0] != k or len(row) != 3 + row[2]:
            raise ImportRejected(f"{name}: bad precedence line for job {k}: {row}")
        for s in row[3:]:
            if not 1 <= s <= jobs:
                raise ImportRejected(f"{name}: job {k} has unknown successor {s}")
            builder.add_link(k - 1, s - 1, LinkType.FS, 0)
    return PsplibInstance(name, builder.build(), horizon, due)


def to_project(inst: PsplibInstance, start: datetime, minutes_per_day: int = 480) -> Project:
    """The instance as a steerco plan on the Standard calendar: one period is one working day,
    each renewable resource a work resource whose max units equal its capacity, each job a
    task (the zero-length source and sink become milestones) assigned at its demands."""
    problem = inst.problem
    stem = inst.name.rsplit(".", 1)[0] or "PSPLIB"
    project = Project(name=stem, key="PSP", start=start)
    for r, res in enumerate(problem.resources, start=1):
        project.resources.append(Resource(uid=r, name=res.name, max_units=float(res.capacity)))
    for j, act in enumerate(problem.activities, start=1):
        project.tasks.append(
            Task(
                uid=j,
                name=f"Task {j}",
                duration=Duration(act.duration * minutes_per_day),
                milestone=act.duration == 0,
            )
        )
        for r, amount in sorted(act.demands.items()):
            uid = len(project.assignments) + 1
            project.assignments.append(Assignment(uid, j, r + 1, float(amount)))
    for link in problem.links:
        project.dependencies.append(Dependency(link.pred + 1, link.succ + 1))
    return project


def load_bounds(folder: Path) -> dict[str, Bounds]:
    """`bounds.csv` of a PSPLIB folder: problem -> bounds."""
    with (folder / "bounds.csv").open(newline="") as fh:
        return {
            row["problem"]: Bounds(int(row["cpm_lb"]), int(row["lb"]), int(row["ub"]))
            for row in csv.DictReader(fh)
        }


def instance_key(name: str) -> tuple[int, int, int]:
    """Natural order, `j3010_2.sm` -> (30, 10, 2), so samples are stable and readable."""
    match = re.match(r"j(30|60|90|120)(\d+)_(\d+)", name)
    if match is None:
        return (0, 0, 0)
    size, group, index = match.groups()
    return (int(size), int(group), int(index))


def _int_after(lines: list[str], label: str) -> int:
    for line in lines:
        if line.strip().startswith(label):
            value = line.split(":", 1)[1].split()
            if value:
                return int(value[0])
    raise ImportRejected(f"no '{label}' line")


def _project_due_date(lines: list[str]) -> int | None:
    for i, line in enumerate(lines):
        if line.startswith("PROJECT INFORMATION"):
            parts = lines[i + 2].split()
            return int(parts[3]) if len(parts) > 3 else None
    return None


def _rows_after(
    lines: list[str], header: str, count: int, skip_dashes: bool = False
) -> list[list[int]]:
    """`count` integer rows after `header` and its column-title line."""
    try:
        at = next(i for i, line in enumerate(lines) if line.strip().startswith(header))
    except StopIteration:
        raise ImportRejected(f"no '{header}' section") from None
    rows: list[list[int]] = []
    for line in lines[at + 2 :]:
        if len(rows) == count:
            break
        text = line.strip()
        if not text or (skip_dashes and text.startswith("-")):
            continue
        if text.startswith("*"):
            break
        try:
            rows.append([int(x) for x in text.split()])
        except ValueError:
            raise ImportRejected(f"'{header}': not a number in {text!r}") from None
    if len(rows) != count:
        raise ImportRejected(f"'{header}': {len(rows)} rows, expected {count}")
    return rows
