"""Leveled plans keep durations, links and constraints and never exceed max units.

Random small plans on the Standard calendar: tasks of hours or days, links of all four kinds
with leads and lags, SNET constraints, a few work resources, some with MS Project's Can Level
off (and a material one, which leveling ignores). The checks read only the dates the leveled schedule gives each task and the
plan itself, with their own working-time arithmetic: nothing from the solver."""

from __future__ import annotations

import copy
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steerco.domain import (
    Assignment,
    ConstraintType,
    Dependency,
    Duration,
    Lag,
    LinkType,
    Project,
    Resource,
    ResourceKind,
    Task,
    TimeUnit,
)
from steerco.domain.errors import DependencyCycle
from steerco.engine import schedule
from steerco.engine.result import ScheduleResult
from steerco.services.leveling import level_project
from tests.psplib_plans import work_minutes

START = datetime(2026, 1, 5, 8)


def signed_work(a: datetime, b: datetime) -> int:
    return work_minutes(a, b) if b >= a else -work_minutes(b, a)


@st.composite
def plans(draw: st.DrawFn) -> Project:
    p = Project(name="Random", key="RND", start=START)
    unit = draw(st.sampled_from([60, 480]))
    n = draw(st.integers(2, 7))
    for uid in range(1, n + 1):
        minutes = draw(st.integers(0, 4)) * unit
        task = Task(uid=uid, name=f"T{uid}", duration=Duration(minutes, TimeUnit.HOUR))
        if draw(st.integers(0, 5)) == 0:
            task.constraint = ConstraintType.SNET
            task.constraint_date = START + timedelta(days=draw(st.integers(0, 6)))
        task.priority = draw(st.sampled_from([500, 500, 500, 100, 900]))
        p.tasks.append(task)
    for _ in range(draw(st.integers(0, n))):
        a, b = sorted(draw(st.lists(st.integers(1, n), min_size=2, max_size=2, unique=True)))
        kind = draw(st.sampled_from(list(LinkType)))
        lag = Lag(draw(st.integers(-1, 2)) * unit // 2, TimeUnit.HOUR)
        try:
            p.add_dependency(Dependency(a, b, kind, lag))
        except (DependencyCycle, Exception):  # a duplicate pair: skip it
            continue
    caps = draw(st.lists(st.sampled_from([1.0, 1.0, 2.0, 0.5]), min_size=1, max_size=3))
    for r, cap in enumerate(caps, start=1):
        can_level = draw(st.sampled_from([True, True, True, False]))
        p.resources.append(Resource(uid=r, name=f"R{r}", max_units=cap, can_level=can_level))
    p.resources.append(Resource(uid=99, name="Cement", kind=ResourceKind.MATERIAL, max_units=0))
    asn = 0
    for t in p.tasks:
        for r, cap in enumerate(caps, start=1):
            if draw(st.integers(0, 3)) > 0:  # busy resources: leveling has work to do
                asn += 1
                units = draw(st.sampled_from([u for u in (0.5, 1.0, 2.0) if u <= cap]))
                p.assignments.append(Assignment(asn, t.uid, r, units))
        if draw(st.integers(0, 3)) == 0:
            asn += 1
            p.assignments.append(Assignment(asn, t.uid, 99, 5.0))
    return p


def assert_rules(original: Project, before: ScheduleResult, after: ScheduleResult) -> None:
    """Durations, links, SNET dates and capacities, read from the dates alone."""
    for t in original.tasks:
        old, new = before.tasks[t.uid], after.tasks[t.uid]
        pauses = after.pauses.get(t.uid, ())
        # The work is the duration; a split task's pauses come on top of it, never instead.
        idle = sum(work_minutes(a, b) for a, b in pauses)
        assert work_minutes(new.start, new.finish) - idle == t.duration.minutes
        assert all(new.start < a < b < new.finish for a, b in pauses)
        # Never earlier than without leveling, in working time: a milestone at 17:00 is at
        # the working moment of 08:00 the next day.
        assert signed_work(old.start, new.start) >= 0
        if t.constraint is ConstraintType.SNET:
            assert t.constraint_date is not None
            assert signed_work(t.constraint_date, new.start) >= 0
    for d in original.dependencies:
        p, s = after.tasks[d.predecessor], after.tasks[d.successor]
        ref = p.finish if d.type in (LinkType.FS, LinkType.FF) else p.start
        mine = s.finish if d.type in (LinkType.FF, LinkType.SF) else s.start
        assert signed_work(ref, mine) >= d.lag.minutes, (d, ref, mine)
    # Capacity at every moment work starts or resumes; a paused task uses nobody. A resource
    # whose Can Level is off may stay over-allocated, unless every one's is off (then the
    # flag was nobody's choice and everyone is leveled).
    caps = {r.uid: r.max_units for r in kept(original)}
    moments = {after.tasks[t.uid].start for t in original.tasks}
    moments |= {b for ps in after.pauses.values() for _, b in ps}
    for r, cap in caps.items():
        for m in moments:
            load = sum(
                a.units
                for a in original.assignments
                if a.resource_uid == r
                and after.tasks[a.task_uid].start <= m < after.tasks[a.task_uid].finish
                and not _inside(m, after.pauses.get(a.task_uid, ()))
            )
            assert load <= cap + 1e-9, (r, m, load, cap)


def kept(plan: Project) -> list[Resource]:
    work = [r for r in plan.resources if r.kind is ResourceKind.WORK]
    return [r for r in work if r.can_level] or work


def _inside(m: datetime, pauses: tuple[tuple[datetime, datetime], ...]) -> bool:
    return any(a <= m < b for a, b in pauses)


def assert_reproduced(plan: Project, after: ScheduleResult) -> None:
    """The stored delays (and splits) alone give the leveled dates."""
    again = schedule(plan)
    assert again.pauses == after.pauses
    assert {u: (x.start, x.finish) for u, x in again.tasks.items()} == {
        u: (x.start, x.finish) for u, x in after.tasks.items()
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), st.integers(0, 3))
def test_leveled_plans_keep_the_rules(plan: Project, seed: int) -> None:
    original = copy.deepcopy(plan)
    outcome = level_project(plan, time_limit=0.5, seed=seed)
    assert outcome.split == () and outcome.result.pauses == {}  # one piece each, unless asked
    assert_rules(original, schedule(original), outcome.result)
    assert_reproduced(plan, outcome.result)
    booked = {a.resource_uid for a in original.assignments}
    left = {r.name for r in original.resources if r.kind is ResourceKind.WORK} - {
        r.name for r in kept(original)
    }
    assert set(outcome.unleveled) == {n for n in left if int(n[1:]) in booked}


@st.composite
def mixed_plans(draw: st.DrawFn) -> Project:
    """Harder plans: a resource on its own calendar (a day off), elapsed durations and lags,
    half-hours. The periods are then approximate and the adapter must repair overlaps."""
    from datetime import date

    from steerco.domain import Calendar, CalendarException

    p = Project(name="Mixed", key="MIX", start=START)
    off = date(2026, 1, draw(st.integers(6, 12)))
    p.calendars.append(Calendar(2, "Ana", base_uid=1, exceptions=[CalendarException(off, off)]))
    n = draw(st.integers(3, 7))
    for uid in range(1, n + 1):
        elapsed = draw(st.integers(0, 4)) == 0
        minutes = draw(st.sampled_from([720, 1440] if elapsed else [90, 240, 480, 960]))
        p.tasks.append(Task(uid=uid, name=f"T{uid}", duration=Duration(minutes, elapsed=elapsed)))
    for _ in range(n):
        a, b = sorted(draw(st.lists(st.integers(1, n), min_size=2, max_size=2, unique=True)))
        lag = Lag(
            draw(st.sampled_from([0, 0, 240, -120, 1440])),
            TimeUnit.HOUR,
            elapsed=draw(st.integers(0, 4)) == 0,
        )
        try:
            p.add_dependency(Dependency(a, b, draw(st.sampled_from(list(LinkType))), lag))
        except Exception:
            continue
    p.resources.append(
        Resource(uid=1, name="Ana", max_units=1.0, calendar_uid=2 if draw(st.booleans()) else None)
    )
    p.resources.append(Resource(uid=2, name="Bo", max_units=2.0))
    asn = 0
    for t in p.tasks:
        for r in (1, 2):
            if draw(st.integers(0, 4)) > 1:
                asn += 1
                p.assignments.append(Assignment(asn, t.uid, r, draw(st.sampled_from([0.5, 1.0]))))
    return p


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_plans())
def test_mixed_calendars_level_to_a_plan_without_overload(plan: Project) -> None:
    original = copy.deepcopy(plan)
    before = schedule(original)
    after = level_project(plan, time_limit=0.5).result
    for t in original.tasks:
        assert after.tasks[t.uid].start >= before.tasks[t.uid].start
        if t.duration.elapsed:
            new = after.tasks[t.uid]
            assert new.finish - new.start == timedelta(minutes=t.duration.minutes)
    for r in original.resources:
        booked = [
            (after.tasks[a.task_uid], a.units)
            for a in original.assignments
            if a.resource_uid == r.uid and original.task(a.task_uid).duration.minutes
        ]
        for times, _ in booked:
            load = sum(u for x, u in booked if x.start <= times.start < x.finish)
            assert load <= r.max_units + 1e-9


@st.composite
def plans_with_blockers(draw: st.DrawFn) -> Project:
    """`plans()` plus a few pinned tasks (MSO) that fill the first resource: work that meets
    them must wait or, when leveling may split, pause."""
    p = draw(plans())
    first = p.resources[0]
    uid = max(t.uid for t in p.tasks)
    asn = max((a.uid for a in p.assignments), default=0)
    days = draw(st.lists(st.integers(0, 4), min_size=1, max_size=3, unique=True))
    for day in days:  # on different days: pinned work that overlaps cannot be leveled at all
        uid, asn = uid + 1, asn + 1
        at = START + timedelta(days=day, hours=draw(st.sampled_from([0, 5])))
        p.tasks.append(
            Task(
                uid=uid,
                name=f"Pinned {uid}",
                duration=Duration(240, TimeUnit.HOUR),
                constraint=ConstraintType.MSO,
                constraint_date=at,
            )
        )
        p.assignments.append(Assignment(asn, uid, first.uid, first.max_units))
    return p


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans_with_blockers(), st.integers(0, 3))
def test_leveling_that_may_split_keeps_the_rules(plan: Project, seed: int) -> None:
    original = copy.deepcopy(plan)
    outcome = level_project(plan, time_limit=0.5, seed=seed, split=True)
    assert_rules(original, schedule(original), outcome.result)
    assert {s.uid for s in outcome.split} == set(outcome.result.pauses)  # each one explained
    assert_reproduced(plan, outcome.result)
