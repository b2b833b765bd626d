"""MS Project's own dates as the oracle.

Every MSPDI sample stores the Start and Finish MS Project computed. We read the file, erase
those answers from every automatically scheduled task, reschedule, and compare to the minute.
The match rate is printed per family (run with -s to see it) and asserted against targets.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from steerco.domain import Project
from steerco.engine.cpm import schedule

MUST_BE_EXACT = ("task-links", "task-durations", "task-dates", "task-starts", "task-finishes")


def data_dir() -> Path | None:
    root = os.environ.get("STEERCO_DATA")
    base = Path(root) if root else Path(__file__).resolve().parents[3] / ".." / "shared" / "data"
    path = base / "mspdi"
    return path if path.is_dir() else None


def family(path: Path, root: Path) -> str:
    rel = path.relative_to(root)
    return rel.parts[1] if rel.parts[0] == "generated" else "top-level"


@dataclass
class Outcome:
    file: str
    family: str
    checked: int
    matched: int
    misses: list[str]


def erase_answers(project: Project) -> dict[int, tuple[object, object]]:
    """Keep MS Project's dates aside and reset every non-manual task to the project start."""
    expected: dict[int, tuple[object, object]] = {}
    for task in project.tasks:
        if task.outline_level == 0:
            continue
        if not task.summary and task.start is not None and task.finish is not None:
            expected[task.uid] = (task.start, task.finish)
        if not task.manual:
            task.start = project.start
            task.finish = project.start
    return expected


def check_file(path: Path, root: Path) -> Outcome:
    from steerco.interop.mspdi import read_mspdi

    project = read_mspdi(path.read_bytes())
    expected = erase_answers(project)
    result = schedule(project)
    misses = []
    for uid, (start, finish) in expected.items():
        got = result.tasks[uid]
        if (got.start, got.finish) != (start, finish):
            misses.append(f"uid {uid}: want {start}..{finish}, got {got.start}..{got.finish}")
    matched = len(expected) - len(misses)
    return Outcome(path.name, family(path, root), len(expected), matched, misses)


def sample_files(root: Path) -> Iterator[Path]:
    """MSPDI files only: a few samples are Primavera P6 XML, which is not MS Project's."""
    for path in sorted(root.rglob("*.xml")):
        if b"schemas.microsoft.com/project" in path.read_bytes()[:2000]:
            yield path


def test_mspdi_oracle_match_rate() -> None:
    root = data_dir()
    if root is None:
        pytest.skip("MSPDI samples not found: set STEERCO_DATA or put them in ../shared/data/mspdi")
    pytest.importorskip("steerco.interop.mspdi", reason="the MSPDI reader is not available")
    outcomes = [check_file(path, root) for path in sample_files(root)]
    by_family: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_family[outcome.family].append(outcome)
    print("\nMSPDI oracle: tasks whose Start and Finish match MS Project to the minute")
    print(f"{'family':32} {'files':>5} {'tasks':>6} {'match':>6} {'rate':>8}")
    total = matched = 0
    for fam in sorted(by_family):
        got = by_family[fam]
        checked = sum(o.checked for o in got)
        ok = sum(o.matched for o in got)
        total, matched = total + checked, matched + ok
        rate = 100.0 * ok / checked if checked else 100.0
        print(f"{fam:32} {len(got):5} {checked:6} {ok:6} {rate:7.2f}%")
    overall = 100.0 * matched / total if total else 100.0
    print(f"{'overall':32} {len(outcomes):5} {total:6} {matched:6} {overall:7.2f}%")
    for outcome in outcomes:
        for miss in outcome.misses[:3]:
            print(f"  miss {outcome.file}: {miss}")
    for fam, got in by_family.items():
        if fam in MUST_BE_EXACT or fam.startswith("calendar-"):
            assert all(not o.misses for o in got), f"{fam} must match MS Project exactly"
    assert overall >= 99.0
