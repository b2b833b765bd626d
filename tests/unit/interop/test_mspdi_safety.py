"""Hostile uploads: each one is refused with a one-line ImportRejected, within a second."""

from __future__ import annotations

import time

import pytest

from steerco.domain import ImportRejected
from steerco.interop.mspdi import read_mspdi

NS = "http://schemas.microsoft.com/project"
MINIMAL = (
    f'<?xml version="1.0"?><Project xmlns="{NS}"><Name>P</Name>'
    "<StartDate>2024-01-01T08:00:00</StartDate></Project>"
).encode()

BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b"]>\n"
    + f'<Project xmlns="{NS}"><Name>&lol9;</Name></Project>'.encode()
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    + f'<Project xmlns="{NS}"><Name>&xxe;</Name></Project>'.encode()
)
NETWORK_DTD = (
    b'<?xml version="1.0"?><!DOCTYPE Project SYSTEM "http://127.0.0.1:9/evil.dtd">'
    + f'<Project xmlns="{NS}"><Name>P</Name></Project>'.encode()
)
DTD_AFTER_COMMENT = b"<?xml version='1.0'?><!-- hi --><!DOCTYPE p []>" + MINIMAL.split(b"?>", 1)[1]
UNDECLARED_ENTITY = f'<Project xmlns="{NS}"><Name>&xxe;</Name></Project>'.encode()


def _rejected(data: bytes, match: str, **kwargs: int) -> str:
    began = time.perf_counter()
    with pytest.raises(ImportRejected, match=match) as info:
        read_mspdi(data, **kwargs)
    assert time.perf_counter() - began < 1.0
    message = str(info.value)
    assert "\n" not in message
    return message


def test_minimal_document_reads() -> None:
    project = read_mspdi(MINIMAL)
    assert project.name == "P"


def test_malformed_xml() -> None:
    _rejected(MINIMAL[:-5], "not well-formed")


def test_billion_laughs() -> None:
    _rejected(BILLION_LAUGHS, "DTD")


def test_external_entity() -> None:
    _rejected(EXTERNAL_ENTITY, "DTD")


def test_dtd_fetched_over_the_network() -> None:
    _rejected(NETWORK_DTD, "DTD")


def test_dtd_behind_a_comment() -> None:
    _rejected(DTD_AFTER_COMMENT, "DTD")


def test_dtd_in_utf16_is_caught_after_parsing() -> None:
    data = EXTERNAL_ENTITY.decode().replace('version="1.0"?>', 'version="1.0" encoding="UTF-16"?>')
    _rejected(data.encode("utf-16"), "DTD|well-formed")


def test_undeclared_entity() -> None:
    _rejected(UNDECLARED_ENTITY, "not well-formed")


def test_wrong_root_element() -> None:
    message = _rejected(b"<APIBusinessObjects><Project/></APIBusinessObjects>", "root element")
    assert "APIBusinessObjects" in message


def test_wrong_namespace() -> None:
    _rejected(b'<Project xmlns="urn:other"><Name>P</Name></Project>', "root element")


def test_empty_file() -> None:
    _rejected(b"  ", "empty")


def test_deep_nesting_over_the_limit() -> None:
    deep = b"<a>" * 100 + b"</a>" * 100
    _rejected(MINIMAL.replace(b"</Project>", deep + b"</Project>"), "deeper than 32")


def test_very_deep_nesting_hits_the_parser_limit() -> None:
    deep = b"<a>" * 100_000 + b"</a>" * 100_000
    _rejected(MINIMAL.replace(b"</Project>", deep + b"</Project>"), "well-formed|deeper")


def test_configurable_depth_limit() -> None:
    nested = MINIMAL.replace(b"</Project>", b"<X><Y><Z/></Y></X></Project>")
    read_mspdi(nested)
    _rejected(nested, "deeper than 2", max_depth=2)


def test_size_limit_is_configurable() -> None:
    _rejected(MINIMAL, "limit is 10 bytes", max_bytes=10)


def test_default_size_limit_is_200_mb() -> None:
    data = MINIMAL + b" " * (200 * 2**20 - len(MINIMAL) + 1)
    _rejected(data, "import limit")


def test_deep_nesting_inside_a_task_row() -> None:
    deep = b"<X>" * 40 + b"</X>" * 40
    task = b"<Tasks><Task><UID>1</UID><Name>T</Name>" + deep + b"</Task></Tasks>"
    _rejected(MINIMAL.replace(b"</Project>", task + b"</Project>"), "deeper than 32")


def test_nesting_within_the_limit_inside_a_task_row_is_carried() -> None:
    nested = b"<X>" * 20 + b"y" + b"</X>" * 20
    task = b"<Tasks><Task><UID>1</UID><Name>T</Name>" + nested + b"</Task></Tasks>"
    project = read_mspdi(MINIMAL.replace(b"</Project>", task + b"</Project>"))
    assert project.tasks[0].extras == [nested.decode()]


def test_wrong_root_is_refused_before_parsing_the_rest() -> None:
    big = b"<APIBusinessObjects>" + b"<Project><Name>x</Name></Project>" * 2_000_000
    _rejected(big + b"</APIBusinessObjects>", "root element")


def test_project_root_without_the_namespace() -> None:
    _rejected(b"<Project><Name>P</Name></Project>", "no MS Project namespace")
