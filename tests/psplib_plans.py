"""PSPLIB instances as MS Project files, and an independent check of a leveled file.

The plans are what the leveling acceptance check builds (`interop.psplib.to_project`): one
period is one working day of the Standard calendar (Mon-Fri 08:00-12:00, 13:00-17:00). The
check reads the output with lxml alone: no steerco code decides whether it passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from lxml import etree

from steerco.interop.mspdi import write_mspdi
from steerco.interop.psplib import read_sm, to_project

START = datetime(2026, 1, 5, 8, 0)  # a Monday
NS = {"p": "http://schemas.microsoft.com/project"}
_MORNING, _AFTERNOON = (8 * 60, 12 * 60), (13 * 60, 17 * 60)


def write_psplib_mspdi(path: Path, dest: Path) -> Path:
    dest.write_bytes(write_mspdi(to_project(read_sm(path), START)))
    return dest


def optimum(folder: Path) -> dict[str, int]:
    """Known optima of `optimum.csv` (open instances, "lb..ub", are left out)."""
    out: dict[str, int] = {}
    for line in (folder / "optimum.csv").read_text().splitlines()[1:]:
        name, value = line.split(",")
        if value.isdigit():
            out[name] = int(value)
    return out


def work_minutes(a: datetime, b: datetime) -> int:
    """Working minutes of the Standard calendar in [a, b)."""
    total = 0
    day = a.date()
    while day <= b.date():
        if day.weekday() < 5:
            base = datetime.combine(day, datetime.min.time())
            for lo, hi in (_MORNING, _AFTERNOON):
                s = max(a, base + timedelta(minutes=lo))
                e = min(b, base + timedelta(minutes=hi))
                if e > s:
                    total += int((e - s).total_seconds()) // 60
        day += timedelta(days=1)
    return total


def working_days(first: date, end: datetime) -> int:
    return work_minutes(datetime.combine(first, datetime.min.time()), end) // 480


@dataclass
class FileTask:
    start: datetime | None  # None in a plan never scheduled
    finish: datetime | None
    minutes: int
    preds: list[tuple[int, int, int]]  # (predecessor uid, MSPDI link type, lag tenths)
    delay: int | None


def _parse_iso(text: str) -> int:
    hours = text.split("T")[1].split("H", maxsplit=1)[0]
    rest = text.split("H")[1]
    return int(hours) * 60 + int(rest.split("M")[0])


def read_plan(
    data: bytes,
) -> tuple[dict[int, FileTask], dict[int, float], list[tuple[int, int, float]]]:
    root = etree.fromstring(data)
    tasks: dict[int, FileTask] = {}
    for t in root.iterfind("p:Tasks/p:Task", NS):
        uid = int(t.findtext("p:UID", namespaces=NS))
        preds = [
            (
                int(link.findtext("p:PredecessorUID", namespaces=NS)),
                int(link.findtext("p:Type", default="1", namespaces=NS)),
                int(link.findtext("p:LinkLag", default="0", namespaces=NS)),
            )
            for link in t.iterfind("p:PredecessorLink", NS)
        ]
        delay = t.findtext("p:LevelingDelay", namespaces=NS)
        start, finish = t.findtext("p:Start", namespaces=NS), t.findtext("p:Finish", namespaces=NS)
        tasks[uid] = FileTask(
            None if start is None else datetime.fromisoformat(start),
            None if finish is None else datetime.fromisoformat(finish),
            _parse_iso(t.findtext("p:Duration", namespaces=NS)),
            preds,
            None if delay is None else int(delay),
        )
    caps = {
        int(r.findtext("p:UID", namespaces=NS)): float(r.findtext("p:MaxUnits", namespaces=NS))
        for r in root.iterfind("p:Resources/p:Resource", NS)
    }
    assignments = []
    for a in root.iterfind("p:Assignments/p:Assignment", NS):
        task = int(a.findtext("p:TaskUID", namespaces=NS))
        start, finish = a.findtext("p:Start", namespaces=NS), a.findtext("p:Finish", namespaces=NS)
        if start is not None:  # an assignment's dates must be its task's
            assert datetime.fromisoformat(start) == tasks[task].start
            assert datetime.fromisoformat(finish) == tasks[task].finish
        assignments.append(
            (
                task,
                int(a.findtext("p:ResourceUID", namespaces=NS)),
                float(a.findtext("p:Units", namespaces=NS)),
            )
        )
    return tasks, caps, assignments


def check_leveled_file(source: bytes, leveled: bytes) -> list[str]:
    """Problems of a leveled file against its source: durations, links, capacity, only later."""
    before, _, _ = read_plan(source)
    tasks, caps, assignments = read_plan(leveled)
    problems: list[str] = []
    for uid, t in tasks.items():
        if t.minutes != before[uid].minutes or work_minutes(t.start, t.finish) != t.minutes:
            problems.append(f"task {uid}: duration changed")
        if t.start is None or t.finish is None:
            problems.append(f"task {uid}: no dates")
            continue
        old = before[uid].start
        if old is not None and t.start < old:
            problems.append(f"task {uid}: moved earlier")
        for pred, kind, lag in t.preds:
            p = tasks[pred]
            assert p.start is not None and p.finish is not None
            # MSPDI link types: 0 FF, 1 FS, 2 SF, 3 SS; lags in tenths of working minutes.
            ref = p.finish if kind in (0, 1) else p.start
            mine = t.finish if kind in (0, 2) else t.start
            if mine < ref or work_minutes(ref, mine) < lag // 10:
                problems.append(f"link {pred}->{uid} broken")
    events: dict[int, list[tuple[datetime, float]]] = {}
    for task, res, units in assignments:
        t = tasks[task]
        assert t.start is not None and t.finish is not None
        if t.finish > t.start:
            events.setdefault(res, []).extend([(t.start, units), (t.finish, -units)])
    for res, ev in events.items():
        load = 0.0
        for when, delta in sorted(ev):
            load += delta
            if load > caps[res] + 1e-9:
                problems.append(f"resource {res} at {load} > {caps[res]} on {when}")
                break
    return problems


def makespan_days(data: bytes) -> int:
    tasks, _, _ = read_plan(data)
    return working_days(START.date(), max(t.finish for t in tasks.values() if t.finish))
