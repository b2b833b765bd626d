"""The reader's and writer's shortcuts give what the general paths give.

Memos and per-shape plans make 100,000-task files fast; these tests pin that they change no
output: the link shortcut against the general decoder, a merge plan reused across rows with
different texts, the date memo against strftime, and the row streaming over many rows.
"""

from __future__ import annotations

from datetime import UTC, datetime

from steerco.domain import LinkType
from steerco.interop.mspdi import codes, read_mspdi, write_mspdi
from steerco.interop.mspdi.fragments import merge, sort_fragment
from steerco.interop.mspdi.tasks import _LINK_FIELDS, _link_parts, read_link

NS = "http://schemas.microsoft.com/project"


def _general(xml: str, successor: int, known: set[int]) -> tuple[object, ...] | None:
    values, extras, _ = sort_fragment(xml, _LINK_FIELDS)
    pred = codes.parse_int(values.get("PredecessorUID", ""))
    if pred is None or pred == successor or pred not in known:
        return None
    link_type, lag, carried = _link_parts(values, extras)
    if codes.LINK_TYPES.get(codes.parse_int(values.get("Type", "1")) or 0) is None:
        return None
    return pred, link_type, lag, list(carried)


def test_link_shortcut_matches_the_general_decoder() -> None:
    known = {1, 2, 3}
    links = [
        "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type>"
        "<LinkLag>4800</LinkLag><LagFormat>7</LagFormat></PredecessorLink>",
        # the same tail after another predecessor: served from the memo
        "<PredecessorLink><PredecessorUID>2</PredecessorUID><Type>1</Type>"
        "<LinkLag>4800</LinkLag><LagFormat>7</LagFormat></PredecessorLink>",
        "<PredecessorLink><PredecessorUID>2</PredecessorUID><Type>3</Type>"
        "<CrossProject>0</CrossProject><LinkLag>-15</LinkLag><LagFormat>39</LagFormat>"
        "</PredecessorLink>",
        "<PredecessorLink><PredecessorUID>9</PredecessorUID><Type>1</Type></PredecessorLink>",
        "<PredecessorLink><PredecessorUID>3</PredecessorUID><Type>1</Type></PredecessorLink>",
        "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>7</Type></PredecessorLink>",
        "<PredecessorLink><Type>2</Type><PredecessorUID>1</PredecessorUID></PredecessorLink>",
    ]
    for xml in links + links:  # twice: the second round is all memo hits
        dep = read_link(xml, 3, known)
        expected = _general(xml, 3, known)
        got = None if dep is None else (dep.predecessor, dep.type, dep.lag, dep.extras)
        assert got == expected, xml
    first = read_link(links[0], 3, known)
    second = read_link(links[1], 3, known)
    assert first is not None and second is not None
    assert first.type is LinkType.FS and first.lag.minutes == 480
    second.extras.append("<X>1</X>")  # each link owns its extras list
    assert first.extras == []


def test_merge_plan_is_reused_with_each_rows_own_text() -> None:
    order = {"A": 0, "B": 1, "C": 2, "D": 3}
    single = frozenset({"A", "C"})
    rows = [
        merge(
            [("A", f"<A>{i}</A>"), ("C", f"<C>{i}</C>")],
            [f"<B>{i}</B>", f"<D>{i}</D>"],
            order,
            single,
        )
        for i in range(3)
    ]
    assert rows == [f"<A>{i}</A><B>{i}</B><C>{i}</C><D>{i}</D>" for i in range(3)]
    # an extra with a modeled single tag wins; forced values win over both; unknown tags last
    got = merge(
        [("A", "<A>1</A>"), ("C", "<C>1</C>")],
        ["<Z>z</Z>", "<C>keep</C>", '<B x="1">b</B>', "<D/>"],
        order,
        single,
        {"A": "<A>forced</A>"},
    )
    assert got == '<A>forced</A><B x="1">b</B><C>keep</C><D/><Z>z</Z>'


def test_date_memo_writes_what_strftime_writes() -> None:
    for value in (datetime(2025, 1, 6, 8, 0, 0, 123456), datetime(2031, 12, 31, 23, 59)):
        for _ in range(2):
            assert codes.format_datetime(value) == value.strftime("%Y-%m-%dT%H:%M:%S")
    aware = datetime(2025, 1, 6, 8, tzinfo=UTC)
    assert codes.format_datetime(aware) == "2025-01-06T08:00:00"


def test_many_rows_stream_through_in_order() -> None:
    # More rows than a freeing batch, with resources and assignments after the tasks.
    tasks = "".join(
        f"<Task><UID>{i}</UID><Name>T{i}</Name><OutlineLevel>1</OutlineLevel>"
        + (
            f"<PredecessorLink><PredecessorUID>{i - 1}</PredecessorUID><Type>1</Type>"
            "</PredecessorLink>"
            if i > 1
            else ""
        )
        + "</Task>"
        for i in range(1, 1200)
    )
    resources = "".join(
        f"<Resource><UID>{i}</UID><Name>R{i}</Name></Resource>" for i in range(1, 300)
    )
    assignments = "".join(
        f"<Assignment><UID>{i}</UID><TaskUID>{i}</TaskUID><ResourceUID>1</ResourceUID></Assignment>"
        for i in range(1, 700)
    )
    xml = (
        f'<Project xmlns="{NS}"><Name>P</Name><StartDate>2025-01-06T08:00:00</StartDate>'
        f"<Tasks>{tasks}</Tasks><Resources>{resources}</Resources>"
        f"<Assignments>{assignments}</Assignments></Project>"
    ).encode()
    project = read_mspdi(xml)
    assert [t.uid for t in project.tasks] == list(range(1, 1200))
    assert len(project.dependencies) == 1198
    assert [r.uid for r in project.resources] == list(range(1, 300))
    assert [a.uid for a in project.assignments] == list(range(1, 700))
    again = read_mspdi(write_mspdi(project))
    assert again == project


def test_values_the_domain_cannot_hold_are_kept_in_table_order() -> None:
    # The single-pass decoder meets fields in document order; what it cannot hold still goes
    # to extras in the order of its tables (the order the reader has always used).
    row = (
        "<Task><UID>1</UID><Name>A</Name><Priority>2000</Priority><Start>nope</Start>"
        "<Type>9</Type><CalendarUID>q</CalendarUID><RemainingDuration>PT1.5S</RemainingDuration>"
        "<ConstraintDate>bad</ConstraintDate><ConstraintType>zz</ConstraintType>"
        "<DurationFormat>abc</DurationFormat><OutlineLevel>x</OutlineLevel>"
        "<Duration>PT1S</Duration><Work>PT1S</Work><Cost>c</Cost></Task>"
    )
    doc = (
        f'<Project xmlns="{NS}"><Name>P</Name><StartDate>2026-01-05T08:00:00</StartDate>'
        f"<Tasks>{row}</Tasks></Project>"
    ).encode()
    (task,) = read_mspdi(doc).tasks
    tags = [x[1 : x.index(">")] for x in task.extras]
    assert tags == [
        "OutlineLevel", "DurationFormat", "ConstraintType", "ConstraintDate",
        "RemainingDuration", "CalendarUID", "Type", "Duration", "Start", "Priority", "Work",
        "Cost",
    ]  # fmt: skip
    assert task.priority == 500 and task.outline_level == 1 and task.start is None
