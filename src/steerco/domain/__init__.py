"""Entities and value objects. Pure: no I/O, no clock, no framework."""

from steerco.domain.calendar import (
    Calendar,
    CalendarException,
    DayPattern,
    Recurrence,
    RecurrenceType,
    WorkingTime,
    WorkWeek,
)
from steerco.domain.dependency import Dependency, LinkType
from steerco.domain.duration import Duration, Lag, TimeUnit, WorkTime
from steerco.domain.errors import (
    Conflict,
    DependencyCycle,
    ImportRejected,
    NotFound,
    PermissionDenied,
    SteercoError,
    ValidationError,
)
from steerco.domain.project import Methodology, Project
from steerco.domain.records import ProjectSummary, ScheduledDates
from steerco.domain.resource import Assignment, CostRate, Resource, ResourceKind
from steerco.domain.task import ConstraintType, Task, TaskType

__all__ = [
    "Assignment",
    "Calendar",
    "CalendarException",
    "Conflict",
    "ConstraintType",
    "CostRate",
    "DayPattern",
    "Dependency",
    "DependencyCycle",
    "Duration",
    "ImportRejected",
    "Lag",
    "LinkType",
    "Methodology",
    "NotFound",
    "PermissionDenied",
    "Project",
    "ProjectSummary",
    "Recurrence",
    "RecurrenceType",
    "Resource",
    "ResourceKind",
    "ScheduledDates",
    "SteercoError",
    "Task",
    "TaskType",
    "TimeUnit",
    "ValidationError",
    "WorkTime",
    "WorkWeek",
    "WorkingTime",
]
