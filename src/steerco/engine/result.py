"""What a schedule run returns. Shared by the CPM engine, the MSPDI writer and the services."""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True, slots=True)
class TaskTimes:
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
    driver: Driver


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
    tasks: dict[int, TaskTimes]
    critical_path: list[int]
    near_critical: list[int] = field(default_factory=list)
    conflicts: list[ScheduleConflict] = field(default_factory=list)
