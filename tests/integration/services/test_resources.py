"""Resources, assignments and load on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from steerco.domain import NotFound, ValidationError
from steerco.engine.allocation import Bucket
from steerco.engine.cpm import schedule
from steerco.services import planning, projects, resources
from steerco.services.accounts import LOCAL, LocalOperator
from steerco.services.scheduling import ProjectSchedule
from steerco.services.tasks import NewTask, add_task

NOW = datetime(2026, 11, 22, 9, 0)


def new_plan(uow_factory, name: str) -> str:
    project = projects.create_project(
        uow_factory, actor=LOCAL, name=name, today=date(2026, 11, 23), start=date(2026, 11, 23)
    )
    add_task(uow_factory, project.key, NewTask(name="Patch servers", duration="3d"), actor=LOCAL)
    add_task(uow_factory, project.key, NewTask(name="Upgrade DB", duration="2d"), actor=LOCAL)
    return project.key


def test_units_parse_as_ms_project_shows_them():
    assert resources.parse_units("50%") == 0.5
    assert resources.parse_units("2") == 2.0
    assert resources.format_units(1.5) == "150%"
    for bad in ["", "-1", "5x", "1e9", "200000%"]:
        with pytest.raises(ValidationError):
            resources.parse_units(bad)


def test_two_parallel_tasks_over_allocate_one_person(uow_factory):
    key = new_plan(uow_factory, "Infra upgrade")
    ana = resources.add_resource(
        uow_factory, key, "Ana", email="ana@example.com", actor=LocalOperator("pm"), now=NOW
    )
    resources.assign(uow_factory, key, "1", "Ana", actor=LocalOperator("pm"), now=NOW)
    resources.assign(
        uow_factory, key, "2", "ana@example.com", units="50%", actor=LocalOperator("pm"), now=NOW
    )
    found = resources.project_usage(uow_factory, key, actor=LOCAL)
    (row,) = found.resources
    assert row.resource.uid == ana.uid and row.assigned == 2
    assert [(load.day.isoformat(), load.peak_units) for load in row.over] == [
        ("2026-11-23", 1.5),
        ("2026-11-24", 1.5),
    ]
    assert [load.peak_units for load in row.loads] == [1.5, 1.5, 1.0]
    weekly = resources.project_usage(uow_factory, key, Bucket.WEEK, actor=LOCAL)
    assert [load.work_minutes for load in weekly.resources[0].loads] == [(3 * 8 + 2 * 4) * 60]
    stored = planning.load(uow_factory, key, actor=LOCAL)
    assert [(a.task_uid, a.resource_uid, a.units) for a in stored.assignments] == [
        (1, ana.uid, 1.0),
        (2, ana.uid, 0.5),
    ]


def test_bad_assignments_change_nothing(uow_factory):
    key = new_plan(uow_factory, "Infra upgrade")
    resources.add_resource(uow_factory, key, "Ana", actor=LocalOperator("pm"), now=NOW)
    resources.assign(uow_factory, key, "1", "Ana", actor=LocalOperator("pm"), now=NOW)
    with pytest.raises(ValidationError, match="already assigned"):
        resources.assign(uow_factory, key, "1", "ana", actor=LocalOperator("pm"), now=NOW)
    with pytest.raises(NotFound):
        resources.assign(uow_factory, key, "1", "Bob", actor=LocalOperator("pm"), now=NOW)
    with pytest.raises(NotFound):
        resources.assign(uow_factory, key, "99", "Ana", actor=LocalOperator("pm"), now=NOW)
    with pytest.raises(ValidationError, match="already a resource"):
        resources.add_resource(uow_factory, key, "ANA", actor=LocalOperator("pm"), now=NOW)
    assert len(planning.load(uow_factory, key, actor=LOCAL).assignments) == 1
    assert len(planning.load(uow_factory, key, actor=LOCAL).resources) == 1


def test_heat_map_finds_a_person_over_booked_across_projects(uow_factory):
    plans = []
    for name in ["CRM migration", "Data warehouse"]:
        key = new_plan(uow_factory, name)
        resources.add_resource(
            uow_factory, key, "Ana", email="Ana@Example.com", actor=LocalOperator("pm"), now=NOW
        )
        resources.assign(
            uow_factory, key, "1", "Ana", units="60%", actor=LocalOperator("pm"), now=NOW
        )
        project = planning.load(uow_factory, key, actor=LOCAL)
        plans.append(ProjectSchedule(project, schedule(project)))
        # Each project alone is fine.
        assert not resources.project_usage(uow_factory, key, actor=LOCAL).over_allocated
    weeks, rows = resources.heat_map(plans)
    assert weeks == [date(2026, 11, 23)]
    (row,) = rows
    cell = row.cells[date(2026, 11, 23)]
    assert cell.peak_units == pytest.approx(1.2) and cell.ratio > 1
    assert set(cell.projects) == {p.project.key for p in plans}


def test_time_off_moves_only_that_persons_tasks(uow_factory):
    from steerco.services import calendars

    key = new_plan(uow_factory, "Infra upgrade")
    for name in ["Ana", "Bob"]:
        resources.add_resource(uow_factory, key, name, actor=LocalOperator("pm"), now=NOW)
    resources.assign(uow_factory, key, "1", "Ana", actor=LocalOperator("pm"), now=NOW)
    resources.assign(uow_factory, key, "2", "Bob", actor=LocalOperator("pm"), now=NOW)
    cal = calendars.resource_time_off(
        uow_factory,
        key,
        "Ana",
        start=date(2026, 11, 24),
        finish=date(2026, 11, 25),
        actor=LocalOperator("pm"),
        now=NOW,
    )
    assert cal.name == "Ana" and cal.base_uid == 1 and not cal.is_base
    stored = planning.load(uow_factory, key, actor=LOCAL)
    finishes = {t.name: t.finish for t in stored.tasks}
    # Patch servers (3d, Ana) skips Tue-Wed; Upgrade DB (2d, Bob) is untouched.
    assert finishes["Patch servers"] == datetime(2026, 11, 27, 17, 0)
    assert finishes["Upgrade DB"] == datetime(2026, 11, 24, 17, 0)
    assert next(r for r in stored.resources if r.name == "Ana").calendar_uid == cal.uid
    # A second break reuses her calendar; an overlapping one is refused and changes nothing.
    calendars.resource_time_off(
        uow_factory,
        key,
        "Ana",
        start=date(2026, 12, 7),
        finish=date(2026, 12, 7),
        name="Training",
        actor=LocalOperator("pm"),
        now=NOW,
    )
    with pytest.raises(ValidationError, match="overlapping"):
        calendars.resource_time_off(
            uow_factory,
            key,
            "Ana",
            start=date(2026, 11, 25),
            finish=date(2026, 11, 26),
            actor=LocalOperator("pm"),
            now=NOW,
        )
    after = planning.load(uow_factory, key, actor=LOCAL)
    assert len(after.calendars) == 2
    assert [e.name for e in after.calendars[1].exceptions] == ["Vacation", "Training"]
    # Time off is part of the project's history, filed under its id like every other change.
    from steerco.services.history import project_history

    page = project_history(uow_factory, LOCAL, key)
    assert [e.action for e in page.entries].count("resource.time_off") == 2


def test_time_off_books_nothing_in_the_usage_view(uow_factory):
    from steerco.services import calendars

    key = new_plan(uow_factory, "Infra upgrade")
    resources.add_resource(uow_factory, key, "Ana", actor=LocalOperator("pm"), now=NOW)
    resources.assign(uow_factory, key, "1", "Ana", actor=LocalOperator("pm"), now=NOW)
    calendars.resource_time_off(
        uow_factory,
        key,
        "Ana",
        start=date(2026, 11, 24),
        finish=date(2026, 11, 24),
        actor=LocalOperator("pm"),
        now=NOW,
    )
    days = [
        load.day.isoformat()
        for load in resources.project_usage(uow_factory, key, actor=LOCAL).resources[0].loads
    ]
    assert days == ["2026-11-23", "2026-11-25", "2026-11-26"]


def test_a_resource_is_renamed_goes_part_time_and_stops_being_leveled(uow_factory):
    from steerco.services import audit

    key = new_plan(uow_factory, "Infra upgrade")
    resources.add_resource(uow_factory, key, "Ana", actor=LOCAL, now=NOW)
    resources.assign(uow_factory, key, "1", "Ana", actor=LOCAL, now=NOW)
    resources.assign(uow_factory, key, "2", "Ana", actor=LOCAL, now=NOW)
    changes = resources.ResourceChanges(
        name=" Ana Lima ", max_units="200%", email="ana@example.com", can_level=False
    )
    res = resources.update_resource(uow_factory, key, "ana", changes, actor=LOCAL, now=NOW)

    (stored,) = planning.load(uow_factory, key, actor=LOCAL).resources
    assert stored == res
    assert (stored.name, stored.max_units, stored.email, stored.can_level) == (
        "Ana Lima", 2.0, "ana@example.com", False,
    )  # fmt: skip
    # Two full-time tasks side by side fit 200%: nobody is over-allocated any more.
    assert resources.project_usage(uow_factory, key, actor=LOCAL).over_allocated == []
    project_id = planning.load(uow_factory, key, actor=LOCAL).id
    with uow_factory(write=False) as uow:
        (entry,) = [e for e in audit.for_project(uow, project_id) if e.action == "resource.changed"]
    assert entry.before == {"name": "Ana", "max_units": 1.0, "email": "", "can_level": True}

    only = resources.ResourceChanges(max_units="50%")
    resources.update_resource(uow_factory, key, "ana@example.com", only, actor=LOCAL, now=NOW)
    (stored,) = planning.load(uow_factory, key, actor=LOCAL).resources
    assert (stored.name, stored.max_units, stored.can_level) == ("Ana Lima", 0.5, False)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        (resources.ResourceChanges(), "nothing to change"),
        (resources.ResourceChanges(name="  "), "needs a name"),
        (resources.ResourceChanges(name="BOB"), "already a resource called 'BOB'"),
        (resources.ResourceChanges(name="Ana 2", max_units="lots"), "not units"),
        (resources.ResourceChanges(email="x@y.z", can_level=False), None),
    ],
)
def test_a_bad_resource_change_changes_nothing(uow_factory, changes, error):
    key = new_plan(uow_factory, "Infra upgrade")
    for name in ("Ana", "Bob"):
        resources.add_resource(uow_factory, key, name, actor=LOCAL, now=NOW)
    resources.add_resource(
        uow_factory, key, "Paper", kind=resources.ResourceKind.MATERIAL, actor=LOCAL, now=NOW
    )
    before = planning.load(uow_factory, key, actor=LOCAL).resources
    target = "Paper" if error is None else "Ana"  # a material resource is never leveled
    with pytest.raises(ValidationError, match=error or "Paper is a material resource"):
        resources.update_resource(uow_factory, key, target, changes, actor=LOCAL, now=NOW)
    assert planning.load(uow_factory, key, actor=LOCAL).resources == before
    with pytest.raises(NotFound):
        resources.update_resource(
            uow_factory, key, "Cy", resources.ResourceChanges(name="C"), actor=LOCAL, now=NOW
        )


def test_removing_a_resource_takes_its_work_its_profile_and_its_calendar(uow_factory):
    from steerco.services import audit, calendars, staffing

    key = new_plan(uow_factory, "Infra upgrade")
    for name in ("Ana", "Bob"):
        resources.add_resource(uow_factory, key, name, actor=LOCAL, now=NOW)
    resources.assign(uow_factory, key, "1", "Ana", actor=LOCAL, now=NOW)
    resources.assign(uow_factory, key, "2", "Ana", actor=LOCAL, now=NOW)
    resources.assign(uow_factory, key, "2", "Bob", actor=LOCAL, now=NOW)
    staffing.update_profile(uow_factory, key, "Ana", skill=("python", 4), actor=LOCAL, now=NOW)
    calendars.resource_time_off(
        uow_factory, key, "Ana", start=date(2026, 12, 7), finish=date(2026, 12, 7),
        name="Vacation", actor=LOCAL, now=NOW,
    )  # fmt: skip
    before = planning.load(uow_factory, key, actor=LOCAL)
    ana_calendar = before.resources[0].calendar_uid
    assert ana_calendar is not None

    gone = resources.remove_resource(uow_factory, key, "Ana", actor=LOCAL, now=NOW)

    after = planning.load(uow_factory, key, actor=LOCAL)
    assert gone.name == "Ana" and [r.name for r in after.resources] == ["Bob"]
    assert [(a.task_uid, a.resource_uid) for a in after.assignments] == [(2, 2)]
    # Not effort-driven: Ana's work leaves with her, Bob's stays; task 1 has nobody now.
    assert after.task(1).work_minutes is None
    assert after.task(2).work_minutes == after.assignments[0].work_minutes == 16 * 60
    assert ana_calendar not in {c.uid for c in after.calendars}
    assert len(after.calendars) == len(before.calendars) - 1
    assert after.id is not None
    with uow_factory(write=False) as uow:
        assert list(uow.skills.profiles(after.id)) == []
        (entry,) = [e for e in audit.for_project(uow, after.id) if e.action == "resource.removed"]
    assert entry.before["name"] == "Ana" and entry.before["assignments"] == 2

    with pytest.raises(NotFound):
        resources.remove_resource(uow_factory, key, "Ana", actor=LOCAL, now=NOW)


def test_an_effort_driven_task_keeps_its_work_when_a_resource_is_removed(uow_factory):
    key = new_plan(uow_factory, "Infra upgrade")
    add_task(
        uow_factory, key, NewTask(name="Migrate", duration="4d", effort_driven=True), actor=LOCAL
    )
    for name in ("Ana", "Bob"):
        resources.add_resource(uow_factory, key, name, actor=LOCAL, now=NOW)
        resources.assign(uow_factory, key, "Migrate", name, actor=LOCAL, now=NOW)
    assert planning.load(uow_factory, key, actor=LOCAL).task(3).duration.minutes == 2 * 480

    resources.remove_resource(uow_factory, key, "Bob", actor=LOCAL, now=NOW)

    after = planning.load(uow_factory, key, actor=LOCAL)
    (ana,) = after.assignments
    assert ana.work_minutes == after.task(3).work_minutes == 32 * 60  # all of it, on Ana
    assert after.task(3).duration.minutes == 4 * 480  # so it takes twice as long again


def test_time_off_and_removal_make_an_open_calendar_editor_stale(uow_factory):
    """Both rewrite the plan's calendars, so an editor opened before them must reload rather
    than save over them (the calendar editor checks the project's version)."""
    from steerco.domain import Conflict
    from steerco.services import calendars

    key = new_plan(uow_factory, "Infra upgrade")
    resources.add_resource(uow_factory, key, "Ana", actor=LOCAL, now=NOW)
    opened = planning.load(uow_factory, key, actor=LOCAL).version
    calendars.resource_time_off(
        uow_factory, key, "Ana", start=date(2026, 12, 7), finish=date(2026, 12, 7),
        actor=LOCAL, now=NOW,
    )  # fmt: skip
    own = planning.load(uow_factory, key, actor=LOCAL).resources[0].calendar_uid
    assert own is not None
    with pytest.raises(Conflict):
        calendars.set_week(uow_factory, key, own, {0: "nonworking"}, actor=LOCAL, now=NOW,
                           version=opened)  # fmt: skip

    opened = planning.load(uow_factory, key, actor=LOCAL).version
    resources.remove_resource(uow_factory, key, "Ana", actor=LOCAL, now=NOW)
    with pytest.raises((Conflict, NotFound)):
        calendars.set_week(uow_factory, key, own, {0: "nonworking"}, actor=LOCAL, now=NOW,
                           version=opened)  # fmt: skip
    assert own not in {c.uid for c in planning.load(uow_factory, key, actor=LOCAL).calendars}
    assert planning.load(uow_factory, key, actor=LOCAL).version == opened + 1


def test_nobody_is_taken_off_work_they_have_already_done(uow_factory):
    """MS Project refuses to remove an assignment with actual work: the hours (and their
    cost) would go with it. So do unassigning and removing the resource, changing nothing."""
    from steerco.domain import Assignment, Duration, Project, Resource, Task
    from steerco.interop.mspdi import write_mspdi
    from steerco.services.interop import import_plan

    p = Project(name="Started", key="ST", start=datetime(2026, 1, 5, 8))
    p.tasks += [Task(uid=1, name="Build", duration=Duration(960)), Task(uid=2, name="Test")]
    p.resources += [Resource(1, "Ana"), Resource(2, "Bob")]
    p.assignments += [
        Assignment(1, 1, 1, 1.0, 960, ["<ActualWork>PT4H0M0S</ActualWork>"]),
        Assignment(2, 2, 1, 1.0, 480, ["<ActualWork>PT0H0M0S</ActualWork>"]),
        Assignment(3, 1, 2, 1.0, 960),
    ]
    key = import_plan(uow_factory, write_mspdi(p), actor=LOCAL, max_bytes=1 << 20).key
    before = planning.load(uow_factory, key, actor=LOCAL)
    with pytest.raises(ValidationError, match="Ana has actual work on 'Build'"):
        resources.unassign(uow_factory, key, resources.by_refs("Build", "Ana"), actor=LOCAL,
                           now=NOW)  # fmt: skip
    with pytest.raises(ValidationError, match="Ana has actual work on 'Build'"):
        resources.remove_resource(uow_factory, key, "Ana", actor=LOCAL, now=NOW)
    after = planning.load(uow_factory, key, actor=LOCAL)
    assert after.assignments == before.assignments and after.resources == before.resources
    # No hours recorded: free to go.
    resources.unassign(uow_factory, key, resources.by_refs("Test", "Ana"), actor=LOCAL, now=NOW)
    resources.remove_resource(uow_factory, key, "Bob", actor=LOCAL, now=NOW)
    assert [a.uid for a in planning.load(uow_factory, key, actor=LOCAL).assignments] == [1]
