"""PSPLIB `.sm` parsing, and leveling real j30 instances to their known optimum."""

import csv

import pytest

from steerco.domain.errors import ImportRejected
from steerco.engine.rcpsp import LevelingStatus, LinkType, SolveParams, level, violations
from steerco.interop.psplib import data_root, instance_key, load_bounds, parse_sm, read_sm

SMALL = """\
************************************************************************
file with basedata            : tiny.bas
************************************************************************
projects                      :  1
jobs (incl. supersource/sink ):  4
horizon                       :  9
RESOURCES
  - renewable                 :  1   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PROJECT INFORMATION:
pronr.  #jobs rel.date duedate tardcost  MPM-Time
    1      2      0        5        3        5
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           4
   4        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1
------------------------------------------------------------------------
  1      1     0       0
  2      1     3       2
  3      1     4       2
  4      1     0       0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1
    3
************************************************************************
"""

J30 = data_root() / "psplib" / "j30"
needs_data = pytest.mark.skipif(not J30.is_dir(), reason=f"PSPLIB data not found at {J30}")


def test_parse_small_file():
    inst = parse_sm(SMALL, name="tiny.sm")
    p = inst.problem
    assert inst.horizon == 9 and inst.due_date == 5
    assert [a.duration for a in p.activities] == [0, 3, 4, 0]
    assert dict(p.activities[2].demands) == {0: 2}
    assert p.resources[0].capacity == 3
    assert {(link.pred, link.succ) for link in p.links} == {(0, 1), (0, 2), (1, 3), (2, 3)}
    assert all(link.type is LinkType.FS and link.lag == 0 for link in p.links)


def test_level_small_file():
    res = level(parse_sm(SMALL).problem, SolveParams(time_limit=2.0))
    assert res.makespan == 7 and res.status is LevelingStatus.OPTIMAL


@pytest.mark.parametrize(
    "broken",
    [
        SMALL.replace(
            "   2        1          1           4", "   2        1          2           4"
        ),
        SMALL.replace("  3      1     4       2", "  3      1     x       2"),
        SMALL.replace("RESOURCEAVAILABILITIES:", "NOTHING:"),
        SMALL.replace(
            "   3        1          1           4", "   3        1          1           9"
        ),
    ],
)
def test_malformed_files_are_rejected(broken):
    with pytest.raises(ImportRejected):
        parse_sm(broken)


def test_instance_key_orders_naturally():
    names = ["j3010_2.sm", "j302_10.sm", "j302_9.sm", "j12010_1.sm"]
    assert sorted(names, key=instance_key) == [
        "j302_9.sm",
        "j302_10.sm",
        "j3010_2.sm",
        "j12010_1.sm",
    ]


@needs_data
def test_real_file_layout():
    inst = read_sm(J30 / "j3010_1.sm")
    assert inst.problem.num_activities == 32
    assert [r.capacity for r in inst.problem.resources] == [24, 23, 25, 33]
    assert load_bounds(J30)["j3010_1.sm"].ub == 42


@needs_data
@pytest.mark.parametrize("name", ["j301_1.sm", "j3033_1.sm", "j3037_1.sm"])
def test_real_j30_reaches_the_optimum(name):
    with (J30 / "optimum.csv").open() as fh:
        optimum = {row["problem"]: row["optimum"] for row in csv.DictReader(fh)}
    inst = read_sm(J30 / name)
    res = level(inst.problem, SolveParams(time_limit=3.0))
    assert violations(inst.problem, list(res.starts)) == []
    assert res.makespan == int(optimum[name])
    assert res.baseline_makespan is not None and res.baseline_makespan >= res.makespan
