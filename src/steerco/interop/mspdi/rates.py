"""A resource's cost rate tables: MSPDI's `Rates` block <-> `CostRate` lines.

MS Project writes each of the five tables (A-E) as `Rate` rows from `RatesFrom` to `RatesTo`;
rates are per hour whatever their display format, and `CostPerUse` is in hundredths of the
currency (MPXJ reads it the same way). The resource's own `StandardRate`, `OvertimeRate` and
`CostPerUse` repeat table A, so they are read only when the file has no `Rates` block, and
written from table A's first line.

A block holding anything these lines cannot (an unknown child, a bad number) stays verbatim
in the resource's extras, and the resource then has no rates: nothing is lost or guessed.
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree

from steerco.domain.errors import ValidationError
from steerco.domain.resource import CostRate, check_rates
from steerco.interop.mspdi import codes
from steerco.interop.mspdi.codes import NS

# MS Project's bounds of a rate line that runs "from the start" or "until the end", as it
# writes them (the odd six seconds included).
FROM_START = datetime(1984, 1, 1)
UNTIL_END = "2049-12-31T23:59:06"
_FIELDS = (
    "RatesFrom", "RatesTo", "RateTable", "StandardRate", "StandardRateFormat", "OvertimeRate",
    "OvertimeRateFormat", "CostPerUse",
)  # fmt: skip
_LEVEL = ("StandardRate", "OvertimeRate", "CostPerUse")  # the resource's own copy of table A
RATE_TAGS = frozenset({"Rates", *_LEVEL})  # what `rate_fragments` writes


def take_rates(extras: list[str]) -> tuple[CostRate, ...]:
    """The rates of a resource, taken out of its verbatim `extras` (the resource-level copy
    of table A goes with them)."""
    for k, frag in enumerate(extras):
        if frag.startswith(("<Rates>", "<Rates ")):
            rates = _parse(frag)
            if rates is None:
                return ()
            del extras[k]
            _drop_level_copy(extras)
            return rates
    return _from_level(extras)


def _parse(frag: str) -> tuple[CostRate, ...] | None:
    safe = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        block = etree.fromstring(f'<w xmlns="{NS}">{frag}</w>', safe)[0]
    except etree.XMLSyntaxError:
        return None
    lines = []
    for row in block:
        if not isinstance(row.tag, str) or etree.QName(row).localname != "Rate":
            return None
        values: dict[str, str] = {}
        for child in row:
            name = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if name not in _FIELDS or len(child) or name in values:
                return None
            values[name] = (child.text or "").strip()
        try:
            lines.append(_line(values))
        except (ValueError, ValidationError):
            return None
    try:
        return check_rates(lines)
    except ValidationError:
        return None


def _line(values: dict[str, str]) -> CostRate:
    start = codes.parse_datetime(values["RatesFrom"]) if values.get("RatesFrom") else None
    return CostRate(
        table=int(values.get("RateTable") or 0),
        effective=None if start is None or start <= FROM_START else start,
        standard=float(values.get("StandardRate") or 0),
        overtime=float(values.get("OvertimeRate") or 0),
        per_use=float(values.get("CostPerUse") or 0) / 100,
        standard_format=int(values.get("StandardRateFormat") or 2),
        overtime_format=int(values.get("OvertimeRateFormat") or 2),
    )


def _level_leaves(extras: list[str]) -> dict[str, tuple[int, str]]:
    found = {}
    for k, frag in enumerate(extras):
        for tag in _LEVEL:
            if frag.startswith(f"<{tag}>") and frag.endswith(f"</{tag}>"):
                found[tag] = (k, frag[len(tag) + 2 : -len(tag) - 3])
    return found


def _drop_level_copy(extras: list[str]) -> None:
    for k in sorted((k for k, _ in _level_leaves(extras).values()), reverse=True):
        del extras[k]


def _from_level(extras: list[str]) -> tuple[CostRate, ...]:
    """A file without a `Rates` block: table A from the resource's own fields, if any."""
    leaves = _level_leaves(extras)
    if not leaves:
        return ()
    try:
        line = _line({tag: text for tag, (_, text) in leaves.items()})
    except (ValueError, ValidationError):
        return ()
    if line == CostRate():
        return ()  # all zero: MS Project's defaults, nothing to carry
    _drop_level_copy(extras)
    return (line,)


def rate_fragments(rates: tuple[CostRate, ...]) -> list[str]:
    """The resource-level copy of table A's first line, then the `Rates` block."""
    if not rates:
        return []
    first = next((r for r in rates if r.table == 0), CostRate())
    out = [
        f"<StandardRate>{_number(first.standard)}</StandardRate>",
        f"<OvertimeRate>{_number(first.overtime)}</OvertimeRate>",
        f"<CostPerUse>{_number(round(first.per_use * 100, 6))}</CostPerUse>",
    ]
    rows = []
    for k, r in enumerate(rates):
        after = rates[k + 1] if k + 1 < len(rates) else None
        until = after.effective if after is not None and after.table == r.table else None
        start = codes.format_datetime(r.effective or FROM_START)
        end = codes.format_datetime(until) if until is not None else UNTIL_END
        rows.append(
            f"<Rate><RatesFrom>{start}</RatesFrom><RatesTo>{end}</RatesTo>"
            f"<RateTable>{r.table}</RateTable><StandardRate>{_number(r.standard)}</StandardRate>"
            f"<StandardRateFormat>{r.standard_format}</StandardRateFormat>"
            f"<OvertimeRate>{_number(r.overtime)}</OvertimeRate>"
            f"<OvertimeRateFormat>{r.overtime_format}</OvertimeRateFormat>"
            f"<CostPerUse>{_number(round(r.per_use * 100, 6))}</CostPerUse></Rate>"
        )
    out.append(f"<Rates>{''.join(rows)}</Rates>")
    return out


def _number(value: float) -> str:
    text = f"{value:g}"
    return text if float(text) == value else repr(value)
