"""Priority rules, biased random sampling and forward-backward improvement (justification).

Every schedule here comes from the serial SGS in `sgs.py` or, for the sampled ones, the
parallel SGS in `parallel.py`, so each one is resource-feasible and keeps every link; only the
hard latest starts (deadlines) can fail, and those are checked.
The work is bounded by a *count* of schedules, never by the clock, so a seed fixes the result.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from steerco.engine.rcpsp.network import Network
from steerco.engine.rcpsp.parallel import parallel
from steerco.engine.rcpsp.sgs import (
    Key,
    Profile,
    backward,
    fixed_activities,
    fixed_overload,
    forward,
    link_start,
    list_from_keys,
    makespan,
    meets_bounds,
)


class Rule(StrEnum):
    LFT = "LFT"  # latest finish time
    LST = "LST"  # latest start time
    MTS = "MTS"  # most total successors
    GRPW = "GRPW"  # greatest rank positional weight
    MSLK = "MSLK"  # minimum slack
    SAMPLING = "sampling"  # LFT with random noise (seeded)


@dataclass(frozen=True, slots=True)
class Candidate:
    starts: list[int]
    makespan: int
    feasible: bool  # meets every hard latest start
    rule: str
    improved: bool  # forward-backward improvement shortened it

    @property
    def rank(self) -> tuple[bool, int]:
        """Sort key: feasible plans first, then shorter ones."""
        return (not self.feasible, self.makespan)

    def better_than(self, other: Candidate | None) -> bool:
        return other is None or self.rank < other.rank


def rule_keys(
    net: Network, rule: Rule, horizon: int, rng: np.random.Generator | None = None
) -> list[Key]:
    """Sort keys, least first. The user's priority (0..1000) always comes first."""
    ls = net.late_starts(horizon)
    if rule is Rule.LFT:
        value = [float(s + d) for s, d in zip(ls, net.dur, strict=True)]
    elif rule is Rule.LST:
        value = [float(s) for s in ls]
    elif rule is Rule.MSLK:
        value = [float(s - e) for s, e in zip(ls, net.es, strict=True)]
    elif rule is Rule.GRPW:
        value = [-float(net.dur[j] + sum(net.dur[k] for k, _ in net.succ[j])) for j in range(net.n)]
    elif rule is Rule.MTS:
        value = [-float(c) for c in _successor_counts(net)]
    else:
        if rng is None:
            raise ValueError("sampling needs an rng")
        # Random keys around LFT: a cheap stand-in for regret-based biased sampling that keeps
        # O(n log n) per schedule, so it also runs on 10,000-activity plans.
        spread = float(rng.uniform(0.5, 3.0)) * max(1.0, float(np.mean(net.dur or [1])))
        noise = rng.exponential(spread, size=net.n)
        value = [float(s + d) + float(x) for s, d, x in zip(ls, net.dur, noise, strict=True)]
    return [(-float(net.priority[j]), value[j]) for j in range(net.n)]


def _successor_counts(net: Network) -> list[int]:
    """Transitive successor counts, with Python ints as bitsets (fast enough for 10^4 nodes)."""
    reach = [0] * net.n
    for j in reversed(net.topo):
        bits = 0
        for k, _ in net.succ[j]:
            bits |= reach[k] | (1 << k)
        reach[j] = bits
    return [b.bit_count() for b in reach]


def candidate(net: Network, starts: list[int], rule: str, improved: bool = False) -> Candidate:
    return Candidate(starts, makespan(net, starts), meets_bounds(net, starts), rule, improved)


def justify_counted(
    net: Network, start: Candidate, fixed: list[int], max_rounds: int
) -> tuple[Candidate, int]:
    """Forward-backward improvement: right-justify in finish order, then left-justify.

    Each backward pass keeps the makespan; the forward pass that follows can only pull
    activities earlier, which is where the gain comes from (Valls et al., 2005). Returns the
    plan and the number of schedules decoded (two per round that got that far).
    """
    best = start
    used = 0
    for _ in range(max_rounds):
        finish = [float(s + d) for s, d in zip(best.starts, net.dur, strict=True)]
        back_keys = [(-f, float(j)) for j, f in enumerate(finish)]
        right = backward(net, list_from_keys(net, back_keys, reverse=True), best.makespan, fixed)
        used += 1
        if right is None:
            break
        fwd_keys = [(float(s), float(j)) for j, s in enumerate(right)]
        left = candidate(net, forward(net, list_from_keys(net, fwd_keys), fixed), best.rule, True)
        used += 1
        if not left.better_than(best):
            break
        best = left
    return best, used


def run_heuristics(
    net: Network,
    rng: np.random.Generator,
    samples: int,
    fbi_rounds: int,
    *,
    non_delay: bool = False,
) -> tuple[Candidate, Candidate, int, list[Candidate]]:
    """(best schedule, single-pass LFT baseline, schedules generated, all justified plans).

    With `non_delay`, the sampled schedules come from the parallel SGS (`parallel.py`).
    """
    fixed = fixed_activities(net)
    horizon = net.lower_bound
    if fixed_overload(net, fixed):
        # Activities that may not move already over-allocate: only CP-SAT can say more.
        cand = Candidate(list(net.es), makespan(net, net.es), False, Rule.LFT.value, False)
        return cand, cand, 0, []
    count = 0
    pool: list[Candidate] = []
    best: Candidate | None = None
    baseline: Candidate | None = None
    rules = [Rule.LFT, Rule.LST, Rule.MTS, Rule.GRPW, Rule.MSLK]
    plan: list[tuple[Rule, np.random.Generator | None]] = [(r, None) for r in rules]
    plan += [(Rule.SAMPLING, rng)] * samples
    for rule, gen in plan:
        keys = rule_keys(net, rule, horizon, gen)
        if non_delay and rule is Rule.SAMPLING:
            # The rules keep the serial SGS, so the one-pass LFT baseline stays what
            # commercial tools do.
            cand = candidate(net, parallel(net, keys, fixed), rule.value)
        else:
            cand = candidate(net, forward(net, list_from_keys(net, keys), fixed), rule.value)
        count += 1
        if baseline is None:
            baseline = cand
        if fbi_rounds:
            cand, used = justify_counted(net, cand, fixed, fbi_rounds)
            count += used
        pool.append(cand)
        if cand.better_than(best):
            best = cand
        if best is not None and best.feasible and best.makespan <= net.lower_bound:
            break  # provably optimal: nothing left to gain
    assert best is not None and baseline is not None
    return best, baseline, count, pool


def left_shift(net: Network, starts: list[int], max_rounds: int = 100) -> list[int]:
    """Move each activity, one at a time, to its earliest feasible period until none moves.

    The makespan never grows, and afterwards every delay has a resource conflict behind it,
    which is what makes the delay explanations true (see `explain.py`).
    """
    starts = list(starts)
    prof = Profile(net.cap.tolist(), makespan(net, starts) + 1)
    for j in range(net.n):
        prof.place(net.uses[j], starts[j], net.dur[j])
    for _ in range(max_rounds):
        moved = False
        for j in sorted(range(net.n), key=lambda i: (starts[i], i)):
            e = link_start(net, starts, j)
            if e >= starts[j]:
                continue
            prof.remove(net.uses[j], starts[j], net.dur[j])
            t = prof.earliest(net.uses[j], net.dur[j], e)
            if t < starts[j]:
                starts[j] = t
                moved = True
            prof.place(net.uses[j], starts[j], net.dur[j])
        if not moved:
            break
    return starts
