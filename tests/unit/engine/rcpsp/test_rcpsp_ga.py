"""The genetic search keeps activity lists precedence-feasible and plans valid."""

import numpy as np

from steerco.engine.rcpsp import LinkType, ProblemBuilder
from steerco.engine.rcpsp.ga import _crossover, _mutate, evolve
from steerco.engine.rcpsp.heuristics import run_heuristics
from steerco.engine.rcpsp.network import compile_network
from steerco.engine.rcpsp.sgs import is_valid


def _problem():
    b = ProblemBuilder()
    r = b.add_resource(2)
    acts = [b.add_activity(1 + j % 3, {r: 1 + j % 2}) for j in range(12)]
    for j in range(3, 12):
        b.add_link(acts[j - 3], acts[j], LinkType.FS)
    return b.build()


def test_crossover_of_feasible_lists_is_feasible():
    net = compile_network(_problem())
    mother = list(range(12))
    father = [0, 1, 2, 5, 4, 3, 8, 7, 6, 11, 10, 9]
    for q1 in range(13):
        for q2 in range(q1, 13):
            child = _crossover(mother, father, q1, q2)
            pos = {j: i for i, j in enumerate(child)}
            assert sorted(child) == mother
            assert all(pos[j] < pos[k] for j in range(12) for k, _ in net.succ[j])


def test_mutation_moves_activities_and_keeps_the_list_feasible():
    net = compile_network(_problem())
    rng = np.random.default_rng(1)
    order = list(range(12))
    moved = far = 0
    for _ in range(200):
        before = order[:]
        _mutate(net, order, rng)
        pos = {j: i for i, j in enumerate(order)}
        assert sorted(order) == list(range(12))
        assert all(pos[j] < pos[k] for j in range(12) for k, _ in net.succ[j])
        moved += order != before
        far += max(abs(pos[j] - i) for i, j in enumerate(before)) > 1
    # Every activity here has room to move, so most draws shift one, many by more than a step.
    assert moved > 100
    assert far > 50


def test_evolve_returns_a_valid_plan_no_worse_than_its_seeds():
    net = compile_network(_problem())
    rng = np.random.default_rng(4)
    best, _, _, pool = run_heuristics(net, rng, 5, 2)
    evolved, used = evolve(net, pool, rng, schedules=50, fixed=[], wall_seconds=10.0)
    assert used >= 50
    assert is_valid(net, evolved.starts)
    assert evolved.makespan <= best.makespan
