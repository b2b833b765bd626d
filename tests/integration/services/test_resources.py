"""Resources, assignments and load on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from steerco.domain import NotFound, ValidationError
from steerco.engine.allocation import Bucket
from steerco.engine.cpm import schedule
from steerco.services import planning, projects, resources
from steerco.services.tasks import NewTask, add_task

NOW = datetime(2026, 11, 22, 9, 0)


def new_plan(uow_factory, name: str) -> str:
    project = projects.create_project(uow_factory, name, today=date(2026, 11, 23),
                                      start=date(2026, 11, 23))
    add_task(uow_factory, project.key, NewTask(name="Patch servers", duration="3d"))
    add_task(uow_factory, project.key, NewTask(name="Upgrade DB", duration="2d"))
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
    ana = resources.add_resource(uow_factory, key, "Ana", email="ana@example.com",
                                 actor="pm", now=NOW)
    resources.assign(uow_factory, key, "1", "Ana", actor="pm", now=NOW)
    resources.assign(uow_factory, key, "2", "ana@example.com", units="50%", actor="pm", now=NOW)
    found = resources.project_usage(uow_factory, key)
    (row,) = found.resources
    assert row.resource.uid == ana.uid and row.assigned == 2
    assert [(load.day.isoformat(), load.peak_units) for load in row.over] == [
        ("2026-11-23", 1.5), ("2026-11-24", 1.5)]
    assert [load.peak_units for load in row.loads] == [1.5, 1.5, 1.0]
    weekly = resources.project_usage(uow_factory, key, Bucket.WEEK)
    assert [load.work_minutes for load in weekly.resources[0].loads] == [(3 * 8 + 2 * 4) * 60]
    stored = planning.load(uow_factory, key)
    assert [(a.task_uid, a.resource_uid, a.units) for a in stored.assignments] == [
        (1, ana.uid, 1.0), (2, ana.uid, 0.5)]


def test_bad_assignments_change_nothing(uow_factory):
    key = new_plan(uow_factory, "Infra upgrade")
    resources.add_resource(uow_factory, key, "Ana", actor="pm", now=NOW)
    resources.assign(uow_factory, key, "1", "Ana", actor="pm", now=NOW)
    with pytest.raises(ValidationError, match="already assigned"):
        resources.assign(uow_factory, key, "1", "ana", actor="pm", now=NOW)
    with pytest.raises(NotFound):
        resources.assign(uow_factory, key, "1", "Bob", actor="pm", now=NOW)
    with pytest.raises(NotFound):
        resources.assign(uow_factory, key, "99", "Ana", actor="pm", now=NOW)
    with pytest.raises(ValidationError, match="already a resource"):
        resources.add_resource(uow_factory, key, "ANA", actor="pm", now=NOW)
    assert len(planning.load(uow_factory, key).assignments) == 1
    assert len(planning.load(uow_factory, key).resources) == 1


def test_heat_map_finds_a_person_over_booked_across_projects(uow_factory):
    plans = []
    for name in ["CRM migration", "Data warehouse"]:
        key = new_plan(uow_factory, name)
        resources.add_resource(uow_factory, key, "Ana", email="Ana@Example.com",
                               actor="pm", now=NOW)
        resources.assign(uow_factory, key, "1", "Ana", units="60%", actor="pm", now=NOW)
        project = planning.load(uow_factory, key)
        plans.append((project, schedule(project)))
        # Each project alone is fine.
        assert not resources.project_usage(uow_factory, key).over_allocated
    weeks, rows = resources.heat_map(plans)
    assert weeks == [date(2026, 11, 23)]
    (row,) = rows
    cell = row.cells[date(2026, 11, 23)]
    assert cell.peak_units == pytest.approx(1.2) and cell.ratio > 1
    assert set(cell.projects) == {p.key for p, _ in plans}
