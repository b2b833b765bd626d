"""Large plans: CP-SAT on sliding time windows (a large-neighbourhood search).

A whole 10,000-activity model is too big to solve in seconds, but a window of a few dozen
activities is small. Each window is re-sequenced by CP-SAT with everything before it frozen;
a forward pass in the new order then rebuilds the rest of the plan (every link and capacity is
restored by that pass), and the new plan is kept if it is no longer than the old one.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from steerco.engine.rcpsp.cpsat import CpLimits, solve_window
from steerco.engine.rcpsp.network import Network
from steerco.engine.rcpsp.sgs import (
    fixed_activities,
    forward,
    list_from_keys,
    makespan,
    meets_bounds,
)

WINDOW = 30  # activities per window: CP-SAT closes these in a few milliseconds
#: CP-SAT work units per window (about 5-20 ms here): a window rarely needs more, and a fixed
#: amount keeps the search reproducible.
WINDOW_WORK = 0.004


def improve_by_windows(
    net: Network, starts: Sequence[int], limits: CpLimits, windows: int
) -> list[int]:
    """Up to `windows` windows, sliding over the plan in start order; the wall limit in
    `limits` is only a safety net."""
    began = time.perf_counter()
    best = list(starts)
    best_span = makespan(net, best)
    fixed = fixed_activities(net)
    step = WINDOW // 2
    used = 0
    pos = 0
    while used < windows and time.perf_counter() - began < limits.wall_seconds * 0.9:
        order = sorted(range(net.n), key=lambda j: (best[j], j))
        if pos >= net.n:
            pos = 0
        window = order[pos : pos + WINDOW]
        pos += step
        used += 1
        # The work limit ends a window; the clock only guards the caller's time limit.
        left = limits.wall_seconds - (time.perf_counter() - began)
        per_window = CpLimits(min(0.5, max(0.01, left)), WINDOW_WORK, 1, limits.seed)
        moved = solve_window(net, best, window, per_window)
        if moved is None:
            continue
        keys = [(float(moved.get(j, best[j])), float(j)) for j in range(net.n)]
        cand = forward(net, list_from_keys(net, keys), fixed)
        span = makespan(net, cand)
        if span <= best_span and meets_bounds(net, cand):
            best, best_span = cand, span
    return best
