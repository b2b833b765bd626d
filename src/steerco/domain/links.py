"""Reading and writing links the way project managers type them.

MS Project writes a predecessor as `12FS+2d`: the predecessor's row id, the link type
(omitted for a plain FS) and the lag. The CLI takes a task reference instead of an id:
`"Design FS+2d"`, `"1.2 SS"`, `"Kick-off"`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from steerco.domain.dependency import LinkType
from steerco.domain.duration import DEFAULT_WORK_TIME, Lag, WorkTime
from steerco.domain.errors import ValidationError

_SPEC = re.compile(r"^(?P<ref>.*?)\s*(?P<type>FS|SS|FF|SF)(?:\s*(?P<lag>[+-]\s*\S+))?\s*$")


@dataclass(frozen=True, slots=True)
class LinkSpec:
    ref: str
    type: LinkType
    lag: Lag


def parse_link(text: str, work_time: WorkTime = DEFAULT_WORK_TIME) -> LinkSpec:
    text = text.strip()
    if not text:
        raise ValidationError("an empty link: name the predecessor, e.g. 'Design FS+2d'")
    match = _SPEC.match(text)
    if match is None or not match["ref"]:
        return LinkSpec(text, LinkType.FS, Lag())
    lag = Lag.parse(match["lag"].replace(" ", ""), work_time) if match["lag"] else Lag()
    return LinkSpec(match["ref"], LinkType(match["type"]), lag)


def parse_link_list(text: str, work_time: WorkTime = DEFAULT_WORK_TIME) -> list[LinkSpec]:
    """`"3,5FS+2d,7SS"` as typed in a Predecessors column."""
    return [parse_link(part, work_time) for part in text.split(",") if part.strip()]


def format_link(
    ref: str, type_: LinkType, lag: Lag, work_time: WorkTime = DEFAULT_WORK_TIME
) -> str:
    if lag.is_zero:
        return ref if type_ is LinkType.FS else f"{ref}{type_.value}"
    text = lag.format(work_time)
    return f"{ref}{type_.value}{text if text.startswith('-') else '+' + text}"
