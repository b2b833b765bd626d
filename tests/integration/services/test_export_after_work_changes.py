"""An MS Project file edited in steerco and written back says one thing about work: the work
formula changes a task's and its assignments' Work, and their RegularWork and RemainingWork
follow, while the remaining-work rows that spread the old work over the old dates go (MS
Project spreads the new work itself). A task nobody changed is written as it was read. On a
real database (SQLite and PostgreSQL), through import, edit and export."""

from __future__ import annotations

from lxml import etree

from steerco.services import planning
from steerco.services.accounts import LOCAL
from steerco.services.interop import ExportFormat, export_project, import_plan

NS = "http://schemas.microsoft.com/project"
Q = f"{{{NS}}}"


def _work(task: int, hours: int, actual: int = 0) -> str:
    return (
        f"<Work>PT{hours}H0M0S</Work><RegularWork>PT{hours}H0M0S</RegularWork>"
        f"<OvertimeWork>PT0H0M0S</OvertimeWork><ActualWork>PT{actual}H0M0S</ActualWork>"
        f"<RemainingWork>PT{hours - actual}H0M0S</RemainingWork>"
    )


def _rows(uid: int, days: int) -> str:
    return "".join(
        f"<TimephasedData><Type>1</Type><UID>{uid}</UID><Start>2026-01-{5 + d:02d}T08:00:00"
        f"</Start><Finish>2026-01-{5 + d:02d}T17:00:00</Finish><Unit>2</Unit>"
        f"<Value>PT8H0M0S</Value></TimephasedData>"
        for d in range(days)
    )


def _plan() -> bytes:
    tasks = "".join(
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name><Type>0</Type>"
        f"<OutlineLevel>1</OutlineLevel><Start>2026-01-05T08:00:00</Start>"
        f"<Duration>PT{8 * days}H0M0S</Duration><DurationFormat>7</DurationFormat>"
        f"<EffortDriven>0</EffortDriven>{_work(uid, 8 * days)}</Task>"
        for uid, name, days in [(1, "Build", 2), (2, "Test", 3)]
    )
    assignments = "".join(
        f"<Assignment><UID>{uid}</UID><TaskUID>{uid}</TaskUID><ResourceUID>{uid}</ResourceUID>"
        f"<Units>1</Units>{_work(uid, 8 * days)}{_rows(uid, days)}</Assignment>"
        for uid, days in [(1, 2), (2, 3)]
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Project xmlns="{NS}"><Name>Edit</Name>'
        "<StartDate>2026-01-05T08:00:00</StartDate><MinutesPerDay>480</MinutesPerDay>"
        f"<Tasks>{tasks}</Tasks><Resources>"
        "<Resource><UID>1</UID><ID>1</ID><Name>Ana</Name><Type>1</Type></Resource>"
        "<Resource><UID>2</UID><ID>2</ID><Name>Bob</Name><Type>1</Type></Resource>"
        f"</Resources><Assignments>{assignments}</Assignments></Project>"
    ).encode()


def _fields(el: etree._Element) -> dict[str, str | None]:
    return {k: el.findtext(Q + k) for k in ("Work", "RegularWork", "RemainingWork")}


def _export(uow_factory, key: str) -> etree._Element:
    xml = export_project(uow_factory, key, ExportFormat.MSPDI, actor=LOCAL)
    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False))


def test_work_fields_follow_an_edit_and_stale_rows_go(uow_factory) -> None:
    key = import_plan(uow_factory, _plan(), actor=LOCAL, max_bytes=1 << 20).key
    before = _export(uow_factory, key)
    version = planning.load(uow_factory, key, actor=LOCAL).task(1).version
    planning.update_task(
        uow_factory, key, 1, planning.TaskChanges(duration="4d"), actor=LOCAL, version=version
    )
    after = _export(uow_factory, key)

    build = {"Work": "PT32H0M0S", "RegularWork": "PT32H0M0S", "RemainingWork": "PT32H0M0S"}
    task = after.find(f"{Q}Tasks/{Q}Task[{Q}UID='1']")
    asn = after.find(f"{Q}Assignments/{Q}Assignment[{Q}UID='1']")
    assert _fields(task) == _fields(asn) == build  # 4 days at 100%, all of it to do
    assert asn.findall(f"{Q}TimephasedData") == []  # 2 days of rows no longer say anything

    # Test was not touched: its work as read, its assignment as read, rows and all (its
    # slack changed with the finish, so the task row as a whole is not compared).
    test = f"{Q}Tasks/{Q}Task[{Q}UID='2']"
    assert _fields(after.find(test)) == _fields(before.find(test))
    mine = f"{Q}Assignments/{Q}Assignment[{Q}UID='2']"
    assert etree.tostring(after.find(mine)) == etree.tostring(before.find(mine))
    assert len(after.findall(f"{mine}/{Q}TimephasedData")) == 3


def test_a_file_nobody_edited_keeps_its_fields_and_rows(uow_factory) -> None:
    key = import_plan(uow_factory, _plan(), actor=LOCAL, max_bytes=1 << 20).key
    out = _export(uow_factory, key)
    asn = out.find(f"{Q}Assignments/{Q}Assignment[{Q}UID='1']")
    assert _fields(asn) == {k: "PT16H0M0S" for k in ("Work", "RegularWork", "RemainingWork")}
    assert len(asn.findall(f"{Q}TimephasedData")) == 2
