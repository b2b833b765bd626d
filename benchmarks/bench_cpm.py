"""CPM engine benchmark: 100,000-task passes and a one-task change on 10,000 tasks.

Run: .venv/bin/python benchmarks/bench_cpm.py [--tasks 100000] [--small 10000] [--mpxj]

Figures are printed as ratios against baselines measured in the same run:
- the passes against a naive full recompute that works in datetimes through the calendar
  (what a straightforward implementation does), on the 10,000-task plan;
- the incremental reschedule against a full recompute of the same snapshot;
- optionally (--mpxj, needs `pip install mpxj JPype1` and Java) MPXJ's MicrosoftScheduler
  reading, scheduling and writing the same plan as MSPDI, in a subprocess.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import date, datetime
from pathlib import Path

from steerco.domain import (
    Calendar,
    CalendarException,
    Dependency,
    Duration,
    Lag,
    LinkType,
    Project,
    Task,
)
from steerco.engine.cpm import compute
from steerco.engine.incremental import Rescheduler
from steerco.engine.snapshot import build_snapshot

TYPES = [LinkType.FS] * 7 + [LinkType.SS, LinkType.FF, LinkType.SF]


def make_plan(n: int, seed: int = 1) -> Project:
    """A two-level WBS (summaries of ~100 tasks), ~2 predecessors a task, holidays."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 5, 8)
    holidays = [
        CalendarException(d, d, name="holiday")
        for year in range(2026, 2060)
        for d in (date(year, 1, 1), date(year, 5, 1), date(year, 12, 25), date(year, 12, 26))
    ]
    cal = Calendar(uid=1, name="Standard", exceptions=holidays)
    project = Project(name="Bench", key="BENCH", start=start, calendars=[cal])
    leaves: list[int] = []
    uid = 0
    group = 100
    while uid < n:
        uid += 1
        project.tasks.append(Task(uid=uid, name=f"Phase {uid}", outline_level=1, summary=True))
        for _ in range(min(group - 1, n - uid)):
            uid += 1
            dur = (
                Duration(0) if rng.random() < 0.03 else Duration(rng.choice([1, 2, 3, 5, 10]) * 480)
            )
            project.tasks.append(Task(uid=uid, name=f"Task {uid}", outline_level=2, duration=dur))
            window = leaves[-300:]
            for pred in {rng.choice(window) for _ in range(2)} if window else ():
                lag = Lag(rng.choice([-480, 0, 0, 0, 480, 960])) if rng.random() < 0.3 else Lag()
                project.dependencies.append(Dependency(pred, uid, rng.choice(TYPES), lag))
            leaves.append(uid)
    return project


def naive_forward(project: Project) -> float:
    """Baseline: the textbook forward pass in datetimes, walking the calendar day by day."""
    cal = build_snapshot(project).calendars[0]
    # The calendar memoizes offset -> datetime for the engine's report; a naive implementation
    # has no such memo, so the baseline converts every time.
    start_at, finish_at = cal._start_at, cal._finish_at
    t0 = time.perf_counter()
    preds: dict[int, list[Dependency]] = {}
    for d in project.dependencies:
        preds.setdefault(d.successor, []).append(d)
    finish: dict[int, datetime] = {}
    start: dict[int, datetime] = {}

    def add(when: datetime, minutes: int) -> datetime:
        # walk the calendar minute by minute in day steps, like a naive implementation
        off = cal.offset(when)
        return finish_at(off + minutes) if minutes else start_at(off)

    for task in project.tasks:
        if task.summary:
            continue
        es = project.start
        for d in preds.get(task.uid, ()):
            ref = (
                finish[d.predecessor]
                if d.type in (LinkType.FS, LinkType.FF)
                else start[d.predecessor]
            )
            point = add(ref, d.lag.minutes)
            if d.type in (LinkType.FF, LinkType.SF):
                point = start_at(cal.offset(point) - task.duration.minutes)
            es = max(es, point)
        start[task.uid] = start_at(cal.offset(es))
        finish[task.uid] = add(start[task.uid], task.duration.minutes)
    return time.perf_counter() - t0


def best_of(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_big(n: int) -> None:
    project = make_plan(n)
    t0 = time.perf_counter()
    snap = build_snapshot(project)
    t_snap = time.perf_counter() - t0
    t_pass = best_of(lambda: compute(snap), repeat=3)
    print(f"{n:,} tasks, {len(project.dependencies):,} links")
    print(f"  snapshot build            {t_snap * 1000:8.0f} ms")
    print(f"  forward + backward passes {t_pass * 1000:8.0f} ms   (target <= 500 ms)")


def bench_small(n: int) -> None:
    project = make_plan(n, seed=2)
    snap = build_snapshot(project)
    full = best_of(lambda: compute(snap))
    naive = naive_forward(project)
    print(
        f"{n:,} tasks: full passes {full * 1000:.1f} ms; naive datetime forward pass alone"
        f" {naive * 1000:.1f} ms -> passes are {naive / full:.1f}x faster"
    )
    rng = random.Random(3)
    resched = Rescheduler(snap)
    leaves = [u for u, s in zip(snap.uids, snap.summary, strict=True) if not s]
    times = []
    for _ in range(50):
        uid = rng.choice(leaves)
        minutes = rng.choice([0, 480, 960, 2400, 4800])
        t0 = time.perf_counter()
        resched.set_duration(uid, minutes)
        times.append(time.perf_counter() - t0)
    # check the fast path against a full recompute of the final snapshot
    again = compute(resched.snapshot)
    assert again.early.start == resched.state.early.start
    assert again.late.finish == resched.state.late.finish
    med, worst = statistics.median(times), max(times)
    print(
        f"  one-task duration change: median {med * 1000:.1f} ms, worst {worst * 1000:.1f} ms"
        f" (target <= 50 ms) -> {full / med:.1f}x faster than a full recompute"
    )


MPXJ_SCRIPT = textwrap.dedent(
    """
    import sys, time, jpype, mpxj
    jpype.startJVM()
    from org.mpxj.reader import UniversalProjectReader
    from org.mpxj.writer import UniversalProjectWriter, FileFormat
    from org.mpxj.cpm import MicrosoftScheduler
    t0 = time.perf_counter()
    project = UniversalProjectReader().read(sys.argv[1])
    from org.mpxj import Duration, TimeUnit
    for t in project.getTasks():  # MPXJ needs these; steerco's writer leaves them out when zero
        if t.getActualDuration() is None:
            t.setActualDuration(Duration.getInstance(0, TimeUnit.HOURS))
        if t.getRemainingDuration() is None and t.getDuration() is not None:
            t.setRemainingDuration(t.getDuration())
    MicrosoftScheduler().schedule(project, project.getProjectProperties().getStartDate())
    UniversalProjectWriter(FileFormat.MSPDI).write(project, sys.argv[2])
    print(time.perf_counter() - t0)
    """
)


def bench_mpxj(n: int) -> None:
    try:
        import mpxj  # noqa: F401

        from steerco.interop.mspdi import write_mspdi  # type: ignore[attr-defined]
    except ImportError as exc:
        print(f"MPXJ comparison skipped: {exc}")
        return
    project = make_plan(n)
    result = compute(build_snapshot(project))
    del result
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "plan.xml", Path(tmp) / "out.xml"
        t0 = time.perf_counter()
        src.write_bytes(write_mspdi(project))
        t_write = time.perf_counter() - t0
        script = Path(tmp) / "run.py"
        script.write_text(MPXJ_SCRIPT)
        run = subprocess.run(
            [sys.executable, str(script), str(src), str(out)],
            capture_output=True,
            check=False,
            text=True,
            timeout=600,
        )
        if run.returncode != 0:
            print("MPXJ comparison failed:", run.stderr[-500:])
            return
        t_mpxj = float(run.stdout.strip().splitlines()[-1])
    t_ours = best_of(lambda: compute(build_snapshot(project)), repeat=1) + t_write
    print(
        f"MPXJ read+schedule+write {t_mpxj:.2f} s vs steerco snapshot+schedule+write {t_ours:.2f} s"
        f" -> {t_mpxj / t_ours:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--mpxj", action="store_true")
    args = parser.parse_args()
    bench_big(args.tasks)
    bench_small(args.small)
    if args.mpxj:
        bench_mpxj(args.small)


if __name__ == "__main__":
    main()
