"""Leveling small hand-made plans whose optimum is known."""

import pytest

from steerco.domain.errors import ValidationError
from steerco.engine.rcpsp import (
    NEVER_DELAY,
    LevelingStatus,
    LinkType,
    Method,
    ProblemBuilder,
    SolveParams,
    level,
    violations,
)

FAST = SolveParams(time_limit=2.0, samples=5)


def two_on_one_person(**second):
    b = ProblemBuilder()
    ana = b.add_resource(1, "Ana")
    first = b.add_activity(3, {ana: 1}, name="Spec", priority=second.pop("first_priority", 500))
    other = b.add_activity(2, {ana: 1}, name="Review", **second)
    return b, first, other


def test_no_conflict_keeps_the_cpm_plan():
    b = ProblemBuilder()
    r = b.add_resource(2)
    b.add_activity(3, {r: 1})
    b.add_activity(3, {r: 1})
    res = level(b.build(), FAST)
    assert res.status is LevelingStatus.OPTIMAL
    assert res.method is Method.NONE
    assert res.starts == (0, 0)
    assert res.explanations == ()


def test_one_person_two_tasks_and_the_explanation():
    b, first, other = two_on_one_person()
    res = level(b.build(), FAST)
    assert res.status is LevelingStatus.OPTIMAL
    assert res.makespan == 5
    (why,) = res.explanations
    delayed = why.activity
    blocker = first if delayed == other else other
    assert why.delay == res.starts[delayed] == why.resource_delay
    assert why.predecessor_delay == 0
    (conflict,) = why.conflicts
    assert conflict.resource == 0
    assert conflict.activities == (blocker,)
    assert (conflict.start, conflict.end) == (0, res.starts[delayed])


def test_priority_decides_who_waits():
    b, first, other = two_on_one_person(priority=900)
    res = level(b.build(), FAST)
    assert res.starts[other] == 0 and res.starts[first] == 2


def test_never_delay_priority_is_kept_at_early_start():
    b, first, other = two_on_one_person(release=1, priority=NEVER_DELAY)
    res = level(b.build(), FAST)
    assert res.starts[other] == 1
    assert res.starts[first] == 3
    assert res.status is LevelingStatus.OPTIMAL


def test_impossible_deadline_is_infeasible():
    b, _, _ = two_on_one_person(deadline=2, first_priority=NEVER_DELAY)
    res = level(b.build(), FAST)
    assert res.status is LevelingStatus.INFEASIBLE
    assert res.starts == () and res.makespan is None


def test_within_slack_only_cannot_push_the_finish():
    b, _, _ = two_on_one_person()
    res = level(b.build(), SolveParams(time_limit=2.0, samples=5, within_slack=True))
    assert res.status is LevelingStatus.INFEASIBLE


def test_within_slack_uses_the_slack_there_is():
    b = ProblemBuilder()
    ana = b.add_resource(1, "Ana")
    long = b.add_activity(6, name="Build")
    spec = b.add_activity(2, {ana: 1}, name="Spec")
    docs = b.add_activity(2, {ana: 1}, name="Docs")
    b.add_link(spec, long, LinkType.SS)
    res = level(b.build(), SolveParams(time_limit=2.0, within_slack=True))
    assert res.makespan == 6
    assert sorted((res.starts[spec], res.starts[docs])) in ([0, 2],)


def test_all_link_types_with_lags_hold_and_the_optimum_is_found():
    # Known optimum 9: a capacity-1 resource forces the three 3-period tasks in sequence.
    b = ProblemBuilder()
    r = b.add_resource(1)
    a, c, d = (b.add_activity(3, {r: 1}) for _ in range(3))
    m = b.add_activity(0)
    b.add_link(a, c, LinkType.SS, 1)
    b.add_link(c, d, LinkType.FF, 2)
    b.add_link(a, m, LinkType.SF, 4)
    problem = b.build()
    res = level(problem, FAST)
    assert violations(problem, list(res.starts)) == []
    assert res.makespan == 9
    assert res.status is LevelingStatus.OPTIMAL


def test_chain_delay_is_explained_by_the_predecessor():
    b = ProblemBuilder()
    ana = b.add_resource(1, "Ana")
    x = b.add_activity(2, {ana: 1}, name="X", priority=900)
    y = b.add_activity(2, {ana: 1}, name="Y")
    z = b.add_activity(1, {ana: 1}, name="Z")
    b.add_link(y, z)
    res = level(b.build(), FAST)
    assert res.starts[x] == 0 and res.starts[y] == 2
    why = res.explanation(z)
    assert why is not None
    assert why.predecessor_delay == 2 and why.driving_predecessor == y
    assert why.resource_delay == 0


def test_same_seed_same_plan():
    b = ProblemBuilder()
    rs = [b.add_resource(2) for _ in range(2)]
    acts = [
        b.add_activity(1 + j % 4, {rs[j % 2]: 1 + j % 2, rs[(j + 1) % 2]: 1}) for j in range(14)
    ]
    for j in range(2, 14):
        b.add_link(acts[j // 3], acts[j])
    p = b.build()
    params = SolveParams(time_limit=5.0, seed=3, samples=20)
    assert level(p, params) == level(p, params)


def _grid(n=60, seed=5):
    import random

    rnd = random.Random(seed)
    b = ProblemBuilder()
    rs = [b.add_resource(rnd.randint(2, 4)) for _ in range(3)]
    for _ in range(n):
        b.add_activity(rnd.randint(1, 5), {r: rnd.randint(0, 2) for r in rs})
    for k in range(1, n):
        for j in rnd.sample(range(k), min(k, 2)):
            b.add_link(j, k, rnd.choice(list(LinkType)), rnd.randint(-1, 2))
    return b.build()


def test_window_search_keeps_plans_valid():
    p = _grid()
    res = level(p, SolveParams(time_limit=3.0, samples=2, cp_max_activities=10))
    assert res.has_plan
    assert violations(p, list(res.starts)) == []
    assert res.makespan <= res.baseline_makespan


def test_cp_stage_is_reproducible_under_a_work_limit():
    # Below the window-search size and with no genetic search: CP-SAT alone, on its work limit.
    p = _grid(n=40, seed=3)
    params = SolveParams(
        time_limit=20.0, seed=1, samples=2, deterministic_limit=0.05, lns_share=0.1,
        genetic_schedules=0,
    )  # fmt: skip
    first, second = level(p, params), level(p, params)
    assert first == second
    assert first.method is Method.CP_SAT  # the stage under test really ran
    assert violations(p, list(first.starts)) == []


def test_the_budget_not_the_time_limit_sizes_the_search():
    # A caller that spent measured time before the search (the command's start-up, reading a
    # file) passes what is left as the limit and an estimate as the budget: the plan must not
    # depend on the time that was measured.
    p = _grid(n=40, seed=3)
    first = level(p, SolveParams(time_limit=3.0, budget=1.0, seed=1))
    second = level(p, SolveParams(time_limit=6.0, budget=1.0, seed=1))
    assert first.schedules == second.schedules
    assert (first.starts, first.status) == (second.starts, second.status)
    # ... and the budget is what sizes it: without one the limit does.
    assert level(p, SolveParams(time_limit=3.0, seed=1)).schedules != first.schedules


def test_a_budget_must_be_positive():
    with pytest.raises(ValidationError):
        SolveParams(budget=0)
