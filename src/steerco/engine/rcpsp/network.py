"""The compiled, index-based form every algorithm shares: arcs, CPM times, bounds.

All four link types become start-to-start arcs `S[k] >= S[j] + delta` (see `Link.start_lag`), so
CPM here is one longest-path pass forward and one backward over a topological order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from steerco.engine.rcpsp.model import NEVER_DELAY, ProblemData

IntArray = npt.NDArray[np.int64]
Uses = tuple[tuple[int, int], ...]  # (resource, amount > 0) pairs of one activity

#: "No upper bound" for a start; large enough for any plan, small enough for CP-SAT domains.
UNBOUNDED = 1 << 40


@dataclass(frozen=True, slots=True)
class Network:
    n: int
    m: int
    dur: list[int]
    demand: IntArray  # (n, m)
    cap: IntArray  # (m,)
    uses: list[Uses]
    succ: list[list[tuple[int, int]]]  # j -> [(k, delta)]
    pred: list[list[tuple[int, int]]]  # k -> [(j, delta)]
    topo: list[int]
    release: list[int]
    es: list[int]  # resource-free early start (links + releases)
    lsmax: list[int]  # hard latest start after backward propagation; UNBOUNDED if none
    tail: list[int]  # longest path from the start of j to the project end
    priority: list[int]
    cpm_makespan: int
    lower_bound: int  # max(CPM, resource energy)

    def late_starts(self, horizon: int) -> list[int]:
        """Latest starts that still finish by `horizon` and meet every hard bound."""
        return [min(horizon - t, b) for t, b in zip(self.tail, self.lsmax, strict=True)]

    @property
    def feasible_bounds(self) -> bool:
        """False when links, releases and deadlines clash even before resources count."""
        return all(e <= b for e, b in zip(self.es, self.lsmax, strict=True))


def compile_network(problem: ProblemData, *, within_slack: bool = False) -> Network:
    n, m = problem.num_activities, problem.num_resources
    acts = problem.activities
    dur = [a.duration for a in acts]
    demand = np.zeros((n, m), dtype=np.int64)
    for j, a in enumerate(acts):
        if a.duration > 0:  # a milestone occupies no period, so it uses nothing
            for r, q in a.demands.items():
                demand[j, r] = q
    cap = np.array([r.capacity for r in problem.resources], dtype=np.int64)
    _reduce_units(demand, cap)
    uses: list[Uses] = [
        tuple((int(r), int(demand[j, r])) for r in np.flatnonzero(demand[j])) for j in range(n)
    ]

    succ: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    pred: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for link in problem.links:
        delta = link.start_lag(dur[link.pred], dur[link.succ])
        succ[link.pred].append((link.succ, delta))
        pred[link.succ].append((link.pred, delta))
    topo = problem.topological_order()

    release = [a.release for a in acts]
    es = forward_pass(topo, pred, release)
    tail = [0] * n
    for j in reversed(topo):
        tail[j] = max([dur[j], *(delta + tail[k] for k, delta in succ[j])])
    cpm_makespan = max((es[j] + tail[j] for j in range(n)), default=0)

    bound = [a.latest_start_bound for a in acts]
    lsmax = [UNBOUNDED if b is None else b for b in bound]
    for j, a in enumerate(acts):
        if a.priority >= NEVER_DELAY:
            lsmax[j] = min(lsmax[j], es[j])
        if within_slack:
            # Total slack against the unleveled finish: leveling may not move the end date.
            lsmax[j] = min(lsmax[j], cpm_makespan - tail[j])
    for j in reversed(topo):
        for k, delta in succ[j]:
            lsmax[j] = min(lsmax[j], lsmax[k] - delta)

    energy = 0
    for r in range(m):
        work = int(demand[:, r] @ np.array(dur, dtype=np.int64))
        if work > 0 and cap[r] > 0:
            energy = max(energy, -(-work // int(cap[r])))
    return Network(
        n=n,
        m=m,
        dur=dur,
        demand=demand,
        cap=cap,
        uses=uses,
        succ=succ,
        pred=pred,
        topo=topo,
        release=release,
        es=es,
        lsmax=lsmax,
        tail=tail,
        priority=[a.priority for a in acts],
        cpm_makespan=cpm_makespan,
        lower_bound=max(cpm_makespan, energy),
    )


def _reduce_units(demand: IntArray, cap: IntArray) -> None:
    """Divide each resource's capacity and demands by their greatest common divisor.

    The services count units in thousandths (a capacity of 12 people is 12,000), while the
    decoders are fastest with capacities below 256 (`byteprofile.py`). Dividing every amount
    of one resource by a common divisor keeps exactly the same feasible plans.
    """
    for r in range(cap.size):
        g = int(np.gcd.reduce(np.append(demand[:, r], cap[r])))
        if g > 1:
            demand[:, r] //= g
            cap[r] //= g


def forward_pass(
    topo: list[int], pred: list[list[tuple[int, int]]], release: list[int]
) -> list[int]:
    """Earliest starts over the arcs, starting from the releases (never before period 0)."""
    es = [max(0, r) for r in release]
    for k in topo:
        for j, delta in pred[k]:
            es[k] = max(es[k], es[j] + delta)
    return es
