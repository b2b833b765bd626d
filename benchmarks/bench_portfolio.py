"""Read views of stored plans: the portfolio overview and the resource heat map with many
projects, and one large plan's schedule (what the dashboard, grid, Gantt and
GET /schedule read), each answered from plans loaded and scheduled afresh (what every
request did before the view cache) and from the cache (`services.schedule_views`), in the
same run.

Run: .venv/bin/python benchmarks/bench_portfolio.py [--projects 60] [--tasks 200]
     [--big 10000] [--runs 3]

Plans are generated (no data files needed): chains of work with side branches, a team of
eight people shared by name across every project, each with a cost rate, so the overview's
cost column and the heat map's cross-project rows have real work to do. A temp SQLite file.
Printed: median seconds per request, cold and warm, and warm as a share of cold; then a
request right after one project was edited (only that plan is loaded again).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

from steerco.bootstrap import build
from steerco.config import Settings
from steerco.domain import Assignment, CostRate, Dependency, Duration, Project, Resource, Task
from steerco.services import planning, portfolio, projects, resources
from steerco.services.accounts import LOCAL
from steerco.services.schedule_views import VIEWS
from steerco.storage import migrate

START = datetime(2027, 1, 4, 8, 0)
TODAY = date(2027, 1, 4)
TEAM = ["Ana", "Bob", "Chen", "Dana", "Eli", "Fay", "Gus", "Hana"]


def plan(i: int, n: int, rng: random.Random) -> Project:
    project = Project(name=f"Project {i}", key=f"P{i}", start=START)
    for uid in range(1, n + 1):
        project.tasks.append(
            Task(uid=uid, name=f"Task {uid}", duration=Duration(480 * rng.randint(1, 8)))
        )
        if uid > 1:
            pred = uid - 1 if rng.random() < 0.7 else rng.randint(max(1, uid - 20), uid - 1)
            project.dependencies.append(Dependency(pred, uid))
    project.resources = [
        Resource(uid=r + 1, name=name, rates=(CostRate(standard=60 + 10 * r),))
        for r, name in enumerate(TEAM)
    ]
    project.assignments = [
        Assignment(uid=uid, task_uid=uid, resource_uid=rng.randint(1, len(TEAM)))
        for uid in range(1, n + 1)
    ]
    return project


def median_seconds(call: Callable[[], object], runs: int, cold: bool) -> float:
    times = []
    for _ in range(runs):
        if cold:
            VIEWS.clear()
        began = time.perf_counter()
        call()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--projects", type=int, default=60)
    ap.add_argument("--tasks", type=int, default=200)
    ap.add_argument("--big", type=int, default=10_000, help="tasks of the one large plan")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='steerco-bench-')) / 'portfolio.db'}"
    migrate.upgrade(url)
    uow = build(Settings(database_url=url)).uow
    rng = random.Random(7)
    for i in range(args.projects):
        projects.adopt_project(uow, plan(i, args.tasks, rng), actor=LOCAL)

    def overview() -> object:
        return portfolio.overview(uow, actor=LOCAL, today=TODAY)

    def heat_map() -> object:
        return resources.heat_map(resources.portfolio_plans(uow, actor=LOCAL))

    print(f"{args.projects} projects x {args.tasks} tasks, 8 shared people; median of {args.runs}")
    for name, call in (("overview", overview), ("heat map", heat_map)):
        cold = median_seconds(call, args.runs, cold=True)
        median_seconds(call, 1, cold=False)  # fill the cache
        warm = median_seconds(call, args.runs, cold=False)
        print(
            f"  {name:9} cold {cold:6.3f} s   cached {warm:6.3f} s   cached/cold {warm / cold:5.2f}"
        )
    median_seconds(overview, 1, cold=False)  # the heat map's cold runs emptied the cache
    key = "P0"
    first = planning.load(uow, key, actor=LOCAL).task(1)
    assert first is not None
    planning.update_task(
        uow, key, 1, planning.TaskChanges(duration="9d"), actor=LOCAL, version=first.version
    )
    began = time.perf_counter()
    overview()
    after_edit = time.perf_counter() - began
    cached = median_seconds(overview, args.runs, cold=False)
    print(
        f"  overview after one project was edited {after_edit:6.3f} s"
        f"   ({after_edit / cached:4.1f}x the fully cached request)"
    )
    big = projects.adopt_project(uow, plan(args.projects, args.big, rng), actor=LOCAL).key

    def one_plan() -> object:
        return planning.compute_schedule(uow, big, actor=LOCAL)

    cold = median_seconds(one_plan, args.runs, cold=True)
    one_plan()
    warm = median_seconds(one_plan, args.runs, cold=False)
    print(
        f"  one plan of {args.big} tasks: cold {cold:6.3f} s   cached {warm:6.3f} s"
        f"   cached/cold {warm / cold:5.3f}"
    )


if __name__ == "__main__":
    main()
