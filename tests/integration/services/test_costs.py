"""Rate tables and project costs on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from steerco.domain import CostRate, ResourceKind, ValidationError
from steerco.services import costs, planning, projects, resources
from steerco.services.accounts import LOCAL
from steerco.services.tasks import NewTask, add_task

NOW = datetime(2026, 11, 22, 9, 0)
MONDAY = date(2026, 11, 23)


@pytest.fixture
def key(uow_factory) -> str:
    """Phase (summary) > Design 5d, then Build 10d; Ana on both, Bob on Build."""
    key = projects.create_project(
        uow_factory, actor=LOCAL, name="Payroll", today=MONDAY, start=MONDAY
    ).key
    add_task(uow_factory, key, NewTask(name="Phase", duration="1d"), actor=LOCAL)
    add_task(uow_factory, key, NewTask(name="Design", duration="5d", parent="Phase"), actor=LOCAL)
    add_task(
        uow_factory,
        key,
        NewTask(name="Build", duration="10d", parent="Phase", after=("Design",)),
        actor=LOCAL,
    )
    for name in ("Ana", "Bob"):
        resources.add_resource(uow_factory, key, name, actor=LOCAL, now=NOW)
    resources.assign(uow_factory, key, "Design", "Ana", actor=LOCAL, now=NOW)
    resources.assign(uow_factory, key, "Build", "Ana", actor=LOCAL, now=NOW)
    resources.assign(uow_factory, key, "Build", "Bob", actor=LOCAL, now=NOW)
    return key


def _lines(uow_factory, key: str, who: str) -> tuple[CostRate, ...]:
    project = planning.load(uow_factory, key, actor=LOCAL)
    return next(r for r in project.resources if r.name == who).rates


def test_costs_follow_the_rates_in_force_and_roll_up(uow_factory, key: str) -> None:
    # Design runs 23-27 Nov, Build 30 Nov - 11 Dec (working days of the standard calendar).
    costs.set_rate(uow_factory, key, "Ana", standard=100, per_use=50, actor=LOCAL, now=NOW)
    costs.set_rate(
        uow_factory, key, "Ana", standard=120, effective=date(2026, 12, 7), actor=LOCAL, now=NOW
    )
    costs.set_rate(uow_factory, key, "Bob", table="b", standard=80, actor=LOCAL, now=NOW)
    costs.set_rate_table(uow_factory, key, "Build", "Bob", "B", actor=LOCAL, now=NOW)
    report = costs.project_costs(uow_factory, key, actor=LOCAL)
    tasks = {t.name: t.uid for t in report.project.tasks}
    people = {r.name: r.uid for r in report.project.resources}
    design = 40 * 100 + 50
    build_ana = 40 * 100 + 40 * 120 + 50  # a week at each rate
    build_bob = 80 * 80  # table B, no per-use charge
    assert report.by_task[tasks["Design"]] == pytest.approx(design)
    assert report.by_task[tasks["Build"]] == pytest.approx(build_ana + build_bob)
    assert report.by_task[tasks["Phase"]] == pytest.approx(design + build_ana + build_bob)
    assert report.by_resource[people["Ana"]] == pytest.approx(design + build_ana)
    assert report.total == pytest.approx(design + build_ana + build_bob)


def test_lines_are_stored_changed_removed_and_audited(uow_factory, key: str) -> None:
    costs.set_rate(uow_factory, key, "Ana", standard=100, actor=LOCAL, now=NOW)
    costs.set_rate(uow_factory, key, "Ana", overtime=150, actor=LOCAL, now=NOW)  # same line
    assert _lines(uow_factory, key, "Ana") == (CostRate(standard=100, overtime=150),)
    costs.set_rate(uow_factory, key, "Ana", remove=True, actor=LOCAL, now=NOW)
    assert _lines(uow_factory, key, "Ana") == ()
    with uow_factory(write=False) as uow:
        (entry,) = uow.audit.recent(1, None)
    assert entry.action == "resource.rates_changed"
    assert entry.before == {"rates": ["A from the start: 100/h, overtime 150/h"]}
    assert entry.after == {"rates": []}


@pytest.mark.parametrize(
    "call",
    [
        lambda f, k: costs.set_rate(f, k, "Ana", table="F", standard=1, actor=LOCAL, now=NOW),
        lambda f, k: costs.set_rate(f, k, "Ana", standard=-1, actor=LOCAL, now=NOW),
        lambda f, k: costs.set_rate(f, k, "Ana", per_use=float("nan"), actor=LOCAL, now=NOW),
        lambda f, k: costs.set_rate(f, k, "Ana", actor=LOCAL, now=NOW),
        lambda f, k: costs.set_rate(
            f, k, "Ana", remove=True, effective=date(2027, 1, 1), actor=LOCAL, now=NOW
        ),
        lambda f, k: costs.set_rate_table(f, k, "Design", "Bob", "B", actor=LOCAL, now=NOW),
        lambda f, k: costs.set_rate_table(f, k, "Design", "Ana", "Z", actor=LOCAL, now=NOW),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(uow_factory, key: str, call) -> None:
    costs.set_rate(uow_factory, key, "Ana", standard=100, actor=LOCAL, now=NOW)
    before = planning.load(uow_factory, key, actor=LOCAL)
    with pytest.raises(ValidationError):
        call(uow_factory, key)
    after = planning.load(uow_factory, key, actor=LOCAL)
    assert after.resources == before.resources and after.assignments == before.assignments


def test_cost_resources_have_no_rates(uow_factory, key: str) -> None:
    resources.add_resource(uow_factory, key, "Travel", kind=ResourceKind.COST, actor=LOCAL, now=NOW)
    with pytest.raises(ValidationError, match="cost resource"):
        costs.set_rate(uow_factory, key, "Travel", standard=1, actor=LOCAL, now=NOW)
