"""Both ways of adding a link (the CLI's `link_tasks`, the API's `planning.link`) refuse a
lag no plan means, and leave the stored plan as it was; so does adding a task with links."""

from __future__ import annotations

from datetime import date

import pytest

from steerco.domain import ValidationError
from steerco.services import planning, projects
from steerco.services.accounts import LOCAL
from steerco.services.tasks import NewTask, add_task, link_tasks

MONDAY = date(2026, 11, 23)


@pytest.fixture
def key(uow_factory) -> str:
    key = projects.create_project(uow_factory, "Lags", actor=LOCAL, today=MONDAY, start=MONDAY).key
    add_task(uow_factory, key, NewTask(name="Design", duration="5d"), actor=LOCAL)
    add_task(uow_factory, key, NewTask(name="Build", duration="3d"), actor=LOCAL)
    return key


@pytest.mark.parametrize("lag", ["99999999d", "-99999999d", "1000000%"])
def test_an_absurd_lag_is_refused_by_both_entries(uow_factory, key: str, lag: str) -> None:
    with pytest.raises(ValidationError, match="too long"):
        link_tasks(uow_factory, key, "Design", "Build", lag=lag, actor=LOCAL)
    with pytest.raises(ValidationError, match="too long"):
        planning.link(uow_factory, key, "1", "2", lag=lag, actor=LOCAL)
    assert planning.load(uow_factory, key, actor=LOCAL).dependencies == []


def test_the_cli_reads_names_and_the_api_reads_uids_first(uow_factory, key: str) -> None:
    dep = link_tasks(uow_factory, key, "Design", "Build", lag="1d", actor=LOCAL)
    assert (dep.predecessor, dep.successor, dep.lag.minutes) == (1, 2, 480)
    planning.unlink(uow_factory, key, 1, 2, actor=LOCAL)
    dep = planning.link(uow_factory, key, "1", "2", actor=LOCAL)
    assert (dep.predecessor, dep.successor) == (1, 2)


@pytest.mark.parametrize("after", ["1FS+99999999d", "1SS-99999999d", "1FF+1000000%"])
def test_a_new_task_with_an_absurd_lag_is_refused_and_not_added(
    uow_factory, key: str, after: str
) -> None:
    with pytest.raises(ValidationError, match="too long"):
        add_task(uow_factory, key, NewTask(name="Test", duration="2d", after=(after,)), actor=LOCAL)
    plan = planning.load(uow_factory, key, actor=LOCAL)
    assert [t.name for t in plan.tasks] == ["Design", "Build"]
    assert plan.dependencies == []


def test_a_new_task_with_a_sane_lag_is_linked(uow_factory, key: str) -> None:
    task = add_task(
        uow_factory, key, NewTask(name="Test", duration="2d", after=("1FS+2d", "2")), actor=LOCAL
    )
    deps = planning.load(uow_factory, key, actor=LOCAL).dependencies
    assert sorted((d.predecessor, d.successor, d.lag.minutes) for d in deps) == [
        (1, task.uid, 960),
        (2, task.uid, 0),
    ]
