"""Cost rate tables in MS Project XML: read into the domain, written back as MS Project does."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from lxml import etree

from steerco.domain import CostRate
from steerco.interop.mspdi import fact_retention, read_mspdi, write_mspdi
from tests.integration.interop.interop_corpus import mspdi_dir

NS = "http://schemas.microsoft.com/project"
Q = f"{{{NS}}}"


def doc(resource: str, assignment: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Project xmlns="{NS}"><Name>Rates</Name>'
        "<StartDate>2024-01-01T08:00:00</StartDate><Tasks><Task><UID>1</UID><ID>1</ID>"
        "<Name>T</Name><OutlineLevel>1</OutlineLevel><Duration>PT16H0M0S</Duration></Task>"
        f"</Tasks><Resources><Resource><UID>1</UID><ID>1</ID><Name>Ana</Name><Type>1</Type>"
        f"{resource}</Resource></Resources><Assignments>{assignment}</Assignments></Project>"
    ).encode()


def rate(table: int, start: str, end: str, standard: str, per_use: str, extra: str = "") -> str:
    return (
        f"<Rate><RatesFrom>{start}</RatesFrom><RatesTo>{end}</RatesTo><RateTable>{table}"
        f"</RateTable><StandardRate>{standard}</StandardRate><StandardRateFormat>2"
        f"</StandardRateFormat><OvertimeRate>0</OvertimeRate><OvertimeRateFormat>2"
        f"</OvertimeRateFormat><CostPerUse>{per_use}</CostPerUse>{extra}</Rate>"
    )


START, END = "1984-01-01T00:00:00", "2049-12-31T23:59:06"
TWO_LINES = (
    "<StandardRate>95</StandardRate><StandardRateFormat>2</StandardRateFormat>"
    "<CostPerUse>5000</CostPerUse><Rates>"
    + rate(0, START, "2025-01-01T08:00:00", "95", "5000")
    + rate(0, "2025-01-01T08:00:00", END, "110.5", "5000")
    + rate(1, START, END, "60", "0")
    + "</Rates>"
)


def _rates(data: bytes) -> list[etree._Element]:
    return etree.fromstring(data).findall(f".//{Q}Resource/{Q}Rates")


def test_lines_are_read_per_table_with_per_use_in_hundredths() -> None:
    (res,) = read_mspdi(doc(TWO_LINES)).resources
    assert res.rates == (
        CostRate(0, None, 95.0, 0.0, 50.0),
        CostRate(0, datetime(2025, 1, 1, 8), 110.5, 0.0, 50.0),
        CostRate(1, None, 60.0, 0.0, 0.0),
    )
    # The block and the resource's own copy of table A are now the rates, not extras.
    assert not [e for e in res.extras if e.startswith(("<Rates>", "<StandardRate>", "<CostPer"))]
    assert "<StandardRateFormat>2</StandardRateFormat>" in res.extras


def test_a_file_comes_back_with_the_same_lines() -> None:
    data = doc(TWO_LINES)
    out = write_mspdi(read_mspdi(data))
    assert fact_retention(data, out) == fact_retention(data, data)
    assert read_mspdi(out) == read_mspdi(data)
    (block,) = _rates(out)
    assert [r.findtext(f"{Q}RatesTo") for r in block] == ["2025-01-01T08:00:00", END, END]


def test_without_a_rates_block_the_resource_s_own_rates_are_table_a() -> None:
    (res,) = read_mspdi(
        doc("<StandardRate>40</StandardRate><CostPerUse>250</CostPerUse>")
    ).resources
    assert res.rates == (CostRate(0, None, 40.0, 0.0, 2.5),)
    (zero,) = read_mspdi(doc("<StandardRate>0</StandardRate><CostPerUse>0</CostPerUse>")).resources
    assert zero.rates == () and any(e.startswith("<StandardRate>") for e in zero.extras)


def test_a_block_the_domain_cannot_hold_stays_verbatim() -> None:
    odd = "<Rates>" + rate(0, START, END, "95", "0", "<Surprise>1</Surprise>") + "</Rates>"
    data = doc(odd)
    (res,) = read_mspdi(data).resources
    assert res.rates == ()
    out = write_mspdi(read_mspdi(data))
    assert b"<Surprise>1</Surprise>" in out and len(_rates(out)) == 1


def test_rates_set_in_steerco_replace_a_verbatim_block() -> None:
    odd = "<Rates>" + rate(0, START, END, "95", "0", "<Surprise>1</Surprise>") + "</Rates>"
    project = read_mspdi(doc(odd))
    project.resources[0].rates = (CostRate(standard=70),)
    out = write_mspdi(project)
    (block,) = _rates(out)
    assert [r.findtext(f"{Q}StandardRate") for r in block] == ["70"]
    assert b"Surprise" not in out


def test_an_assignment_s_rate_table_is_read_and_written() -> None:
    asg = (
        "<Assignment><UID>1</UID><TaskUID>1</TaskUID><ResourceUID>1</ResourceUID>"
        "<Units>1</Units><CostRateTable>2</CostRateTable></Assignment>"
    )
    project = read_mspdi(doc(TWO_LINES, asg))
    assert project.assignments[0].rate_table == 2
    project.assignments[0] = replace(project.assignments[0], rate_table=0)
    assert b"CostRateTable" not in write_mspdi(project)  # table A is MS Project's default


def test_ms_project_s_own_rate_tables_come_back_whole() -> None:
    path = mspdi_dir() / "mspdicostratetable.xml"
    if not path.is_file():
        pytest.skip(f"no {path.name} under {mspdi_dir()} (set STEERCO_DATA)")
    data = path.read_bytes()
    project = read_mspdi(data)
    three = next(r for r in project.resources if r.name == "Resource Three")
    assert len(three.rates) == 10 and {r.table for r in three.rates} == {0, 1, 2, 3, 4}
    assert three.rates[1] == CostRate(0, datetime(2009, 6, 15, 8), 1200.0, 25.0, 30.0, 1, 2)
    out = write_mspdi(project)
    kept, total = fact_retention(data, out)
    assert kept == total
    assert read_mspdi(out) == project
