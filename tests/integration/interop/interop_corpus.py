"""Where the MSPDI sample corpus lives; tests skip with the reason when it is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from steerco.interop.mspdi.codes import NS


def data_root() -> Path:
    env = os.environ.get("STEERCO_DATA")
    if env:
        return Path(env)
    beside = Path(__file__).resolve().parents[4] / "shared" / "data"
    return beside if beside.is_dir() else Path("/work/shared/data")


def mspdi_dir() -> Path:
    return data_root() / "mspdi"


def corpus() -> list[Path]:
    root = mspdi_dir()
    return sorted(root.rglob("*.xml")) if root.is_dir() else []


def is_mspdi(path: Path) -> bool:
    head = path.read_bytes()[:4096]
    return NS.encode() in head


def mspdi_files_or_skip() -> list[Path]:
    files = [p for p in corpus() if is_mspdi(p)]
    if not files:
        pytest.skip(f"no MSPDI sample files under {mspdi_dir()} (set STEERCO_DATA)")
    return files


def family(path: Path) -> str:
    """`generated/<feature>/...` files group by feature; the others by their own name."""
    return path.parent.name if path.parent.parent.name == "generated" else path.stem
