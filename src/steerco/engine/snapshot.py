"""An immutable, index-based view of a project, built once per schedule run.

Tasks are numbered 0..n-1 in outline order. Every date is an integer offset in the working
minutes of the task's own compiled calendar (index 0 is the project calendar, which most
tasks share, so most links need no conversion at all). Summary tasks get two graph nodes:
`i` (entered before their children, carrying the links *into* the summary down to them) and
`n + i` (left after their children, rolling their dates up for the summary's successors).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple

from steerco.domain.calendar import Calendar, standard_calendar
from steerco.domain.dependency import LinkType
from steerco.domain.project import Project
from steerco.domain.resource import ResourceKind
from steerco.domain.task import ConstraintType, Task, pauses_within
from steerco.engine.calendar import CompiledCalendar, DayRule, day_rule, intersect
from steerco.engine.gcpause import paused_gc
from steerco.engine.graph import topological_order

FS, SS, FF, SF = 0, 1, 2, 3
LINK_CODES = {LinkType.FS: FS, LinkType.SS: SS, LinkType.FF: FF, LinkType.SF: SF}
LINK_NAMES = ("FS", "SS", "FF", "SF")

# Lag kinds: working minutes on the successor's calendar, wall-clock minutes, or a share
# (in hundredths of a percent) of the predecessor's duration.
LAG_WORK, LAG_ELAPSED, LAG_PERCENT = 0, 1, 2

_WALL_DAY = ((0, 1440),)

ASAP, ALAP, MSO, MFO, SNET, SNLT, FNET, FNLT = range(8)
CONSTRAINT_CODES = {c: i for i, c in enumerate(ConstraintType)}


class Link(NamedTuple):
    """One link between two task numbers. A named tuple, not a frozen dataclass: a plan has
    hundreds of thousands of links, and a tuple is built in C (a third of the snapshot's
    time went into frozen-dataclass __init__); fields read as fast as slots."""

    pred: int
    succ: int
    type: int
    lag: int
    lag_kind: int = LAG_WORK
    text: str = ""


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything the passes need, as flat tuples indexed by task number."""

    uids: tuple[int, ...]
    names: tuple[str, ...]
    calendars: tuple[CompiledCalendar, ...]
    calendar_names: tuple[str, ...]
    cal: tuple[int, ...]
    # Working minutes from start to finish: the duration plus the pauses of a split task
    # (`paused`), which the passes treat as one block that moves as a whole.
    duration: tuple[int, ...]
    paused: tuple[int, ...]
    splits: tuple[tuple[tuple[int, int], ...], ...]
    elapsed: tuple[bool, ...]
    milestone: tuple[bool, ...]
    manual: tuple[bool, ...]
    summary: tuple[bool, ...]
    parent: tuple[int, ...]  # -1 at the top level
    children: tuple[tuple[int, ...], ...]
    constraint: tuple[int, ...]
    constraint_date: tuple[datetime | None, ...]
    deadline: tuple[datetime | None, ...]
    actual_start: tuple[datetime | None, ...]
    actual_finish: tuple[datetime | None, ...]
    remaining: tuple[int | None, ...]
    percent_complete: tuple[int, ...]
    # Leveling delay (MS Project's Leveling Delay): minutes added to the start after links,
    # constraints and the status date; wall-clock minutes when `delay_elapsed`. 0 for tasks
    # it does not apply to (summaries, manual or started tasks).
    delay: tuple[int, ...]
    delay_elapsed: tuple[bool, ...]
    manual_start: tuple[datetime | None, ...]
    manual_finish: tuple[datetime | None, ...]
    preds: tuple[tuple[Link, ...], ...]
    succs: tuple[tuple[Link, ...], ...]
    # Links into / out of a task's summary ancestors: they bind the task itself, as in MS
    # Project (a link on a summary applies to its subtasks).
    inherited_preds: tuple[tuple[Link, ...], ...]
    inherited_succs: tuple[tuple[Link, ...], ...]
    inherited_start: tuple[datetime | None, ...]  # the latest SNET/MSO date of its summaries
    leaves_under: tuple[tuple[int, ...], ...]  # for a summary: its non-summary descendants
    # Tasks whose pass is plain integer arithmetic: one calendar with all their links, working
    # lags, no constraint, actual, elapsed time or summary link (see forward/backward fast paths).
    plain_forward: tuple[bool, ...]
    plain_backward: tuple[bool, ...]
    order: tuple[int, ...]  # graph nodes in topological order (see the module docstring)
    project_start: datetime
    project_finish: datetime | None
    schedule_from_start: bool

    @property
    def size(self) -> int:
        return len(self.uids)

    def index(self, uid: int) -> int:
        return self.uids.index(uid)

    def with_duration(self, index: int, minutes: int) -> Snapshot:
        """The same plan with one task's duration changed (for incremental rescheduling)."""
        durations = list(self.duration)
        paused = list(self.paused)
        paused[index] = 0 if self.elapsed[index] else pauses_within(minutes, self.splits[index])
        durations[index] = minutes + paused[index]
        milestones = list(self.milestone)
        milestones[index] = minutes == 0
        return replace(
            self, duration=tuple(durations), paused=tuple(paused), milestone=tuple(milestones)
        )


@paused_gc()  # a million small objects for 100,000 tasks; see engine.gcpause
def build_snapshot(project: Project) -> Snapshot:
    """Index `project` for scheduling. Raises DependencyCycle if the links loop."""
    tasks = [t for t in project.tasks if t.outline_level > 0]
    pos = {t.uid: i for i, t in enumerate(tasks)}
    parent, children = _tree(tasks)
    summary = tuple(bool(c) for c in children)
    cals, cal_names, cal_index = _calendars(project, tasks)

    preds: list[list[Link]] = [[] for _ in tasks]
    succs: list[list[Link]] = [[] for _ in tasks]
    texts: dict[tuple[int, int], str] = {}
    new_link = tuple.__new__
    # Links the plain pass loops cannot take (see _plain), marked while the links are built
    # rather than in two more loops over them: into a task, and out of one.
    odd_in = [False] * len(tasks)
    odd_out = [False] * len(tasks)
    finished = [t.actual_finish is not None for t in tasks]
    for dep in project.dependencies:
        p, s = pos.get(dep.predecessor), pos.get(dep.successor)
        if p is None or s is None:
            continue  # a link to the project summary row or to another project
        lag = dep.lag
        if lag.percent is not None:
            kind, amount = LAG_PERCENT, round(lag.percent * 100)
        else:
            kind, amount = (LAG_ELAPSED if lag.elapsed else LAG_WORK), lag.minutes
        code = LINK_CODES[dep.type]
        # A plan has a few distinct (type, lag) pairs, and the reader shares equal Lag
        # objects: keyed by identity (every lag stays alive through this loop), no
        # dataclass __hash__ call per link.
        key = (code, id(lag))
        text = texts.get(key)
        if text is None:
            text = texts[key] = LINK_NAMES[code] + (
                "" if lag.is_zero else _signed(lag.format(project.work_time))
            )
        # tuple.__new__ straight: the named tuple's own __new__ is a Python function, and
        # calling it costs more than the tuple (200,000 links in the benchmark plan).
        link = new_link(Link, (p, s, code, amount, kind, text))
        preds[s].append(link)
        succs[p].append(link)
        if kind != LAG_WORK or summary[p] or summary[s] or cal_index[p] != cal_index[s]:
            odd_in[s] = odd_out[p] = True
        elif finished[s]:
            odd_out[p] = True

    inherited_preds: list[tuple[Link, ...]] = []
    inherited_succs: list[tuple[Link, ...]] = []
    inherited_start: list[datetime | None] = []
    # What a task inherits is its parent's own links and start constraint plus what the parent
    # inherits; parents come before their children, so each summary's share is worked out
    # once and shared (as immutable tuples) by all its children.
    shares: dict[int, tuple[tuple[Link, ...], tuple[Link, ...], datetime | None]] = {}
    for i in range(len(tasks)):
        p = parent[i]
        if p < 0:
            inherited_preds.append(())
            inherited_succs.append(())
            inherited_start.append(None)
            continue
        share = shares.get(p)
        if share is None:
            start = inherited_start[p]
            date = tasks[p].constraint_date
            if date is not None and tasks[p].constraint in (
                ConstraintType.SNET,
                ConstraintType.MSO,
            ):
                start = date if start is None else max(date, start)
            share = shares[p] = (
                (*preds[p], *inherited_preds[p]),
                (*succs[p], *inherited_succs[p]),
                start,
            )
        inherited_preds.append(share[0])
        inherited_succs.append(share[1])
        inherited_start.append(share[2])
    leaves_under: list[list[int]] = [[] for _ in tasks]
    for i in range(len(tasks)):
        if not summary[i]:
            p = parent[i]
            while p >= 0:
                leaves_under[p].append(i)
                p = parent[p]
    # Summaries live on a wall-clock calendar (every minute works), so rolling subtasks on
    # different calendars up into them, and reading them back, loses nothing.
    wall = len(cals)
    cals.append(CompiledCalendar(lambda _day: _WALL_DAY, project.start.date()))
    cal_names.append("wall clock")
    cal_index = [wall if summary[i] else c for i, c in enumerate(cal_index)]

    delay = [_delay_of(t, summary[i]) for i, t in enumerate(tasks)]
    plain_forward, plain_backward = _plain(tasks, summary, odd_in, odd_out)
    plain_forward = [
        p and not inherited_preds[i] and inherited_start[i] is None and not delay[i]
        for i, p in enumerate(plain_forward)
    ]
    # A delayed successor moves the limit it sets on its predecessors (see backward.py).
    delayed = any(delay)  # nearly always none: then no task needs its successors looked at
    plain_backward = [
        p and not inherited_succs[i] and (not delayed or not any(delay[lk.succ] for lk in succs[i]))
        for i, p in enumerate(plain_backward)
    ]

    order = topological_order(
        len(tasks), summary, parent, children, preds, names=[t.name for t in tasks]
    )

    def done(t: Task) -> int | None:
        if t.remaining_duration is not None:
            return t.remaining_duration.minutes
        return None

    paused = tuple(t.split_minutes if t.splits else 0 for t in tasks)
    return Snapshot(
        uids=tuple(t.uid for t in tasks),
        names=tuple(t.name for t in tasks),
        calendars=tuple(cals),
        calendar_names=tuple(cal_names),
        cal=tuple(cal_index),
        duration=tuple(t.duration.minutes + p for t, p in zip(tasks, paused, strict=True)),
        paused=paused,
        splits=tuple(t.splits for t in tasks),
        elapsed=tuple(t.duration.elapsed for t in tasks),
        milestone=tuple(t.milestone or t.duration.minutes == 0 for t in tasks),
        manual=tuple(t.manual for t in tasks),
        summary=summary,
        parent=tuple(parent),
        children=tuple(tuple(c) for c in children),
        constraint=tuple(CONSTRAINT_CODES[t.constraint] for t in tasks),
        constraint_date=tuple(t.constraint_date for t in tasks),
        deadline=tuple(t.deadline for t in tasks),
        actual_start=tuple(t.actual_start for t in tasks),
        actual_finish=tuple(t.actual_finish for t in tasks),
        remaining=tuple(done(t) for t in tasks),
        percent_complete=tuple(t.percent_complete for t in tasks),
        delay=tuple(delay),
        delay_elapsed=tuple(
            bool(d) and t.leveling_delay is not None and t.leveling_delay.elapsed
            for d, t in zip(delay, tasks, strict=True)
        ),
        manual_start=tuple(t.start if t.manual else None for t in tasks),
        manual_finish=tuple(t.finish if t.manual else None for t in tasks),
        preds=tuple(tuple(p) for p in preds),
        succs=tuple(tuple(s) for s in succs),
        inherited_preds=tuple(inherited_preds),
        inherited_succs=tuple(inherited_succs),
        inherited_start=tuple(inherited_start),
        leaves_under=tuple(tuple(x) for x in leaves_under),
        plain_forward=tuple(plain_forward),
        plain_backward=tuple(plain_backward),
        order=tuple(order),
        project_start=project.start,
        project_finish=project.finish,
        schedule_from_start=project.schedule_from_start,
    )


def _plain(
    tasks: list[Task], summary: tuple[bool, ...], odd_in: list[bool], odd_out: list[bool]
) -> tuple[list[bool], list[bool]]:
    """Which tasks the passes may take by their plain loops, forward and backward: a task
    on its own calendar, with nothing pinned, whose links are working-time links to tasks
    on the same calendar (and, backward, to unfinished ones), none of them a summary."""
    forward: list[bool] = []
    backward: list[bool] = []
    for i, t in enumerate(tasks):
        simple = (
            not summary[i]
            and not t.manual
            and t.actual_start is None
            and t.actual_finish is None
            and t.constraint_date is None
            and not t.duration.elapsed
        )
        forward.append(simple and not odd_in[i])
        backward.append(simple and t.deadline is None and not odd_out[i])
    return forward, backward


def _delay_of(task: Task, summary: bool) -> int:
    """The leveling delay the passes apply: MS Project levels neither summaries, manual
    tasks nor started ones, so a delay stored on them is carried but not applied."""
    d = task.leveling_delay
    if d is None or summary or task.manual or task.actual_start is not None:
        return 0
    return d.minutes


def _signed(text: str) -> str:
    return text if text.startswith("-") else "+" + text


def _tree(tasks: list[Task]) -> tuple[list[int], list[list[int]]]:
    parent = [-1] * len(tasks)
    children: list[list[int]] = [[] for _ in tasks]
    stack: list[int] = []
    for i, task in enumerate(tasks):
        while stack and tasks[stack[-1]].outline_level >= task.outline_level:
            stack.pop()
        if stack:
            parent[i] = stack[-1]
            children[stack[-1]].append(i)
        stack.append(i)
    return parent, children


def _calendars(
    project: Project, tasks: list[Task]
) -> tuple[list[CompiledCalendar], list[str], list[int]]:
    """Compile each distinct effective calendar once; calendar 0 is the project's.

    A task's effective calendar is its own calendar intersected with the calendars of the
    work resources assigned to it (unless it ignores resource calendars); without a task
    calendar, the resources' calendars; without either, the project calendar.
    """
    by_uid: dict[int, Calendar] = {c.uid: c for c in project.calendars}
    if project.calendar_uid not in by_uid:
        # A file without its project calendar (hand-made or converted plans): MS Project
        # schedules such a plan on its Standard calendar.
        by_uid[project.calendar_uid] = standard_calendar(project.calendar_uid)
    origin = project.start.date()
    rules: dict[int, DayRule] = {}

    def rule(uid: int) -> DayRule:
        if uid not in rules:
            rules[uid] = day_rule(uid, by_uid)
        return rules[uid]

    resource_cal = {
        r.uid: r.calendar_uid
        for r in project.resources
        if r.kind is ResourceKind.WORK and r.calendar_uid is not None and r.calendar_uid in by_uid
    }
    assigned: dict[int, set[int]] = {}
    for a in project.assignments:
        cal_uid = resource_cal.get(a.resource_uid)
        if cal_uid is not None:
            assigned.setdefault(a.task_uid, set()).add(cal_uid)

    compiled = [CompiledCalendar(rule(project.calendar_uid), origin)]
    names = [by_uid[project.calendar_uid].name]
    keys: dict[tuple[int | None, frozenset[int]], int] = {(project.calendar_uid, frozenset()): 0}
    index: list[int] = []
    for task in tasks:
        own = task.calendar_uid if task.calendar_uid in by_uid else None
        res = (
            frozenset() if task.ignore_resource_calendar else frozenset(assigned.get(task.uid, ()))
        )
        key = (own if own is not None or res else project.calendar_uid, res)
        if key not in keys:
            uids = ([own] if own is not None else []) + sorted(res)
            cal = CompiledCalendar(intersect([rule(u) for u in uids]), origin)
            keys[key] = _same_as(cal, compiled)
            if keys[key] == len(compiled):
                compiled.append(cal)
                names.append(" & ".join(by_uid[u].name for u in uids))
        index.append(keys[key])
    return compiled, names, index


def task_calendars(project: Project, tasks: list[Task]) -> list[CompiledCalendar]:
    """Each task's effective calendar, compiled, as the passes use it (see `_calendars`)."""
    compiled, _, index = _calendars(project, tasks)
    return [compiled[i] for i in index]


def _same_as(cal: CompiledCalendar, compiled: list[CompiledCalendar]) -> int:
    """Reuse an equal calendar (e.g. an unchanged resource calendar) so links need no conversion."""
    for i, other in enumerate(compiled):
        if cal.equivalent(other):
            return i
    return len(compiled)
