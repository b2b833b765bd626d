"""The calendar editor and baselines on a real database (SQLite and PostgreSQL): every change
reschedules, is audited, survives a reload, and a stale editor gets Conflict."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from steerco.domain import Conflict, ValidationError
from steerco.services import baselines, calendars, planning, projects
from steerco.services.accounts import LOCAL, LocalOperator
from steerco.services.interop import ExportFormat, export_project, import_plan
from steerco.services.tasks import NewTask, add_task

NOW = datetime(2026, 11, 22, 9, 0)


@pytest.fixture
def key(uow_factory) -> str:
    # Monday 2026-11-23; Design 5d then Build 3d.
    project = projects.create_project(
        uow_factory,
        actor=LOCAL,
        name="Data centre move",
        today=date(2026, 11, 23),
        start=date(2026, 11, 23),
    )
    add_task(uow_factory, project.key, NewTask(name="Design", duration="5d"), actor=LOCAL)
    add_task(
        uow_factory, project.key, NewTask(name="Build", duration="3d", after=["1"]), actor=LOCAL
    )
    return project.key


def finish_of(uow_factory, key: str, name: str) -> datetime:
    view = planning.compute_schedule(uow_factory, key, actor=LOCAL)
    task = next(t for t in view.project.tasks if t.name == name)
    return view.result.tasks[task.uid].finish


def test_a_holiday_moves_the_plan_and_is_audited(uow_factory, key):
    assert finish_of(uow_factory, key, "Build") == datetime(2026, 12, 2, 17, 0)
    calendars.add_exception(
        uow_factory,
        key,
        1,
        start=date(2026, 11, 26),
        finish=date(2026, 11, 27),
        name="Thanksgiving",
        actor=LocalOperator("ana"),
        now=NOW,
    )
    assert finish_of(uow_factory, key, "Build") == datetime(2026, 12, 4, 17, 0)
    stored = planning.load(uow_factory, key, actor=LOCAL)
    assert [e.name for e in stored.calendars[0].exceptions] == ["Thanksgiving"]
    # The stored dates were rescheduled in the same transaction, not only the computed view.
    build = next(t for t in stored.tasks if t.name == "Build")
    assert build.finish == datetime(2026, 12, 4, 17, 0)
    with uow_factory(write=False) as uow:
        entries = list(uow.audit.recent(5, None))
    assert any(e.action == "calendar.exception_added" and e.actor == "ana" for e in entries)

    calendars.remove_exception(uow_factory, key, 1, 0, actor=LocalOperator("ana"), now=NOW)
    assert finish_of(uow_factory, key, "Build") == datetime(2026, 12, 2, 17, 0)


def test_week_edits_change_the_working_time(uow_factory, key):
    # Fridays off: 8 working days run Mon 23 Nov .. Wed 3 Dec (skipping 27 Nov).
    calendars.set_week(uow_factory, key, 1, {4: "nonworking"}, actor=LocalOperator("ana"), now=NOW)
    assert finish_of(uow_factory, key, "Build") == datetime(2026, 12, 3, 17, 0)
    cal = planning.load(uow_factory, key, actor=LOCAL).calendars[0]
    assert calendars.format_day(cal.week[4]) == "nonworking"
    # Long days on Monday: 07:00-12:00, 13:00-19:00 is 11 hours.
    calendars.set_week(
        uow_factory, key, 1, {0: "07:00-12:00, 13:00-19:00"}, actor=LocalOperator("ana"), now=NOW
    )
    cal = planning.load(uow_factory, key, actor=LOCAL).calendars[0]
    assert calendars.format_day(cal.week[0]) == "07:00-12:00, 13:00-19:00"


@pytest.mark.parametrize("text", ["8-12", "08:00-07:00", "25:00-26:00", "08:00-12:00, 11:00-13:00"])
def test_bad_working_times_are_refused_and_change_nothing(uow_factory, key, text):
    before = planning.load(uow_factory, key, actor=LOCAL)
    with pytest.raises(ValidationError):
        calendars.set_week(uow_factory, key, 1, {0: text}, actor=LocalOperator("ana"), now=NOW)
    after = planning.load(uow_factory, key, actor=LOCAL)
    assert after.calendars == before.calendars and after.version == before.version


def test_a_week_without_work_is_refused(uow_factory, key):
    with pytest.raises(ValidationError, match="at least one working day"):
        calendars.set_week(
            uow_factory,
            key,
            1,
            dict.fromkeys(range(7), "nonworking"),
            actor=LocalOperator("ana"),
            now=NOW,
        )


def test_a_stale_editor_gets_conflict(uow_factory, key):
    version = planning.load(uow_factory, key, actor=LOCAL).version
    calendars.set_week(
        uow_factory,
        key,
        1,
        {5: "09:00-13:00"},
        actor=LocalOperator("ana"),
        now=NOW,
        version=version,
    )
    with pytest.raises(Conflict):
        calendars.set_week(
            uow_factory,
            key,
            1,
            {5: "nonworking"},
            actor=LocalOperator("bo"),
            now=NOW,
            version=version,
        )
    cal = planning.load(uow_factory, key, actor=LOCAL).calendars[0]
    assert calendars.format_day(cal.week[5]) == "09:00-13:00"


def test_a_derived_calendar_inherits_until_changed(uow_factory, key):
    cal = calendars.add_calendar(
        uow_factory, key, "Night shift", base_uid=1, actor=LocalOperator("ana"), now=NOW
    )
    assert cal.base_uid == 1 and all(d.working is None for d in cal.week)
    calendars.set_week(
        uow_factory, key, cal.uid, {0: "22:00-24:00"}, actor=LocalOperator("ana"), now=NOW
    )
    stored = planning.load(uow_factory, key, actor=LOCAL).calendar(cal.uid)
    assert calendars.format_day(stored.week[0]) == "22:00-24:00"
    assert calendars.format_day(stored.week[1]) == "default"
    with pytest.raises(ValidationError):
        calendars.add_calendar(uow_factory, key, "night SHIFT", actor=LocalOperator("ana"), now=NOW)


def test_baseline_saved_compared_and_kept_through_mspdi(uow_factory, key):
    view = planning.compute_schedule(uow_factory, key, actor=LOCAL)
    assert not baselines.status(view.project, view.result).exists
    assert baselines.save_baseline(uow_factory, key, actor=LocalOperator("ana"), now=NOW) == 2
    view = planning.compute_schedule(uow_factory, key, actor=LOCAL)
    on_plan = baselines.status(view.project, view.result)
    assert on_plan.baseline_finish == datetime(2026, 12, 2, 17, 0)
    assert on_plan.variance_days == 0
    # Two more days of work on the critical path: two working days late.
    design = next(t for t in view.project.tasks if t.name == "Design")
    planning.update_task(
        uow_factory,
        key,
        design.uid,
        planning.TaskChanges(duration="7d"),
        actor=LOCAL,
        version=design.version,
    )
    view = planning.compute_schedule(uow_factory, key, actor=LOCAL)
    late = baselines.status(view.project, view.result)
    assert late.variance_days == 2.0 and late.finish == datetime(2026, 12, 4, 17, 0)
    # MS Project keeps baselines per task: they go out and come back in through MSPDI.
    xml = export_project(uow_factory, key, ExportFormat.MSPDI, actor=LOCAL)
    assert b"<Baseline><Number>0</Number>" in xml
    again = import_plan(uow_factory, xml, actor=LOCAL, max_bytes=2**20, filename="again.xml")
    assert baselines.baseline_finish(
        planning.load(uow_factory, again.key, actor=LOCAL)
    ) == datetime(2026, 12, 2, 17, 0)


def test_baseline_numbers_are_checked(uow_factory, key):
    with pytest.raises(ValidationError):
        baselines.save_baseline(uow_factory, key, actor=LocalOperator("ana"), now=NOW, number=11)
