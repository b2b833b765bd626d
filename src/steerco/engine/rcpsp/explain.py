"""Explain every delay of a leveled plan against the resource-free CPM plan.

The delay of an activity splits in two: what its predecessors (themselves delayed) pushed it,
and how long it then waited for resources. The plan is left-shifted first (see
`heuristics.left_shift`), so in every period of that wait at least one resource it needs is too
full; those periods, grouped into ranges, and the activities then using the resource are the
explanation ("Ana over-allocated 12-14 Jan by Task 42").
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from steerco.engine.rcpsp.network import Network
from steerco.engine.rcpsp.result import DelayExplanation, ResourceConflict


def explain(net: Network, starts: Sequence[int]) -> tuple[DelayExplanation, ...]:
    horizon = max((s + d for s, d in zip(starts, net.dur, strict=True)), default=0) + 1
    load = np.zeros((net.m, horizon), dtype=np.int64)
    users: list[list[int]] = [[] for _ in range(net.m)]
    for j in range(net.n):
        if net.dur[j]:
            for r, q in net.uses[j]:
                load[r, starts[j] : starts[j] + net.dur[j]] += q
                users[r].append(j)
    out: list[DelayExplanation] = []
    start_arr = np.asarray(starts, dtype=np.int64)
    finish_arr = start_arr + np.asarray(net.dur, dtype=np.int64)
    who_idx = [np.asarray(u, dtype=np.int64) for u in users]
    for j in range(net.n):
        if starts[j] <= net.es[j]:
            continue
        ready, driver = max(net.release[j], 0), None
        for i, delta in net.pred[j]:
            if starts[i] + delta > ready:
                ready, driver = starts[i] + delta, i
        conflicts: list[ResourceConflict] = []
        if starts[j] > ready:
            for r, amount in net.uses[j]:
                full = np.flatnonzero(load[r, ready : starts[j]] + amount > net.cap[r])
                for a, b in _runs((full + ready).tolist()):
                    cand = who_idx[r]
                    hit = cand[(start_arr[cand] < b) & (finish_arr[cand] > a)]
                    who = tuple(int(i) for i in hit if i != j)
                    conflicts.append(ResourceConflict(r, a, b, who))
        out.append(
            DelayExplanation(
                activity=j,
                early_start=net.es[j],
                start=starts[j],
                predecessor_delay=ready - net.es[j],
                driving_predecessor=driver if ready > net.es[j] else None,
                resource_delay=starts[j] - ready,
                conflicts=tuple(conflicts),
            )
        )
    return tuple(out)


def _runs(periods: list[int]) -> list[tuple[int, int]]:
    """Sorted periods -> maximal [start, end) ranges of consecutive periods."""
    runs: list[tuple[int, int]] = []
    for p in periods:
        if runs and runs[-1][1] == p:
            runs[-1] = (runs[-1][0], p + 1)
        else:
            runs.append((p, p + 1))
    return runs
