"""Rows cut from the bytes (interop/mspdi/rows.py) read exactly as rows read through lxml.

The same plan is spelled in ways lxml serializes differently from the source (comments,
CDATA, attributes, entity and character references, CRLF, spaces in tags, UTF-16): those
must take the general path, the plain spellings the cut, and every spelling must read to
the same project and write the same file.
"""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steerco.interop.mspdi import read_mspdi, write_mspdi
from steerco.interop.mspdi.rows import _has_markup, cut_rows
from steerco.interop.mspdi.safe import _OPTIONS

NS = "http://schemas.microsoft.com/project"

TASKS = (
    "<Task><UID>0</UID><Name>Plan</Name><OutlineLevel>0</OutlineLevel></Task>"
    "<Task><UID>1</UID><Name>Design{name}</Name><OutlineLevel>1</OutlineLevel>"
    "<Duration>PT16H0M0S</Duration><DurationFormat>7</DurationFormat>{extra}</Task>"
    "{between}<Task><UID>2</UID><Name>Build</Name><OutlineLevel>1</OutlineLevel>"
    "<Duration>PT8H0M0S</Duration><DurationFormat>7</DurationFormat>"
    "<PredecessorLink><PredecessorUID>1</PredecessorUID><Type>1</Type>"
    "<LinkLag>0</LinkLag><LagFormat>7</LagFormat></PredecessorLink></Task>"
)


def plan(name: str = "", extra: str = "", between: str = "", head: str = "") -> bytes:
    return (
        f'{head}<Project xmlns="{NS}"><Name>P</Name><StartDate>2026-01-05T08:00:00</StartDate>'
        f"<Tasks>{TASKS.format(name=name, extra=extra, between=between)}</Tasks>"
        "<Resources><Resource><UID>1</UID><Name>Ann</Name></Resource></Resources>"
        "<Assignments><Assignment><UID>1</UID><TaskUID>2</TaskUID><ResourceUID>1</ResourceUID>"
        "</Assignment></Assignments></Project>"
    ).encode()


def same(a: bytes, b: bytes) -> bool:
    return pickle.dumps(read_mspdi(a)) == pickle.dumps(read_mspdi(b))


# Spelled as lxml writes them: cut from the bytes.
CANONICAL = [
    plan(),
    plan(head='<?xml version="1.0" encoding="UTF-8"?>\n'),
    plan(name=" &amp; co &lt;x&gt;&#13;\tnext"),
    plan(extra="<Notes/><ExtendedAttribute><FieldID>1</FieldID><Value/></ExtendedAttribute>"),
    plan(between="\n  "),
]


@pytest.mark.parametrize("data", CANONICAL)
def test_canonical_rows_are_cut_from_the_bytes(data: bytes) -> None:
    cut = cut_rows(data, _OPTIONS)
    assert cut is not None
    assert [s for s, _ in cut.rows()] == ["Tasks"] * 3 + ["Resources", "Assignments"]
    assert b"<Task>" not in cut.skeleton


# (spelling, the canonical spelling it reads as)
DIFFERENT = [
    (plan(name="<!-- c -->"), plan()),
    (plan(name=" ready?!" * 80 + "<!-- c -->"), plan(name=" ready?!" * 80)),
    (plan(name=" what?" + "<?pi x?>"), plan(name=" what?")),
    (plan(name="<![CDATA[ & co]]>"), plan(name=" &amp; co")),
    (plan(name=" &apos;q&apos; &#65;"), plan(name=" 'q' A")),
    (plan(name=" a > b"), plan(name=" a &gt; b")),
    (plan(extra="<Notes></Notes>"), plan(extra="<Notes/>")),
    (plan(extra="<X><Y></Y></X>"), plan(extra="<X><Y/></X>")),
    (plan(extra="<Notes />"), plan(extra="<Notes/>")),
    (plan(extra="<X a='1'>t</X>"), plan(extra='<X a="1">t</X>')),
    (plan(name="\r\nx"), plan(name="\nx")),
    (plan(between="junk"), plan()),
]


@pytest.mark.parametrize(("odd", "plain"), DIFFERENT)
def test_other_spellings_read_the_same(odd: bytes, plain: bytes) -> None:
    assert same(odd, plain)
    assert write_mspdi(read_mspdi(odd)) == write_mspdi(read_mspdi(plain))


def test_a_plan_in_utf16_is_read_the_general_way() -> None:
    data = plan(head='<?xml version="1.0" encoding="UTF-16"?>').decode().encode("utf-16")
    assert cut_rows(data, _OPTIONS) is None
    assert same(data, plan())


def test_a_section_that_is_not_the_projects_own_is_not_taken_for_it() -> None:
    # A <Tasks> inside an unmodelled element comes first in the text; the plan's own
    # (empty) section is later. The cut would take the wrong rows: the tree check refuses.
    nested = plan().replace(
        b"<Tasks>",
        b"<Extension><Tasks><Task><UID>9</UID><Name>Not a row</Name></Task>"
        b"</Tasks></Extension><Tasks>",
        1,
    )
    project = read_mspdi(nested)
    assert [t.uid for t in project.tasks] == [0, 1, 2]
    assert any("Not a row" in e for e in project.extras)


def test_malformed_files_fail_as_they_did() -> None:
    from steerco.domain import ImportRejected

    with pytest.raises(ImportRejected, match="not well-formed"):
        read_mspdi(plan()[:-20])


@given(st.binary(max_size=40).map(lambda b: bytes(b"<!?a"[x % 4] for x in b)), st.data())
def test_markup_is_found_by_its_rare_second_byte(data: bytes, draw: st.DataObject) -> None:
    begin = draw.draw(st.integers(0, len(data)))
    end = draw.draw(st.integers(begin, len(data)))
    for second in (b"!", b"?"):
        assert _has_markup(data, second, begin, end) == (data.find(b"<" + second, begin, end) >= 0)
