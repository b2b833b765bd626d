"""The parallel SGS starts what fits at each decision time and leaves nothing idle."""

from steerco.engine.rcpsp import ProblemBuilder
from steerco.engine.rcpsp.network import compile_network
from steerco.engine.rcpsp.parallel import parallel
from steerco.engine.rcpsp.sgs import forward, is_valid, list_from_keys


def _plan():
    # Ana (1 unit) has three tasks; "Build" may only start after "Wait" (no resource).
    b = ProblemBuilder()
    ana = b.add_resource(1, "Ana")
    wait = b.add_activity(3, {}, name="Wait")
    b.add_activity(2, {ana: 1}, name="Spec")
    b.add_activity(2, {ana: 1}, name="Review")
    build = b.add_activity(2, {ana: 1}, name="Build")
    b.add_link(wait, build)
    return compile_network(b.build())


def test_a_task_that_fits_now_is_not_kept_waiting():
    net = _plan()
    keys = [(0.0, 0.0), (1.0, 1.0), (3.0, 2.0), (2.0, 3.0)]  # Build is preferred to Review
    # The serial SGS places Build at 3 (its list comes first) and Review only after it;
    # the parallel SGS starts Review at 2, when Spec ends, since Build may not start yet.
    assert forward(net, list_from_keys(net, keys)) == [0, 0, 5, 3]
    assert parallel(net, keys) == [0, 0, 2, 4]


def test_never_delay_tasks_stay_put_and_others_work_around_them():
    b = ProblemBuilder()
    ana = b.add_resource(1, "Ana")
    fixed = b.add_activity(2, {ana: 1}, release=1, priority=1000, name="Fixed")
    other = b.add_activity(2, {ana: 1}, name="Other")
    net = compile_network(b.build())
    starts = parallel(net, [(0.0, 0.0), (0.0, 1.0)], [fixed])
    assert starts[fixed] == 1
    assert starts[other] == 3
    assert is_valid(net, starts)


def test_non_delay_samples_are_valid_and_reproducible():
    import numpy as np

    from steerco.engine.rcpsp.heuristics import run_heuristics

    rng = np.random.default_rng(5)
    b = ProblemBuilder()
    rs = [b.add_resource(int(rng.integers(2, 5))) for _ in range(3)]
    for _ in range(30):
        b.add_activity(int(rng.integers(1, 6)), {r: int(rng.integers(0, 3)) for r in rs})
    for k in range(1, 30):
        for j in rng.choice(k, size=min(k, 2), replace=False).tolist():
            b.add_link(j, k)
    net = compile_network(b.build())

    def run():
        return run_heuristics(net, np.random.default_rng(7), 10, 2, non_delay=True)

    first = run()
    pool = first[3]
    assert len(pool) == 15  # five rules, then ten non-delay samples (no plan at the bound)
    assert all(is_valid(net, c.starts) for c in pool)
    assert run() == first
