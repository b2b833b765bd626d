"""The leveling problem validates itself and reduces all four link types to one arc."""

import pytest

from steerco.domain.errors import DependencyCycle, ValidationError
from steerco.engine.rcpsp import Activity, Link, LinkType, ProblemBuilder, ProblemData, Resource
from steerco.engine.rcpsp.network import compile_network


def test_links_become_start_to_start_lags():
    # pred lasts 5, succ lasts 2
    assert Link(0, 1, LinkType.FS, 1).start_lag(5, 2) == 6
    assert Link(0, 1, LinkType.SS, 1).start_lag(5, 2) == 1
    assert Link(0, 1, LinkType.FF, 1).start_lag(5, 2) == 4
    assert Link(0, 1, LinkType.SF, 1).start_lag(5, 2) == -1


def test_cycle_names_the_activities():
    b = ProblemBuilder()
    a, c, d = (b.add_activity(1, name=n) for n in ("Design", "Build", "Test"))
    b.add_link(a, c)
    b.add_link(c, d)
    b.add_link(d, c, LinkType.SS)
    with pytest.raises(DependencyCycle) as err:
        b.build()
    assert err.value.tasks == ["Build", "Test", "Build"]


def test_demand_above_capacity_is_rejected_up_front():
    b = ProblemBuilder()
    r = b.add_resource(2, "Ana")
    b.add_activity(3, {r: 3}, name="Migrate")
    with pytest.raises(ValidationError, match="Migrate needs 3 of Ana"):
        b.build()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"duration": -1},
        {"duration": 1, "priority": 1001},
        {"duration": 1, "release": -2},
        {"duration": 1, "demands": {0: -1}},
    ],
)
def test_bad_activity_fields(kwargs):
    with pytest.raises(ValidationError):
        Activity(**kwargs)


def test_deadline_before_release_is_rejected():
    with pytest.raises(ValidationError, match="latest start"):
        ProblemData((Activity(3, release=5, deadline=6),), ())


def test_unknown_resource_and_activity():
    with pytest.raises(ValidationError, match="unknown resource"):
        ProblemData((Activity(1, {1: 1}),), (Resource(1),))
    with pytest.raises(ValidationError, match="unknown activity"):
        ProblemData((Activity(1),), (), (Link(0, 3),))


def test_network_bounds():
    b = ProblemBuilder()
    r = b.add_resource(1)
    x = b.add_activity(4, {r: 1})
    y = b.add_activity(4, {r: 1}, release=1)
    b.add_link(x, y, LinkType.SS, 1)
    net = compile_network(b.build())
    assert net.es == [0, 1]
    assert net.cpm_makespan == 5
    assert net.lower_bound == 8  # resource energy: 8 periods of work on a capacity of 1


def test_units_in_thousandths_reduce_to_the_same_problem():
    """The services count units in thousandths; the network divides them back out per
    resource, so the fast byte decoders apply and the leveled plan is the same."""
    from steerco.engine.rcpsp import SolveParams, level

    def plan(scale: int):
        b = ProblemBuilder()
        people = b.add_resource(3 * scale)
        half = b.add_resource(scale)  # tasks below take half of this one
        for j in range(8):
            b.add_activity(1 + j % 3, {people: (1 + j % 2) * scale, half: scale // 2})
        b.add_link(0, 5, LinkType.FS)
        return b.build()

    units, thousandths = compile_network(plan(2)), compile_network(plan(1000))
    assert thousandths.cap.tolist() == units.cap.tolist() == [3, 2]
    assert thousandths.demand.tolist() == units.demand.tolist()
    params = SolveParams(time_limit=2.0, seed=3)
    assert level(plan(1000), params).starts == level(plan(2), params).starts
