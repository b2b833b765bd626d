"""MS Project's Can Level flag on a resource: read into the domain and written back."""

from __future__ import annotations

from datetime import datetime

import pytest
from lxml import etree

from steerco.domain import Project, Resource
from steerco.interop.mspdi import read_mspdi, write_mspdi
from tests.unit.interop.test_mspdi_rates import NS, Q, doc

START = datetime(2026, 1, 5, 8)


def _written(res: Resource) -> list[str | None]:
    project = Project(name="P", key="PL", start=START)
    project.resources.append(res)
    root = etree.fromstring(write_mspdi(project))
    return [el.text for el in root.findall(f".//{Q}Resource/{Q}CanLevel")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", True), ("0", False), ("true", True), ("false", False), (" 0 ", False)],
)
def test_the_flag_is_read(text: str, expected: bool) -> None:
    (res,) = read_mspdi(doc(f"<CanLevel>{text}</CanLevel>")).resources
    assert res.can_level is expected
    assert not any("CanLevel" in f for f in res.extras)


def test_a_resource_without_the_flag_can_be_leveled() -> None:
    (res,) = read_mspdi(doc("")).resources
    assert res.can_level is True


def test_a_value_that_is_no_boolean_is_kept_as_it_was_and_levels() -> None:
    (res,) = read_mspdi(doc("<CanLevel>maybe</CanLevel>")).resources
    assert res.can_level is True
    project = Project(name="P", key="PL", start=START)
    project.resources.append(res)
    assert b"<CanLevel>maybe</CanLevel>" in write_mspdi(project)


@pytest.mark.parametrize("flag", [True, False])
def test_the_flag_is_written_once_in_schema_order(flag: bool) -> None:
    assert _written(Resource(1, "Ana", can_level=flag)) == ["1" if flag else "0"]
    project = Project(name="P", key="PL", start=START)
    project.resources.append(Resource(1, "Ana", can_level=flag))
    res = etree.fromstring(write_mspdi(project)).find(f".//{Q}Resource")
    assert res is not None
    tags = [el.tag.removeprefix(f"{{{NS}}}") for el in res]
    assert tags.index("MaxUnits") < tags.index("CanLevel")
    (back,) = read_mspdi(write_mspdi(project)).resources
    assert back.can_level is flag
