"""MPXJ, an independent reader, reads every exported file as it reads the original.

MPXJ runs in a subprocess because a JVM cannot restart inside one Python process.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from steerco.domain import (
    Assignment,
    Calendar,
    CalendarException,
    Dependency,
    Duration,
    Lag,
    LinkType,
    Project,
    Recurrence,
    RecurrenceType,
    Resource,
    ResourceKind,
    Task,
    TimeUnit,
)
from steerco.interop.mspdi import read_mspdi, write_mspdi
from tests.integration.interop.interop_corpus import mspdi_files_or_skip

DUMP = Path(__file__).with_name("mpxj_dump.py")


def _needs_mpxj() -> None:
    if shutil.which("java") is None:
        pytest.skip("Java is not installed: MPXJ needs a JVM (Java 11+)")
    for module in ("mpxj", "jpype"):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{module} is not installed: pip install 'steerco[mpxj]' (mpxj, JPype1)")


def _dump(paths: list[Path]) -> dict[str, dict[str, object]]:
    run = subprocess.run(
        [sys.executable, str(DUMP), *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    out = {}
    for line in run.stdout.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            out[record["path"]] = record
    return out


@pytest.mark.slow
def test_mpxj_reads_every_export_like_the_original(tmp_path: Path) -> None:
    _needs_mpxj()
    originals = mspdi_files_or_skip()
    exports = []
    for path in originals:
        target = tmp_path / path.name
        target.write_bytes(write_mspdi(read_mspdi(path.read_bytes())))
        exports.append(target)
    seen = _dump(originals + exports)
    checked = 0
    for original, export in zip(originals, exports, strict=True):
        before, after = seen[str(original)], seen[str(export)]
        assert "error" not in after, f"MPXJ cannot read the export of {original.name}: {after}"
        if "error" in before:
            continue  # MPXJ cannot read the original either; nothing to compare
        for part in ("tasks", "links", "resources"):
            assert after[part] == before[part], f"{original.name}: {part} differ"
        checked += 1
    print(f"MPXJ read {len(exports)} exports; {checked} compared equal to their originals")
    assert checked == len(originals)


def _fresh_project() -> Project:
    p = Project(name="Fresh & new", key="FRESH", start=datetime(2024, 1, 1, 8))
    p.calendars = [
        Calendar(
            1,
            "Standard",
            exceptions=[
                CalendarException(date(2024, 12, 25), date(2024, 12, 26), name="Christmas"),
                CalendarException(
                    date(2024, 1, 1),
                    date(2024, 12, 31),
                    name="First Monday",
                    recurrence=Recurrence(RecurrenceType.MONTHLY, 1, position=1, weekday=0),
                ),
            ],
        )
    ]
    p.tasks = [
        Task(1, "Phase <1>", summary=True, start=datetime(2024, 1, 1, 8)),
        Task(2, "Design", outline_level=2, duration=Duration(2400), start=datetime(2024, 1, 1, 8)),
        Task(3, "Build", outline_level=2, duration=Duration(960, TimeUnit.HOUR)),
        Task(4, "Done", outline_level=1, duration=Duration(0), milestone=True),
    ]
    p.dependencies = [
        Dependency(2, 3, LinkType.SS, Lag(480, TimeUnit.DAY)),
        Dependency(3, 4, LinkType.FS, Lag(-120, TimeUnit.HOUR, elapsed=True)),
    ]
    p.resources = [Resource(1, "Ada"), Resource(2, "Steel", ResourceKind.MATERIAL)]
    p.assignments = [Assignment(1, 2, 1), Assignment(2, 3, 2, units=3.0)]
    return p


@pytest.mark.slow
def test_mpxj_reads_a_project_steerco_created(tmp_path: Path) -> None:
    _needs_mpxj()
    target = tmp_path / "fresh.xml"
    target.write_bytes(write_mspdi(_fresh_project()))
    seen = _dump([target])[str(target)]
    assert "error" not in seen, seen
    tasks = seen["tasks"]
    assert isinstance(tasks, list)
    assert [t["name"] for t in tasks if t["uid"]] == ["Phase <1>", "Design", "Build", "Done"]
    assert [t["level"] for t in tasks if t["uid"]] == [1, 2, 2, 1]
    links = seen["links"]
    assert isinstance(links, list)
    assert [(k["pred"], k["succ"], k["type"]) for k in links] == [(2, 3, "SS"), (3, 4, "FS")]
    assert [k["lag"] for k in links] == ["1.0d", "-2.0eh"]
    resources = seen["resources"]
    assert isinstance(resources, list)
    assert [r["name"] for r in resources if r["uid"]] == ["Ada", "Steel"]
