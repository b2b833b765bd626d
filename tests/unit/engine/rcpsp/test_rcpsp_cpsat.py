"""CP-SAT on the whole plan: the split search (afresh, then hinted) keeps what the hint had."""

import numpy as np

from steerco.engine.rcpsp import LinkType, ProblemBuilder
from steerco.engine.rcpsp.cpsat import CpLimits, CpStatus, solve_full, solve_full_split
from steerco.engine.rcpsp.heuristics import run_heuristics
from steerco.engine.rcpsp.network import compile_network
from steerco.engine.rcpsp.sgs import is_valid, makespan


def _net(n=24, seed=2):
    rng = np.random.default_rng(seed)
    b = ProblemBuilder()
    rs = [b.add_resource(int(rng.integers(2, 5))) for _ in range(3)]
    for _ in range(n):
        b.add_activity(int(rng.integers(1, 6)), {r: int(rng.integers(0, 3)) for r in rs})
    for k in range(1, n):
        for j in rng.choice(k, size=min(k, 2), replace=False).tolist():
            b.add_link(j, k, LinkType.FS)
    return compile_network(b.build())


def _hint(net):
    best, _, _, _ = run_heuristics(net, np.random.default_rng(0), 0, 0)
    return best.starts


def test_split_search_never_returns_a_longer_plan_than_the_hint():
    net = _net()
    hint = _hint(net)
    out = solve_full_split(net, hint, makespan(net, hint), CpLimits(10.0, 5.0, 1, 0))
    assert out.starts is not None
    assert is_valid(net, out.starts)
    assert makespan(net, out.starts) <= makespan(net, hint)
    assert out.bound <= makespan(net, out.starts)
    assert out.status is CpStatus.OPTIMAL  # small enough to prove


def test_split_search_is_reproducible_under_a_work_limit():
    net = _net(n=40, seed=5)
    hint = _hint(net)
    limits = CpLimits(20.0, 0.05, 1, 3)
    first = solve_full_split(net, hint, makespan(net, hint), limits)
    second = solve_full_split(net, hint, makespan(net, hint), limits)
    assert first == second


def test_a_fresh_search_stays_within_the_known_finish():
    net = _net()
    hint = _hint(net)
    out = solve_full(net, hint, makespan(net, hint), CpLimits(10.0, 5.0, 1, 0), hinted=False)
    assert out.starts is not None
    assert is_valid(net, out.starts)
    assert makespan(net, out.starts) <= makespan(net, hint)
