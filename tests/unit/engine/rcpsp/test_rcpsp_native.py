"""The genetic search in C (native.py, native_ga.c): valid plans on random problems with
every kind of link, releases, deadlines and pinned activities; no worse than its seeds;
reproducible; and the pure-Python search takes over when the library cannot be used."""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steerco.engine.rcpsp import LinkType, ProblemBuilder, SolveParams, level, native
from steerco.engine.rcpsp.heuristics import run_heuristics
from steerco.engine.rcpsp.network import compile_network
from steerco.engine.rcpsp.sgs import fixed_activities, is_valid
from tests.property.engine.rcpsp.test_rcpsp_properties import broken_rules, problems

needs_library = pytest.mark.skipif(
    not native.available(), reason="the C search is not built (make builds it; needs a C compiler)"
)


def test_make_builds_the_library_on_ci() -> None:
    # CI machines have a C compiler: there the fast path must really be the one tested.
    if not os.environ.get("CI"):
        pytest.skip("only asserted on CI, where `make test` has just built it")
    assert native.available()


# Big enough for the genetic search (from 20 activities), with pinned activities.
PLANS = problems(activities=30, resources=3, capacity=4, pinned=True)


def _searchable(p, rng, samples: int):
    """(network, best heuristic plan, plans to seed from), or None when there is nothing to
    search: dates that clash before resources count, or pinned activities that alone
    over-allocate."""
    net = compile_network(p)
    if not net.feasible_bounds:
        return None
    best, _, _, pool = run_heuristics(net, rng, samples, 2)
    return (net, best, pool) if pool else None


@needs_library
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PLANS, st.integers(0, 10))
def test_plans_keep_every_rule_and_are_no_worse_than_the_seeds(p, seed):
    rng = np.random.default_rng(seed)
    found = _searchable(p, rng, 12)  # more plans than the population
    if found is None:
        return
    net, best, pool = found
    fixed = fixed_activities(net)
    got = native.evolve_native(
        net, pool, rng, schedules=400, fixed=fixed, wall_seconds=10.0, population=8, stall=3
    )
    assert got is not None
    plan, used = got
    assert used >= 1
    assert all(plan.starts[j] == net.es[j] for j in fixed)
    if plan.feasible:
        assert broken_rules(p, plan.starts) == []
    else:  # a latest start is broken: then the plan is never used, as with ga.py
        assert any(s > b for s, b in zip(plan.starts, net.lsmax, strict=True))
    assert not best.better_than(plan)  # the best seed is in the first population


@needs_library
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PLANS, st.integers(0, 5))
def test_same_seed_same_plan(p, seed):
    found = _searchable(p, np.random.default_rng(0), 3)
    if found is None:
        return
    net, _, pool = found

    def run():
        return native.evolve_native(
            net, pool, np.random.default_rng(seed), schedules=300, fixed=fixed_activities(net),
            wall_seconds=10.0, population=6, stall=2,
        )  # fmt: skip

    assert run() == run()


def _tight(n: int = 40):
    """A tightly staffed plan: one team of 3, demands 1-3, chains of three."""
    b = ProblemBuilder()
    r = b.add_resource(3)
    acts = [b.add_activity(1 + j % 4, {r: 1 + j % 3}) for j in range(n)]
    for j in range(3, n):
        b.add_link(acts[j - 3], acts[j], LinkType.FS)
    return b.build()


@needs_library
def test_level_uses_it_and_both_searches_give_valid_plans() -> None:
    p = _tight()
    fast = level(p, SolveParams(time_limit=2, seed=3, use_cp=False))
    slow = level(p, SolveParams(time_limit=2, seed=3, use_cp=False, native=False))
    for res in (fast, slow):
        assert res.starts is not None and broken_rules(p, res.starts) == []
    assert fast.makespan is not None and slow.makespan is not None
    assert fast.makespan <= slow.makespan  # forty times the schedules: never worse here


def test_without_the_library_the_python_search_runs(monkeypatch) -> None:
    monkeypatch.setattr(native, "_library", lambda: None)
    assert not native.available()
    res = level(_tight(), SolveParams(time_limit=1, seed=1, use_cp=False))
    assert res.starts is not None and broken_rules(_tight(), res.starts) == []
    net = compile_network(_tight())
    pool = run_heuristics(net, np.random.default_rng(0), 2, 1)[3]
    got = native.evolve_native(
        net, pool, np.random.default_rng(0), schedules=10, fixed=[], wall_seconds=1.0
    )
    assert got is None


@needs_library
def test_a_plan_too_big_for_its_profile_is_left_to_python(monkeypatch) -> None:
    net = compile_network(_tight())
    pool = run_heuristics(net, np.random.default_rng(0), 2, 1)[3]
    monkeypatch.setattr(native, "MAX_CELLS", 10)
    assert (
        native.evolve_native(
            net, pool, np.random.default_rng(0), schedules=10, fixed=[], wall_seconds=1.0
        )
        is None
    )


@needs_library
def test_a_library_of_another_version_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(native, "VERSION", native.VERSION + 1)
    native._library.cache_clear()
    try:
        assert not native.available()
    finally:
        monkeypatch.undo()
        native._library.cache_clear()
    assert native.available()


@needs_library
def test_it_keeps_the_count_of_schedules_it_was_given() -> None:
    net = compile_network(_tight(60))
    rng = np.random.default_rng(2)
    pool = run_heuristics(net, rng, 3, 2)[3]
    got = native.evolve_native(
        net, pool, rng, schedules=2_000, fixed=[], wall_seconds=30.0, bound=0
    )
    assert got is not None
    plan, used = got
    assert 2_000 <= used < 2_000 + 60 * 9  # one generation's decodes past the count at most
    assert is_valid(net, plan.starts)


@needs_library
def test_searches_side_by_side_keep_the_best_and_stay_reproducible() -> None:
    net = compile_network(_tight(60))
    pool = run_heuristics(net, np.random.default_rng(5), 3, 2)[3]

    def run(threads: int):
        return native.evolve_native(
            net, pool, np.random.default_rng(9), schedules=1_500, fixed=[], wall_seconds=30.0,
            threads=threads,
        )  # fmt: skip

    two = run(2)
    assert two is not None and two == run(2)
    plan, used = two
    assert used >= 2 * 1_500  # each search had the whole count
    assert is_valid(net, plan.starts)
    # The first of the two searches starts from the same seed as a single search would.
    one = run(1)
    assert one is not None and not one[0].better_than(plan)


def test_threads_must_be_at_least_one() -> None:
    from steerco.domain import ValidationError

    with pytest.raises(ValidationError, match="genetic_threads"):
        SolveParams(genetic_threads=0)
