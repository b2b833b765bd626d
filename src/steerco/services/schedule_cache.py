"""A per-process cache of loaded plans with their schedule state, for fast single-task edits.

An entry is keyed by the project id and the revision stamped in its `projects` row: every
write, from any process or front end (CLI, import, another server), renews that stamp in
its own transaction, so an entry whose revision differs from the stored one is never used.
An edit reads the stamp inside its write transaction (which holds the database's write
lock), applies the change to the cached plan, lets `engine.Rescheduler` redo only what the
change reaches, writes the task and the dates that moved, stamps a new revision and caches
the result under it (see `services.planning._commit_edits`). Anything that goes wrong drops
the entry: the next edit loads afresh.

Entries are replaced, never mutated where a reader could see it: a changed task is a copy,
so a `Changed` handed to a presenter keeps showing what its edit produced.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from steerco.domain import Project, Task
from steerco.engine.incremental import Rescheduler
from steerco.engine.snapshot import build_snapshot

MAX_ENTRIES = 8  # plans kept per process; each holds its tasks, links and compiled calendars


@dataclass(slots=True)
class Entry:
    revision: int
    project: Project
    rescheduler: Rescheduler
    positions: dict[int, int] = field(default_factory=dict)  # uid -> index in project.tasks
    fresh: bool = True  # stored dates not yet reconciled with the computed ones

    @classmethod
    def build(cls, project: Project, revision: int) -> Entry:
        snap = build_snapshot(project)
        rescheduler = Rescheduler(snap, status_date=project.status_date)
        positions = {t.uid: i for i, t in enumerate(project.tasks)}
        return cls(revision, project, rescheduler, positions)

    def task(self, uid: int) -> Task | None:
        i = self.positions.get(uid)
        return None if i is None else self.project.tasks[i]

    def put(self, task: Task) -> None:
        self.project.tasks[self.positions[task.uid]] = task


class ScheduleCache:
    """Entries by project id, least recently used dropped first. `lock` serialises the edits
    that use the cache in this process; they are serialised by the database's write lock
    anyway, so it costs no concurrency."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.lock = threading.Lock()
        self._entries: OrderedDict[int, Entry] = OrderedDict()
        self._max = max_entries

    def get(self, project_id: int, revision: int) -> Entry | None:
        entry = self._entries.get(project_id)
        if entry is None or revision == 0 or entry.revision != revision:
            return None
        self._entries.move_to_end(project_id)
        return entry

    def put(self, project_id: int, entry: Entry) -> None:
        self._entries[project_id] = entry
        self._entries.move_to_end(project_id)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def drop(self, project_id: int) -> None:
        self._entries.pop(project_id, None)

    def clear(self) -> None:
        self._entries.clear()


CACHE = ScheduleCache()
