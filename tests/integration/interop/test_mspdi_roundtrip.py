"""Round trip of every real MS Project file: read -> write keeps the facts, and rereads equal."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from steerco.domain import ImportRejected
from steerco.interop.mspdi import fact_retention, lost_facts, read_mspdi, write_mspdi
from tests.integration.interop.interop_corpus import (
    corpus,
    family,
    is_mspdi,
    mspdi_dir,
    mspdi_files_or_skip,
)

THRESHOLD = 0.995


@pytest.fixture(scope="module")
def mspdi_files() -> list[Path]:
    return mspdi_files_or_skip()


def test_corpus_round_trip_keeps_facts(mspdi_files: list[Path]) -> None:
    per_family: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    worst: list[tuple[float, str, list[tuple[str, ...]]]] = []
    for path in mspdi_files:
        data = path.read_bytes()
        exported = write_mspdi(read_mspdi(data))
        kept, total = fact_retention(data, exported)
        ratio = kept / total if total else 1.0
        print(f"{path.relative_to(mspdi_dir())}: {kept}/{total} facts kept ({ratio:.2%})")
        per_family[family(path)][0] += kept
        per_family[family(path)][1] += total
        if ratio < THRESHOLD:
            worst.append((ratio, path.name, lost_facts(data, exported)[:10]))
    kept_all = sum(k for k, _ in per_family.values())
    total_all = sum(t for _, t in per_family.values())
    for name, (kept, total) in sorted(per_family.items()):
        print(f"family {name}: {kept}/{total} ({kept / total:.3%})")
    print(f"overall: {kept_all}/{total_all} facts kept ({kept_all / total_all:.3%})")
    assert not worst, f"files under {THRESHOLD:.1%}: {worst}"
    assert kept_all / total_all >= THRESHOLD


@pytest.mark.parametrize("path", [p for p in corpus() if is_mspdi(p)], ids=lambda p: p.name)
def test_reread_gives_an_equal_project(path: Path) -> None:
    project = read_mspdi(path.read_bytes())
    again = read_mspdi(write_mspdi(project))
    assert again == project


@pytest.mark.parametrize("path", [p for p in corpus() if not is_mspdi(p)], ids=lambda p: p.name)
def test_other_xml_in_the_corpus_is_rejected_clearly(path: Path) -> None:
    # The corpus also holds Primavera P6 XML files: not MSPDI, so a clear refusal.
    with pytest.raises(ImportRejected, match="root element"):
        read_mspdi(path.read_bytes())


def test_writing_twice_gives_the_same_bytes(mspdi_files: list[Path]) -> None:
    for path in mspdi_files:
        first = write_mspdi(read_mspdi(path.read_bytes()))
        assert write_mspdi(read_mspdi(first)) == first, path.name
