"""What each MSPDI element becomes in the domain, and how it is written back."""

from __future__ import annotations

from datetime import date, datetime

from lxml import etree

from steerco.domain import (
    Calendar,
    CalendarException,
    ConstraintType,
    Dependency,
    Duration,
    Lag,
    LinkType,
    Project,
    RecurrenceType,
    Task,
    TimeUnit,
)
from steerco.engine.result import Driver, DriverKind, ScheduleResult, ScheduleStatus, TaskTimes
from steerco.interop.mspdi import fact_retention, read_mspdi, write_mspdi
from steerco.interop.mspdi.order import TASK_ORDER

NS = "http://schemas.microsoft.com/project"
Q = f"{{{NS}}}"


def doc(body: str, header: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Project xmlns="{NS}"><Name>Data &amp; Apps</Name>'
        f"<StartDate>2024-01-01T08:00:00</StartDate>{header}{body}</Project>"
    ).encode()


def task(uid: int, level: int = 1, extra: str = "") -> str:
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>T{uid}</Name><OutlineLevel>{level}</OutlineLevel>"
        f"<Start>2024-01-01T08:00:00</Start><Duration>PT8H0M0S</Duration>"
        f"<DurationFormat>7</DurationFormat>{extra}</Task>"
    )


def link(pred: int, lag: int, fmt: int, kind: int = 1) -> str:
    return (
        f"<PredecessorLink><PredecessorUID>{pred}</PredecessorUID><Type>{kind}</Type>"
        f"<CrossProject>0</CrossProject><LinkLag>{lag}</LinkLag><LagFormat>{fmt}</LagFormat>"
        "</PredecessorLink>"
    )


def test_project_header_and_key() -> None:
    header = (
        "<StatusDate>2024-02-01T17:00:00</StatusDate><CurrencyCode>GBP</CurrencyCode>"
        "<MinutesPerDay>450</MinutesPerDay><MinutesPerWeek>2250</MinutesPerWeek>"
        "<DaysPerMonth>21</DaysPerMonth><DefaultStartTime>09:00:00</DefaultStartTime>"
        "<ScheduleFromStart>0</ScheduleFromStart><Title>kept verbatim</Title>"
    )
    p = read_mspdi(doc("", header))
    assert (p.name, p.key, p.currency) == ("Data & Apps", "DA", "GBP")
    assert p.status_date == datetime(2024, 2, 1, 17)
    assert (p.work_time.minutes_per_day, p.work_time.minutes_per_week) == (450, 2250)
    assert p.work_time.days_per_month == 21 and p.default_start_time == 540
    assert not p.schedule_from_start
    assert "<Title>kept verbatim</Title>" in p.extras


def test_hierarchy_keeps_uid_zero_at_level_zero() -> None:
    body = "<Tasks>" + task(0, 0) + task(1) + task(2, 2) + task(3, 2) + task(4) + "</Tasks>"
    p = read_mspdi(doc(body))
    assert [t.uid for t in p.tasks] == [0, 1, 2, 3, 4]
    assert p.tasks[0].outline_level == 0
    assert p.parents() == {0: None, 1: None, 2: 1, 3: 1, 4: None}


def test_task_fields() -> None:
    extra = (
        "<Manual>1</Manual><Type>2</Type><Milestone>0</Milestone><Priority>700</Priority>"
        "<ConstraintType>4</ConstraintType><ConstraintDate>2024-01-03T08:00:00</ConstraintDate>"
        "<Deadline>2024-02-01T17:00:00</Deadline><PercentComplete>40</PercentComplete>"
        "<ActualStart>2024-01-01T08:00:00</ActualStart><RemainingDuration>PT4H0M0S</RemainingDuration>"
        "<CalendarUID>3</CalendarUID><EffortDriven>1</EffortDriven><Work>PT16H0M0S</Work>"
        "<Cost>150000</Cost><FixedCost>2500</FixedCost><Notes>a &lt;b&gt; note</Notes><WBS>1.2</WBS>"
        "<IgnoreResourceCalendar>1</IgnoreResourceCalendar><Hyperlink>x</Hyperlink>"
    )
    t = read_mspdi(doc("<Tasks>" + task(1, extra=extra) + "</Tasks>")).tasks[0]
    assert t.manual and t.effort_driven and t.ignore_resource_calendar
    assert t.task_type.value == "fixed_work" and t.priority == 700
    assert t.constraint is ConstraintType.SNET and t.constraint_date == datetime(2024, 1, 3, 8)
    assert t.deadline == datetime(2024, 2, 1, 17) and t.percent_complete == 40
    assert t.remaining_duration == Duration(240, TimeUnit.DAY)
    assert (t.calendar_uid, t.work_minutes, t.cost, t.fixed_cost) == (3, 960, 150000, 2500)
    assert (t.notes, t.wbs) == ("a <b> note", "1.2")
    assert "<ID>1</ID>" in t.extras and "<Hyperlink>x</Hyperlink>" in t.extras


def test_duration_formats_including_null_and_estimated() -> None:
    body = "<Tasks>" + task(1).replace(
        "<DurationFormat>7</DurationFormat>", "<DurationFormat>53</DurationFormat>"
    )
    body += task(2).replace(
        "<DurationFormat>7</DurationFormat>", "<DurationFormat>40</DurationFormat>"
    )
    body += "</Tasks>"
    data = doc(body)
    p = read_mspdi(data)
    assert p.tasks[0].duration == Duration(480, TimeUnit.DAY)
    assert "<DurationFormat>53</DurationFormat>" in p.tasks[0].extras
    assert p.tasks[1].duration == Duration(480, TimeUnit.DAY, elapsed=True, estimated=True)
    out = write_mspdi(p)
    assert (
        b"<DurationFormat>53</DurationFormat>" in out
        and b"<DurationFormat>40</DurationFormat>" in out
    )
    assert out.count(b"<DurationFormat>") == 2


def test_every_lag_format_round_trips() -> None:
    formats = [
        3,
        4,
        5,
        6,
        7,
        8,
        9,
        10,
        11,
        12,
        19,
        20,
        35,
        36,
        37,
        38,
        39,
        40,
        41,
        42,
        43,
        44,
        51,
        52,
    ]
    tasks = [task(1)]
    for i, fmt in enumerate(formats, start=2):
        tasks.append(
            task(i, extra=link(1, 4800 + i * 10 if fmt not in (19, 20, 51, 52) else 25, fmt, i % 4))
        )
    tasks.append(task(99, extra=link(1, -9605, 7)))  # a lead of a fraction of a minute
    data = doc("<Tasks>" + "".join(tasks) + "</Tasks>")
    p = read_mspdi(data)
    by_succ = {d.successor: d for d in p.dependencies}
    assert by_succ[2].lag == Lag(482, TimeUnit.MINUTE)
    assert by_succ[5].lag == Lag(485, TimeUnit.HOUR, elapsed=True)
    assert by_succ[12].lag == Lag(0, TimeUnit.PERCENT, False, 25.0)
    assert (by_succ[2].type, by_succ[3].type, by_succ[4].type) == (
        LinkType.SF,
        LinkType.SS,
        LinkType.FF,
    )
    assert by_succ[99].lag.minutes == -961
    kept, total = fact_retention(data, write_mspdi(p))
    assert kept == total
    assert read_mspdi(write_mspdi(p)) == p


def test_percent_lag_is_the_plain_percentage() -> None:
    # MPXJ reads and writes LinkLag 50 under LagFormat 19 as 50 % (and converts .mpp files
    # that way); tenths would turn a 25 % lag from an .mpp into 2.5 %.
    data = doc("<Tasks>" + task(1) + task(2, extra=link(1, 50, 19, 3)) + "</Tasks>")
    p = read_mspdi(data)
    assert p.dependencies[0].lag == Lag(0, TimeUnit.PERCENT, False, 50.0)
    assert b"<LinkLag>50</LinkLag><LagFormat>19</LagFormat>" in write_mspdi(p)
    p.dependencies[0] = Dependency(1, 2, LinkType.SS, Lag(0, TimeUnit.PERCENT, True, 12.6))
    again = read_mspdi(write_mspdi(p))  # MSPDI holds whole percentages only
    assert again.dependencies[0].lag == Lag(0, TimeUnit.PERCENT, True, 13.0)


def test_links_to_unknown_tasks_are_carried() -> None:
    data = doc(
        "<Tasks>" + task(1, extra=link(77, 0, 7)) + task(2, extra=link(2, 0, 7)) + "</Tasks>"
    )
    p = read_mspdi(data)
    assert p.dependencies == []
    assert any("<PredecessorUID>77</PredecessorUID>" in f for f in p.tasks[0].extras)
    assert fact_retention(data, write_mspdi(p))[0] == fact_retention(data, data)[0]


def test_null_rows_are_carried_in_place() -> None:
    null = "<Task><UID>5</UID><ID>2</ID><IsNull>1</IsNull><OutlineLevel>0</OutlineLevel></Task>"
    body = "<Tasks>" + task(1) + null + task(3).replace("<ID>3</ID>", "<ID>3</ID>") + "</Tasks>"
    p = read_mspdi(doc(body))
    assert [t.uid for t in p.tasks] == [1, 3]
    root = etree.fromstring(write_mspdi(p))
    assert [t.findtext(f"{Q}UID") for t in root.iter(f"{Q}Task")] == ["1", "5", "3"]


def test_recurring_exception_mapping() -> None:
    cal = (
        "<Calendars><Calendar><UID>1</UID><Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar>"
        "<BaseCalendarUID>-1</BaseCalendarUID><WeekDays>"
        "<WeekDay><DayType>1</DayType><DayWorking>0</DayWorking></WeekDay>"
        "<WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod>"
        "<FromDate>2002-01-07T00:00:00</FromDate><ToDate>2002-01-07T23:59:00</ToDate></TimePeriod></WeekDay>"
        "</WeekDays><Exceptions><Exception><EnteredByOccurrences>1</EnteredByOccurrences><TimePeriod>"
        "<FromDate>2002-01-01T00:00:00</FromDate><ToDate>2002-05-06T23:59:00</ToDate></TimePeriod>"
        "<Occurrences>3</Occurrences><Name>First Monday</Name><Type>5</Type><Period>2</Period>"
        "<MonthItem>4</MonthItem><MonthPosition>0</MonthPosition><DayWorking>0</DayWorking>"
        "</Exception><Exception><TimePeriod><FromDate>2004-01-01T00:00:00</FromDate>"
        "<ToDate>2007-03-06T23:59:00</ToDate></TimePeriod><Name>Y</Name><Type>3</Type><Month>2</Month>"
        "<MonthItem>5</MonthItem><MonthPosition>0</MonthPosition><DayWorking>0</DayWorking></Exception>"
        "<Exception><TimePeriod><FromDate>2001-01-01T00:00:00</FromDate><ToDate>2001-01-15T23:59:00</ToDate>"
        "</TimePeriod><Name>W</Name><Type>6</Type><Period>1</Period><DaysOfWeek>34</DaysOfWeek>"
        "<DayWorking>1</DayWorking><WorkingTimes><WorkingTime><FromTime>09:00:00</FromTime>"
        "<ToTime>13:00:00</ToTime></WorkingTime></WorkingTimes></Exception></Exceptions>"
        "</Calendar></Calendars>"
    )
    data = doc(cal)
    c = read_mspdi(data).calendars[0]
    monthly, yearly, weekly = c.exceptions
    assert monthly.recurrence is not None and monthly.recurrence.type is RecurrenceType.MONTHLY
    assert (monthly.recurrence.period, monthly.recurrence.weekday, monthly.recurrence.position) == (
        2,
        0,
        1,
    )
    assert monthly.recurrence.occurrences == 3 and monthly.name == "First Monday"
    assert yearly.recurrence is not None and (
        yearly.recurrence.month,
        yearly.recurrence.weekday,
    ) == (3, 1)
    assert weekly.recurrence is not None and weekly.recurrence.weekdays == (0, 4)
    assert weekly.pattern.working and weekly.pattern.times[0].start == 540
    assert any(f.startswith("<WeekDay>") for f in c.extras)  # the old-style copy, verbatim
    p = read_mspdi(data)
    assert fact_retention(data, write_mspdi(p)) == fact_retention(data, data)
    assert read_mspdi(write_mspdi(p)) == p


def test_old_style_exceptions_become_domain_exceptions() -> None:
    cal = (
        "<Calendars><Calendar><UID>1</UID><Name>Std</Name><IsBaseCalendar>1</IsBaseCalendar>"
        "<WeekDays><WeekDay><DayType>0</DayType><DayWorking>0</DayWorking><TimePeriod>"
        "<FromDate>2003-12-25T00:00:00</FromDate><ToDate>2003-12-26T23:59:00</ToDate></TimePeriod>"
        "</WeekDay></WeekDays></Calendar></Calendars>"
    )
    c = read_mspdi(doc(cal)).calendars[0]
    assert c.exceptions == [CalendarException(date(2003, 12, 25), date(2003, 12, 26))]
    out = write_mspdi(read_mspdi(doc(cal)))
    assert b"<Exceptions>" not in out and b"<DayType>0</DayType>" in out


def test_new_calendar_writes_both_styles_readably() -> None:
    p = Project(name="New", key="NEW", start=datetime(2024, 1, 1, 8))
    p.calendars = [
        Calendar(
            uid=1,
            name="Std",
            exceptions=[
                CalendarException(date(2024, 12, 25), date(2024, 12, 25), name="Christmas")
            ],
        )
    ]
    again = read_mspdi(write_mspdi(p))
    assert again.calendars[0].exceptions[0].name == "Christmas"


def _times(uid: int) -> TaskTimes:
    d = datetime(2024, 1, 2, 8)
    return TaskTimes(
        uid,
        d,
        d.replace(hour=17),
        d,
        d.replace(hour=17),
        d.replace(day=3),
        d.replace(day=3, hour=17),
        480,
        60,
        False,
        Driver(DriverKind.PROJECT_START, ""),
    )


def test_schedule_overrides_computed_fields_only() -> None:
    data = doc(
        "<Tasks>"
        + task(1, extra="<EarlyStart>2020-01-01T08:00:00</EarlyStart><Critical>1</Critical>")
        + "</Tasks>"
    )
    p = read_mspdi(data)
    result = ScheduleResult(
        ScheduleStatus.OK, datetime(2024, 1, 2, 8), datetime(2024, 1, 2, 17), {1: _times(1)}, []
    )
    root = etree.fromstring(write_mspdi(p, result))
    t = root.find(f"{Q}Tasks/{Q}Task")
    assert t is not None
    assert t.findtext(f"{Q}Start") == "2024-01-02T08:00:00"
    assert t.findtext(f"{Q}EarlyStart") == "2024-01-02T08:00:00"
    assert t.findtext(f"{Q}LateFinish") == "2024-01-03T17:00:00"
    assert (t.findtext(f"{Q}TotalSlack"), t.findtext(f"{Q}FreeSlack")) == ("4800", "600")
    assert t.findtext(f"{Q}Critical") == "0" and t.findtext(f"{Q}Name") == "T1"
    assert len(t.findall(f"{Q}EarlyStart")) == 1
    assert root.findtext(f"{Q}FinishDate") == "2024-01-02T17:00:00"


def test_elements_follow_the_schema_order() -> None:
    p = Project(name="Order", key="ORD", start=datetime(2024, 1, 1, 8))
    p.tasks = [
        Task(
            1,
            "A & <B>",
            deadline=datetime(2024, 3, 1),
            constraint=ConstraintType.MSO,
            constraint_date=datetime(2024, 1, 2),
            notes="n",
            wbs="1",
            cost=5,
        ),
        Task(2, "C", start=datetime(2024, 1, 3)),
    ]
    p.dependencies = [Dependency(1, 2, LinkType.SS, Lag(-480, TimeUnit.DAY))]
    root = etree.fromstring(write_mspdi(p))
    index = {t: i for i, t in enumerate(TASK_ORDER)}
    for t in root.iter(f"{Q}Task"):
        tags = [etree.QName(c).localname for c in t]
        assert tags == sorted(tags, key=index.__getitem__)
    assert read_mspdi(write_mspdi(p)).tasks[0].name == "A & <B>"
    assert read_mspdi(write_mspdi(p)).dependencies == p.dependencies


def test_sort_children_is_the_split_loop() -> None:
    """The one-pass sorter gives what looping over `split` gives, odd children included."""
    from lxml import etree

    from steerco.interop.mspdi.codes import NS
    from steerco.interop.mspdi.fragments import _sort_slow, sort_children

    fields = frozenset({"UID", "Name", "Start", "Notes"})
    bodies = [
        "<UID>1</UID><Name>A &amp; B</Name><Extra>x</Extra><Notes/>",
        "<UID>1</UID><UID>2</UID><Name a='1'>n</Name><Start></Start><Start>2</Start>",
        "<PredecessorLink><PredecessorUID>3</PredecessorUID></PredecessorLink><PredecessorLink/>"
        "<Baseline><Number>0</Number><Start>x</Start></Baseline><Name>  </Name>",
        "<X><X>self-nesting</X></X><UID>7</UID>",
        "",
        "<UID>1</UID>  tail  <Name>n</Name>",
    ]
    for body in bodies:
        el = etree.fromstring(f'<Task xmlns="{NS}">{body}</Task>')
        assert sort_children(el, fields, "PredecessorLink", 29) == _sort_slow(
            el, fields, "PredecessorLink", 29
        ), body


def test_sort_fragment_is_the_split_fragment_loop() -> None:
    from steerco.interop.mspdi.fragments import sort_fragment, split_fragment

    fields = frozenset({"PredecessorUID", "Type", "LinkLag", "LagFormat"})
    for frag in [
        "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type>"
        "<CrossProject>0</CrossProject><LinkLag>10</LinkLag><LagFormat>7</LagFormat>"
        "</PredecessorLink>",
        "<PredecessorLink><Type>1</Type><Type>2</Type><X><X>n</X></X></PredecessorLink>",
        "<PredecessorLink/>",
    ]:
        values: dict[str, str] = {}
        extras: list[str] = []
        for name, text, xml in split_fragment(frag):
            if text is not None and name in fields and name not in values:
                values[name] = text
            else:
                extras.append(xml)
        assert sort_fragment(frag, fields) == (values, extras, []), frag
