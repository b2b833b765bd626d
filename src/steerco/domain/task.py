"""Tasks of a work breakdown structure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from operator import attrgetter
from typing import cast

from steerco.domain.duration import Duration, TimeUnit
from steerco.domain.errors import ValidationError


class ConstraintType(str, Enum):
    """MS Project's eight constraint types, in the order MSPDI numbers them (0..7)."""

    ASAP = "ASAP"
    ALAP = "ALAP"
    MSO = "MSO"
    MFO = "MFO"
    SNET = "SNET"
    SNLT = "SNLT"
    FNET = "FNET"
    FNLT = "FNLT"

    @property
    def needs_date(self) -> bool:
        return self not in (ConstraintType.ASAP, ConstraintType.ALAP)


class TaskType(str, Enum):
    FIXED_UNITS = "fixed_units"
    FIXED_DURATION = "fixed_duration"
    FIXED_WORK = "fixed_work"


MAX_NAME = 512


@dataclass(slots=True)
class Task:
    """One row of the WBS. Rows sit in display order; `outline_level` gives the tree.

    `uid` is the stable key inside a project (MS Project's UID). UID 0 at outline level 0 is
    the project summary row that MS Project files carry. `start` and `finish` hold the
    scheduled dates (for a manual task, the dates the user typed).
    """

    uid: int
    name: str
    outline_level: int = 1
    duration: Duration = field(default_factory=lambda: Duration(480))
    milestone: bool = False
    deliverable: bool = False
    manual: bool = False
    summary: bool = False
    start: datetime | None = None
    finish: datetime | None = None
    constraint: ConstraintType = ConstraintType.ASAP
    constraint_date: datetime | None = None
    deadline: datetime | None = None
    priority: int = 500
    notes: str = ""
    wbs: str | None = None
    percent_complete: int = 0
    actual_start: datetime | None = None
    actual_finish: datetime | None = None
    remaining_duration: Duration | None = None
    calendar_uid: int | None = None
    task_type: TaskType = TaskType.FIXED_UNITS
    effort_driven: bool = False
    ignore_resource_calendar: bool = False
    work_minutes: int | None = None
    cost: int | None = None
    fixed_cost: int | None = None
    # How long leveling holds the task back after its links and constraints allow it to
    # start (MS Project's Leveling Delay; elapsed days by default). None: the file had none.
    leveling_delay: Duration | None = None
    # Interruptions, as MS Project's split tasks have them: (working minutes of the
    # duration done before the pause, working minutes the pause lasts), in order. The
    # duration does not count the pauses; the finish does.
    splits: tuple[tuple[int, int], ...] = ()
    extras: list[str] = field(default_factory=list)
    version: int = field(default=0, compare=False)

    def __post_init__(self) -> None:
        self.name = self.name.strip() if self.uid != 0 else self.name
        if self.uid != 0 and not self.name:
            raise ValidationError("a task needs a name")
        if len(self.name) > MAX_NAME:
            raise ValidationError(f"a task name is at most {MAX_NAME} characters")
        if self.uid < 0:
            raise ValidationError("a task uid cannot be negative")
        if self.outline_level < (0 if self.uid == 0 else 1):
            raise ValidationError(f"task {self.name!r}: outline level must be 1 or more")
        if not 0 <= self.priority <= 1000:
            raise ValidationError(f"task {self.name!r}: priority runs from 0 to 1000")
        if not 0 <= self.percent_complete <= 100:
            raise ValidationError(f"task {self.name!r}: percent complete runs from 0 to 100")
        if self.constraint.needs_date and self.constraint_date is None:
            raise ValidationError(
                f"task {self.name!r}: a {self.constraint.value} constraint needs a date"
            )
        if self.milestone and self.duration.minutes and self.duration.unit is TimeUnit.PERCENT:
            raise ValidationError("a milestone cannot have a percent duration")
        if (
            self.actual_start is not None
            and self.actual_finish is not None
            and self.actual_finish < self.actual_start
        ):
            raise ValidationError(f"task {self.name!r}: actual finish is before actual start")
        check_splits(self.name, self.duration, self.splits)

    @property
    def split_minutes(self) -> int:
        """Working minutes of the pauses that fall inside the duration (see `splits`)."""
        return 0 if self.duration.elapsed else pauses_within(self.duration.minutes, self.splits)

    def copy(self) -> Task:
        """A shallow copy, not validated again (a copy of a valid task is valid). A tenth of
        what `copy.copy` costs (it goes through `__reduce_ex__`): an edit copies every task
        whose dates it moves, so that results already handed out keep their values."""
        return _copy_task(self)


def live_splits(minutes: int, splits: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """The pauses that fall inside a duration of `minutes`."""
    # A pause at or after the end of the duration pauses nothing: shortening a split task
    # leaves such pauses behind, and lengthening it again brings them back, as in MS Project.
    return tuple((done, gap) for done, gap in splits if 0 < done < minutes)


def pauses_within(minutes: int, splits: tuple[tuple[int, int], ...]) -> int:
    """Working minutes of the pauses inside a duration of `minutes`."""
    return sum(gap for _, gap in live_splits(minutes, splits))


def check_splits(name: str, duration: Duration, splits: tuple[tuple[int, int], ...]) -> None:
    if not splits:
        return
    if duration.elapsed:
        raise ValidationError(f"task {name!r}: an elapsed duration cannot be split")
    last = 0
    for done, gap in splits:
        if done <= last:
            raise ValidationError(f"task {name!r}: each split must come after the one before it")
        if gap <= 0:
            raise ValidationError(f"task {name!r}: a split pause must last some working time")
        last = done


def _task_copier() -> Callable[[Task], Task]:
    # Written out from the slots, as dataclasses writes `__init__`, so that a field added
    # to Task is never left out of its copies.
    lines = "".join(f"    new.{name} = task.{name}\n" for name in Task.__slots__)
    namespace = {"new_object": object.__new__, "Task": Task}
    exec(f"def copy(task):\n    new = new_object(Task)\n{lines}    return new\n", namespace)  # noqa: S102
    return cast(Callable[[Task], Task], namespace["copy"])


_copy_task = _task_copier()


# A task as a plain tuple of its fields and back, for handing tasks between processes: a
# tuple of ints, strings, enums and shared datetimes pickles in C, several times faster than
# the dataclass (whose slots state goes through Python-level __getstate__/__setstate__).
task_values: Callable[[Task], tuple[object, ...]] = cast(
    Callable[[Task], tuple[object, ...]], attrgetter(*Task.__slots__)
)


def _task_builder() -> Callable[[tuple[object, ...]], Task]:
    # Written out from the slots, like `_task_copier`. Not validated again: the values are
    # those of a valid task (see `task_values`).
    lines = "".join(f"    new.{name} = values[{i}]\n" for i, name in enumerate(Task.__slots__))
    namespace = {"new_object": object.__new__, "Task": Task}
    exec(f"def build(values):\n    new = new_object(Task)\n{lines}    return new\n", namespace)  # noqa: S102
    return cast(Callable[[tuple[object, ...]], Task], namespace["build"])


task_from_values = _task_builder()
