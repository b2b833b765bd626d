import pytest

from steerco.domain import Lag, LinkType, ValidationError
from steerco.domain.links import format_link, parse_link, parse_link_list


@pytest.mark.parametrize(
    ("text", "ref", "type_", "lag_minutes"),
    [
        ("12FS+2d", "12", LinkType.FS, 960),
        ("3SS-1d", "3", LinkType.SS, -480),
        ("5", "5", LinkType.FS, 0),
        ("7FF", "7", LinkType.FF, 0),
        ("Design FS+2d", "Design", LinkType.FS, 960),
        ("Build and test SF", "Build and test", LinkType.SF, 0),
        ("1.2 SS +4h", "1.2", LinkType.SS, 240),
        ("Kick-off", "Kick-off", LinkType.FS, 0),
    ],
)
def test_parse_link(text, ref, type_, lag_minutes):
    spec = parse_link(text)
    assert (spec.ref, spec.type, spec.lag.minutes) == (ref, type_, lag_minutes)


def test_parse_link_list_as_in_a_predecessors_column():
    specs = parse_link_list("3, 5FS+2d,7SS")
    assert [(s.ref, s.type) for s in specs] == [
        ("3", LinkType.FS),
        ("5", LinkType.FS),
        ("7", LinkType.SS),
    ]


def test_empty_link_is_an_error():
    with pytest.raises(ValidationError):
        parse_link("  ")


def test_format_link_like_ms_project():
    assert format_link("12", LinkType.FS, Lag.parse("2d")) == "12FS+2d"
    assert format_link("3", LinkType.SS, Lag.parse("-1d")) == "3SS-1d"
    assert format_link("5", LinkType.FS, Lag()) == "5"
    assert format_link("7", LinkType.FF, Lag()) == "7FF"
