"""The portfolio overview on a real database (SQLite and PostgreSQL): each project's finish,
its slip against the baseline, progress and next milestone come from its current schedule."""

from __future__ import annotations

from datetime import date, datetime

from steerco.services import baselines, planning, portfolio, projects
from steerco.services.accounts import LOCAL
from steerco.services.tasks import NewTask, add_task

NOW = datetime(2026, 11, 22, 9, 0)
MONDAY = date(2026, 11, 23)


def _plan(uow_factory, name: str) -> str:
    key = projects.create_project(uow_factory, name, actor=LOCAL, today=MONDAY, start=MONDAY).key
    add_task(uow_factory, key, NewTask(name="Design", duration="5d"), actor=LOCAL)
    add_task(uow_factory, key, NewTask(name="Build", duration="3d", after=["1"]), actor=LOCAL)
    add_task(
        uow_factory,
        key,
        NewTask(name="Go-live", duration="0d", after=["2"], milestone=True),
        actor=LOCAL,
    )
    return key


def _edit(uow_factory, key: str, uid: int, **changes) -> None:
    version = planning.load(uow_factory, key, actor=LOCAL).task(uid).version
    planning.update_task(
        uow_factory, key, uid, planning.TaskChanges(**changes), actor=LOCAL, version=version
    )


def test_overview_reads_each_project_from_its_schedule(uow_factory):
    late = _plan(uow_factory, "Data centre move")
    fresh = _plan(uow_factory, "CRM rollout")
    baselines.save_baseline(uow_factory, late, actor=LOCAL, now=NOW)
    _edit(uow_factory, late, 1, duration="7d")  # two working days later than baselined
    _edit(uow_factory, late, 1, percent_complete=50)  # half of 7 of 10 days: 35 %

    rows = {r.key: r for r in portfolio.overview(uow_factory, actor=LOCAL, today=MONDAY)}

    assert set(rows) == {late, fresh}
    slipped = rows[late]
    assert slipped.finish == datetime(2026, 12, 4, 17, 0)  # Mon 23 Nov + 10 working days
    assert slipped.baseline_finish == datetime(2026, 12, 2, 17, 0)  # 8 working days
    assert slipped.variance_days == 2.0
    assert slipped.progress == 35
    assert (slipped.next_milestone, slipped.next_milestone_finish) == (
        "Go-live",
        datetime(2026, 12, 4, 17, 0),
    )
    assert slipped.task_count == 3 and slipped.critical_count == 3 and slipped.conflicts == 0
    assert rows[fresh].baseline_finish is None and rows[fresh].variance_days is None
    assert rows[fresh].progress == 0


def test_milestones_already_passed_are_not_next(uow_factory):
    key = _plan(uow_factory, "Office move")
    rows = portfolio.overview(uow_factory, actor=LOCAL, today=date(2027, 1, 4))
    row = next(r for r in rows if r.key == key)
    assert row.next_milestone is None and row.next_milestone_finish is None


def test_unchanged_plans_are_not_loaded_again_and_every_write_is_seen(uow_factory):
    """The cross-project views keep each plan with its schedule until the plan's next write
    (schedule_views): a second overview reuses them, and an edit, a new resource with a
    rate or an assignment shows at once, from whichever path wrote it."""
    from steerco.services import costs, resources

    first = _plan(uow_factory, "Data centre move")
    other = _plan(uow_factory, "CRM rollout")

    def views():
        return {v.project.key: v for v in planning.readable_schedules(uow_factory, actor=LOCAL)}

    before = views()
    again = views()
    assert all(again[k].project is before[k].project for k in (first, other))
    assert again[first].result is before[first].result

    _edit(uow_factory, first, 1, duration="7d")
    after = views()
    assert after[other].project is before[other].project  # untouched: still shared
    assert after[first].project is not before[first].project
    assert after[first].result.finish == datetime(2026, 12, 4, 17, 0)  # 7d + 3d

    resources.add_resource(uow_factory, first, "Ana", actor=LOCAL, now=NOW)
    costs.set_rate(uow_factory, first, "Ana", standard=100, actor=LOCAL, now=NOW)
    resources.assign(uow_factory, first, "Build", "Ana", actor=LOCAL, now=NOW)
    rows = {r.key: r for r in portfolio.overview(uow_factory, actor=LOCAL, today=MONDAY)}
    assert rows[first].cost == 3 * 8 * 100
    assert rows[other].cost == 0


def test_each_projects_cost_is_priced_once_until_its_next_write(uow_factory, monkeypatch):
    """The overview prices every project; a cached plan keeps its price until written."""
    from steerco.services import costs, resources

    key = _plan(uow_factory, "Data centre move")
    resources.add_resource(uow_factory, key, "Ana", actor=LOCAL, now=NOW)
    costs.set_rate(uow_factory, key, "Ana", standard=100, actor=LOCAL, now=NOW)
    resources.assign(uow_factory, key, "Build", "Ana", actor=LOCAL, now=NOW)
    priced: list[str] = []
    real = costs.cost_report

    def counted(project, result):
        priced.append(project.key)
        return real(project, result)

    monkeypatch.setattr(costs, "cost_report", counted)

    def cost() -> float:
        rows = portfolio.overview(uow_factory, actor=LOCAL, today=MONDAY)
        return next(r.cost for r in rows if r.key == key)

    assert cost() == 3 * 8 * 100
    assert cost() == 3 * 8 * 100
    assert priced.count(key) == 1  # the second overview reused the price

    costs.set_rate(uow_factory, key, "Ana", standard=120, actor=LOCAL, now=NOW)
    assert cost() == 3 * 8 * 120  # a new rate is a write: priced again
    resources.assign(uow_factory, key, "Design", "Ana", actor=LOCAL, now=NOW)
    assert cost() == (5 + 3) * 8 * 120  # so is an assignment
    assert priced.count(key) == 3
    fresh = costs.project_costs(uow_factory, key, actor=LOCAL).total  # priced without a cache
    assert cost() == fresh


def test_a_cached_plan_is_still_shown_only_to_its_readers(accounts_uow):
    from steerco.domain.accounts import Principal, Scope, implied_scopes
    from steerco.services import accounts

    key = _plan(accounts_uow, "Board pack")
    listed = planning.readable_schedules(accounts_uow, actor=LOCAL)
    assert [v.project.key for v in listed] == [key]  # now cached
    user = accounts.create_user(accounts_uow, "eve@example.org", "x" * 16, now=NOW)
    eve = Principal(user.id, user.email, False, implied_scopes(Scope.WRITE), "session")
    assert list(planning.readable_schedules(accounts_uow, actor=eve)) == []
    assert portfolio.overview(accounts_uow, actor=eve, today=MONDAY) == []


def test_the_heat_map_sees_a_new_booking_in_a_plan_it_has_read_before(uow_factory):
    """Each plan's bookings are kept with the cached plan (`resources.plan_bookings`) until
    the plan's next write."""
    from steerco.services import resources

    key = _plan(uow_factory, "Data centre move")
    resources.add_resource(uow_factory, key, "Ana", actor=LOCAL, now=NOW)
    resources.assign(uow_factory, key, "Design", "Ana", actor=LOCAL, now=NOW)

    def ana_weeks() -> list[date]:
        _, rows = resources.heat_map(resources.portfolio_plans(uow_factory, actor=LOCAL))
        (row,) = rows
        return sorted(row.cells)

    assert ana_weeks() == [date(2026, 11, 23)]
    first = resources.portfolio_plans(uow_factory, actor=LOCAL)[0]
    assert resources.plan_bookings(first) is resources.plan_bookings(
        resources.portfolio_plans(uow_factory, actor=LOCAL)[0]
    )  # read twice, computed once
    resources.assign(uow_factory, key, "Build", "Ana", actor=LOCAL, now=NOW)
    assert ana_weeks() == [date(2026, 11, 23), date(2026, 11, 30)]
