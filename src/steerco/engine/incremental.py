"""The fast path: reschedule after one task's duration changes, touching only what it reaches.

Each pass is redone only on the nodes a change can reach. A node is taken in topological
order (reverse order for the backward pass) from a heap of positions, and it passes the
change on only if its own dates moved. The forward pass follows successors (a link into a
summary reaches every subtask). The backward pass follows predecessors, including the
predecessors of the task's summaries, whose limits are read through their subtasks. If the
project finish moves, or the earliest subtask of a summary with SS/SF successors changes, the
backward pass runs in full. Plans with ALAP tasks, or plans scheduled from their finish, are
always recomputed in full, because every late date feeds their final dates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime
from heapq import heapify, heappop, heappush

from steerco.engine.arith import Pass
from steerco.engine.cpm import DEFAULT_NEAR_CRITICAL, ScheduleState, compute, project_finish
from steerco.engine.passes import Passes
from steerco.engine.report import build_result
from steerco.engine.result import ScheduleResult
from steerco.engine.snapshot import ALAP, Snapshot


class Rescheduler:
    """Holds the last schedule of a plan and updates it one edit at a time."""

    def __init__(
        self,
        snap: Snapshot,
        state: ScheduleState | None = None,
        *,
        status_date: datetime | None = None,
    ) -> None:
        self.state = state if state is not None else compute(snap, status_date=status_date)
        n = snap.size
        self._position = [0] * (2 * n)
        for k, node in enumerate(snap.order):
            self._position[node] = k
        self._forward_deps = _forward_dependents(snap)
        self._backward_deps = _backward_dependents(snap)
        self.moved: set[int] | None = None
        self._full_only = not snap.schedule_from_start or any(
            c == ALAP and not s for c, s in zip(snap.constraint, snap.summary, strict=True)
        )

    @property
    def snapshot(self) -> Snapshot:
        return self.state.snapshot

    def set_duration(self, uid: int, minutes: int) -> ScheduleState:
        """Change task `uid`'s duration (working or elapsed minutes, as it is) and reschedule.
        Afterwards `moved` holds the indexes of the tasks whose scheduled dates may have
        changed, or None after a full recompute (then any may have)."""
        old = self.state
        i = old.snapshot.index(uid)
        snap = old.snapshot.with_duration(i, minutes)
        self.moved = None
        if self._full_only or snap.summary[i]:
            self.state = compute(snap, status_date=old.status_date)
            return self.state
        passes = Passes(snap, old.status_date)
        early = old.early.copy()
        moved = _propagate(
            [i], self._position, self._forward_deps, early, passes.forward_node, backward=False
        )
        n = snap.size
        # Scheduled dates are the early ones on this path (no ALAP task, from the start).
        self.moved = {node - n if node >= n else node for node in moved} | {i}
        finish = project_finish(passes, early)
        late = old.late
        passes.prepare_backward(early, finish)
        old_earliest = Passes(old.snapshot, old.status_date).earliest_leaves(old.early)
        if finish != old.finish or passes.earliest != old_earliest:
            late = passes.backward(early, finish)
        else:
            late = late.copy()

            def step(node: int, res: Pass) -> None:
                passes.backward_node(node, res, early)

            # Late dates also read early dates (elapsed tasks and lags, actuals), so every node
            # whose early dates moved, and every node that reads its late dates, is redone.
            seeds = set(moved)
            for node in moved:
                seeds.update(self._backward_deps[node])
            _propagate(seeds, self._position, self._backward_deps, late, step, backward=True)
        self.state = replace(
            old, snapshot=snap, early=early, late=late, scheduled=early, finish=finish
        )
        return self.state

    def result(self, near_critical: int = DEFAULT_NEAR_CRITICAL) -> ScheduleResult:
        return build_result(self.state, near_critical=near_critical)


def _propagate(
    seeds: Iterable[int],
    position: list[int],
    deps: list[list[int]],
    res: Pass,
    step: Callable[[int, Pass], None],
    *,
    backward: bool,
) -> list[int]:
    """Recompute the seeds, then every node a change reaches, in (reverse) topological order.
    Returns the nodes whose dates moved."""
    n = len(res.start)
    sign = -1 if backward else 1
    queued = set(seeds)
    heap = [sign * position[v] for v in queued]
    heapify(heap)
    order_of = {position[v]: v for v in queued}
    forced = set(queued)
    moved: list[int] = []
    while heap:
        node = order_of.pop(sign * heappop(heap))
        before = res.state_of(node, n)
        step(node, res)
        if res.state_of(node, n) == before:
            if node not in forced:
                continue
        else:
            moved.append(node)
        for dep in deps[node]:
            if dep not in queued:
                queued.add(dep)
                order_of[position[dep]] = dep
                heappush(heap, sign * position[dep])
    return moved


def _forward_dependents(snap: Snapshot) -> list[list[int]]:
    """For each node, the nodes whose early dates read its early dates."""
    n = snap.size
    deps: list[list[int]] = [[] for _ in range(2 * n)]
    for t in range(n):
        node = n + t if snap.summary[t] else t
        for link in snap.succs[t]:
            j = link.succ
            deps[node] += snap.leaves_under[j] if snap.summary[j] else (j,)
        if snap.parent[t] >= 0:
            deps[node].append(n + snap.parent[t])
    return deps


def _backward_dependents(snap: Snapshot) -> list[list[int]]:
    """For each node, the nodes whose late dates read its late dates."""
    n = snap.size
    deps: list[list[int]] = [[] for _ in range(2 * n)]

    def readers(task: int) -> tuple[int, ...]:
        return snap.leaves_under[task] if snap.summary[task] else (task,)

    for t in range(n):
        if snap.parent[t] >= 0:
            deps[t].append(snap.parent[t])  # the summary's rolled-up late dates
        if snap.summary[t]:
            continue
        for link in snap.preds[t]:
            deps[t] += readers(link.pred)
        ancestor = snap.parent[t]
        while ancestor >= 0:  # predecessors of a summary read its subtasks' late dates
            for link in snap.preds[ancestor]:
                deps[t] += readers(link.pred)
            ancestor = snap.parent[ancestor]
    return deps
