"""MPXJ's MicrosoftScheduler as a peer: random plans scheduled by both must agree.

MPXJ reproduces MS Project on 99.9% of its own corpus. Each family of random plans adds one
feature to links of all four types, working and elapsed lags, milestones and holidays; each
family's agreement is printed and must stay at the level it reached (TARGETS; see
docs/scheduling.md for the known differences, where steerco follows MS Project rather than
MPXJ). Slow (a JVM in a subprocess); skipped without mpxj, JPype1 or Java.
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


FAMILIES = (
    "links",
    "summaries",
    "calendars",
    "constraints",
    "constraints-offhours",
    "elapsed",
    "alap",
    "all",
)
ALL_CONSTRAINTS = [c for c in ConstraintType if c not in (ConstraintType.ASAP, ConstraintType.ALAP)]


def constraint_date(
    rng: random.Random, kind: ConstraintType, family: str, calendar: int | None
) -> datetime:
    """A date in working time on the task's calendar (the "constraints" and "all" families):
    on the Standard calendar a working day at 08:00 or 10:00 for a start, 10:00 or 17:00 for a
    finish; on the night shift 18:00 or 20:00 for a start, 20:00 or midnight for a finish.
    Otherwise any day of the first three weeks (weekends and the holiday included) at 08:00,
    10:00 or 17:00: MS Project moves a task whose date is in non-working time to working time,
    MPXJ does not (docs/scheduling.md)."""
    finish = kind in (ConstraintType.MFO, ConstraintType.FNET, ConstraintType.FNLT)
    while True:
        day = START + timedelta(days=rng.randint(0, 15))
        if family == "constraints-offhours":
            return day + timedelta(hours=rng.choice([0, 2, 9]))
        if calendar == 2:
            return day + timedelta(hours=rng.choice([0, 2, 9]))
        if calendar == 3:
            if day.weekday() < 5:
                return day + timedelta(hours=rng.choice([12, 16] if finish else [10, 12]))
        elif day.weekday() < 5 and day.date() != date(2026, 1, 14):
            return day + timedelta(hours=rng.choice([2, 9] if finish else [0, 2]))


def make_plan(seed: int, family: str) -> Project:
    """A random 25-task plan; `family` chooses what it adds to links, lags and milestones."""
    rng = random.Random(f"{family}-{seed}")
    everything = family == "all"
    summaries = family == "summaries" or everything
    calendars_on = family == "calendars" or everything
    holidays = [CalendarException(date(2026, 1, 14), date(2026, 1, 14), name="holiday")]
    calendars = [Calendar(1, "Standard", exceptions=holidays)]
    if calendars_on:
        night = DayPattern(True, (WorkingTime(1080, 1440),))
        calendars += [
            twenty_four_hour_calendar(2),
            Calendar(3, "Nights", week=(night,) * 5 + (NONWORKING,) * 2),
        ]
    project = Project(name=f"Peer {seed}", key="PEER", start=START, calendars=calendars)
    level = 1
    for uid in range(1, 26):
        if summaries and uid > 1:
            level = rng.choice([max(1, level - 1), level, min(3, level + 1)])
        minutes = rng.choice([0, 60, 240, 480, 960, 2400])
        unit = TimeUnit.DAY if minutes % 480 == 0 else TimeUnit.HOUR
        elapsed = (family == "elapsed" or everything) and minutes > 0 and rng.random() < 0.3
        if elapsed:
            minutes = rng.choice([120, 1440, 2880])
            unit = TimeUnit.HOUR if minutes < 1440 else TimeUnit.DAY
        task = Task(
            uid=uid,
            name=f"T{uid}",
            outline_level=level,
            duration=Duration(minutes, unit, elapsed),
        )
        task.milestone = minutes == 0
        if calendars_on and rng.random() < 0.2:
            task.calendar_uid = rng.choice([2, 3])
        if (family.startswith("constraints") or everything) and rng.random() < 0.2:
            task.constraint = rng.choice(ALL_CONSTRAINTS)
            task.constraint_date = constraint_date(rng, task.constraint, family, task.calendar_uid)
        if (family == "alap" or everything) and rng.random() < 0.15:
            task.constraint, task.constraint_date = ConstraintType.ALAP, None
        project.tasks.append(task)
    project.refresh_summaries()
    for task in project.tasks:
        if task.summary:
            task.milestone, task.calendar_uid = False, None
            task.constraint, task.constraint_date = ConstraintType.ASAP, None
            task.duration = Duration(0)
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


# The agreement each family reached when last measured (docs/scheduling.md lists what the
# remaining differences are); a regression below these fails the test.
TARGETS = {
    "links": 100.0,
    "summaries": 99.0,
    "calendars": 98.7,
    "constraints": 100.0,
    "constraints-offhours": 93.9,
    "elapsed": 100.0,
    "alap": 100.0,
    "all": 93.0,
}
PLANS_PER_FAMILY = 30


def test_matches_mpxj(tmp_path: Path) -> None:
    pytest.importorskip("mpxj", reason="pip install mpxj JPype1 to compare with MPXJ")
    pytest.importorskip("jpype", reason="pip install mpxj JPype1 to compare with MPXJ")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime for MPXJ")
    from steerco.interop.mspdi import write_mspdi

    plans: dict[str, tuple[str, Project]] = {}
    for family in FAMILIES:
        for seed in range(PLANS_PER_FAMILY):
            project = make_plan(seed, family)
            path = tmp_path / f"{family}-{seed}.xml"
            path.write_bytes(write_mspdi(project))
            plans[str(path)] = (family, project)
    theirs = run_mpxj([Path(p) for p in plans], tmp_path)  # one JVM for every family
    counts = {family: [0, 0] for family in FAMILIES}
    misses: dict[str, list[str]] = {family: [] for family in FAMILIES}
    for path, (family, project) in plans.items():
        ours = schedule(project).tasks
        for uid, expected in theirs[path].items():
            counts[family][1] += 1
            got = (ours[uid].start, ours[uid].finish)
            if got == expected:
                counts[family][0] += 1
            else:
                misses[family].append(
                    f"{Path(path).name} uid {uid}: mpxj {expected[0]:%a %d %H:%M}-"
                    f"{expected[1]:%a %d %H:%M}, steerco {got[0]:%a %d %H:%M}-{got[1]:%a %d %H:%M}"
                )
    failed = []
    print()
    for family in FAMILIES:
        matched, total = counts[family]
        rate = 100.0 * matched / total
        target = TARGETS[family]
        print(f"MPXJ peer {family:20} {matched:4}/{total:4} = {rate:5.1f}%  (target {target}%)")
        for miss in misses[family][:3]:
            print("    ", miss)
        if round(rate, 1) < target:
            failed.append(f"{family} {rate:.1f}% < {target}%")
    assert not failed, failed
