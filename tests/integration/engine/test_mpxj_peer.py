"""MPXJ's MicrosoftScheduler as a peer: random plans scheduled by both must agree.

MPXJ reproduces MS Project on 99.9% of its own corpus. Plans with links of all four types,
working and elapsed lags, milestones and holidays must match it exactly; plans that add
summaries, task calendars and constraints must match it mostly (see docs/scheduling.md for the
known differences). Slow (a JVM in a subprocess); skipped without mpxj, JPype1 or Java.
"""

from __future__ import annotations

import contextlib
import random
import shutil
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from steerco.domain import (
    Calendar,
    CalendarException,
    ConstraintType,
    DayPattern,
    Dependency,
    Duration,
    Lag,
    LinkType,
    Project,
    Task,
    TimeUnit,
    ValidationError,
    WorkingTime,
)
from steerco.domain.calendar import NONWORKING, twenty_four_hour_calendar
from steerco.engine import schedule

pytestmark = pytest.mark.slow
START = datetime(2026, 1, 5, 8)

RUNNER = textwrap.dedent(
    """
    import sys, jpype, mpxj
    jpype.startJVM()
    from org.mpxj import Duration, TimeUnit
    from org.mpxj.reader import UniversalProjectReader
    from org.mpxj.cpm import MicrosoftScheduler
    for path in sys.argv[1:]:
        print("FILE", path)
        project = UniversalProjectReader().read(path)
        for t in project.getTasks():
            if t.getActualDuration() is None:
                t.setActualDuration(Duration.getInstance(0, TimeUnit.HOURS))
            if t.getRemainingDuration() is None and t.getDuration() is not None:
                t.setRemainingDuration(t.getDuration())
        MicrosoftScheduler().schedule(project, project.getProjectProperties().getStartDate())
        for t in project.getTasks():
            uid = t.getUniqueID()
            if uid is not None and int(uid) != 0 and not t.getSummary():
                print("T", int(uid), str(t.getStart()), str(t.getFinish()))
    """
)


def make_plan(seed: int, *, rich: bool) -> Project:
    rng = random.Random(seed)
    holidays = [CalendarException(date(2026, 1, 14), date(2026, 1, 14), name="holiday")]
    calendars = [Calendar(1, "Standard", exceptions=holidays)]
    if rich:
        night = DayPattern(True, (WorkingTime(1080, 1440),))
        calendars += [
            twenty_four_hour_calendar(2),
            Calendar(3, "Nights", week=(night,) * 5 + (NONWORKING,) * 2),
        ]
    project = Project(name=f"Peer {seed}", key="PEER", start=START, calendars=calendars)
    level = 1
    for uid in range(1, 26):
        if rich and uid > 1:
            level = rng.choice([max(1, level - 1), level, min(3, level + 1)])
        minutes = rng.choice([0, 60, 240, 480, 960, 2400])
        unit = TimeUnit.DAY if minutes % 480 == 0 else TimeUnit.HOUR
        task = Task(uid=uid, name=f"T{uid}", outline_level=level, duration=Duration(minutes, unit))
        task.milestone = minutes == 0
        if rich and rng.random() < 0.2:
            task.calendar_uid = rng.choice([2, 3])
        if rich and rng.random() < 0.15:
            task.constraint = rng.choice(
                [ConstraintType.FNLT, ConstraintType.MSO, ConstraintType.SNLT]
            )
            task.constraint_date = START + timedelta(days=rng.randint(0, 15))
        project.tasks.append(task)
    project.refresh_summaries()
    for task in project.tasks:
        if task.summary:
            task.milestone, task.calendar_uid = False, None
            task.constraint, task.constraint_date = ConstraintType.ASAP, None
    lags = [
        Lag(),
        Lag(),
        Lag(480),
        Lag(-480),
        Lag(120, TimeUnit.HOUR),
        Lag(1440, TimeUnit.DAY, elapsed=True),
    ]
    for _ in range(40):
        a, b = sorted(rng.sample(range(1, 26), 2))
        # a duplicate, or a link between a summary and its own subtask, is refused
        with contextlib.suppress(ValidationError):
            project.add_dependency(Dependency(a, b, rng.choice(list(LinkType)), rng.choice(lags)))
    return project


def run_mpxj(paths: list[Path], tmp: Path) -> dict[str, dict[int, tuple[datetime, datetime]]]:
    script = tmp / "runner.py"
    script.write_text(RUNNER)
    out = subprocess.run(
        [sys.executable, str(script), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    ).stdout
    dates: dict[str, dict[int, tuple[datetime, datetime]]] = {}
    current = ""
    for line in out.splitlines():
        if line.startswith("FILE "):
            current = line.split()[1]
            dates[current] = {}
        elif line.startswith("T "):
            _, uid, start, finish = line.split()
            dates[current][int(uid)] = (
                datetime.fromisoformat(start),
                datetime.fromisoformat(finish),
            )
    return dates


@pytest.mark.parametrize(("rich", "target"), [(False, 100.0), (True, 90.0)])
def test_matches_mpxj(tmp_path: Path, rich: bool, target: float) -> None:
    pytest.importorskip("mpxj", reason="pip install mpxj JPype1 to compare with MPXJ")
    pytest.importorskip("jpype", reason="pip install mpxj JPype1 to compare with MPXJ")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime for MPXJ")
    from steerco.interop.mspdi import write_mspdi

    plans = {}
    for seed in range(20):
        project = make_plan(seed, rich=rich)
        path = tmp_path / f"plan{seed}.xml"
        path.write_bytes(write_mspdi(project))
        plans[str(path)] = project
    theirs = run_mpxj([Path(p) for p in plans], tmp_path)
    total = matched = 0
    misses = []
    for path, project in plans.items():
        ours = schedule(project).tasks
        for uid, expected in theirs[path].items():
            total += 1
            got = (ours[uid].start, ours[uid].finish)
            if got == expected:
                matched += 1
            else:
                misses.append(f"{Path(path).name} uid {uid}: mpxj {expected}, steerco {got}")
    rate = 100.0 * matched / total
    print(f"\nMPXJ peer ({'rich' if rich else 'links only'}): {matched}/{total} = {rate:.1f}%")
    for miss in misses[:5]:
        print("  ", miss)
    assert rate >= target
