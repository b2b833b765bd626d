"""Stored plans with their computed schedules, kept per process for the read-only views:
the portfolio, the resource heat map and the bookings elsewhere that suggestions weigh
(which schedule every project the reader may see, on every request), and a plan's
dashboard, grid, Gantt and schedule (`planning.compute_schedule`).

Most of those plans have not changed since the last request. A view is keyed by the project
id and the revision that every write renews (see `schedule_cache`), read with the project
list or in the same transaction as the load: a plan written since then has another
revision and misses, so nothing stale is handed out. Who may read what is checked on every
request, before the cache is asked. Plans and results are shared between requests and
threads, so callers must not change them. The cache is bounded by the tasks it holds,
least recently used dropped first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar, cast

from steerco.domain import Project
from steerco.engine.cpm import schedule
from steerco.engine.result import ScheduleResult
from steerco.services.scheduling import ProjectSchedule

#: Tasks kept across all cached plans: about 1.7 KB each with their schedule (measured on
#: j120 plans), so under 100 MB, and a portfolio of a few hundred ordinary plans. The app
#: sets its own bound from `STEERCO_VIEW_CACHE_TASKS` (`bootstrap.build`).
MAX_TASKS = 50_000


@dataclass(slots=True)
class View:
    """A stored plan as of `revision`, and its schedule once someone has asked for it."""

    revision: int
    project: Project
    result: ScheduleResult | None = None
    memo: dict[str, object] = field(default_factory=dict)  # see `derived`

    @property
    def size(self) -> int:
        return len(self.project.tasks) + 1

    def scheduled(self) -> ProjectSchedule:
        """The plan with its schedule, computed on first use (as of the plan's status date)."""
        if self.result is None:
            self.result = schedule(self.project, status_date=self.project.status_date)
        return ProjectSchedule(self.project, self.result, self.memo)


T = TypeVar("T")


def derived(plan: ProjectSchedule, key: str, compute: Callable[[ProjectSchedule], T]) -> T:
    """`compute(plan)`, kept with the cached plan under `key` until the plan's next write.

    For figures that depend on nothing but the plan and its schedule (the portfolio's cost
    of each project, each plan's bookings). A plan that is not cached is computed afresh each
    time. Two requests may both compute a missing figure; they store the same value.
    """
    if plan.memo is None:
        return compute(plan)
    if key not in plan.memo:
        plan.memo[key] = compute(plan)
    return cast(T, plan.memo[key])


class ViewCache:
    def __init__(self, max_tasks: int = MAX_TASKS) -> None:
        self._lock = threading.Lock()
        self._views: OrderedDict[int, View] = OrderedDict()
        self._tasks = 0
        self._max = max_tasks

    def get(self, project_id: int, revision: int) -> View | None:
        with self._lock:
            view = self._views.get(project_id)
            if view is None or revision == 0 or view.revision != revision:
                return None
            self._views.move_to_end(project_id)
            return view

    def put(self, project_id: int, view: View) -> None:
        """Keep `view` (a plan too big for the whole cache is not kept)."""
        if view.revision == 0 or view.size > self._max:
            return
        with self._lock:
            old = self._views.pop(project_id, None)
            if old is not None:
                self._tasks -= old.size
            self._views[project_id] = view
            self._tasks += view.size
            self._evict()

    def resize(self, max_tasks: int) -> None:
        """Hold at most `max_tasks` tasks from now on (0: keep nothing), dropping the least
        recently used views that no longer fit."""
        with self._lock:
            self._max = max_tasks
            self._evict()

    def _evict(self) -> None:
        """Drop the least recently used views until the rest fit (the caller holds the lock)."""
        while self._tasks > self._max:
            _, dropped = self._views.popitem(last=False)
            self._tasks -= dropped.size

    def __len__(self) -> int:
        return len(self._views)

    def clear(self) -> None:
        with self._lock:
            self._views.clear()
            self._tasks = 0


VIEWS = ViewCache()
