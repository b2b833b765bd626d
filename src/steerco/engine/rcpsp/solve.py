"""The facade: `level(problem, params)` runs rules, sampling, justification, then CP-SAT.

Stages, each starting from the best plan so far:
1. resource-free CPM; if nothing is over-allocated the plan stands (and is optimal);
2. serial SGS with five priority rules plus seeded biased sampling (above 50 activities
   decoded by the parallel SGS, `parallel.py`), each improved by forward-backward
   justification; the count of schedules is fixed by the plan size;
   from 20 activities, a genetic search over those plans (`ga.py`), for a count of
   schedules sized to half (up to 50 activities) or 70% of the time limit;
3. above 50 activities, CP-SAT on sliding windows of the plan (`windows.py`) for
   `lns_share` of the remaining time; plans above `cp_max_activities` get only this;
4. CP-SAT on the whole plan, hinted with the best schedule, stopping at the lower bound (up
   to 50 activities, a second search afresh within that plan's finish runs beside it);
5. a left shift, so every remaining delay has a resource conflict to show for it.

Reproducibility: stages 1, 2 and 5 depend only on the seed (the genetic search's wall-clock
limit is a safety net that only a much slower machine reaches). The window search is bounded by a
count of windows and a work limit per window; CP-SAT runs with a fixed worker count
(interleaved when there are two) and `max_deterministic_time`, its own work counter. So a rerun
with the same problem and params gives the same plan whenever those counters, not the clock,
end the search. The wall-clock `time_limit` always wins, as a safety net: on a machine much
slower or busier than the calibration below, the clock can end a stage first and two runs may
then differ (both valid). `deterministic=False` drops the work limits and lets CP-SAT use all
of `time_limit`: better plans on hard instances, not reproducible. The clock is read for the
limit and for `LevelingResult.seconds`, nothing else.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from steerco.domain.errors import ValidationError
from steerco.engine.rcpsp import native
from steerco.engine.rcpsp.cpsat import CpLimits, CpStatus, solve_full, solve_full_pair
from steerco.engine.rcpsp.explain import explain
from steerco.engine.rcpsp.ga import evolve
from steerco.engine.rcpsp.heuristics import Candidate, Rule, left_shift, run_heuristics
from steerco.engine.rcpsp.model import ProblemData
from steerco.engine.rcpsp.network import Network, compile_network
from steerco.engine.rcpsp.result import LevelingResult, LevelingStatus, Method
from steerco.engine.rcpsp.sgs import Profile, fixed_activities, is_valid, makespan
from steerco.engine.rcpsp.windows import improve_by_windows

#: CP-SAT deterministic time per wall second, by worker count: the deterministic limit is the
#: remaining wall time times this. Measured with hints on PSPLIB (busy 2-core machine): 0.13-0.8
#: for one worker, 0.03-0.2 for two interleaved. Lower values make the work counter end the
#: search more often (more reruns agree) but stop it sooner; on hard j30/j60 instances these
#: values matched the wall-clock-only quality while two runs in 30 still differed at most once.
#: One worker without the LP (`cpsat.solve_full`, up to 150 activities) does 0.12-0.41 units
#: per second on the hard j30 instances (load 1), so at 0.5 the clock ended most of its runs
#: and two runs of a j60 sample differed (+1.12 % / +0.94 %); at 0.25 they agree (+1.02 %
#: twice) and the default samples came out no worse (j60 +1.05 %, j120 +2.74 %).
DETERMINISTIC_PER_SECOND = {1: 0.25, 2: 0.1}


@dataclass(frozen=True, slots=True)
class SolveParams:
    """How hard to try. `time_limit` is wall seconds for the whole call."""

    time_limit: float = 10.0
    seed: int = 0
    within_slack: bool = False  # never push the finish: delay only within total slack
    workers: int | None = None  # CP-SAT workers (>1: interleaved, still deterministic)
    deterministic: bool = True  # stop CP-SAT by its work counter, so reruns agree
    deterministic_limit: float | None = None  # CP-SAT work units; default from time_limit
    samples: int | None = None  # sampled schedules; None sizes it to the plan
    genetic_schedules: int | None = None  # genetic algorithm budget; None sizes it to the plan
    improvement_rounds: int = 4  # forward-backward passes per schedule
    use_cp: bool = True
    native: bool = True  # the genetic search in C when built (`native.py`), else ga.py
    # Searches in C run side by side (each with the whole count). Two, for the usual 2-core
    # server: measured j60 +0.64 % -> +0.60 %, j120 +2.08 % -> +1.88 % (default samples).
    genetic_threads: int = 2
    lns_share: float = 0.4  # of the CP time, spent on window search before the full model
    # Seconds the counts are sized to; None: `time_limit`. A caller that spends measured time
    # before the search (reading a file, its own start-up) passes the wall time left as
    # `time_limit` and an estimate as `budget`, so the plan does not depend on that time.
    budget: float | None = None
    cp_max_activities: int = 1000  # above this, CP-SAT works on time windows

    def __post_init__(self) -> None:
        if self.time_limit <= 0:
            raise ValidationError("time_limit must be > 0")
        if self.workers is not None and self.workers < 1:
            raise ValidationError("workers must be >= 1")
        if self.budget is not None and self.budget <= 0:
            raise ValidationError("budget must be > 0")
        if self.genetic_threads < 1:
            raise ValidationError("genetic_threads must be >= 1")


def level(problem: ProblemData, params: SolveParams | None = None) -> LevelingResult:
    """Delay activities as little as possible so no resource is over-allocated."""
    params = params or SolveParams()
    began = time.perf_counter()
    net = compile_network(problem, within_slack=params.within_slack)
    early = tuple(net.es)
    if not net.feasible_bounds:
        return _empty(net, LevelingStatus.INFEASIBLE, began, _bounds_message(problem, net))
    if _resource_feasible(net, net.es):
        return _as_is(net, began)
    # The counts below (schedules, CP-SAT's work, windows) are sized to `budget`, never to
    # time measured so far, so that they depend only on the problem and the params.
    budget = params.budget if params.budget is not None else params.time_limit
    rng = np.random.default_rng(params.seed)
    samples = params.samples if params.samples is not None else _default_samples(net.n)
    best, base, count, pool = run_heuristics(
        net, rng, samples, params.improvement_rounds, non_delay=_non_delay(net.n)
    )
    # Keep time for the left shift and the explanations, which grow with the plan.
    reserve = 0.15 + 3e-4 * net.n  # CP-SAT itself can overrun its limit by ~0.1 s
    in_c = params.native and native.available()
    genetic = params.genetic_schedules
    if genetic is None:
        genetic = _default_genetic(net.n, budget - reserve, native=in_c)
    # What the stages before CP-SAT are expected to take, from their counts (not the clock).
    searched = HEURISTIC_COST * (samples + len(Rule)) * net.n
    if genetic and pool and not (best.feasible and best.makespan <= net.lower_bound):
        wall = 0.85 * (params.time_limit - reserve) - (time.perf_counter() - began)
        fixed = fixed_activities(net)
        found = None
        if in_c:
            found = native.evolve_native(
                net, pool, rng, schedules=genetic, fixed=fixed, wall_seconds=wall,
                bound=net.lower_bound, threads=params.genetic_threads,
            )  # fmt: skip
        if found is not None:
            searched += NATIVE_GA_WALL * genetic * NATIVE_GA_COST * net.n
        else:  # no library, or a plan too big for it
            if in_c and params.genetic_schedules is None:
                genetic = _default_genetic(net.n, budget - reserve)
            searched += genetic * GA_COST * net.n
            found = evolve(
                net, pool, rng, schedules=genetic, fixed=fixed, wall_seconds=wall,
                bound=net.lower_bound,
            )  # fmt: skip
        evolved, used = found
        count += used
        if evolved.better_than(best):
            best = evolved
    method = _heuristic_method(best)
    starts: list[int] | None = best.starts if best.feasible else None
    bound = net.lower_bound
    status = LevelingStatus.FEASIBLE
    remaining = params.time_limit - reserve - (time.perf_counter() - began)
    planned = max(0.05, budget - reserve - searched)  # CP-SAT's nominal seconds
    done = best.feasible and best.makespan <= bound
    if params.use_cp and not done and remaining > 0.05:
        workers = params.workers or _default_workers(net.n)
        det = params.deterministic_limit
        if det is None:
            per_second = DETERMINISTIC_PER_SECOND.get(workers, 0.02)
            det = planned * per_second if params.deterministic else 1e9
        limits = CpLimits(remaining, det, workers, params.seed)
        full = net.n <= params.cp_max_activities or starts is None
        windowed = starts is not None and (not full or net.n > LNS_MIN_ACTIVITIES)
        if windowed and starts is not None:
            # Window search first: it moves a hard plan most per second; CP-SAT then
            # starts from the better hint (and may prove it optimal).
            share = params.lns_share if full else 1.0
            windows = _window_count(net.n, planned * share)
            lns_limits = CpLimits(remaining * share, det * share, 1, params.seed)
            improved = improve_by_windows(net, starts, lns_limits, windows)
            if makespan(net, improved) < makespan(net, starts):
                starts, method = improved, Method.CP_SAT_WINDOWS
        if full:
            remaining = params.time_limit - reserve - (time.perf_counter() - began)
            # The window search's share of the work, only if it ran (small plans skip it).
            det = det * (1.0 - params.lns_share) if windowed else det
            limits = CpLimits(max(remaining, 0.05), det, workers, params.seed)
            if starts is not None and net.n <= SPLIT_MAX_ACTIVITIES:
                out = solve_full_pair(net, starts, makespan(net, starts), limits)
            else:
                hint = starts if starts is not None else best.starts
                out = solve_full(net, hint, makespan(net, starts) if starts else None, limits)
            bound = max(bound, out.bound)
            if out.status is CpStatus.INFEASIBLE:
                msg = "no plan meets every deadline and never-delay priority within capacity"
                return _empty(net, LevelingStatus.INFEASIBLE, began, msg)
            if out.starts is not None and (
                starts is None
                or makespan(net, out.starts) < makespan(net, starts)
                # Same finish, but CP-SAT also ranked who waits by priority.
                or (
                    len(set(net.priority)) > 1
                    and makespan(net, out.starts) == makespan(net, starts)
                )
            ):
                starts, method = out.starts, Method.CP_SAT
            if out.status is CpStatus.OPTIMAL:
                status = LevelingStatus.OPTIMAL
    if starts is None:
        msg = "no plan meeting every deadline was found in the time limit"
        return _empty(net, LevelingStatus.UNKNOWN, began, msg)
    # Each round moves every activity it can; it ends in two or three. The cap only bounds
    # the rare long cascade on a very large plan, whose explanations may then miss a conflict.
    starts = left_shift(net, starts, max_rounds=100 if net.n <= 2000 else 8)
    if not is_valid(net, starts):  # a bug if it ever fires; never hand out a broken plan
        return _empty(net, LevelingStatus.UNKNOWN, began, "internal check failed")
    span = makespan(net, starts)
    if span <= bound:
        status = LevelingStatus.OPTIMAL
    return LevelingResult(
        status=status,
        starts=tuple(starts),
        makespan=span,
        lower_bound=bound,
        method=method,
        rule=best.rule,
        early_starts=early,
        explanations=explain(net, starts),
        baseline_makespan=base.makespan,
        schedules=count,
        seconds=time.perf_counter() - began,
    )


def level_nothing(problem: ProblemData) -> LevelingResult:
    """The plan as it is, for a caller that knows nobody is over-allocated."""
    began = time.perf_counter()
    net = compile_network(problem)
    if not net.feasible_bounds:
        return _empty(net, LevelingStatus.INFEASIBLE, began, _bounds_message(problem, net))
    return _as_is(net, began)


def _as_is(net: Network, began: float) -> LevelingResult:
    early = tuple(net.es)
    return LevelingResult(
        LevelingStatus.OPTIMAL, early, net.cpm_makespan, net.cpm_makespan, Method.NONE,
        None, early, (), net.cpm_makespan, 0, "", time.perf_counter() - began,
    )  # fmt: skip


def _default_samples(n: int) -> int:
    # About 8,000 activity placements (each sample also gets forward-backward passes): enough
    # to give CP-SAT a good hint on small plans, none on plans of 10,000 activities where one
    # schedule already costs a noticeable fraction of the time. Where samples are non-delay
    # schedules, up to 120 of them: on j60 (seed 0, default and next samples) +0.88 % and
    # +0.74 % above the best known against +0.92 % and +0.83 % with 60.
    cap = 120 if _non_delay(n) else 60
    return max(0, min(cap, 8_000 // max(n, 1) - 5))


def _non_delay(n: int) -> bool:
    # Sampled schedules from the parallel SGS (`parallel.py`) on plans of 51-100 activities.
    # On j60 they are the genetic search's best seeds: through `level_file`, seed 0, default
    # and next samples, +0.92 % and +0.83 % above the best known against +1.05 % and +1.02 %
    # with serial samples (seed 1: +1.23 % and +0.92 % against +1.23 % and +0.99 %; the
    # sample after: +1.04 % against +1.14 %). Not on j120, where they did a little worse
    # (+2.85 % and +2.18 % against +2.74 % and +2.15 %), nor on j30, where the optimum was
    # found no more often (53-55 of the 60 hardest-group instances against 55-56).
    return LNS_MIN_ACTIVITIES < n <= NON_DELAY_MAX_ACTIVITIES


NON_DELAY_MAX_ACTIVITIES = 100


LNS_MIN_ACTIVITIES = 50  # below this CP-SAT alone closes most plans

#: Up to this size CP-SAT searches twice, afresh and hinted (`cpsat.solve_full_pair`, now
#: side by side): one after the other, each with half, on the 60 j30 instances of the six low
#: resource-strength groups, through `level_file` at 1 s, 56 and 55 reached the optimum
#: against 52 and 54 with one hinted search (seeds 0, 1). On j60 that did worse (+1.19 %
#: against +1.04 % above the best known, two samples), where the hint is worth more than the
#: fresh start.
SPLIT_MAX_ACTIVITIES = 50


def _window_count(n: int, seconds: float) -> int:
    # A count, not a clock, bounds the window search so reruns agree. One window costs
    # 40-150 ms of CP-SAT (busy 2-core machine) plus a forward pass (~10 us per activity).
    return max(1, int(seconds / (0.12 + 1e-5 * n)))


#: Seconds per activity per counted schedule of the genetic search (decoding, justification
#: and list building; measured on PSPLIB j60/j120 with the byte-profile decoders, 6-9 us on
#: a shared 2-core machine). Only sizes the count: the count, not the clock, ends the search.
GA_COST = 10e-6
#: The same for the search in C (`native.py`): 0.2-0.3 us on j60/j120, measured the same way.
NATIVE_GA_COST = 0.3e-6
#: The wall time the search in C takes, as a share of its count times `NATIVE_GA_COST`: its
#: two searches run side by side, so 0.42-0.55 measured on j30, j60 and j120 (quiet 2-core
#: machine). With `HEURISTIC_COST` it sizes CP-SAT's work to the time the searches before it
#: are expected to leave, so that the work limit, not the clock, ends CP-SAT as before.
NATIVE_GA_WALL = 0.5
#: Seconds per schedule per activity of the rules and samples, justification included:
#: 16-40 us measured on j30, j60 (non-delay samples) and j120.
HEURISTIC_COST = 40e-6


def _default_genetic(n: int, time_limit: float, *, native: bool = False) -> int:
    # A count of schedules (`GA_COST` each per activity) so that reruns agree. From ~50
    # activities a genetic search over activity lists improves a plan more per second than
    # CP-SAT does (measured on PSPLIB j60/j120): about 70% of the time, the window search and
    # CP-SAT share the rest. On plans of 20-50 activities CP-SAT alone stalls on the hard ones
    # (1 of 26 j30 instances it had missed in 1 s came right, against 10 with a genetic search
    # first), but it still proves most plans optimal: there the search gets about half, and
    # the search in C two thirds, since CP-SAT then searches on both cores (`solve_full_pair`;
    # 38 hardest j30 at 0.75 s, seeds 0-5: 222 of 228 optima against 220 with half).
    # Above 1,000 activities a schedule costs a tenth of a second and five times more of them
    # found nothing on the 10,000-task benchmark (942 periods either way): a sixth of the
    # time, as before the decoders got faster, and the rest stays as margin.
    if n < GA_MIN_ACTIVITIES:
        return 0  # CP-SAT closes these at once
    small = 0.65 if native else 0.5
    share = small if n <= LNS_MIN_ACTIVITIES else 0.7 if n <= 1000 else 0.175
    count = int(share * time_limit / ((NATIVE_GA_COST if native else GA_COST) * n))
    # On small plans the search has found what it will by a few thousand schedules (j30:
    # 1,500 -> 2,500 -> 8,000 found 10, 11, 13 of 26 hard optima): with a long time limit the
    # rest goes to CP-SAT, which may prove the plan optimal and return early. The search in
    # C restarts a population that has stopped improving, so it keeps finding more.
    if native or n > LNS_MIN_ACTIVITIES:
        return count
    return min(count, SMALL_GA_CAP)


SMALL_GA_CAP = 3000


GA_MIN_ACTIVITIES = 20


def _default_workers(n: int) -> int:
    # Measured on PSPLIB: one worker proves small plans optimal fastest. Up to 150 activities
    # one worker without the LP (`cpsat.solve_full`) also finds shorter plans than two
    # interleaved ones: from the same genetic hints, +1.34% against +1.55% above the best
    # known on j60 in 0.5 s, +2.97% against +3.17% on j120 in 1.6 s; through `level` +1.09%
    # against +1.27% (j60) and +2.74% against +2.99% (j120), default samples, load 2.5-5 on
    # 2 shared cores, where a second worker mostly competes for a core. Larger plans keep two
    # (not measured there). More than two buys nothing on a 2-core machine.
    return 1 if n <= ONE_WORKER_MAX_ACTIVITIES else 2


ONE_WORKER_MAX_ACTIVITIES = 150


def _heuristic_method(best: Candidate) -> Method:
    if best.rule == "genetic":
        return Method.GENETIC
    if best.improved:
        return Method.JUSTIFICATION
    return Method.SAMPLING if best.rule == Rule.SAMPLING.value else Method.PRIORITY_RULE


def _resource_feasible(net: Network, starts: list[int]) -> bool:
    prof = Profile(net.cap.tolist(), makespan(net, starts) + 1)
    for j in range(net.n):
        prof.place(net.uses[j], starts[j], net.dur[j])
    return not prof.overloaded()


def _bounds_message(problem: ProblemData, net: Network) -> str:
    late = [j for j in range(net.n) if net.es[j] > net.lsmax[j]]
    names = ", ".join(problem.label(j) for j in late[:5])
    return f"links and dates alone make these start after their latest start: {names}"


def _empty(net: Network, status: LevelingStatus, began: float, message: str) -> LevelingResult:
    return LevelingResult(
        status=status,
        starts=(),
        makespan=None,
        lower_bound=net.lower_bound,
        method=Method.NONE,
        rule=None,
        early_starts=tuple(net.es),
        message=message,
        seconds=time.perf_counter() - began,
    )
