"""What a task edit is: the fields it changes (`TaskChanges`), how they are checked and
applied to a task (`apply_changes`), and what an edit hands back (`Changed`). Shared by
`services.planning` (every edit) and `services.edit_queue` (the group-committed duration
edits), so both paths validate and apply a change the same way."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from steerco.domain import (
    Assignment,
    ConstraintType,
    Duration,
    Project,
    Task,
    ValidationError,
    effort,
)
from steerco.domain.duration import TimeUnit, WorkTime
from steerco.engine.cpm import DEFAULT_NEAR_CRITICAL, ScheduleState
from steerco.engine.report import build_result
from steerco.engine.result import ScheduleResult

# About 40 working years: far beyond any plan, and small enough that the engine's calendar
# walk stays quick. Without a bound, "99999999d" would keep a request busy for minutes.
MAX_MINUTES = 40 * 260 * 480


class Changed:
    """A changed task with its project as stored after the change: adapters present it
    without loading the project a second time. `result` is the schedule the change
    produced, when known; after a cached edit it is built on first use (the API's answer
    never needs it, the web grid's does)."""

    __slots__ = ("_result", "_state", "project", "task")

    def __init__(
        self,
        project: Project,
        task: Task,
        result: ScheduleResult | None = None,
        *,
        state: ScheduleState | None = None,
    ) -> None:
        self.project = project
        self.task = task
        self._result = result
        self._state = state

    @property
    def result(self) -> ScheduleResult | None:
        if self._result is None and self._state is not None:
            self._result = build_result(self._state, near_critical=DEFAULT_NEAR_CRITICAL)
        return self._result


@dataclass(frozen=True, slots=True)
class TaskChanges:
    """Fields of one task to change; `None` leaves a field as it is."""

    name: str | None = None
    duration: str | None = None
    milestone: bool | None = None
    constraint: ConstraintType | None = None
    constraint_date: datetime | None = None
    deadline: datetime | None = None
    notes: str | None = None
    percent_complete: int | None = None
    predecessors: str | None = None  # the whole list, as typed: "3,5FS+2d"
    splits: str | None = None  # "2d+1d, 4d+2d" (see `parse_splits`); "" joins the task again

    def named(self) -> list[str]:
        """The fields this change sets, for the field-level permission check."""
        return [f.name for f in fields(self) if getattr(self, f.name) is not None]

    def duration_only(self) -> bool:
        """A new duration and nothing else: the edit `services.edit_queue` handles."""
        return self.duration is not None and all(
            getattr(self, f.name) is None for f in fields(self) if f.name != "duration"
        )


def check_duration(text: str, work_time: WorkTime) -> Duration:
    duration = Duration.parse(text, work_time)
    if duration.minutes > MAX_MINUTES:
        raise ValidationError(f"duration {text!r} is too long")
    return duration


MAX_SPLITS = 100


def parse_splits(text: str, work_time: WorkTime) -> tuple[tuple[int, int], ...]:
    """Pauses as a project manager types them: "2d+1d" pauses for 1 day after 2 days of
    work; "2d+1d, 4d+2d" pauses again for 2 days once 4 days of work are done."""
    out: list[tuple[int, int]] = []
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) > MAX_SPLITS:
        raise ValidationError(f"at most {MAX_SPLITS} pauses")
    for part in parts:
        done, plus, pause = part.partition("+")
        if not plus:
            raise ValidationError(f"a pause is WORK+PAUSE, such as 2d+1d, not {part!r}")
        a, b = check_duration(done, work_time), check_duration(pause, work_time)
        if a.elapsed or b.elapsed:
            raise ValidationError("pauses are in working time: 2d+1d, not elapsed days")
        out.append((a.minutes, b.minutes))
    return tuple(out)


def format_splits(splits: tuple[tuple[int, int], ...], work_time: WorkTime) -> str:
    """`parse_splits` the other way round."""

    def text(minutes: int) -> str:
        whole_days = minutes % work_time.minutes_per_day == 0
        return Duration(minutes, TimeUnit.DAY if whole_days else TimeUnit.HOUR).format(work_time)

    return ", ".join(f"{text(done)}+{text(pause)}" for done, pause in splits)


def work_follows(project: Project, old: Task, task: Task) -> list[Assignment]:
    """MS Project's work formula after a duration edit (`effort.change_duration`): each
    assignment's work follows the new duration (fixed units, fixed duration) or its units do
    (fixed work), and the task's work is their sum. The new assignments replace the old ones
    in `project`; returns those that changed, for the caller to store."""
    if task.duration.minutes == old.duration.minutes:
        return []
    mine = [a for a in project.assignments if a.task_uid == task.uid]
    if not mine:
        return []
    effect = effort.change_duration(old, mine, task.duration.minutes)
    new = {a.uid: a for a in effect.assignments}
    changed = [a for a in effect.assignments if a not in mine]
    project.assignments = [
        new.get(a.uid, a) if a.task_uid == task.uid else a for a in project.assignments
    ]
    task.work_minutes = sum(a.work_minutes or 0 for a in effect.assignments)
    return changed


def apply_changes(project: Project, task: Task, changes: TaskChanges) -> None:
    """Apply `changes` to `task` and re-validate it; raises before `task` is written."""
    if changes.name is not None:
        task.name = changes.name
    if changes.duration is not None:
        task.duration = check_duration(changes.duration, project.work_time)
    if changes.milestone is not None:
        task.milestone = changes.milestone
        if changes.milestone and changes.duration is None:
            task.duration = Duration(0)
    if task.milestone and task.duration.minutes:
        raise ValidationError("a milestone has no duration: use 0d")
    if changes.constraint is not None:
        task.constraint = changes.constraint
        if not task.constraint.needs_date:
            task.constraint_date = None
    if changes.constraint_date is not None:
        task.constraint_date = changes.constraint_date
    if changes.deadline is not None:
        task.deadline = changes.deadline
    if changes.notes is not None:
        task.notes = changes.notes
    if changes.percent_complete is not None:
        task.percent_complete = changes.percent_complete
    if changes.splits is not None:
        task.splits = parse_splits(changes.splits, project.work_time)
    task.__post_init__()  # re-validate the edited row before it is written
