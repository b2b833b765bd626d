"""Resource leveling of real plans: stored projects and MS Project files.

`level_project` schedules the plan with the CPM engine, turns it into an integer leveling
problem (services/leveling_model.py), solves it with engine.rcpsp, and writes the result back
the way MS Project does: as a *leveling delay* on each moved task, chosen so that rescheduling
with the engine gives exactly the leveled dates. The leveled plan is then checked minute by
minute from its dates (services/leveling_check.py) before anything is returned or stored.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from steerco.domain import Duration, Project, Task, TimeUnit, ValidationError
from steerco.engine.cpm import compute
from steerco.engine.delays import fit_delays
from steerco.engine.rcpsp import LevelingResult, SolveParams, level
from steerco.engine.rcpsp.network import compile_network
from steerco.engine.rcpsp.solve import level_nothing
from steerco.engine.rcpsp.splitting import Pause, split_fill
from steerco.engine.report import build_result
from steerco.engine.result import ScheduleResult
from steerco.engine.snapshot import Snapshot, build_snapshot
from steerco.interop.mspdi.task_splits import leveling_can_split
from steerco.services.leveling_check import check_leveled, first_overload
from steerco.services.leveling_clear import (
    DELAY_TAGS,
    ClearedLeveling,
    Run,
    clear_delay,
    clear_leveling,
    store,
)
from steerco.services.leveling_model import LevelingModel, build_model, fixed_reason, unleveled
from steerco.services.leveling_text import SplitTask, explain_delay, explain_splits, format_work
from steerco.services.scheduling import take_dates

if TYPE_CHECKING:
    from steerco.services.accounts import Actor
    from steerco.services.ports import UnitOfWorkFactory

#: Wall seconds for one plan by default: enough for CP-SAT to prove most plans of a few dozen
#: tasks optimal and to get within a few per cent on a few hundred (see docs/resources.md).
DEFAULT_TIME_LIMIT = 5.0


class LevelingFailed(ValidationError):
    """Leveling found no plan that keeps every date limit (or could not verify one)."""


@dataclass(frozen=True, slots=True)
class DelayedTask:
    uid: int
    name: str
    delay_minutes: int  # working minutes on the task's calendar, from its unleveled start
    delay_text: str  # "3d"
    start_before: datetime
    start_after: datetime
    explanation: str  # "delayed 3d: Ana over-allocated 12-14 Jan by Task 42"


@dataclass(frozen=True, slots=True)
class LevelingOutcome:
    project: Project
    result: ScheduleResult  # the leveled schedule
    finish_before: datetime
    delayed: tuple[DelayedTask, ...]
    status: str  # optimal (proven shortest) or feasible
    # Where one pass of the latest-finish priority rule (what commercial tools do) would end.
    baseline_finish: datetime
    period_minutes: int
    exact: bool
    seconds: float
    split: tuple[SplitTask, ...] = ()  # tasks leveling split (only when asked to)
    # Work resources with assignments whose Can Level is off: left as booked, on purpose.
    unleveled: tuple[str, ...] = ()


def level_project(
    project: Project,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = 0,
    within_slack: bool = False,
    status_date: datetime | None = None,
    split: bool = False,
    budget: float | None = None,
) -> LevelingOutcome:
    """Level `project` in place: set leveling delays and the leveled dates on its tasks.

    With `split`, tasks whose "leveling can split" flag is on may also be split (MS Project's
    "leveling can create splits in remaining work"): see `engine/rcpsp/splitting.py`.
    `budget` (default `time_limit`) is what the search's counts are sized to (`SolveParams`):
    the time this function spends before and after the search comes off it as an estimate
    from the plan's size, and off `time_limit` as measured, so the same plan, seed and
    limits give the same result however long the preparation took."""
    began = time.perf_counter()
    if time_limit <= 0:
        raise ValidationError("the time limit must be more than 0 seconds")
    if not project.schedule_from_start:
        raise ValidationError("leveling a plan scheduled from its finish date is not supported")
    status_date = status_date or project.status_date
    _clear_delays(project)
    splittable = _clear_splits(project) if split else set()
    snap = build_snapshot(project)
    state = compute(snap, status_date=status_date)
    before = build_result(state, near_critical=2 * project.work_time.minutes_per_day)
    priorities = {t.uid: t.priority for t in project.tasks}
    model = build_model(project, state, priorities)
    # What follows the search (delays, a reschedule, the check) must fit in the limit too.
    after_search = 0.02 + 5e-5 * snap.size
    left = max(0.05, time_limit - (time.perf_counter() - began) - after_search)
    # Preparing the model took 4-10 ms up to 120 tasks; the same rate per task as after.
    planned = (time_limit if budget is None else budget) - 2 * after_search
    params = SolveParams(
        time_limit=left, seed=seed, within_slack=within_slack, budget=max(0.05, planned)
    )
    if first_overload(project, {snap.uids[i] for i in model.tasks}, before) is None:
        # Nobody is over-allocated. The engine would see the same unless a split task's
        # pauses make room: it holds such a task busy through them (one piece per activity).
        solved = level_nothing(model.problem)
    else:
        solved = level(model.problem, params)
    if not solved.has_plan:
        raise LevelingFailed(f"leveling found no plan: {solved.message or solved.status.value}")

    cal0 = snap.calendars[0]
    starts = solved.starts
    pauses: dict[int, tuple[Pause, ...]] = {}
    if splittable and model.exact:
        # Whole periods of the project calendar only: then a pause in periods is a pause in
        # working minutes that the passes reproduce exactly.
        allowed = [
            model.movable[k] and snap.uids[i] in splittable and snap.cal[i] == 0
            for k, i in enumerate(model.tasks)
        ]
        plan = split_fill(compile_network(model.problem), solved.starts, allowed)
        starts, pauses = plan.starts, plan.pauses
    targets: dict[int, datetime] = {}
    for k, i in enumerate(model.tasks):
        # A split task always gets its start: a finish-to-finish or start-to-finish link
        # takes its whole span (pauses too) off the predecessor's date, so without a delay
        # the engine would start it earlier than planned.
        if model.movable[k] and (starts[k] > solved.early_starts[k] or k in pauses):
            targets[i] = cal0.start_at(model.offset(starts[k]))
    new_splits = {
        model.tasks[k]: tuple((p.done * model.period, p.length * model.period) for p in ps)
        for k, ps in pauses.items()
    }
    cleared = {t.uid: (t.leveling_delay, list(t.extras)) for t in project.tasks}

    def apply() -> tuple[Snapshot, ScheduleResult]:
        for task in project.tasks:
            task.leveling_delay, task.extras = cleared[task.uid][0], list(cleared[task.uid][1])
        by_uid = {t.uid: t for t in project.tasks}  # `Project.task` scans the list
        base = snap
        if new_splits:
            for i, parts in new_splits.items():
                by_uid[snap.uids[i]].splits = parts
            base = build_snapshot(project)  # successors' early dates see the shorter spans
        for i, minutes in fit_delays(base, targets, status_date=status_date).items():
            _set_delay(by_uid[snap.uids[i]], minutes)
        done = build_snapshot(project)
        near = 2 * project.work_time.minutes_per_day
        return done, build_result(compute(done, status_date=status_date), near_critical=near)

    after_snap, after = apply()
    # Where the periods were approximate (other calendars, elapsed time), the real dates can
    # still overlap: the later task then waits for the earlier one, until none overlap.
    movable = {snap.uids[i] for k, i in enumerate(model.tasks) if model.movable[k]}
    live = {snap.uids[i] for i in model.tasks}
    index = {uid: i for i, uid in enumerate(snap.uids)}
    give_up = began + 1.5 * time_limit + 1.0
    while time.perf_counter() < give_up:
        found = first_overload(project, live, after)
        if found is None:
            break
        users = found[2]
        waiting = [u for u in users if u in movable]
        if not waiting:
            break
        mover = max(waiting, key=lambda u: (after.tasks[u].start, -priorities[u], u))
        others = [after.tasks[u].finish for u in users if u != mover]
        if not others:
            break
        targets[index[mover]] = max(min(others), after.tasks[mover].start)
        after_snap, after = apply()
    problems = check_leveled(project, after_snap, before, after)
    if problems:
        raise LevelingFailed(f"the leveled plan failed its check: {problems[0]}")
    take_dates(project, after)
    delayed = _delayed(project, snap, model, solved, before, after)
    split_tasks = explain_splits(snap, model, pauses, after)
    return LevelingOutcome(
        project=project,
        result=after,
        finish_before=before.finish,
        delayed=delayed,
        status=solved.status.value,
        baseline_finish=(
            after.finish
            if solved.baseline_makespan is None  # nothing was over-allocated
            else cal0.finish_at(model.offset(solved.baseline_makespan))
        ),
        period_minutes=model.period,
        exact=model.exact,
        seconds=time.perf_counter() - began,
        split=split_tasks,
        unleveled=_unleveled(project),
    )


def _unleveled(project: Project) -> tuple[str, ...]:
    booked = {a.resource_uid for a in project.assignments if a.units > 0}
    return tuple(r.name for r in unleveled(project) if r.uid in booked)


def _clear_splits(project: Project) -> set[int]:
    """The tasks leveling may split, their splits cleared: as MS Project's "clear leveling
    values before leveling", leveling decides their pauses afresh."""
    out: set[int] = set()
    for task in project.tasks:
        if task.outline_level > 0 and not task.summary and leveling_can_split(task):
            task.splits = ()
            out.add(task.uid)
    return out


def _clear_delays(project: Project) -> None:
    """MS Project's "clear leveling values before leveling": every delay starts from 0."""
    for task in project.tasks:
        clear_delay(task)


def _set_delay(task: Task, minutes: int) -> None:
    # Elapsed days, MS Project's default format: exact on any calendar.
    task.leveling_delay = Duration(minutes, TimeUnit.DAY, elapsed=True)
    task.extras = [f for f in task.extras if not f.startswith(DELAY_TAGS)]


def _delayed(
    project: Project,
    snap: Snapshot,
    model: LevelingModel,
    solved: LevelingResult,
    before: ScheduleResult,
    after: ScheduleResult,
) -> tuple[DelayedTask, ...]:
    activity_of = {i: k for k, i in enumerate(model.tasks)}
    # `LevelingResult.explanation` scans the list: once per delayed task was quadratic.
    why_of = {e.activity: e for e in solved.explanations}
    out: list[DelayedTask] = []
    for i in model.tasks:
        uid = snap.uids[i]
        old, new = before.tasks[uid], after.tasks[uid]
        if new.start <= old.start:
            continue
        cal = snap.calendars[snap.cal[i]]
        minutes = cal.offset(new.start) - cal.offset(old.start)
        text = format_work(minutes, project.work_time.minutes_per_day)
        why = why_of.get(activity_of[i])
        out.append(
            DelayedTask(
                uid=uid,
                name=snap.names[i],
                delay_minutes=minutes,
                delay_text=text,
                start_before=old.start,
                start_after=new.start,
                explanation=explain_delay(text, why, model, snap),
            )
        )
    out.sort(key=lambda d: (d.start_after, d.uid))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class LeveledFile:
    outcome: LevelingOutcome
    output: bytes


def reading_estimate(size: int) -> float:
    """Seconds to read MS Project XML of `size` bytes: 4-14 ms measured for the 36-120 kB
    PSPLIB plans, which is up to 0.1 us per byte."""
    return 0.003 + 1e-7 * size


def level_file(
    data: bytes,
    *,
    max_bytes: int,
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = 0,
    within_slack: bool = False,
    split: bool = False,
    budget: float | None = None,
) -> LeveledFile:
    """Read MS Project XML, level it, and write it back with leveled dates and delays, all
    within `time_limit` wall seconds (as far as the search can be cut short). `budget` as in
    `level_project`: reading and writing come off it as an estimate from the file's size."""
    from steerco.interop.mspdi import read_mspdi, write_mspdi

    began = time.perf_counter()
    project = read_mspdi(data, max_bytes=max_bytes)
    # `time_limit` covers reading and writing; writing takes about as long as reading did.
    reading = time.perf_counter() - began
    left = max(0.1, time_limit - 2 * reading)
    planned = (time_limit if budget is None else budget) - 2 * reading_estimate(len(data))
    outcome = level_project(
        project,
        time_limit=left,
        seed=seed,
        within_slack=within_slack,
        split=split,
        budget=max(0.1, planned),
    )
    return LeveledFile(outcome, write_mspdi(project, outcome.result))


def clear_file(data: bytes, *, max_bytes: int, split: bool = False) -> ClearedFile:
    """Read MS Project XML, clear its leveling (`leveling_clear.clear_leveling`) and write it
    back with the delays at zero and the dates they give."""
    from steerco.interop.mspdi import read_mspdi, write_mspdi

    project = read_mspdi(data, max_bytes=max_bytes)
    outcome = clear_leveling(project, split=split)
    return ClearedFile(outcome, write_mspdi(project, outcome.result))


@dataclass(frozen=True, slots=True)
class ClearedFile:
    outcome: ClearedLeveling
    output: bytes


def level_stored(
    uow_factory: UnitOfWorkFactory,
    ref: str,
    *,
    actor: Actor,
    now: datetime,
    time_limit: float = DEFAULT_TIME_LIMIT,
    seed: int = 0,
    within_slack: bool = False,
    split: bool = False,
) -> LevelingOutcome:
    """Level a stored project (by key or id) and save its leveling delays and dates, in one
    transaction. Leveling rewrites task dates and delays, so it needs the right to write
    tasks, checked like every other project use case (`services.access`)."""
    # Imported here: the accounts services are not needed to level a file, whose command
    # starts in a fraction of a second.
    from steerco.domain.accounts import Action
    from steerco.services import access

    with access.project_unit(uow_factory, actor, ref, Action.TASK_WRITE, what="level") as (
        uow,
        project,
    ):
        delays = {t.uid: (t.leveling_delay, t.splits) for t in project.tasks}
        outcome = level_project(
            project, time_limit=time_limit, seed=seed, within_slack=within_slack, split=split
        )
        changed = {t.uid for t in project.tasks if (t.leveling_delay, t.splits) != delays[t.uid]}
        details = {
            "delayed": len(outcome.delayed),
            "split": len(outcome.split),
            "status": outcome.status,
        }
        run = Run("leveling.applied", actor, now, outcome.finish_before, details)
        store(uow, project, outcome.result, changed, run)
        project.finish = outcome.result.finish
        uow.commit()
    return outcome


__all__ = [
    "DEFAULT_TIME_LIMIT",
    "ClearedFile",
    "ClearedLeveling",
    "DelayedTask",
    "LeveledFile",
    "LevelingFailed",
    "LevelingOutcome",
    "SplitTask",
    "clear_file",
    "clear_leveling",
    "fixed_reason",
    "level_file",
    "level_project",
    "level_stored",
]
