"""CSV/XLSX export as MS Project writes its table, formula-safe; CSV import with a mapping."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from steerco.domain import (
    Assignment,
    Dependency,
    Duration,
    Lag,
    LinkType,
    Project,
    Resource,
    Task,
    TimeUnit,
    ValidationError,
    WorkTime,
)
from steerco.interop.csvxlsx import export_csv, export_xlsx, import_csv, parse_links

EVIL = '=HYPERLINK("http://evil.example","click")'


def sample() -> Project:
    p = Project(name="Demo", key="DEMO", start=datetime(2024, 1, 1, 8))
    p.tasks = [
        Task(0, "Demo", outline_level=0),
        Task(1, "Phase", summary=True),
        Task(
            2, EVIL, outline_level=2, start=datetime(2024, 1, 1, 8), finish=datetime(2024, 1, 1, 17)
        ),
        Task(3, "+cmd", outline_level=2, duration=Duration(960, TimeUnit.DAY)),
        Task(4, "@sum", outline_level=2, duration=Duration(0), milestone=True),
        Task(5, "-minus\tand tab", outline_level=1, percent_complete=50),
    ]
    p.dependencies = [
        Dependency(2, 3),
        Dependency(3, 4, LinkType.SS, Lag(-480, TimeUnit.DAY)),
        Dependency(2, 5, LinkType.FS, Lag(960, TimeUnit.DAY)),
        Dependency(4, 5, LinkType.FF, Lag(0, TimeUnit.PERCENT, False, 50.0)),
    ]
    p.resources = [Resource(1, "Ada"), Resource(2, "=cmd|' /C calc'!A0")]
    p.assignments = [Assignment(1, 2, 1), Assignment(2, 2, 2, units=0.5)]
    return p


def test_csv_export_columns_predecessors_and_escaping() -> None:
    data = export_csv(sample())
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ID", "WBS", "Name"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["2"][2] == "'" + EVIL
    assert by_id["3"][2] == "'+cmd" and by_id["4"][2] == "'@sum"
    assert by_id["5"][2] == "'-minus\tand tab"
    assert by_id["3"][7] == "2" and by_id["4"][7] == "3SS-1d"
    assert by_id["5"][7] == "2FS+2d,4FF+50%"
    assert by_id["2"][8] == "Ada, =cmd|' /C calc'!A0[50%]"  # does not start with "="
    assert by_id["3"][5] == "2d" and by_id["2"][3] == "2024-01-01 08:00"
    assert by_id["3"][1] == "1.2"


def test_xlsx_export_keeps_formulas_as_text() -> None:
    book = load_workbook(io.BytesIO(export_xlsx(sample())))
    sheet = book["Tasks"]
    names = {row[0].value: row[2] for row in sheet.iter_rows(min_row=2)}
    assert names[2].value == EVIL and names[2].data_type == "s"
    assert names[3].value == "+cmd" and names[3].data_type == "s"
    assert sheet.cell(row=3, column=4).value == datetime(2024, 1, 1, 8)


def test_parse_links_ms_project_forms() -> None:
    links = parse_links("12FS+2d, 3SS-1 day;5,4ff+3 ewks,7SF+50%", WorkTime())
    assert links[0] == (12, LinkType.FS, Lag(960, TimeUnit.DAY))
    assert links[1] == (3, LinkType.SS, Lag(-480, TimeUnit.DAY))
    assert links[2] == (5, LinkType.FS, Lag())
    assert links[3] == (4, LinkType.FF, Lag(30240, TimeUnit.WEEK, elapsed=True))
    assert links[4][2].percent == 50.0


CSV = (
    "\ufeffRow;Task Name;Dur;Begin;Outline;Preds\n"
    "1;Phase;;;1;\n"
    "2;Design;5 days;2024-01-08;2;\n"
    "3;Build;3d;;2;2FS+1d\n"
    "4;Ship;0d;;2;3\n"
)
MAPPING = {
    "id": "Row",
    "name": "Task Name",
    "duration": "Dur",
    "start": "Begin",
    "outline_level": "Outline",
    "predecessors": "Preds",
}


def test_csv_import_dry_run_touches_nothing() -> None:
    p = Project(name="Target", key="TGT", start=datetime(2024, 1, 1, 8))
    before = (list(p.tasks), list(p.dependencies))
    plan = import_csv(p, CSV, MAPPING, dry_run=True)
    assert [t.name for t in plan.tasks] == ["Phase", "Design", "Build", "Ship"]
    assert plan.tasks[1].duration == Duration(2400, TimeUnit.DAY)
    assert plan.tasks[3].milestone and plan.tasks[1].start == datetime(2024, 1, 8)
    assert [(d.predecessor, d.successor, d.lag.minutes) for d in plan.dependencies] == [
        (2, 3, 480),
        (3, 4, 0),
    ]
    assert (p.tasks, p.dependencies) == before


def test_csv_import_applies_when_not_a_dry_run() -> None:
    p = Project(name="Target", key="TGT", start=datetime(2024, 1, 1, 8))
    import_csv(p, CSV.encode("utf-8"), MAPPING, dry_run=False)
    assert [t.name for t in p.tasks] == ["Phase", "Design", "Build", "Ship"]
    assert p.tasks[0].summary and len(p.dependencies) == 2


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("2;Build;three days;;2;1", "line 3: cannot read duration"),
        ("2;Build;3d;next week;2;1", "line 3: cannot read date"),
        ("2;;3d;;2;1", "line 3: a task needs a name"),
        ("2;Build;3d;;4;1", "line 3: outline level 4 skips"),
        ("2;Build;3d;;2;9", "line 3: predecessor 9 is not a row"),
        ("2;Build;3d;;2;1XX", "line 3: cannot read predecessor"),
    ],
)
def test_csv_import_names_the_bad_line(bad: str, message: str) -> None:
    text = "Row;Task Name;Dur;Begin;Outline;Preds\n1;Design;5d;;1;\n" + bad + "\n"
    bad_level = bad.replace(";2;", ";1;") if "skips" not in message else bad
    text = text.replace(bad, bad_level)
    p = Project(name="Target", key="TGT", start=datetime(2024, 1, 1, 8))
    with pytest.raises(ValidationError, match=message):
        import_csv(p, text, MAPPING, dry_run=False)
    assert p.tasks == [] or all(t.name for t in p.tasks)


def test_csv_import_mapping_errors() -> None:
    p = Project(name="Target", key="TGT", start=datetime(2024, 1, 1, 8))
    with pytest.raises(ValidationError, match="no column 'Nom'"):
        import_csv(p, CSV, {"name": "Nom"})
    with pytest.raises(ValidationError, match="unknown field"):
        import_csv(p, CSV, {"name": "Task Name", "__class__": "Row"})
    with pytest.raises(ValidationError, match="needs a name"):
        import_csv(p, CSV, {"id": "Row"})


def test_csv_round_trip_through_export() -> None:
    exported = export_csv(sample())
    p = Project(name="Copy", key="COPY", start=datetime(2024, 1, 1, 8))
    plan = import_csv(
        p,
        exported,
        {
            "id": "ID",
            "name": "Name",
            "wbs": "WBS",
            "duration": "Duration",
            "predecessors": "Predecessors",
        },
    )
    assert [t.name for t in plan.tasks][0] == "Phase"
    assert len(plan.dependencies) == 4


@pytest.mark.parametrize("starter", ["=", "+", "-", "@"])
@pytest.mark.parametrize(
    "body",
    [
        "1+1",
        'HYPERLINK("http://evil.example","x")',
        "cmd|' /C calc'!A0",
        "<script>alert(1)</script>",
    ],
)
def test_every_formula_starter_stays_text_in_csv_and_xlsx(starter: str, body: str) -> None:
    # SECURITY.md: CSV/formula injection. Whatever a name starts with, a spreadsheet shows it.
    p = Project(name="Demo", key="DEMO", start=datetime(2024, 1, 1, 8))
    p.tasks = [Task(0, "Demo", outline_level=0), Task(1, starter + body)]
    rows = list(csv.reader(io.StringIO(export_csv(p).decode("utf-8-sig"))))
    assert rows[1][2] == "'" + starter + body
    cell = load_workbook(io.BytesIO(export_xlsx(p)))["Tasks"].cell(row=2, column=3)
    assert cell.value == starter + body and cell.data_type == "s"


def test_html_in_names_is_plain_text_in_csv() -> None:
    # A CSV is not HTML: the text goes out as typed, and the API serves it as an attachment.
    p = Project(name="Demo", key="DEMO", start=datetime(2024, 1, 1, 8))
    p.tasks = [Task(0, "Demo", outline_level=0), Task(1, '<img src=x onerror=alert(1)>"x",y')]
    rows = list(csv.reader(io.StringIO(export_csv(p).decode("utf-8-sig"))))
    assert rows[1][2] == '<img src=x onerror=alert(1)>"x",y'
