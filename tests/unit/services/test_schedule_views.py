"""The per-process cache of stored plans the cross-project views read: a view is handed out
only for the revision it was read at, and the cache stays within its task budget."""

from __future__ import annotations

from datetime import datetime

import pytest

from steerco.domain import Project, Task
from steerco.services.schedule_views import View, ViewCache, derived
from steerco.services.scheduling import ProjectSchedule

START = datetime(2027, 1, 4, 8)


def _plan(tasks: int) -> Project:
    project = Project(key="PLAN", name="Plan", start=START)
    for uid in range(1, tasks + 1):
        project.tasks.append(Task(uid=uid, name=f"T{uid}"))
    return project


def test_a_view_is_handed_out_for_its_own_revision_only() -> None:
    cache = ViewCache()
    view = View(7, _plan(3))
    cache.put(1, view)
    assert cache.get(1, 7) is view
    assert cache.get(1, 8) is None  # written since: a new revision
    assert cache.get(2, 7) is None  # another project


def test_an_unstamped_plan_is_never_kept() -> None:
    cache = ViewCache()
    cache.put(1, View(0, _plan(3)))
    assert len(cache) == 0
    assert cache.get(1, 0) is None


def test_a_newer_revision_replaces_the_older_view() -> None:
    cache = ViewCache(max_tasks=10)
    cache.put(1, View(7, _plan(4)))
    newer = View(9, _plan(4))
    cache.put(1, newer)
    assert len(cache) == 1
    assert cache.get(1, 9) is newer and cache.get(1, 7) is None
    cache.put(2, View(3, _plan(4)))  # 5 + 5 tasks (the project row counts): still fits
    assert len(cache) == 2


def test_the_least_recently_used_views_go_first_beyond_the_budget() -> None:
    cache = ViewCache(max_tasks=12)
    for pid in (1, 2, 3):
        cache.put(pid, View(pid, _plan(3)))  # 4 each: 12 in all
    assert cache.get(1, 1) is not None  # now 2 is the least recently used
    cache.put(4, View(4, _plan(3)))
    assert cache.get(2, 2) is None
    assert all(cache.get(pid, pid) is not None for pid in (1, 3, 4))


def test_a_plan_bigger_than_the_whole_budget_is_not_kept() -> None:
    cache = ViewCache(max_tasks=5)
    cache.put(1, View(1, _plan(2)))
    cache.put(2, View(2, _plan(10)))
    assert cache.get(2, 2) is None
    assert cache.get(1, 1) is not None  # and it pushed nothing out


def test_clear_empties_the_cache() -> None:
    cache = ViewCache()
    cache.put(1, View(1, _plan(1)))
    cache.clear()
    assert len(cache) == 0 and cache.get(1, 1) is None


def test_a_derived_figure_is_kept_with_its_view_and_not_without_one() -> None:
    calls: list[int] = []

    def tasks(plan: ProjectSchedule) -> int:
        calls.append(1)
        return len(plan.project.tasks)

    view = View(7, _plan(3))
    assert derived(view.scheduled(), "tasks", tasks) == 3
    assert derived(view.scheduled(), "tasks", tasks) == 3
    assert len(calls) == 1  # kept with the view, across requests
    assert derived(View(8, _plan(5)).scheduled(), "tasks", tasks) == 5  # a new revision: afresh
    loose = ProjectSchedule(view.project, view.scheduled().result)  # not from the cache
    derived(loose, "tasks", tasks)
    derived(loose, "tasks", tasks)
    assert len(calls) == 4


def test_a_smaller_bound_drops_the_least_recently_used_views() -> None:
    cache = ViewCache(max_tasks=20)
    for pid in (1, 2, 3):
        cache.put(pid, View(7, _plan(4)))  # 5 tasks each, with the project summary
    cache.get(1, 7)  # 1 is now the most recently used
    cache.resize(10)
    assert cache.get(2, 7) is None
    assert cache.get(3, 7) is not None and cache.get(1, 7) is not None
    cache.resize(0)  # off: nothing kept, nothing taken
    assert len(cache) == 0
    cache.put(4, View(7, _plan(1)))
    assert len(cache) == 0


def test_the_app_takes_its_bound_from_the_settings(monkeypatch) -> None:
    import pydantic

    from steerco import bootstrap
    from steerco.config import Settings

    cache = ViewCache()
    monkeypatch.setattr(bootstrap, "VIEWS", cache)
    monkeypatch.setenv("STEERCO_VIEW_CACHE_TASKS", "6")
    bootstrap.build(Settings(database_url="sqlite://"))
    cache.put(1, View(7, _plan(5)))
    cache.put(2, View(7, _plan(5)))
    assert len(cache) == 1  # room for one plan of six tasks
    monkeypatch.setenv("STEERCO_VIEW_CACHE_TASKS", "-1")
    with pytest.raises(pydantic.ValidationError):
        Settings()
