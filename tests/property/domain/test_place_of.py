"""`Project.place_of` says of one task what `outline_numbers()` and `parents()` say."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from steerco.domain import Project, Task


@given(st.lists(st.integers(1, 4), min_size=1, max_size=25))
def test_place_of_matches_the_whole_plan_maps(levels: list[int]) -> None:
    # Any level sequence, including jumps of more than one level (as files may carry).
    tasks = [Task(uid=0, name="Project", outline_level=0)]
    tasks += [Task(uid=i + 1, name=f"T{i + 1}", outline_level=lv) for i, lv in enumerate(levels)]
    project = Project(name="P", key="PP", start=datetime(2026, 1, 5, 8), tasks=tasks)
    numbers, parents = project.outline_numbers(), project.parents()
    for task in project.tasks:
        assert project.place_of(task.uid) == (numbers[task.uid], parents[task.uid])
