"""domain -> storage -> domain is the identity, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from steerco.domain import (
    Assignment,
    Calendar,
    CalendarException,
    ConstraintType,
    CostRate,
    DayPattern,
    Dependency,
    Duration,
    Lag,
    LinkType,
    Methodology,
    Project,
    Recurrence,
    RecurrenceType,
    Resource,
    ResourceKind,
    Task,
    TaskType,
    TimeUnit,
    WorkingTime,
    WorkTime,
    WorkWeek,
)
from steerco.storage.schema import ProjectRow
from steerco.storage.uow import SqlUnitOfWorkFactory

# PostgreSQL text cannot hold NUL; surrogates are not valid UTF-8 anywhere.
chars = st.characters(exclude_characters="\x00", exclude_categories=("Cs",))
text = st.text(chars, max_size=12)
name = st.text(chars, min_size=1, max_size=20).filter(lambda s: s.strip())
extras = st.lists(st.text(chars, max_size=40).map(lambda s: f"<X>{s}</X>"), max_size=2)
moments = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1))
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1))
small = st.integers(min_value=0, max_value=10**6)
units = st.sampled_from([u for u in TimeUnit if u is not TimeUnit.PERCENT])
durations = st.builds(Duration, st.integers(0, 10**8), units, st.booleans(), st.booleans())
share = st.floats(min_value=-1000, max_value=1000, allow_nan=False, allow_infinity=False)
lags = st.one_of(
    st.builds(Lag, st.integers(-(10**7), 10**7), units, st.booleans()),
    st.builds(Lag, st.just(0), st.just(TimeUnit.PERCENT), st.booleans(), share),
)


rate_lines = st.builds(
    CostRate,
    table=st.integers(0, 4),
    effective=st.none() | st.datetimes(datetime(2000, 1, 1), datetime(2040, 1, 1)),
    standard=st.floats(0, 1e6, allow_nan=False),
    overtime=st.floats(0, 1e6, allow_nan=False),
    per_use=st.floats(0, 1e6, allow_nan=False),
    standard_format=st.integers(1, 8),
    overtime_format=st.integers(1, 8),
)
# Lines of one table from distinct moments, as the domain requires.
rate_tables = st.lists(rate_lines, max_size=6, unique_by=lambda r: (r.table, r.effective)).map(
    tuple
)


@st.composite
def day_patterns(draw: st.DrawFn, inherit: bool = True) -> DayPattern:
    working = draw(st.sampled_from([True, False, None] if inherit else [True, False]))
    if working is False:
        return DayPattern(False)
    edges = sorted(draw(st.sets(st.integers(0, 1440), max_size=6)))
    pairs = list(zip(edges[::2], edges[1::2], strict=False))
    return DayPattern(working, tuple(WorkingTime(a, b) for a, b in pairs))


recurrences = st.builds(
    Recurrence,
    st.sampled_from(RecurrenceType),
    st.integers(1, 12),
    st.lists(st.integers(0, 6), max_size=7, unique=True).map(tuple),
    st.none() | st.integers(1, 31),
    st.none() | st.integers(1, 12),
    st.none() | st.integers(1, 5),
    st.none() | st.integers(0, 6),
    st.none() | st.integers(1, 500),
)


@st.composite
def spans(draw: st.DrawFn) -> tuple[date, date]:
    a, b = draw(days), draw(days)
    return min(a, b), max(a, b)


@st.composite
def calendar_exceptions(draw: st.DrawFn) -> CalendarException:
    start, finish = draw(spans())
    return CalendarException(
        start,
        finish,
        draw(day_patterns()),
        draw(text),
        draw(st.none() | recurrences),
        tuple(draw(extras)),
    )


@st.composite
def work_weeks(draw: st.DrawFn) -> WorkWeek:
    start, finish = draw(spans())
    week = tuple(draw(st.lists(day_patterns(), min_size=7, max_size=7)))
    return WorkWeek(start, finish, week, draw(text))


@st.composite
def calendars(draw: st.DrawFn, uid: int) -> Calendar:
    base_uid = draw(st.none() | small)
    return Calendar(
        uid=uid,
        name=draw(name),
        week=tuple(draw(st.lists(day_patterns(base_uid is not None), min_size=7, max_size=7))),
        exceptions=draw(st.lists(calendar_exceptions(), max_size=3)),
        work_weeks=draw(st.lists(work_weeks(), max_size=2)),
        base_uid=base_uid,
        is_base=draw(st.booleans()),
        extras=draw(extras),
    )


@st.composite
def tasks(draw: st.DrawFn, uid: int, level: int) -> Task:
    constraint = draw(st.sampled_from(ConstraintType))
    actual_start = draw(st.none() | moments)
    actual_finish = draw(st.none() | moments)
    if actual_start and actual_finish and actual_finish < actual_start:
        actual_start, actual_finish = actual_finish, actual_start
    money = st.none() | st.integers(-(10**12), 10**12)
    duration = draw(durations)
    splits: tuple[tuple[int, int], ...] = ()
    if not duration.elapsed:
        done = draw(st.lists(st.integers(1, 10**8), max_size=3, unique=True))
        pauses = draw(st.lists(st.integers(1, 10**6), min_size=len(done), max_size=len(done)))
        splits = tuple(zip(sorted(done), pauses, strict=True))
    return Task(
        uid=uid,
        name=draw(text) if uid == 0 else draw(name),
        outline_level=level,
        duration=duration,
        milestone=draw(st.booleans()),
        deliverable=draw(st.booleans()),
        manual=draw(st.booleans()),
        summary=draw(st.booleans()),
        start=draw(st.none() | moments),
        finish=draw(st.none() | moments),
        constraint=constraint,
        constraint_date=draw(moments if constraint.needs_date else st.none() | moments),
        deadline=draw(st.none() | moments),
        priority=draw(st.integers(0, 1000)),
        notes=draw(st.text(chars, max_size=60)),
        wbs=draw(st.none() | st.text(chars, max_size=10)),
        percent_complete=draw(st.integers(0, 100)),
        actual_start=actual_start,
        actual_finish=actual_finish,
        remaining_duration=draw(st.none() | durations),
        calendar_uid=draw(st.none() | small),
        task_type=draw(st.sampled_from(TaskType)),
        effort_driven=draw(st.booleans()),
        ignore_resource_calendar=draw(st.booleans()),
        work_minutes=draw(st.none() | st.integers(0, 10**10)),
        cost=draw(money),
        fixed_cost=draw(money),
        leveling_delay=draw(
            st.none() | st.builds(Duration, st.integers(0, 10**8), units, st.booleans())
        ),
        splits=splits,
        extras=draw(extras),
    )


@st.composite
def projects(draw: st.DrawFn) -> Project:
    uids = draw(st.lists(st.integers(1, 10**6), max_size=12, unique=True))
    wbs: list[Task] = []
    if draw(st.booleans()):
        wbs.append(draw(tasks(0, 0)))
    level = 0
    for uid in uids:
        level = draw(st.integers(1, level + 1))
        wbs.append(draw(tasks(uid, level)))
    all_uids = [t.uid for t in wbs]
    links: list[Dependency] = []
    if len(all_uids) >= 2:
        pairs = st.tuples(st.sampled_from(all_uids), st.sampled_from(all_uids))
        for pred, succ in draw(st.lists(pairs, max_size=10, unique=True)):
            if pred != succ:
                links.append(
                    Dependency(
                        pred, succ, draw(st.sampled_from(LinkType)), draw(lags), draw(extras)
                    )
                )
    cal_uids = draw(st.lists(small, max_size=3, unique=True))
    res_uids = draw(st.lists(small, max_size=3, unique=True))
    resources = [
        Resource(
            uid,
            draw(name),
            draw(st.sampled_from(ResourceKind)),
            draw(st.floats(0, 100, allow_nan=False)),
            draw(st.none() | small),
            draw(text),
            draw(text),
            draw(text),
            draw(extras),
            draw(rate_tables),
        )
        for uid in res_uids
    ]
    assignments = []
    if all_uids:
        for i in range(draw(st.integers(0, 4))):
            assignments.append(
                Assignment(
                    uid=i + 1,
                    task_uid=draw(st.sampled_from(all_uids)),
                    resource_uid=draw(st.sampled_from([*res_uids, -65535])),
                    units=draw(st.floats(0, 10, allow_nan=False)),
                    work_minutes=draw(st.none() | small),
                    extras=draw(extras),
                    rate_table=draw(st.integers(0, 4)),
                )
            )
    return Project(
        name=draw(name),
        key=draw(st.from_regex(r"[A-Z][A-Z0-9]{1,9}", fullmatch=True)),
        start=draw(moments),
        status_date=draw(st.none() | moments),
        finish=draw(st.none() | moments),
        currency=draw(st.from_regex(r"[A-Z]{3}", fullmatch=True)),
        calendar_uid=draw(small),
        methodology=draw(st.sampled_from(Methodology)),
        schedule_from_start=draw(st.booleans()),
        work_time=WorkTime(draw(st.integers(1, 1440)), draw(small), draw(st.integers(1, 31))),
        default_start_time=draw(st.integers(0, 1440)),
        default_finish_time=draw(st.integers(0, 1440)),
        tasks=wbs,
        dependencies=links,
        calendars=[draw(calendars(uid)) for uid in cal_uids],
        resources=resources,
        assignments=assignments,
        extras=draw(extras),
    )


@settings(
    max_examples=25,
    deadline=None,
    # One database per test, emptied at the start of each example (see below).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(project=projects())
def test_project_round_trip(uow_factory: SqlUnitOfWorkFactory, project: Project) -> None:
    with uow_factory() as uow:
        uow.session.execute(delete(ProjectRow))
        uow.projects.add(project)
        uow.commit()
    with uow_factory(write=False) as uow:
        loaded = uow.projects.get(project.key)
    assert loaded == project
    assert loaded.id == project.id


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(project=projects(), edit=tasks(7, 1))
def test_task_edit_round_trip(
    uow_factory: SqlUnitOfWorkFactory, project: Project, edit: Task
) -> None:
    """An edit stores every field of the task except its place in the WBS."""
    if any(t.uid == 7 for t in project.tasks):
        project.remove_task(7)
    project.tasks.append(Task(uid=7, name="Seven"))
    with uow_factory() as uow:
        uow.session.execute(delete(ProjectRow))
        uow.projects.add(project)
        uow.commit()
    assert project.id is not None
    edit.version = 1
    with uow_factory() as uow:
        uow.projects.update_task(project.id, edit)
        uow.commit()
    with uow_factory(write=False) as uow:
        stored = uow.projects.get(project.key).task(7)
    assert stored == edit
    assert stored.version == edit.version == 2


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(project=projects(), data=st.data())
def test_wbs_rewrite_round_trip(
    uow_factory: SqlUnitOfWorkFactory, project: Project, data: st.DataObject
) -> None:
    """`replace_tasks` stores any new WBS: rows kept, dropped, added, reordered, re-levelled."""
    with uow_factory() as uow:
        uow.session.execute(delete(ProjectRow))
        uow.projects.add(project)
        uow.commit()
    kept = [t for t in project.tasks if data.draw(st.booleans(), label=f"keep {t.uid}")]
    used = {t.uid for t in project.tasks}
    fresh_uids = data.draw(
        st.lists(st.integers(1, 10**6).filter(lambda u: u not in used), max_size=3, unique=True)
    )
    fresh = [data.draw(tasks(uid, 1)) for uid in fresh_uids]
    wbs = data.draw(st.permutations(kept + fresh))
    level = 0
    for task in wbs:
        if task.uid != 0:
            task.outline_level = level = data.draw(st.integers(1, level + 1))
    gone = used - {t.uid for t in wbs}
    project.tasks = list(wbs)
    project.dependencies = [
        d for d in project.dependencies if d.predecessor not in gone and d.successor not in gone
    ]
    project.assignments = [a for a in project.assignments if a.task_uid not in gone]
    project.refresh_summaries()
    with uow_factory() as uow:
        uow.projects.replace_tasks(project)
        uow.commit()
    with uow_factory(write=False) as uow:
        assert uow.projects.get(project.key) == project
