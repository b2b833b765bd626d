import copy
from dataclasses import fields
from datetime import datetime

import pytest

from steerco.domain import ConstraintType, Duration, Task
from steerco.domain.errors import ValidationError


def test_copy_is_a_shallow_copy_of_every_field() -> None:
    task = Task(
        uid=7,
        name="Build",
        duration=Duration.parse("3d"),
        milestone=False,
        start=datetime(2026, 1, 5, 8),
        constraint=ConstraintType.SNET,
        constraint_date=datetime(2026, 1, 6, 8),
        notes="n",
        extras=["<X/>"],
        leveling_delay=Duration.parse("2ed"),
        version=5,
    )
    copied = task.copy()
    assert copied is not task
    for f in fields(Task):  # version too, which equality leaves out
        assert getattr(copied, f.name) is getattr(task, f.name), f.name
    assert copied == copy.copy(task)
    copied.finish = datetime(2026, 1, 8, 17)
    assert task.finish is None  # the original keeps its values


def test_splits_count_only_the_pauses_inside_the_duration() -> None:
    task = Task(uid=1, name="A", duration=Duration(2400), splits=((960, 480), (2400, 960)))
    assert task.split_minutes == 480  # the pause after the whole duration pauses nothing


@pytest.mark.parametrize(
    ("splits", "message"),
    [
        (((0, 480),), "after the one before"),
        (((960, 480), (960, 480)), "after the one before"),
        (((960, 480), (480, 480)), "after the one before"),
        (((960, 0),), "some working time"),
    ],
)
def test_bad_splits_are_refused(splits: tuple[tuple[int, int], ...], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Task(uid=1, name="A", duration=Duration(2400), splits=splits)


def test_an_elapsed_duration_cannot_be_split() -> None:
    with pytest.raises(ValidationError, match="elapsed"):
        Task(uid=1, name="A", duration=Duration(1440, elapsed=True), splits=((60, 60),))
