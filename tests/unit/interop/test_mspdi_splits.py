"""Split tasks read from MSPDI: the pauses come from the assignments' timephased rows.

Plans start Monday 5 January 2026 08:00 on the Standard calendar (Mon-Fri 08:00-17:00).
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

import pytest

from steerco.domain import Duration, Project, Resource, Task
from steerco.domain.resource import Assignment
from steerco.engine import schedule
from steerco.interop.mspdi import read_mspdi, write_mspdi

D = 480


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 1, day, hour)


def row(day: int, hours: int | None, kind: int = 1) -> str:
    value = "" if hours is None else f"<Value>PT{hours}H0M0S</Value>"
    return (
        f"<TimephasedData><Type>{kind}</Type><UID>1</UID>"
        f"<Start>2026-01-{day:02d}T08:00:00</Start><Finish>2026-01-{day:02d}T17:00:00</Finish>"
        f"<Unit>2</Unit>{value}</TimephasedData>"
    )


def plan(*rows_per_assignment: list[str], **task: object) -> Project:
    """Task 1, 4 days from Mon 5 Jan, one assignment per list of rows."""
    project = Project(name="Plan", key="PL", start=at(5, 8))
    project.tasks.append(
        Task(uid=1, name="Build", duration=Duration(4 * D), start=at(5, 8), **task)  # type: ignore[arg-type]
    )
    for uid, rows in enumerate(rows_per_assignment, start=1):
        project.resources.append(Resource(uid=uid, name=f"R{uid}"))
        project.assignments.append(Assignment(uid, 1, uid, 1.0, 4 * D, list(rows)))
    return project


# Mon, Tue at work; Wed paused; Thu, Fri at work.
WEEK = [row(5, 8), row(6, 8), row(7, 0), row(8, 8), row(9, 8)]


def file_of(project: Project) -> bytes:
    """The file as MS Project would write it: each assignment's rows inside it.

    The rows go in after writing, because the writer (rightly) rewrites rows that disagree
    with the task's splits, and these plans carry rows but no splits yet."""
    if any(t.splits for t in project.tasks):
        return write_mspdi(project)
    rows = [a.extras for a in project.assignments]
    for a in project.assignments:
        a.extras = []
    parts = write_mspdi(project).decode().split("</Assignment>")
    xml = "".join(p + "".join(r) + "</Assignment>" for p, r in zip(parts, rows, strict=False))
    return (xml + parts[-1]).encode()


def again(project: Project) -> Project:
    return read_mspdi(file_of(project))


def test_a_zero_row_between_work_is_a_pause() -> None:
    got = again(plan(WEEK))
    assert got.tasks[-1].splits == ((2 * D, D),)
    assert got.tasks[-1].duration.minutes == 4 * D  # the duration leaves the pause out
    assert schedule(got).tasks[1].finish == at(9, 17)


def test_non_working_rows_have_no_value_and_do_not_pause() -> None:
    # Fri at work, Sat/Sun without a value (not working), Mon-Wed at work: no pause.
    rows = [row(2, 8), row(3, None), row(4, None), row(5, 8), row(6, 8), row(7, 8)]
    project = plan(rows)
    project.tasks[0].start = datetime(2026, 1, 2, 8)
    assert again(project).tasks[-1].splits == ()


def test_a_pause_over_a_weekend_counts_only_working_time() -> None:
    # Thu 1 (work), Fri 2 (0h), Sat/Sun (no value), Mon 5 (0h), Tue 6 onwards (work).
    rows = [row(1, 8), row(2, 0), row(3, None), row(4, None), row(5, 0), row(6, 8), row(7, 8)]
    project = plan(rows)
    project.tasks[0].start = datetime(2026, 1, 1, 8)
    project.tasks[0].duration = Duration(3 * D)
    assert again(project).tasks[-1].splits == ((D, 2 * D),)


def test_zero_rows_before_the_first_or_after_the_last_work_are_not_pauses() -> None:
    project = plan([row(5, 0), row(6, 8), row(7, 8), row(8, 8), row(9, 8), row(12, 0)])
    assert again(project).tasks[-1].splits == ()


def test_several_pauses_count_the_work_done_before_each() -> None:
    rows = [row(5, 8), row(6, 0), row(7, 8), row(8, 0), row(9, 0), row(12, 8), row(13, 8)]
    assert again(plan(rows)).tasks[-1].splits == ((D, D), (2 * D, 2 * D))


def test_assignments_that_disagree_leave_the_task_unsplit() -> None:
    other = [row(5, 8), row(6, 0), row(7, 8), row(8, 8), row(9, 8)]
    assert again(plan(WEEK, other)).tasks[-1].splits == ()


def test_assignments_that_agree_split_the_task() -> None:
    assert again(plan(WEEK, list(WEEK))).tasks[-1].splits == ((2 * D, D),)


def test_only_remaining_work_rows_count() -> None:
    baseline = [r.replace("<Type>1</Type>", "<Type>4</Type>") for r in WEEK]
    assert again(plan(baseline)).tasks[-1].splits == ()


def test_a_started_task_keeps_its_actual_dates_and_no_splits() -> None:
    got = again(plan(WEEK, actual_start=at(5, 8)))
    assert got.tasks[-1].splits == ()


def test_the_writer_rewrites_rows_that_no_longer_match_the_splits() -> None:
    joined = again(plan(WEEK))
    joined.tasks[-1].splits = ()  # joined again, as `"splits": ""` does through the API
    assert "PT0H0M0S" not in write_mspdi(joined).decode()
    assert read_mspdi(write_mspdi(joined)).tasks[-1].splits == ()


def test_the_rows_stay_verbatim_so_a_second_round_trip_keeps_the_splits() -> None:
    once = again(plan(WEEK))
    twice = again(once)
    assert twice.tasks[-1].splits == once.tasks[-1].splits == ((2 * D, D),)
    assert twice.assignments[0].extras == once.assignments[0].extras


def test_the_written_finish_includes_the_pause_and_the_duration_does_not() -> None:
    project = again(plan(WEEK))
    xml = write_mspdi(project, schedule(project)).decode()
    task = xml[xml.index("<Name>Build</Name>") :]
    assert "<Finish>2026-01-09T17:00:00</Finish>" in task[: task.index("</Task>")]
    assert "<Duration>PT32H0M0S</Duration>" in task[: task.index("</Task>")]


def _sample() -> Path | None:
    root = os.environ.get("STEERCO_DATA")
    base = Path(root) if root else Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
    path = base / "mspdi" / "mspdisplittask.xml"
    return path if path.is_file() else None


def test_ms_projects_own_split_tasks_finish_where_ms_project_put_them() -> None:
    path = _sample()
    if path is None:
        pytest.skip("mspdisplittask.xml not found: set STEERCO_DATA or use ../shared/data")
    project = read_mspdi(path.read_bytes())
    want = {t.uid: (t.start, t.finish) for t in project.tasks if t.outline_level > 0}
    splits = {t.uid: t.splits for t in project.tasks if t.outline_level > 0}
    assert splits == {1: ((4 * D, 3 * D),), 2: ((3 * D, 2 * D), (8 * D, 3 * D))}
    for task in project.tasks:
        task.start = task.finish = project.start  # erase MS Project's answers
    result = schedule(project)
    assert {uid: (result.tasks[uid].start, result.tasks[uid].finish) for uid in want} == want


def test_rows_of_a_split_task_whose_work_changed_are_written_afresh_with_its_pauses() -> None:
    """The rows still place the pause, but spread 32 h the assignment no longer has: they
    are written again from its new work, pause included (`work_fields.stale_work`)."""
    fields = ["<RegularWork>PT32H0M0S</RegularWork>", "<RemainingWork>PT32H0M0S</RemainingWork>"]
    read = again(plan([*fields, *WEEK]))
    assert read.tasks[-1].splits == ((2 * D, D),)
    (asn,) = read.assignments
    asn.units, asn.work_minutes = 0.5, 2 * D  # half time now: 16 h over the same four days

    out = write_mspdi(read)
    back = read_mspdi(out)
    assert back.tasks[-1].splits == ((2 * D, D),)
    (written,) = back.assignments
    values = [int(v) for v in re.findall(r"<Value>PT(\d+)H0M0S</Value>", out.decode())]
    assert sum(values) == 16 and 0 in values  # the new work, and still a zero row for the pause
    assert "<RegularWork>PT16H0M0S</RegularWork>" in written.extras
    assert "<RemainingWork>PT16H0M0S</RemainingWork>" in written.extras
