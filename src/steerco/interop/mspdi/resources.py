"""MSPDI `Resource` and `Assignment` elements <-> domain resources and assignments.

Cost rate tables (`rates.py`) and the Can Level flag are read into the domain; availability,
baselines, custom fields and timephased data are carried verbatim.
"""

from __future__ import annotations

from lxml import etree

from steerco.domain import Assignment, Resource
from steerco.domain.errors import ValidationError
from steerco.domain.resource import ResourceKind
from steerco.engine.result import TaskTimes
from steerco.interop.mspdi import codes
from steerco.interop.mspdi.fragments import escape, leaf, merge, sort_children, tag_of
from steerco.interop.mspdi.order import ASSIGNMENT_ORDER, RESOURCE_ORDER, index_of
from steerco.interop.mspdi.rates import RATE_TAGS, rate_fragments, take_rates

_RES_ORDER = index_of(RESOURCE_ORDER)
_ASN_ORDER = index_of(ASSIGNMENT_ORDER)
RESOURCE_FIELDS = frozenset(
    {
        "UID", "Name", "Type", "MaxUnits", "CalendarUID", "Initials", "Group", "EmailAddress",
        "CanLevel",
    }
)  # fmt: skip
ASSIGNMENT_FIELDS = frozenset({"UID", "TaskUID", "ResourceUID", "Units", "Work", "CostRateTable"})


def _leaves(
    el: etree._Element | str, fields: frozenset[str], budget: int
) -> tuple[dict[str, str], list[str]]:
    values, extras, _ = sort_children(el, fields, "", budget)
    return values, extras


def _float(text: str | None) -> float | None:
    if text is None or not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        return None


def read_resource(el: etree._Element | str, budget: int = 29) -> Resource | None:
    values, extras = _leaves(el, RESOURCE_FIELDS, budget)
    uid = codes.parse_int(values.get("UID", ""))
    if uid is None:
        return None
    kind = codes.RESOURCE_KINDS.get(codes.parse_int(values.get("Type", "1")) or 0)
    if kind is None or "Type" not in values:
        kind = ResourceKind.WORK
        if "Type" in values:
            extras.append(leaf("Type", values["Type"]))
    units = _float(values.get("MaxUnits"))
    if units is None or units < 0:
        if "MaxUnits" in values:
            extras.append(leaf("MaxUnits", values["MaxUnits"]))
        units = 1.0
    calendar = codes.parse_int(values.get("CalendarUID", "-1") or "-1")
    rates = take_rates(extras)
    can_level = values.get("CanLevel", "1").strip().lower() not in ("0", "false")
    if can_level and not codes.parse_bool(values.get("CanLevel", "1")):
        extras.append(leaf("CanLevel", values["CanLevel"]))  # not a boolean: kept as it was
    try:
        return Resource(
            uid=uid,
            name=values.get("Name", ""),
            kind=kind,
            max_units=units,
            calendar_uid=calendar if calendar is not None and calendar >= 0 else None,
            initials=values.get("Initials", ""),
            group=values.get("Group", ""),
            email=values.get("EmailAddress", ""),
            extras=extras,
            rates=rates,
            can_level=can_level,
        )
    except ValidationError:
        return None


def write_resource(res: Resource) -> str:
    items: list[tuple[str, str]] = [
        ("UID", f"<UID>{res.uid}</UID>"),
        ("Name", f"<Name>{escape(res.name)}</Name>"),
        ("Type", f"<Type>{codes.RESOURCE_KIND_CODES[res.kind]}</Type>"),
        ("MaxUnits", f"<MaxUnits>{codes.format_number(res.max_units)}</MaxUnits>"),
        ("CanLevel", f"<CanLevel>{codes.format_bool(res.can_level)}</CanLevel>"),
    ]
    if res.calendar_uid is not None:
        items.append(("CalendarUID", f"<CalendarUID>{res.calendar_uid}</CalendarUID>"))
    for tag, value in (
        ("Initials", res.initials),
        ("Group", res.group),
        ("EmailAddress", res.email),
    ):
        if value:
            items.append((tag, leaf(tag, value)))
    extras = res.extras
    if res.rates:
        # Rates set in steerco on a resource imported with a verbatim block: ours win.
        extras = [f for f in extras if tag_of(f) not in RATE_TAGS] + rate_fragments(res.rates)
    return f"<Resource>{merge(items, extras, _RES_ORDER, RESOURCE_FIELDS)}</Resource>"


def read_assignment(el: etree._Element | str, budget: int = 29) -> Assignment | None:
    values, extras = _leaves(el, ASSIGNMENT_FIELDS, budget)
    uid = codes.parse_int(values.get("UID", ""))
    task = codes.parse_int(values.get("TaskUID", ""))
    resource = codes.parse_int(values.get("ResourceUID", ""))
    if uid is None or task is None or resource is None:
        return None
    units = _float(values.get("Units"))
    if units is None or units < 0:
        if "Units" in values:
            extras.append(leaf("Units", values["Units"]))
        units = 1.0
    work: int | None = None
    if "Work" in values:
        work = codes.parse_iso_minutes(values["Work"])
        if work is None:
            extras.append(leaf("Work", values["Work"]))
    table = codes.parse_int(values.get("CostRateTable", "0") or "0")
    if table is None or not 0 <= table <= 4:
        extras.append(leaf("CostRateTable", values["CostRateTable"]))
        table = 0
    return Assignment(uid, task, resource, units, work, extras, table)


def _units(value: float) -> str:
    text = f"{value:g}"
    return text if float(text) == value else repr(value)


def write_assignment(asn: Assignment, times: TaskTimes | None = None) -> str:
    """With `times` (its task's computed dates), the assignment's Start/Finish follow them."""
    items: list[tuple[str, str]] = [
        ("UID", f"<UID>{asn.uid}</UID>"),
        ("TaskUID", f"<TaskUID>{asn.task_uid}</TaskUID>"),
        ("ResourceUID", f"<ResourceUID>{asn.resource_uid}</ResourceUID>"),
        ("Units", f"<Units>{_units(asn.units)}</Units>"),
    ]
    if asn.work_minutes is not None:
        items.append(("Work", f"<Work>{codes.format_iso_minutes(asn.work_minutes)}</Work>"))
    if asn.rate_table:
        items.append(("CostRateTable", f"<CostRateTable>{asn.rate_table}</CostRateTable>"))
    forced = None
    if times is not None:
        fmt = codes.format_datetime
        forced = {
            "Start": f"<Start>{fmt(times.start)}</Start>",
            "Finish": f"<Finish>{fmt(times.finish)}</Finish>",
        }
    merged = merge(items, asn.extras, _ASN_ORDER, ASSIGNMENT_FIELDS, forced)
    return f"<Assignment>{merged}</Assignment>"
