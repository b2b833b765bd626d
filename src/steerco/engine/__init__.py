"""Pure scheduling: calendars, the critical path method, and (in rcpsp/) resource leveling."""

from steerco.engine.calendar import CompiledCalendar, compile_calendar
from steerco.engine.cpm import ScheduleState, compute, schedule, schedule_snapshot
from steerco.engine.incremental import Rescheduler
from steerco.engine.snapshot import Snapshot, build_snapshot

__all__ = [
    "CompiledCalendar",
    "Rescheduler",
    "ScheduleState",
    "Snapshot",
    "build_snapshot",
    "compile_calendar",
    "compute",
    "schedule",
    "schedule_snapshot",
]
