"""The scheduling graph's order: the plan's own row order when every link runs forward in
it, else a graph search; either way every node follows what it depends on."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from steerco.domain import DependencyCycle
from steerco.engine.graph import _outline_order, topological_order


class Edge(NamedTuple):
    pred: int


# Rows: 0 summary (1, 2 under it), 3 a task after it.
SUMMARY = [True, False, False, False]
PARENT = [-1, 0, 0, -1]
CHILDREN = [[1, 2], [], [], []]
NAMES = ["Phase", "A", "B", "C"]


def order(preds: list[list[Edge]]) -> list[int]:
    return topological_order(4, SUMMARY, PARENT, CHILDREN, preds, names=NAMES)


def follows(got: list[int], preds: list[list[Edge]]) -> bool:
    at = {node: k for k, node in enumerate(got)}
    n = 4
    edges = [(n + p.pred if SUMMARY[p.pred] else p.pred, s) for s in range(n) for p in preds[s]]
    edges += [(0, 1), (0, 2), (1, n + 0), (2, n + 0)]  # the summary's entry and exit
    return all(at[a] < at[b] for a, b in edges) and sorted(got) == [0, 1, 2, 3, 4]


def test_forward_links_keep_the_row_order_with_each_exit_after_its_subtasks() -> None:
    preds: list[list[Edge]] = [[], [], [Edge(1)], [Edge(0)]]  # A -> B, Phase -> C
    assert _outline_order(4, SUMMARY, PARENT, preds) == [0, 1, 2, 4, 3]
    assert order(preds) == [0, 1, 2, 4, 3]


def test_a_backward_link_takes_the_graph_search() -> None:
    preds: list[list[Edge]] = [[], [Edge(2)], [], [Edge(1)]]  # B -> A, A -> C
    assert _outline_order(4, SUMMARY, PARENT, preds) is None
    got = order(preds)
    assert follows(got, preds) and got.index(2) < got.index(1)


def test_a_link_from_a_summary_into_its_own_subtask_is_a_cycle() -> None:
    with pytest.raises(DependencyCycle):
        order([[], [Edge(0)], [], []])
