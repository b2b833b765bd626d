"""MSPDI import/export at scale: 100,000 tasks, through the whole user path.

Generates an MS Project-like file (about 45 elements per task as MS Project writes them, one
link per task, 200 resources, 50,000 assignments), then measures, each in a fresh child
process so that one step's allocations do not count against the next:
  - import: `services.interop.import_plan` into a fresh, migrated SQLite file (parse + store,
    one transaction), with wall time, CPU time and peak RSS (the child's ru_maxrss), as the
    web and API uploads run it (the server reads every row itself);
  - `steerco import FILE` into another fresh file, the command itself, start-up included:
    it reads the task rows in two processes when a core is free (`cli/forked.py`), so its
    CPU time and peak count the command and its forked child;
  - export: `services.interop.export_project` of that project (load + write_mspdi);
  - read_mspdi and write_mspdi alone, to show where the time goes;
  - baselines in the same run and the same way: lxml.etree.fromstring (the parser read_mspdi
    builds on) and xml.etree.ElementTree.fromstring of the same bytes.
Wall time depends on what else the machine runs; CPU time is the steadier figure.

Targets (issue 4): import <= 10 s and <= 2 GB peak memory; export <= 5 s.

    .venv/bin/python benchmarks/bench_interop.py [--tasks 100000] [--check]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from lxml import etree

from steerco.interop.mspdi import fact_retention, read_mspdi, write_mspdi
from steerco.services.accounts import LOCAL
from steerco.services.interop import ExportFormat, export_project, import_plan
from steerco.storage.migrate import upgrade
from steerco.storage.uow import SqlUnitOfWorkFactory

IMPORT_SECONDS = 10.0
IMPORT_MB = 2048.0
EXPORT_SECONDS = 5.0

NS = "http://schemas.microsoft.com/project"


def rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 2**20


def generate(n_tasks: int) -> bytes:
    start = datetime(2025, 1, 6, 8)
    out = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Project xmlns="{NS}">',
        "<SaveVersion>14</SaveVersion><Name>Benchmark programme</Name>",
        "<ScheduleFromStart>1</ScheduleFromStart><StartDate>2025-01-06T08:00:00</StartDate>",
        "<CurrencyCode>EUR</CurrencyCode><CalendarUID>1</CalendarUID>",
        "<MinutesPerDay>480</MinutesPerDay><MinutesPerWeek>2400</MinutesPerWeek>",
        "<DaysPerMonth>20</DaysPerMonth>",
        "<ExtendedAttributes><ExtendedAttribute><FieldID>188743731</FieldID>"
        "<FieldName>Text1</FieldName><Alias>Team</Alias></ExtendedAttribute></ExtendedAttributes>",
        "<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>"
        "<BaseCalendarUID>-1</BaseCalendarUID><WeekDays>",
    ]
    for day in range(1, 8):
        if day in (1, 7):
            out.append(f"<WeekDay><DayType>{day}</DayType><DayWorking>0</DayWorking></WeekDay>")
        else:
            out.append(
                f"<WeekDay><DayType>{day}</DayType><DayWorking>1</DayWorking><WorkingTimes>"
                "<WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>"
                "<WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime>"
                "</WorkingTimes></WeekDay>"
            )
    out.append("</WeekDays></Calendar></Calendars>\n<Tasks>\n")
    for uid in range(n_tasks + 1):
        day = start + timedelta(days=uid % 500)
        s = day.strftime("%Y-%m-%dT%H:%M:%S")
        f = (day + timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M:%S")
        level = 0 if uid == 0 else (1 if uid % 20 == 1 else 2)
        summary = 1 if level < 2 else 0
        link = (
            f"<PredecessorLink><PredecessorUID>{uid - 1}</PredecessorUID><Type>1</Type>"
            f"<CrossProject>0</CrossProject><LinkLag>{(uid % 3) * 4800}</LinkLag>"
            "<LagFormat>7</LagFormat></PredecessorLink>"
            if level == 2 and uid % 20 != 2
            else ""
        )
        out.append(
            f"<Task><UID>{uid}</UID><GUID>0000{uid:08d}-0000-0000-0000-000000000000</GUID>"
            f"<ID>{uid}</ID><Name>Task {uid} &amp; co</Name><Active>1</Active><Manual>0</Manual>"
            f"<Type>0</Type><IsNull>0</IsNull><CreateDate>2025-01-01T08:00:00</CreateDate>"
            f"<WBS>{uid}</WBS><OutlineNumber>{uid}</OutlineNumber><OutlineLevel>{level}</OutlineLevel>"
            f"<Priority>500</Priority><Start>{s}</Start><Finish>{f}</Finish>"
            "<Duration>PT8H0M0S</Duration><DurationFormat>7</DurationFormat><Work>PT8H0M0S</Work>"
            "<ResumeValid>0</ResumeValid><EffortDriven>0</EffortDriven><Recurring>0</Recurring>"
            "<OverAllocated>0</OverAllocated><Estimated>0</Estimated><Milestone>0</Milestone>"
            f"<Summary>{summary}</Summary><Critical>0</Critical><IsSubproject>0</IsSubproject>"
            f"<EarlyStart>{s}</EarlyStart><EarlyFinish>{f}</EarlyFinish><LateStart>{s}</LateStart>"
            f"<LateFinish>{f}</LateFinish><FreeSlack>0</FreeSlack><TotalSlack>0</TotalSlack>"
            "<FixedCost>0</FixedCost><FixedCostAccrual>3</FixedCostAccrual>"
            "<PercentComplete>0</PercentComplete><PercentWorkComplete>0</PercentWorkComplete>"
            "<Cost>48000</Cost><ActualDuration>PT0H0M0S</ActualDuration>"
            "<RemainingDuration>PT8H0M0S</RemainingDuration><ConstraintType>0</ConstraintType>"
            "<CalendarUID>-1</CalendarUID><LevelAssignments>1</LevelAssignments>"
            "<IgnoreResourceCalendar>0</IgnoreResourceCalendar><HideBar>0</HideBar>"
            f"{link}<ExtendedAttribute><FieldID>188743731</FieldID><Value>Team {uid % 7}</Value>"
            "</ExtendedAttribute><Baseline><Number>0</Number>"
            f"<Start>{s}</Start><Finish>{f}</Finish><Duration>PT8H0M0S</Duration>"
            "<Cost>48000</Cost></Baseline></Task>\n"
        )
    out.append("</Tasks>\n<Resources>\n")
    for uid in range(1, 201):
        out.append(
            f"<Resource><UID>{uid}</UID><ID>{uid}</ID><Name>Person {uid}</Name><Type>1</Type>"
            f"<Initials>P{uid}</Initials><MaxUnits>1.00</MaxUnits><StandardRate>60</StandardRate>"
            f"<CalendarUID>1</CalendarUID></Resource>\n"
        )
    out.append("</Resources>\n<Assignments>\n")
    for uid in range(1, n_tasks // 2 + 1):
        task = uid * 2
        out.append(
            f"<Assignment><UID>{uid}</UID><TaskUID>{task}</TaskUID>"
            f"<ResourceUID>{uid % 200 + 1}</ResourceUID><PercentWorkComplete>0</PercentWorkComplete>"
            "<Units>1</Units><Work>PT8H0M0S</Work><Cost>48000</Cost></Assignment>\n"
        )
    out.append("</Assignments>\n</Project>\n")
    return "".join(out).encode()


# ----- one measured step per child process --------------------------------------------------
# Each child reads the file itself, then runs one step between two clock readings; ru_maxrss
# is the child's own peak, so the parent's copy of the data and earlier steps do not count.
# The file's bytes (~180 MB) are part of every step's peak, as they are for a real upload.


def _step_import(path: str, url: str) -> str:
    data = Path(path).read_bytes()
    factory = SqlUnitOfWorkFactory.from_url(url)

    def run() -> str:
        return import_plan(factory, data, actor=LOCAL, max_bytes=len(data)).key

    return _measure(run)


def _step_cli_import(path: str, url: str) -> str:
    exe = Path(sys.executable).with_name("steerco")
    env = {**os.environ, "STEERCO_DATABASE_URL": url}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run(  # noqa: S603  # our own console script, fixed arguments
        [str(exe), "import", path], env=env, capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return f"{wall!r} {cpu!r} {after.ru_maxrss / 1024!r} {done.stdout.split()[-1]}"


def _step_export(path: str, url: str, key: str) -> str:
    factory = SqlUnitOfWorkFactory.from_url(url)
    return _measure(lambda: len(export_project(factory, key, ExportFormat.MSPDI, actor=LOCAL)))


def _step_read(path: str) -> str:
    data = Path(path).read_bytes()
    return _measure(lambda: len(read_mspdi(data, max_bytes=len(data)).tasks))


def _step_write(path: str) -> str:
    data = Path(path).read_bytes()
    project = read_mspdi(data, max_bytes=len(data))
    del data
    return _measure(lambda: len(write_mspdi(project)))


def _step_lxml(path: str) -> str:
    data = Path(path).read_bytes()
    return _measure(lambda: len(etree.fromstring(data)))


def _step_etree(path: str) -> str:
    data = Path(path).read_bytes()
    return _measure(lambda: len(ET.fromstring(data)))


def _measure(fn: Callable[[], Any]) -> str:
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return f"{wall!r} {cpu!r} {rss_mb()!r} {result}"


class Step:
    def __init__(self, label: str, wall: float, cpu: float, peak_mb: float, result: str) -> None:
        self.label, self.wall, self.cpu, self.peak_mb, self.result = (
            label,
            wall,
            cpu,
            peak_mb,
            result,
        )


def step(label: str, fn: Callable[..., str], *args: Any) -> Step:
    """Run `fn(*args)` in a fresh process (spawned: no inherited heap) and report it."""
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1, maxtasksperchild=1) as pool:
        wall, cpu, peak, result = pool.apply(fn, args).split(" ", 3)
    done = Step(label, float(wall), float(cpu), float(peak), result)
    print(
        f"{label:<34} wall {done.wall:6.2f} s   cpu {done.cpu:6.2f} s   "
        f"peak RSS {done.peak_mb:6.0f} MB",
        flush=True,
    )
    return done


def verdict(value: float, limit: float) -> str:
    return f"{'ok' if value <= limit else 'OVER'} ({value / limit:.0%} of the target)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--check", action="store_true", help="also count facts kept (slow)")
    args = parser.parse_args()
    began = time.perf_counter()
    data = generate(args.tasks)
    print(
        f"generated {args.tasks:,} tasks in {time.perf_counter() - began:.1f} s: "
        f"{len(data) / 2**20:.1f} MB"
    )
    with tempfile.TemporaryDirectory(prefix="steerco-bench-") as tmp:
        path = str(Path(tmp) / "plan.xml")
        Path(path).write_bytes(data)
        url = f"sqlite:///{Path(tmp) / 'steerco.db'}"
        upgrade(url)
        cli_url = f"sqlite:///{Path(tmp) / 'cli.db'}"
        upgrade(cli_url)
        lx = step("baseline: lxml fromstring", _step_lxml, path)
        et = step("baseline: xml.etree fromstring", _step_etree, path)
        read = step("read_mspdi (parse only)", _step_read, path)
        write = step("write_mspdi (render only)", _step_write, path)
        imp = step("import_plan -> SQLite", _step_import, path, url)
        cli = step("steerco import -> SQLite", _step_cli_import, path, cli_url)
        exp = step("export_project <- SQLite", _step_export, path, url, imp.result)
        if args.check:
            project = read_mspdi(data, max_bytes=len(data))
            kept, total = fact_retention(data, write_mspdi(project))
            print(f"facts kept {kept:,}/{total:,}")
    print()
    for s in (read, write, imp, cli, exp):
        print(
            f"{s.label:<34} cpu = {s.cpu / lx.cpu:5.2f}x lxml parse, "
            f"{s.cpu / et.cpu:5.2f}x xml.etree parse"
        )
    print()
    print(
        f"import wall {imp.wall:6.2f} s <= {IMPORT_SECONDS:.0f} s: {verdict(imp.wall, IMPORT_SECONDS)}"
    )
    print(
        f"steerco import wall {cli.wall:6.2f} s <= {IMPORT_SECONDS:.0f} s: "
        f"{verdict(cli.wall, IMPORT_SECONDS)} (the upload above: {imp.wall / cli.wall:.2f}x)"
    )
    print(
        f"import cpu  {imp.cpu:6.2f} s <= {IMPORT_SECONDS:.0f} s: {verdict(imp.cpu, IMPORT_SECONDS)}"
    )
    print(
        f"import peak {imp.peak_mb:6.0f} MB <= {IMPORT_MB:.0f} MB: {verdict(imp.peak_mb, IMPORT_MB)}"
    )
    print(
        f"export wall {exp.wall:6.2f} s <= {EXPORT_SECONDS:.0f} s: {verdict(exp.wall, EXPORT_SECONDS)}"
    )
    print(
        f"export cpu  {exp.cpu:6.2f} s <= {EXPORT_SECONDS:.0f} s: {verdict(exp.cpu, EXPORT_SECONDS)}"
    )


if __name__ == "__main__":
    main()
