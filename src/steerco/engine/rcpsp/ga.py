"""A small genetic algorithm over activity lists (Hartmann 1998), with justification.

Each individual is a precedence-feasible activity list decoded by the serial SGS. Two-point
crossover of two such lists is again precedence-feasible, so no repair is needed. Every child is
justified (forward-backward) and written back in the order of its improved starts, which is
what makes this simple GA competitive (Valls et al., 2005). The work is a count of decoded
schedules (each justification round decodes two).
"""

from __future__ import annotations

import time

import numpy as np

from steerco.engine.rcpsp.heuristics import Candidate, candidate, justify_counted
from steerco.engine.rcpsp.network import Network
from steerco.engine.rcpsp.sgs import forward, list_from_keys


def _order_of(net: Network, starts: list[int]) -> list[int]:
    return list_from_keys(net, [(float(s), float(j)) for j, s in enumerate(starts)])


def _crossover(mother: list[int], father: list[int], q1: int, q2: int) -> list[int]:
    child = mother[:q1]
    taken = set(child)
    for j in father:
        if len(child) >= q2:
            break
        if j not in taken:
            child.append(j)
            taken.add(j)
    child.extend(j for j in mother if j not in taken)
    return child


def _mutate(net: Network, order: list[int], rng: np.random.Generator) -> None:
    """Move one activity to a random place between its last predecessor and its first
    successor, so the list stays precedence-feasible. A swap of unlinked neighbours
    (Hartmann's mutation) moves an activity one step at a time; the shift reached the hard
    j30 optima far more often for the same count of schedules (see `native_ga.c`)."""
    n = len(order)
    if n < 2:
        return
    i = int(rng.integers(n))
    j = order[i]
    where = {a: p for p, a in enumerate(order)}
    lo = max((where[k] + 1 for k, _ in net.pred[j]), default=0)
    hi = min((where[k] - 1 for k, _ in net.succ[j]), default=n - 1)
    if hi > lo:
        order.pop(i)
        order.insert(int(rng.integers(lo, hi + 1)), j)


def evolve(
    net: Network,
    seeds: list[Candidate],
    rng: np.random.Generator,
    *,
    schedules: int,
    fixed: list[int],
    wall_seconds: float,
    population: int = 20,
    bound: int = 0,
) -> tuple[Candidate, int]:
    """Best plan after about `schedules` decoded schedules (and how many were used).

    `wall_seconds` is only a safety net for a much slower machine; the count ends the search,
    or a feasible plan no longer than `bound` (a lower bound: nothing shorter exists).
    """
    began = time.perf_counter()
    pop = [c for c, _ in _survivors([(c, []) for c in seeds], population)]
    best = pop[0]
    orders = [_order_of(net, c.starts) for c in pop]
    used = 0
    while (
        used < schedules
        and len(pop) >= 2
        and not (best.feasible and best.makespan <= bound)
        and time.perf_counter() - began < wall_seconds
    ):
        children: list[Member] = []
        for _ in range(max(1, len(pop) // 2)):
            i, k = rng.choice(len(pop), size=2, replace=False)
            q1, q2 = sorted(int(x) for x in rng.integers(0, net.n + 1, size=2))
            order = _crossover(orders[int(i)], orders[int(k)], q1, q2)
            _mutate(net, order, rng)
            child = candidate(net, forward(net, order, fixed), "genetic")
            child, extra = justify_counted(net, child, fixed, 2)
            used += 1 + extra
            children.append((child, _order_of(net, child.starts)))
            if child.better_than(best):
                best = child
                if best.feasible and best.makespan <= bound:
                    break
        merged = _survivors(list(zip(pop, orders, strict=True)) + children, population)
        pop = [c for c, _ in merged]
        orders = [o for _, o in merged]
    return best, used


Member = tuple[Candidate, list[int]]


def _survivors(members: list[Member], population: int) -> list[Member]:
    """The best `population` distinct schedules (a copy adds nothing but crowds out others)."""
    members = sorted(members, key=lambda m: m[0].rank)
    seen: set[tuple[int, ...]] = set()
    out: list[Member] = []
    for m in members:
        key = tuple(m[0].starts)
        if key not in seen:
            seen.add(key)
            out.append(m)
            if len(out) == population:
                break
    return out
