"""Exact search with OR-Tools CP-SAT: interval variables, one cumulative per resource.

The best heuristic schedule is the hint (CP-SAT starts from it, so it can only improve), the
makespan variable starts at the lower bound (CP-SAT stops as soon as it meets it), and the
search is made reproducible by a fixed worker count plus a *deterministic* time limit: the wall
limit is only a safety net (see `SolveParams` in `solve.py`).
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

from steerco.engine.rcpsp.network import Network
from steerco.engine.rcpsp.sgs import makespan

if TYPE_CHECKING:
    from ortools.sat.python import cp_model


def ortools_cp() -> ModuleType:
    """OR-Tools' `cp_model`, imported on first use (plans the heuristics close never load it).

    `cp_model` imports pandas only for its optional Series helpers, which steerco never uses,
    and pandas is most of its import time (a quarter of a second, a third of what a short
    `steerco level` run costs). Unless pandas is already loaded, the import sees a stand-in
    with the two names it reads at import time; the stand-in is removed right after, so a
    later `import pandas` gets the real one. Any surprise falls back to the plain import.
    """
    done = sys.modules.get("ortools.sat.python.cp_model")
    if done is not None and hasattr(done, "CpModel"):
        return done
    # Two searches side by side (`solve_full_pair`) may both ask first: the second must not
    # see the module half-imported, nor the stand-in swapped under it.
    with _IMPORT_LOCK:
        return _import_cp()


_IMPORT_LOCK = threading.Lock()


def _import_cp() -> ModuleType:
    if "pandas" not in sys.modules:
        stand_in = ModuleType("pandas")
        stand_in.Index = type("Index", (), {})  # type: ignore[attr-defined]
        stand_in.Series = type("Series", (), {})  # type: ignore[attr-defined]
        sys.modules["pandas"] = stand_in
        try:
            return importlib.import_module("ortools.sat.python.cp_model")
        except Exception:
            for name in [n for n in sys.modules if n.startswith("ortools.sat.python.cp_model")]:
                del sys.modules[name]
        finally:
            if sys.modules.get("pandas") is stand_in:
                del sys.modules["pandas"]
    return importlib.import_module("ortools.sat.python.cp_model")


class CpStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CpOutcome:
    status: CpStatus
    starts: list[int] | None
    bound: int  # proven lower bound on the makespan (of the window, in window mode)


@dataclass(frozen=True, slots=True)
class CpLimits:
    wall_seconds: float
    deterministic: float
    workers: int
    seed: int


def safe_horizon(net: Network) -> int:
    """A makespan some left-justified feasible schedule never exceeds, if any exists.

    In a left-justified schedule every start is a release or the end of a chain of links and
    resource waits, each activity at most once in the chain; so this bound loses no solution
    and an INFEASIBLE answer under it is a proof.
    """
    step = 0
    for j in range(net.n):
        step += max([net.dur[j], 0, *(delta for _, delta in net.succ[j])])
    return max(net.release, default=0) + step + max(net.dur, default=0)


def _params(limits: CpLimits) -> cp_model.CpSolver:
    solver: cp_model.CpSolver = ortools_cp().CpSolver()
    prm = solver.parameters
    prm.max_time_in_seconds = max(0.01, limits.wall_seconds)
    prm.max_deterministic_time = max(0.01, limits.deterministic)
    prm.num_workers = limits.workers
    # Interleaved search runs the portfolio in fixed-size batches, so with several workers
    # the result still depends only on the seed and the deterministic limit.
    prm.interleave_search = limits.workers > 1
    prm.random_seed = limits.seed
    return solver


def solve_full(
    net: Network,
    hint: Sequence[int] | None,
    upper: int | None,
    limits: CpLimits,
    *,
    hinted: bool = True,
) -> CpOutcome:
    """Minimise the makespan of the whole plan; `upper` (if any) is a makespan already known.

    With `hinted=False` the hint is not handed to CP-SAT: the search starts afresh, only
    bounded by `upper` (see `solve_full_split`).
    """
    cp = ortools_cp()
    horizon = upper if upper is not None else safe_horizon(net)
    model = cp.CpModel()
    late = net.late_starts(horizon)
    if any(e > s for e, s in zip(net.es, late, strict=True)):
        status = CpStatus.INFEASIBLE if upper is None else CpStatus.UNKNOWN
        return CpOutcome(status, None, net.lower_bound)
    start = [model.new_int_var(net.es[j], late[j], f"s{j}") for j in range(net.n)]
    for j in range(net.n):
        for k, delta in net.succ[j]:
            model.add(start[k] >= start[j] + delta)
    _add_cumulatives(model, net, start, range(net.n))
    if net.n <= CLIQUE_MAX_ACTIVITIES:
        for clique in disjunctive_cliques(net):
            model.add_no_overlap(
                [model.new_fixed_size_interval_var(start[j], net.dur[j], "") for j in clique]
            )
    span = model.new_int_var(net.lower_bound, horizon, "makespan")
    for j in range(net.n):
        if not net.succ[j] or net.tail[j] > net.dur[j]:
            model.add(span >= start[j] + net.tail[j])
    weight = _minimize(model, net, span, start, horizon)
    if hint is not None and hinted:
        for j in range(net.n):
            model.add_hint(start[j], hint[j])
        model.add_hint(span, max(s + d for s, d in zip(hint, net.dur, strict=True)))
    solver = _params(limits)
    if limits.workers == 1:
        # One worker (plans of up to 150 activities): no LP relaxation. On these models it
        # costs more per search node than its bound saves; on the 60 j30 instances of the six
        # low resource-strength groups, from the genetic search's hint, the optimum was found
        # in 0.2 CPU seconds on 50-51 of them, against 41-44 with the LP (two seeds, under
        # load); on j60 in 0.5 s, +1.34% above the best known against +1.43% with it.
        solver.parameters.linearization_level = 0
    code = solver.solve(model)
    bound = net.lower_bound
    if code in (cp.OPTIMAL, cp.FEASIBLE):
        # objective = span * weight + tie-break, with 0 <= tie-break < weight
        raw = math.ceil(solver.best_objective_bound - 1e-6)
        bound = max(bound, -(-(raw - weight + 1) // weight))
    if code == cp.OPTIMAL:
        return CpOutcome(CpStatus.OPTIMAL, [solver.value(v) for v in start], bound)
    if code == cp.FEASIBLE:
        return CpOutcome(CpStatus.FEASIBLE, [solver.value(v) for v in start], bound)
    if code == cp.INFEASIBLE and upper is None:
        return CpOutcome(CpStatus.INFEASIBLE, None, net.lower_bound)
    return CpOutcome(CpStatus.UNKNOWN, None, net.lower_bound)


def solve_full_pair(net: Network, hint: Sequence[int], upper: int, limits: CpLimits) -> CpOutcome:
    """`solve_full` twice, side by side on two threads: one search afresh, one hinted.

    A hint makes CP-SAT search close to it first (it also sets the first value of every
    choice), and the genetic search's plan is a local optimum that the hinted search rarely
    leaves on the hardest small plans. A search from scratch, bounded only by that plan's
    finish, goes elsewhere. CP-SAT releases the GIL while it solves, so on two cores each
    search gets the whole `limits` (the genetic search before it has ended and the second core
    would idle). On the 38 hardest j30 instances through `level` at 0.75 s (what `steerco
    level --time-limit 1` leaves the search), seeds 0-5: 220 of 228 reached the optimum
    against 216 with the two searches one after the other, each with half.

    Each search is ended by its own work limit, so the pair is as reproducible as one search;
    neither stops the other, which costs wall time only on plans one of them proves at once.
    """
    found: dict[str, CpOutcome | BaseException] = {}

    def fresh() -> None:
        try:
            found["fresh"] = solve_full(net, hint, upper, limits, hinted=False)
        except BaseException as exc:  # handed to the calling thread below
            found["fresh"] = exc

    side = threading.Thread(target=fresh, name="cp-sat-fresh", daemon=True)
    side.start()
    hinted = solve_full(net, hint, upper, limits)
    side.join()
    other = found["fresh"]
    if isinstance(other, BaseException):
        raise other
    bound = max(hinted.bound, other.bound)
    for out in (hinted, other):
        if out.status is CpStatus.OPTIMAL:
            return dataclasses.replace(out, bound=bound)
    plans = [out for out in (hinted, other) if out.starts is not None]
    if not plans:
        return CpOutcome(hinted.status, None, bound)
    best = min(plans, key=lambda out: _objective(net, out.starts or []))
    return dataclasses.replace(best, bound=bound)


def _objective(net: Network, starts: Sequence[int]) -> tuple[int, int]:
    """What `_minimize` minimises: the makespan, then priority-weighted starts."""
    return makespan(net, starts), sum(w * s for w, s in zip(_weights(net), starts, strict=True))


def _weights(net: Network) -> list[int]:
    return [p // 10 + 1 for p in net.priority]


def _minimize(
    model: cp_model.CpModel,
    net: Network,
    span: cp_model.IntVar,
    start: Sequence[cp_model.IntVar],
    horizon: int,
) -> int:
    """Makespan first; when priorities differ, then priority-weighted starts.

    The user's priorities say who should wait; CP-SAT honours them only where it costs the
    finish date nothing (a lexicographic objective in one solve). With equal priorities the
    objective is the bare makespan, which CP-SAT searches best. Returns the makespan weight.
    """
    if len(set(net.priority)) <= 1:
        model.minimize(span)
        return 1
    weights = _weights(net)
    tie = sum(w * start[j] for j, w in enumerate(weights))
    weight = sum(w * horizon for w in weights) + 1
    model.minimize(span * weight + tie)
    return weight


CLIQUE_MAX_ACTIVITIES = 400


def disjunctive_cliques(net: Network) -> list[list[int]]:
    """Groups of activities no two of which fit side by side on some resource.

    A redundant `no_overlap` on each group lets CP-SAT reason about their total length, which
    the cumulatives alone see only weakly; on hard j30 instances it cuts proof time ~3x.
    Greedy, from each activity in turn: good cliques, not maximum ones.
    """
    acts = np.array([j for j in range(net.n) if net.dur[j] > 0], dtype=np.int64)
    if acts.size < 3:
        return []
    dem = net.demand[acts]
    clash = np.zeros((acts.size, acts.size), dtype=bool)
    for r in range(net.m):
        col = dem[:, r]
        clash |= (col[:, None] + col[None, :]) > net.cap[r]
    np.fill_diagonal(clash, False)
    degree = clash.sum(axis=1)
    seen: set[tuple[int, ...]] = set()
    out: list[list[int]] = []
    for a in np.argsort(-degree, kind="stable").tolist():
        members = [a]
        cands = np.flatnonzero(clash[a])
        for b in cands[
            np.argsort(-np.array([net.dur[int(acts[c])] for c in cands]), kind="stable")
        ]:
            if clash[int(b), members].all():
                members.append(int(b))
        key = tuple(sorted(int(acts[i]) for i in members))
        if len(key) >= 3 and key not in seen:
            seen.add(key)
            out.append(list(key))
    return out


def _add_cumulatives(
    model: cp_model.CpModel,
    net: Network,
    start: Mapping[int, cp_model.IntVar] | Sequence[cp_model.IntVar],
    members: Sequence[int],
    fixed: Sequence[tuple[int, int]] = (),
) -> None:
    """One cumulative per resource over `members` plus `fixed` (activity, start) intervals."""
    for r in range(net.m):
        cap = int(net.cap[r])
        users = [j for j in members if net.dur[j] > 0 and net.demand[j, r] > 0]
        if not users:
            continue
        pinned = [(j, s) for j, s in fixed if net.dur[j] > 0 and net.demand[j, r] > 0]
        if (
            sum(int(net.demand[j, r]) for j in users)
            + sum(int(net.demand[j, r]) for j, _ in pinned)
            <= cap
        ):
            continue  # can never be over-allocated: leave it out of the model
        intervals = [
            model.new_fixed_size_interval_var(start[j], net.dur[j], f"i{j}_{r}") for j in users
        ]
        intervals += [
            model.new_fixed_size_interval_var(s, net.dur[j], f"f{j}_{r}") for j, s in pinned
        ]
        demands = [int(net.demand[j, r]) for j in users] + [
            int(net.demand[j, r]) for j, _ in pinned
        ]
        model.add_cumulative(intervals, demands, cap)


def solve_window(
    net: Network, current: Sequence[int], window: Sequence[int], limits: CpLimits
) -> dict[int, int] | None:
    """Re-sequence the `window` activities after everything that starts before them.

    Activities that start earlier than the window stay where they are (their resource use
    is fixed), later ones are left out: the caller re-decodes them with a forward pass in the
    new order, so any link to them is restored there. The objective is the window's longest
    remaining chain (start + resource-free tail), then the sum of starts. Returns new starts
    of the window activities only.
    """
    if not window:
        return None
    free = set(window)
    first = min(current[j] for j in window)
    before = [j for j in range(net.n) if j not in free and current[j] < first]
    is_before = set(before)
    cp = ortools_cp()
    model = cp.CpModel()
    start: dict[int, cp_model.IntVar] = {}
    horizon = max(current[j] + net.dur[j] for j in window) + sum(net.dur[j] for j in window)
    for j in window:
        low = max(net.release[j], 0)
        for i, delta in net.pred[j]:
            if i in is_before:
                low = max(low, current[i] + delta)
        start[j] = model.new_int_var(low, max(low, horizon), f"s{j}")
        model.add_hint(start[j], max(low, current[j]))
    for j in window:
        for k, delta in net.succ[j]:
            if k in free:
                model.add(start[k] >= start[j] + delta)
    lo_t = min(start[j].proto.domain[0] for j in window)
    others = [(j, current[j]) for j in before if current[j] + net.dur[j] > lo_t]
    _add_cumulatives(model, net, start, window, others)
    chain = model.new_int_var(0, horizon + max(net.tail), "chain")
    for j in window:
        model.add(chain >= start[j] + net.tail[j])
    weight = len(window) * (horizon + 1) + 1  # makes the objective lexicographic
    model.minimize(chain * weight + sum(start.values()))
    solver = _params(limits)
    # A window is small and solved hundreds of times: presolve, LP relaxation and symmetry
    # detection cost more per call than they save (measured: 2-4x more windows per second).
    solver.parameters.cp_model_presolve = False
    solver.parameters.linearization_level = 0
    solver.parameters.symmetry_level = 0
    if solver.solve(model) not in (cp.OPTIMAL, cp.FEASIBLE):
        return None
    return {j: solver.value(start[j]) for j in window}
