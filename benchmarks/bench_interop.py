"""MSPDI import/export at scale: 100,000 tasks.

Generates an MS Project-like file (about 45 elements per task as MS Project writes them, one
link per task, 200 resources, 50,000 assignments) and times read_mspdi and write_mspdi, with
ratios against plain parses of the same bytes in the same run:
  - xml.etree.ElementTree.fromstring (the standard library, unsafe for uploads),
  - lxml.etree.fromstring (the parser read_mspdi builds on).
Peak memory is the process's maximum resident set size (ru_maxrss), sampled after each step.

Targets (issue 4): whole import into SQLite <= 10 s and <= 2 GB peak, so parsing must be a
small part of it; export <= 5 s.

    .venv/bin/python benchmarks/bench_interop.py [--tasks 100000]
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

from lxml import etree

from steerco.interop.mspdi import fact_retention, read_mspdi, write_mspdi

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


def timed(label: str, fn, *args):  # type: ignore[no-untyped-def]
    gc.collect()
    began = time.perf_counter()
    result = fn(*args)
    seconds = time.perf_counter() - began
    print(f"{label:<34} {seconds:7.2f} s   peak RSS so far {rss_mb():7.0f} MB")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--check", action="store_true", help="also count facts kept (slow)")
    args = parser.parse_args()
    data, _ = timed(f"generate {args.tasks:,} tasks", generate, args.tasks)
    print(f"file size {len(data) / 2**20:.1f} MB")
    # read_mspdi first, so that its peak RSS is not hidden by a baseline's whole tree.
    project, t_read = timed("read_mspdi", read_mspdi, data)
    read_peak = rss_mb()
    out, t_write = timed("write_mspdi", write_mspdi, project)
    write_peak = rss_mb()
    print(
        f"tasks {len(project.tasks):,}, links {len(project.dependencies):,}, "
        f"assignments {len(project.assignments):,}, output {len(out) / 2**20:.1f} MB"
    )
    _, t_et = timed("baseline: xml.etree fromstring", ET.fromstring, data)
    _, t_lx = timed("baseline: lxml fromstring", etree.fromstring, data)
    if args.check:
        (kept, total), _ = timed("fact_retention (check)", fact_retention, data, out)
        print(f"facts kept {kept:,}/{total:,}")
    print(f"read_mspdi  = {t_read / t_et:.2f}x xml.etree parse, {t_read / t_lx:.2f}x lxml parse")
    print(f"write_mspdi = {t_write / t_et:.2f}x xml.etree parse")
    print(
        f"targets: read {t_read:.2f} s (part of the <= 10 s import), write {t_write:.2f} s "
        f"(<= 5 s); peak RSS {read_peak:.0f} MB after read, {write_peak:.0f} MB after write "
        "(<= 2048 MB for the whole import)"
    )


if __name__ == "__main__":
    main()
