"""Task baselines as MSPDI keeps them: `<Baseline>` elements (numbers 0-10) in a task's extras.

Baselines stay verbatim fragments so that a file's baselines round-trip untouched; this
module reads the few values steerco shows (start, finish, duration) and writes a new
baseline when a project manager saves one. Fragments come from our own reader (namespace
stripped, entities never resolved), but they are parsed with the same locked-down options
as an upload anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from steerco.domain import ValidationError
from steerco.interop.mspdi.codes import (
    format_datetime,
    format_iso_minutes,
    parse_datetime,
    parse_iso_minutes,
)
from steerco.interop.mspdi.fragments import tag_of

MAX_BASELINE = 10
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True, slots=True)
class BaselineValues:
    number: int
    start: datetime | None = None
    finish: datetime | None = None
    duration_minutes: int | None = None


def _parse(fragment: str) -> BaselineValues | None:
    try:
        el = etree.fromstring(fragment, _PARSER)
    except etree.XMLSyntaxError:
        return None
    fields = {child.tag: (child.text or "").strip() for child in el if isinstance(child.tag, str)}
    try:
        number = int(fields.get("Number", "0"))
        start = parse_datetime(fields["Start"]) if fields.get("Start") else None
        finish = parse_datetime(fields["Finish"]) if fields.get("Finish") else None
    except ValueError:
        return None
    duration = parse_iso_minutes(fields["Duration"]) if fields.get("Duration") else None
    return BaselineValues(number, start, finish, duration)


def read_baselines(extras: list[str]) -> dict[int, BaselineValues]:
    """The baselines among an entity's extras, by number."""
    out: dict[int, BaselineValues] = {}
    for frag in extras:
        if tag_of(frag) == "Baseline":
            values = _parse(frag)
            if values is not None:
                out[values.number] = values
    return out


def baseline_fragment(number: int, start: datetime, finish: datetime, duration_minutes: int) -> str:
    """A `<Baseline>` element with its children in the schema's order. The duration is
    shown in days (format 7), as MS Project saves a baseline of a task entered in days."""
    return (
        f"<Baseline><Number>{number}</Number>"
        f"<Start>{format_datetime(start)}</Start><Finish>{format_datetime(finish)}</Finish>"
        f"<Duration>{format_iso_minutes(duration_minutes)}</Duration>"
        f"<DurationFormat>7</DurationFormat><EstimatedDuration>0</EstimatedDuration></Baseline>"
    )


def with_baseline(extras: list[str], fragment: str, number: int) -> list[str]:
    """`extras` with baseline `number` replaced by `fragment` (in its place), or added."""
    out: list[str] = []
    placed = False
    for frag in extras:
        if tag_of(frag) == "Baseline":
            values = _parse(frag)
            if values is not None and values.number == number:
                if not placed:
                    out.append(fragment)
                    placed = True
                continue
        out.append(frag)
    if not placed:
        out.append(fragment)
    return out


def check_number(number: int) -> None:
    if not 0 <= number <= MAX_BASELINE:
        raise ValidationError(f"baseline numbers run from 0 to {MAX_BASELINE}")
