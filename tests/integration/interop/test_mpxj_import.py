"""Non-MSPDI planner files through MPXJ (here: the Primavera P6 XML files of the corpus)."""

from __future__ import annotations

import pytest

from steerco.domain import ImportRejected
from steerco.interop import mpxj
from steerco.interop.mpxj import convert_to_mspdi, mpxj_available, read_project_file
from tests.integration.interop.interop_corpus import corpus, is_mspdi


@pytest.mark.slow
def test_primavera_xml_imports_through_mpxj() -> None:
    reason = mpxj_available()
    if reason is not None:
        pytest.skip(reason)
    others = [p for p in corpus() if not is_mspdi(p)]
    if not others:
        pytest.skip("no Primavera XML files in the sample corpus")
    for path in others[:2]:  # each conversion starts a JVM: two files show the path works
        project = read_project_file(path.read_bytes(), path.name)
        assert project.tasks, path.name


def test_mspdi_is_read_directly_without_java(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mpxj, "mpxj_available", lambda: "no Java in this test")
    data = (
        b'<Project xmlns="http://schemas.microsoft.com/project"><Name>P</Name>'
        b"<StartDate>2024-01-01T08:00:00</StartDate></Project>"
    )
    assert read_project_file(data, "plan.xml").name == "P"


def test_missing_java_gives_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mpxj, "mpxj_available", lambda: "Java is not installed")
    with pytest.raises(ImportRejected, match=r"importing \.mpp files needs MPXJ, but Java"):
        convert_to_mspdi(b"\xd0\xcf\x11\xe0", "plan.mpp")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ImportRejected, match="cannot import .docx"):
        convert_to_mspdi(b"PK", "plan.docx")


def test_garbage_mpp_is_refused_clearly() -> None:
    if mpxj_available() is not None:
        pytest.skip(str(mpxj_available()))
    with pytest.raises(ImportRejected, match="MPXJ could not read"):
        convert_to_mspdi(b"not a project file at all", "plan.mpp")
