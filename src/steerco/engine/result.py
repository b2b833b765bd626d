"""What a schedule run returns. Shared by the CPM engine, the MSPDI writer and the services."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import FrozenInstanceError, dataclass, field
from datetime import datetime
from enum import Enum


class DriverKind(str, Enum):
    PROJECT_START = "project_start"
    PREDECESSOR = "predecessor"
    CONSTRAINT = "constraint"
    ACTUAL = "actual"
    STATUS_DATE = "status_date"
    CALENDAR = "calendar"
    MANUAL = "manual"
    PARENT = "parent"
    PROJECT_FINISH = "project_finish"
    LEVELING = "leveling"


@dataclass(frozen=True, slots=True)
class Driver:
    """Why a task starts when it does. `task_uid`/`link` are set for a predecessor driver."""

    kind: DriverKind
    explanation: str
    task_uid: int | None = None
    link: str | None = None


class TaskTimes:
    """One task's computed dates, slack and driver. Immutable, compared by value.

    `driver` may be given as a function that works it out on first use: the file-to-file
    path (`steerco schedule FILE.xml`) writes no driver, and explaining 100,000 of them
    costs more than the passes. The function must only read state nobody changes later.
    """

    __slots__ = (
        "_driver",
        "critical",
        "early_finish",
        "early_start",
        "finish",
        "free_slack",
        "late_finish",
        "late_start",
        "start",
        "total_slack",
        "uid",
    )
    uid: int
    start: datetime
    finish: datetime
    early_start: datetime
    early_finish: datetime
    late_start: datetime
    late_finish: datetime
    total_slack: int  # working minutes; negative means a constraint or deadline is missed
    free_slack: int
    critical: bool
    _driver: Driver | Callable[[], Driver]

    def __init__(
        self,
        uid: int,
        start: datetime,
        finish: datetime,
        early_start: datetime,
        early_finish: datetime,
        late_start: datetime,
        late_finish: datetime,
        total_slack: int,
        free_slack: int,
        critical: bool,
        driver: Driver | Callable[[], Driver],
    ) -> None:
        put = object.__setattr__
        put(self, "uid", uid)
        put(self, "start", start)
        put(self, "finish", finish)
        put(self, "early_start", early_start)
        put(self, "early_finish", early_finish)
        put(self, "late_start", late_start)
        put(self, "late_finish", late_finish)
        put(self, "total_slack", total_slack)
        put(self, "free_slack", free_slack)
        put(self, "critical", critical)
        put(self, "_driver", driver)

    @property
    def driver(self) -> Driver:
        got = self._driver
        if not isinstance(got, Driver):
            got = got()
            object.__setattr__(self, "_driver", got)
        return got

    def _key(self) -> tuple[object, ...]:
        return (
            self.uid,
            self.start,
            self.finish,
            self.early_start,
            self.early_finish,
            self.late_start,
            self.late_finish,
            self.total_slack,
            self.free_slack,
            self.critical,
            self.driver,
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, TaskTimes)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in _TIMES_FIELDS)
        return f"TaskTimes({inner})"

    def __reduce__(self) -> tuple[type[TaskTimes], tuple[object, ...]]:
        return (TaskTimes, self._key())  # copy and pickle: __setattr__ refuses the default

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


_TIMES_FIELDS = (
    "uid",
    "start",
    "finish",
    "early_start",
    "early_finish",
    "late_start",
    "late_finish",
    "total_slack",
    "free_slack",
    "critical",
    "driver",
)


class ScheduleStatus(str, Enum):
    OK = "ok"
    CONFLICT = "conflict"  # scheduled, but some constraint or deadline gives negative slack


@dataclass(frozen=True, slots=True)
class ScheduleConflict:
    task_uid: int
    message: str
    slack: int


@dataclass(frozen=True, slots=True)
class ScheduleResult:
    status: ScheduleStatus
    start: datetime
    finish: datetime
    tasks: Mapping[int, TaskTimes]
    critical_path: list[int]
    near_critical: list[int] = field(default_factory=list)
    conflicts: list[ScheduleConflict] = field(default_factory=list)
    # Split tasks only: each pause as (end of the work before it, start of the work after).
    pauses: Mapping[int, tuple[tuple[datetime, datetime], ...]] = field(default_factory=dict)

    def work_spans(self, task_uid: int) -> list[tuple[datetime, datetime]]:
        """When a scheduled task is at work: from start to finish, less a split task's pauses
        (nobody is booked while it pauses)."""
        times = self.tasks[task_uid]
        edges = [times.start, *(t for pause in self.pauses.get(task_uid, ()) for t in pause)]
        edges.append(times.finish)
        return list(zip(edges[::2], edges[1::2], strict=True))
