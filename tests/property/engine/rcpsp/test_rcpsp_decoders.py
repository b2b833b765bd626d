"""The byte-profile decoders place every activity exactly where the list-profile ones do, and
the parallel SGS keeps every rule."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steerco.engine.rcpsp import LinkType, ProblemBuilder
from steerco.engine.rcpsp.byteprofile import decode_backward, decode_forward
from steerco.engine.rcpsp.network import compile_network
from steerco.engine.rcpsp.parallel import parallel
from steerco.engine.rcpsp.sgs import (
    Profile,
    backward_on_lists,
    fixed_activities,
    fixed_overload,
    forward_on_lists,
    list_from_keys,
    makespan,
)


@st.composite
def cases(draw):
    """A random plan (several resources, every link type, lags, releases, never-delay tasks)
    with random priority keys for the activity lists."""
    b = ProblemBuilder()
    m = draw(st.integers(1, 3))
    caps = [draw(st.integers(1, 12)) for _ in range(m)]
    for c in caps:
        b.add_resource(c)
    n = draw(st.integers(1, 14))
    for _ in range(n):
        demands = {r: draw(st.integers(0, caps[r])) for r in range(m)}
        b.add_activity(
            draw(st.integers(0, 6)),
            demands,
            release=draw(st.integers(0, 4)),
            priority=draw(st.sampled_from([500, 500, 500, 1000])),
        )
    for k in range(1, n):
        for j in draw(st.sets(st.integers(0, k - 1), max_size=3)):
            b.add_link(j, k, draw(st.sampled_from(list(LinkType))), draw(st.integers(-2, 3)))
    keys = [(draw(st.floats(0, 100)), float(j)) for j in range(n)]
    return b.build(), keys, draw(st.integers(-3, 3))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_byte_decoders_match_the_list_profile(case):
    problem, keys, slack = case
    net = compile_network(problem)
    fixed = fixed_activities(net)
    if fixed_overload(net, fixed):
        return  # the heuristics never decode these (only CP-SAT can say more)
    order = list_from_keys(net, keys)
    left = decode_forward(net, order, fixed)
    assert left == forward_on_lists(net, order, fixed)
    # Right-justify in finish order, at the same finish and at a tighter or looser one.
    back = list_from_keys(
        net,
        [(-float(s + d), float(j)) for j, (s, d) in enumerate(zip(left, net.dur, strict=True))],
        reverse=True,
    )
    horizon = makespan(net, left) + slack
    assert decode_backward(net, back, horizon, fixed) == backward_on_lists(
        net, back, horizon, fixed
    )


@settings(max_examples=200, deadline=None)
@given(cases())
def test_activity_lists_respect_every_link(case):
    problem, keys, _ = case
    net = compile_network(problem)
    # Random keys take the heap; keys from a schedule usually take the sorted shortcut.
    early = [(float(e), float(j)) for j, e in enumerate(net.es)]
    for reverse, by in ((False, keys), (True, keys), (False, early)):
        order = list_from_keys(net, by, reverse=reverse)
        pos = {j: i for i, j in enumerate(order)}
        assert sorted(order) == list(range(net.n))
        for j in range(net.n):
            for k, _ in net.succ[j]:
                assert (pos[j] > pos[k]) if reverse else (pos[j] < pos[k])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_parallel_sgs_keeps_links_releases_fixed_tasks_and_capacity(case):
    problem, keys, _ = case
    net = compile_network(problem)
    fixed = fixed_activities(net)
    if fixed_overload(net, fixed):
        return  # the heuristics never decode these (only CP-SAT can say more)
    starts = parallel(net, keys, fixed)
    assert starts == parallel(net, keys, fixed)  # no hidden state
    assert all(starts[j] == net.es[j] for j in fixed)
    assert all(s >= max(r, 0) for s, r in zip(starts, net.release, strict=True))
    # A link into a never-delay task holds only if its predecessor was not delayed: as for
    # the serial decoders, the hard latest starts (`meets_bounds`) are checked afterwards.
    free = [k not in fixed for k in range(net.n)]
    assert all(starts[k] >= starts[j] + d for j in range(net.n) for k, d in net.succ[j] if free[k])
    prof = Profile(net.cap.tolist(), makespan(net, starts) + 1)
    for j in range(net.n):
        prof.place(net.uses[j], starts[j], net.dur[j])
    assert not prof.overloaded()
