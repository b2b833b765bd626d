import copy
from dataclasses import fields
from datetime import datetime

from steerco.domain import ConstraintType, Duration, Task


def test_copy_is_a_shallow_copy_of_every_field() -> None:
    task = Task(uid=7, name="Build", duration=Duration.parse("3d"), milestone=False,
                start=datetime(2026, 1, 5, 8), constraint=ConstraintType.SNET,
                constraint_date=datetime(2026, 1, 6, 8), notes="n", extras=["<X/>"],
                leveling_delay=Duration.parse("2ed"), version=5)
    copied = task.copy()
    assert copied is not task
    for f in fields(Task):  # version too, which equality leaves out
        assert getattr(copied, f.name) is getattr(task, f.name), f.name
    assert copied == copy.copy(task)
    copied.finish = datetime(2026, 1, 8, 17)
    assert task.finish is None  # the original keeps its values
