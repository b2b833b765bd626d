"""`explain=False` (the file-to-file path) works each driver out on first use, to the same
result as the eager run; TaskTimes stays immutable and compared by value."""

from __future__ import annotations

import copy
import pickle
from dataclasses import FrozenInstanceError
from datetime import datetime

import pytest

from steerco.domain import ConstraintType, Dependency, Duration, Lag, LinkType, Project, Task
from steerco.engine import schedule
from steerco.engine.report import TimesOnDemand
from steerco.engine.result import DriverKind, TaskTimes


def _plan() -> Project:
    project = Project(name="Plan", key="PL", start=datetime(2026, 1, 5, 8))
    project.tasks += [
        Task(uid=1, name="Design", duration=Duration(960)),
        Task(uid=2, name="Build", duration=Duration(480)),
        Task(
            uid=3,
            name="Launch",
            duration=Duration(0),
            constraint=ConstraintType.SNET,
            constraint_date=datetime(2026, 1, 20, 8),
        ),
    ]
    project.add_dependency(Dependency(1, 2, LinkType.FS, Lag.parse("1d")))
    project.add_dependency(Dependency(2, 3, LinkType.FS, Lag()))
    return project


def test_lazy_drivers_equal_the_eager_ones() -> None:
    eager = schedule(_plan())
    lazy = schedule(_plan(), explain=False)
    assert lazy == eager
    assert lazy.tasks[2].driver.kind is DriverKind.PREDECESSOR
    assert lazy.tasks[2].driver.task_uid == 1
    assert "'Design'" in lazy.tasks[2].driver.explanation
    assert lazy.tasks[3].driver == eager.tasks[3].driver
    assert lazy.tasks[3].driver.kind is DriverKind.CONSTRAINT


def test_task_times_stay_immutable_values() -> None:
    times: TaskTimes = schedule(_plan(), explain=False).tasks[2]
    with pytest.raises(FrozenInstanceError):
        times.start = datetime(2026, 1, 1)  # type: ignore[misc]
    assert copy.deepcopy(times) == times
    assert pickle.loads(pickle.dumps(times)) == times
    assert hash(times) == hash(schedule(_plan()).tasks[2])
    assert "driver=Driver(" in repr(times)


def test_times_on_demand_work_each_task_out_once_when_read() -> None:
    made: list[int] = []
    real = schedule(_plan()).tasks

    def make(i: int) -> TaskTimes:
        made.append(i)
        return real[i + 1]

    tasks = TimesOnDemand([1, 2, 3], make)
    assert made == [] and len(tasks) == 3 and list(tasks) == [1, 2, 3]
    assert tasks[2] is real[2] and tasks.get(2) is real[2] and made == [1]
    assert tasks.get(9) is None and 9 not in tasks
    with pytest.raises(KeyError):
        tasks[9]
    copied = pickle.loads(pickle.dumps(tasks))
    assert type(copied) is dict and copied == real and sorted(made) == [0, 1, 2]


def test_a_file_run_works_times_out_on_demand() -> None:
    lazy = schedule(_plan(), explain=False)
    assert isinstance(lazy.tasks, TimesOnDemand)
    assert isinstance(schedule(_plan()).tasks, dict)
