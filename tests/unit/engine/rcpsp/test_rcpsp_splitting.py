"""Leveling that may split: each splittable activity fills the earliest free periods."""

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from steerco.domain.errors import ValidationError
from steerco.engine.rcpsp import LinkType, ProblemBuilder, SolveParams, level
from steerco.engine.rcpsp.network import compile_network
from steerco.engine.rcpsp.splitting import Pause, split_fill


def review_and_build(link: LinkType | None = None):
    """Review (1 period, pinned at period 2) and Build (4 periods), both need all of Ana."""
    b = ProblemBuilder()
    ana = b.add_resource(1, "Ana")
    b.add_activity(1, {ana: 1}, release=2, latest_start=2, name="Review")
    b.add_activity(4, {ana: 1}, name="Build")
    if link is not None:
        b.add_activity(1, {}, name="Ship")
        b.add_link(1, 2, link)
    return compile_network(b.build())


def test_a_splittable_activity_pauses_around_a_pinned_one() -> None:
    net = review_and_build()
    plan = split_fill(net, [2, 3], [False, True])  # Build after Review: 3..7
    assert plan.starts == (2, 0) and plan.finishes == (3, 5)
    assert plan.pauses == {1: (Pause(start=2, length=1, done=2, blockers=(0,)),)}


def test_an_activity_that_may_not_split_stays_in_one_piece() -> None:
    net = review_and_build()
    plan = split_fill(net, [2, 3], [False, False])
    assert plan.starts == (2, 3) and plan.finishes == (3, 7) and plan.pauses == {}


def test_a_successor_stays_behind_the_split_finish() -> None:
    net = review_and_build(LinkType.FS)
    plan = split_fill(net, [2, 3, 7], [False, True, True])
    assert plan.finishes[1] == 5 and plan.starts[2] == 7  # successors are not pulled in


def test_a_successor_that_may_split_follows_the_new_finish() -> None:
    # Ship (one period) may split too, but has nothing to split: it still waits for Build.
    net = review_and_build(LinkType.FS)
    plan = split_fill(net, [2, 3, 7], [False, True, False])
    assert plan.starts[2] == 7


@st.composite
def problems(draw):
    b = ProblemBuilder()
    caps = draw(st.lists(st.integers(1, 3), min_size=1, max_size=2))
    res = [b.add_resource(c) for c in caps]
    n = draw(st.integers(2, 8))
    for _ in range(n):
        needs = {r: draw(st.integers(0, caps[r])) for r in res}
        # Some activities are pinned to a period: the others must wait, or pause, around them.
        pin = draw(st.none() | st.integers(0, 6))
        b.add_activity(
            draw(st.integers(0, 4)),
            {r: q for r, q in needs.items() if q},
            release=pin or 0,
            latest_start=pin,
        )
    for _ in range(draw(st.integers(0, 2 * n))):
        p, s = sorted(draw(st.lists(st.integers(0, n - 1), min_size=2, max_size=2, unique=True)))
        b.add_link(p, s, draw(st.sampled_from(list(LinkType))), draw(st.integers(-1, 2)))
    try:
        problem = b.build()
    except ValidationError:  # links that push a pinned activity past its period
        assume(False)
    return problem, draw(st.lists(st.booleans() | st.just(True), min_size=n, max_size=n))


@settings(max_examples=150, deadline=None)
@given(problems())
def test_filling_never_overloads_never_breaks_a_link_and_never_ends_later(case) -> None:
    problem, splittable = case
    solved = level(problem, SolveParams(time_limit=0.5, use_cp=False, samples=3))
    assume(solved.has_plan)  # pinned activities that clash
    net = compile_network(problem)
    plan = split_fill(net, solved.starts, splittable)
    worked = []
    for j in range(net.n):
        pauses = plan.pauses.get(j, ())
        idle = {p.start + k for p in pauses for k in range(p.length)}
        periods = [t for t in range(plan.starts[j], plan.finishes[j]) if t not in idle]
        assert len(periods) == net.dur[j]  # all of the work, none of it twice
        assert plan.finishes[j] <= solved.starts[j] + net.dur[j]  # never later than whole
        assert plan.starts[j] >= net.es[j]
        if not splittable[j]:
            assert plan.starts[j] == solved.starts[j] and not pauses
        worked.append(set(periods))
    for link in problem.links:  # each link as its type reads, with the split dates
        p, s = link.pred, link.succ
        ref = plan.finishes[p] if link.type in (LinkType.FS, LinkType.FF) else plan.starts[p]
        mine = plan.finishes[s] if link.type in (LinkType.FF, LinkType.SF) else plan.starts[s]
        assert mine >= ref + link.lag, (link, plan)
    for t in range(max(plan.finishes, default=0)):
        for r in range(net.m):
            load = sum(net.demand[j, r] for j in range(net.n) if t in worked[j])
            assert load <= net.cap[r]
