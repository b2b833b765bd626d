"""MSPDI value encodings: dates, ISO durations, times of day, booleans and format codes.

Every parser here has an exact inverse in the same module, because the round trip depends on
writing back the value that was read. Where the domain cannot hold a value exactly, the reader
keeps the original element in `extras` instead (see `fragments.py`).
"""

from __future__ import annotations

import re
from datetime import date, datetime

from steerco.domain import ConstraintType, LinkType, TaskType, TimeUnit
from steerco.domain.resource import ResourceKind

NS = "http://schemas.microsoft.com/project"
NST = "{" + NS + "}"

# ----- dates and times ------------------------------------------------------------------------


def parse_datetime(text: str) -> datetime:
    # MSPDI dates are local wall time without a zone; fromisoformat reads them as naive.
    return datetime.fromisoformat(text.strip())


def format_datetime(value: datetime) -> str:
    if value.tzinfo is not None or value.year < 1000:
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    # A plan writes a few thousand distinct dates 800,000 times: each is formatted once
    # (naive datetimes only: aware ones that are equal can read differently).
    text = DATETIME_TEXT.get(value)
    if text is None:
        text = value.isoformat("T", "seconds")  # the same text as strftime, faster
        if len(DATETIME_TEXT) >= 8192:
            DATETIME_TEXT.clear()
        DATETIME_TEXT[value] = text
    return text


DATETIME_TEXT: dict[datetime, str] = {}


def parse_date(text: str) -> date:
    return parse_datetime(text).date()


def parse_time(text: str, *, end: bool = False) -> int:
    """Minutes after midnight; an end time of 00:00 is midnight at the end of the day."""
    parts = text.strip().split(":")
    minutes = int(parts[0]) * 60 + int(parts[1])
    return 1440 if end and minutes == 0 else minutes


def format_time(minutes: int) -> str:
    minutes %= 1440
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


_ISO = re.compile(
    r"^(?P<neg>-)?P(?:(?P<y>\d+)Y)?(?:(?P<mo>\d+)M)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)


def parse_iso_seconds(text: str) -> float | None:
    """Seconds in an xsd:duration such as PT40H0M0S, or None when it is not one."""
    match = _ISO.match(text.strip())
    if match is None or text.strip() in ("P", "-P"):
        return None
    # MSPDI never writes years or months; a day in an xsd:duration is 24 hours.
    seconds = (
        float(match["d"] or 0) * 86400
        + float(match["h"] or 0) * 3600
        + float(match["m"] or 0) * 60
        + float(match["s"] or 0)
    )
    if match["y"] or match["mo"]:
        return None
    return -seconds if match["neg"] else seconds


_PLAIN_ISO = re.compile(r"PT(\d+)H(\d+)M0S")  # what MS Project writes for whole minutes


def parse_iso_minutes(text: str) -> int | None:
    """Whole minutes in an ISO duration; None when it is not whole minutes (kept verbatim)."""
    plain = _PLAIN_ISO.fullmatch(text)
    if plain is not None:
        return int(plain[1]) * 60 + int(plain[2])
    seconds = parse_iso_seconds(text)
    if seconds is None or seconds % 60:
        return None
    return int(seconds // 60)


def format_iso_minutes(minutes: int) -> str:
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    return f"{sign}PT{minutes // 60}H{minutes % 60}M0S"


def parse_bool(text: str) -> bool:
    return text.strip().lower() in ("1", "true")


def format_bool(value: bool) -> str:
    return "1" if value else "0"


def parse_int(text: str) -> int | None:
    """An integer, or None for anything else (the caller then keeps the element verbatim)."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return None
    # "100.00" reads as 100: the same number to every reader of the file.
    return int(value) if value.is_integer() else None


def format_number(value: float) -> str:
    """`1.00`-style as MS Project writes units, unless that would round the value."""
    text = f"{value:.2f}"
    return text if float(text) == value else repr(value)


# ----- duration and lag formats ---------------------------------------------------------------
# MSPDI numbers formats 3..12 (m, em, h, eh, d, ed, w, ew, mo, emo), 19/20 (%, e%), and adds 32
# for the estimated ("?") variant. 21 and 53 mean "no format chosen".

_UNITS: dict[int, tuple[TimeUnit, bool]] = {
    3: (TimeUnit.MINUTE, False),
    4: (TimeUnit.MINUTE, True),
    5: (TimeUnit.HOUR, False),
    6: (TimeUnit.HOUR, True),
    7: (TimeUnit.DAY, False),
    8: (TimeUnit.DAY, True),
    9: (TimeUnit.WEEK, False),
    10: (TimeUnit.WEEK, True),
    11: (TimeUnit.MONTH, False),
    12: (TimeUnit.MONTH, True),
    19: (TimeUnit.PERCENT, False),
    20: (TimeUnit.PERCENT, True),
}
_CODES = {v: k for k, v in _UNITS.items()}
ESTIMATED = 32
NULL_FORMATS = (21, 53)


def decode_format(code: int) -> tuple[TimeUnit, bool, bool] | None:
    """(unit, elapsed, estimated) for a DurationFormat/LagFormat code, None if unknown/null."""
    estimated = code >= 35
    base = code - ESTIMATED if estimated else code
    found = _UNITS.get(base)
    if found is None:
        return None
    return found[0], found[1], estimated


def encode_format(unit: TimeUnit, elapsed: bool, estimated: bool = False) -> int:
    return _CODES[(unit, elapsed)] + (ESTIMATED if estimated else 0)


# ----- enumerations ---------------------------------------------------------------------------

LINK_TYPES: dict[int, LinkType] = {0: LinkType.FF, 1: LinkType.FS, 2: LinkType.SF, 3: LinkType.SS}
LINK_CODES = {v: k for k, v in LINK_TYPES.items()}

CONSTRAINTS: dict[int, ConstraintType] = dict(enumerate(ConstraintType))
CONSTRAINT_CODES = {v: k for k, v in CONSTRAINTS.items()}

TASK_TYPES: dict[int, TaskType] = {
    0: TaskType.FIXED_UNITS,
    1: TaskType.FIXED_DURATION,
    2: TaskType.FIXED_WORK,
}
TASK_TYPE_CODES = {v: k for k, v in TASK_TYPES.items()}

RESOURCE_KINDS: dict[int, ResourceKind] = {
    0: ResourceKind.MATERIAL,
    1: ResourceKind.WORK,
    2: ResourceKind.COST,
}
RESOURCE_KIND_CODES = {v: k for k, v in RESOURCE_KINDS.items()}
