"""Any project steerco can hold survives write_mspdi -> read_mspdi unchanged."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from steerco.domain import (
    Assignment,
    Calendar,
    CalendarException,
    ConstraintType,
    DayPattern,
    Dependency,
    Duration,
    Lag,
    LinkType,
    Project,
    Recurrence,
    RecurrenceType,
    Resource,
    ResourceKind,
    Task,
    TaskType,
    TimeUnit,
    ValidationError,
    WorkingTime,
)
from steerco.domain.project import key_from_name
from steerco.interop.mspdi import read_mspdi, write_mspdi

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from(["&", "<", ">", '"', "'", "\n", "\r", "\t", "]"]),
    max_size=30,
)
NAME = TEXT.map(str.strip).filter(bool)
MOMENT = st.datetimes(datetime(2000, 1, 1), datetime(2040, 1, 1)).map(
    lambda d: d.replace(second=0, microsecond=0)
)
UNITS = [TimeUnit.MINUTE, TimeUnit.HOUR, TimeUnit.DAY, TimeUnit.WEEK, TimeUnit.MONTH]


@st.composite
def durations(draw: st.DrawFn) -> Duration:
    return Duration(
        draw(st.integers(0, 10**6)),
        draw(st.sampled_from(UNITS)),
        draw(st.booleans()),
        draw(st.booleans()),
    )


@st.composite
def tasks(draw: st.DrawFn, uid: int, level: int) -> Task:
    duration = draw(durations())
    constraint = draw(st.sampled_from(list(ConstraintType)))
    remaining = draw(st.none() | st.integers(0, 10**5))
    start = draw(st.none() | MOMENT)
    return Task(
        uid=uid,
        name=draw(NAME),
        outline_level=level,
        duration=duration,
        milestone=draw(st.booleans()),
        manual=draw(st.booleans()),
        summary=draw(st.booleans()),
        start=start,
        finish=draw(st.none() | MOMENT),
        constraint=constraint,
        constraint_date=draw(MOMENT) if constraint.needs_date else draw(st.none() | MOMENT),
        deadline=draw(st.none() | MOMENT),
        priority=draw(st.integers(0, 1000)),
        notes=draw(TEXT),
        wbs=draw(st.none() | TEXT),
        percent_complete=draw(st.integers(0, 100)),
        actual_start=start if draw(st.booleans()) else None,
        remaining_duration=(
            None
            if remaining is None
            else Duration(remaining, duration.unit, duration.elapsed, duration.estimated)
        ),
        calendar_uid=draw(st.none() | st.integers(1, 5)),
        task_type=draw(st.sampled_from(list(TaskType))),
        effort_driven=draw(st.booleans()),
        ignore_resource_calendar=draw(st.booleans()),
        work_minutes=draw(st.none() | st.integers(0, 10**6)),
        cost=draw(st.none() | st.integers(-(10**9), 10**9)),
        fixed_cost=draw(st.none() | st.integers(0, 10**9)),
        leveling_delay=draw(
            st.none()
            | st.builds(Duration, st.integers(0, 10**6), st.sampled_from(UNITS), st.booleans())
        ),
    )


@st.composite
def lags(draw: st.DrawFn) -> Lag:
    if draw(st.booleans()):
        # MSPDI holds whole percentages only (LinkLag is the plain percent).
        return Lag(0, TimeUnit.PERCENT, draw(st.booleans()), float(draw(st.integers(-100, 200))))
    return Lag(
        draw(st.integers(-(10**5), 10**5)), draw(st.sampled_from(UNITS)), draw(st.booleans())
    )


@st.composite
def recurrences(draw: st.DrawFn) -> Recurrence | None:
    kind = draw(st.sampled_from([None, *RecurrenceType]))
    occurrences = draw(st.none() | st.integers(1, 20))
    if kind is None:
        return None
    if kind is RecurrenceType.DAILY:
        return Recurrence(kind, period=draw(st.integers(1, 9)), occurrences=occurrences)
    if kind is RecurrenceType.WEEKLY:
        days = tuple(sorted(draw(st.sets(st.integers(0, 6), min_size=1))))
        return Recurrence(kind, draw(st.integers(1, 9)), weekdays=days, occurrences=occurrences)
    period = draw(st.integers(1, 9)) if kind is RecurrenceType.MONTHLY else 1
    month = draw(st.integers(1, 12)) if kind is RecurrenceType.YEARLY else None
    if draw(st.booleans()):
        return Recurrence(
            kind,
            period,
            month=month,
            position=draw(st.integers(1, 5)),
            weekday=draw(st.integers(0, 6)),
            occurrences=occurrences,
        )
    return Recurrence(
        kind, period, month=month, month_day=draw(st.integers(1, 31)), occurrences=occurrences
    )


@st.composite
def exceptions(draw: st.DrawFn) -> CalendarException:
    start = draw(st.dates(date(2000, 1, 1), date(2040, 1, 1)))
    working = draw(st.booleans())
    times = (WorkingTime(540, 720), WorkingTime(780, 1440)) if working else ()
    return CalendarException(
        start=start,
        finish=start + timedelta(days=draw(st.integers(0, 30))),
        pattern=DayPattern(working, times),
        name=draw(st.just("") | NAME),
        recurrence=draw(recurrences()),
    )


@st.composite
def projects(draw: st.DrawFn) -> Project:
    name = draw(NAME.map(lambda s: s[:200].strip()).filter(bool))
    p = Project(
        name=name,
        key=key_from_name(name),
        start=draw(MOMENT),
        status_date=draw(st.none() | MOMENT),
        currency=draw(st.sampled_from(["EUR", "USD", "GBP"])),
    )
    level = 0
    task_list = [Task(0, draw(st.just("") | NAME), outline_level=0)] if draw(st.booleans()) else []
    for uid in range(1, draw(st.integers(1, 12)) + 1):
        level = draw(st.integers(1, level + 1))
        task_list.append(draw(tasks(uid, level)))
    p.tasks = task_list
    for _ in range(draw(st.integers(0, 8))):
        a, b = draw(st.integers(1, len(task_list) - 1 or 1)), draw(st.integers(1, len(task_list)))
        try:
            p.add_dependency(Dependency(a, b, draw(st.sampled_from(list(LinkType))), draw(lags())))
        except Exception:  # unknown task, cycle, duplicate, same branch: not a link to test
            continue
    week = tuple(
        DayPattern(True, (WorkingTime(480, 720), WorkingTime(780, 1020)))
        if d < 5
        else DayPattern(False)
        for d in range(7)
    )
    p.calendars = [
        Calendar(1, "Standard", week=week, exceptions=draw(st.lists(exceptions(), max_size=4))),
        Calendar(
            2,
            "Night",
            week=(DayPattern(None),) * 6 + (DayPattern(True, (WorkingTime(0, 1440),)),),
            base_uid=1,
            is_base=False,
        ),
    ]
    p.resources = [
        Resource(
            uid,
            draw(TEXT),
            draw(st.sampled_from(list(ResourceKind))),
            draw(st.sampled_from([0.5, 1.0, 2.0, 0.333])),
            draw(st.none() | st.just(2)),
            draw(TEXT),
            draw(TEXT),
            draw(TEXT),
        )
        for uid in range(1, draw(st.integers(0, 3)) + 1)
    ]
    if p.resources:
        p.assignments = [
            Assignment(
                i,
                t.uid,
                p.resources[i % len(p.resources)].uid,
                draw(st.sampled_from([0.25, 1.0, 1.5, 0.1])),
                draw(st.none() | st.integers(0, 10**5)),
            )
            for i, t in enumerate(p.tasks, start=1)
        ]
    return p


@settings(max_examples=80, deadline=None)
@given(projects())
def test_write_then_read_gives_the_same_project(project: Project) -> None:
    try:
        again = read_mspdi(write_mspdi(project))
    except ValidationError as exc:  # pragma: no cover - a failure message worth reading
        raise AssertionError(f"could not reread: {exc}") from exc
    # MSPDI stores each link on its successor, so links come back grouped by successor row.
    rows = {t.uid: i for i, t in enumerate(project.tasks)}
    project.dependencies.sort(key=lambda d: rows[d.successor])
    assert again == project
