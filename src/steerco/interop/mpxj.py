"""Other planners' files (.mpp, .mpx, .xer, Primavera P6 XML, .gan...) through MPXJ.

MPXJ (Java) converts the file to MSPDI in a subprocess, and `read_mspdi` reads the result, so
every format lands in the domain through the one reader that the round-trip tests cover.
Needs Java 11+ and the optional extra: `pip install 'steerco[mpxj]'` (mpxj, JPype1).
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from steerco.domain import ImportRejected, Project
from steerco.interop.mspdi import read_mspdi
from steerco.interop.mspdi.safe import DEFAULT_MAX_BYTES

SUFFIXES = (".mpp", ".mpx", ".mpt", ".xer", ".xml", ".pmxml", ".gan", ".pp", ".pod", ".planner")
TIMEOUT_SECONDS = 300


def mpxj_available() -> str | None:
    """None when MPXJ can run here, else the reason it cannot (for the error message)."""
    if shutil.which("java") is None:
        return "Java is not installed (MPXJ needs Java 11 or later)"
    for module, package in (("mpxj", "mpxj"), ("jpype", "JPype1")):
        if importlib.util.find_spec(module) is None:
            return f"the Python package {package} is missing: pip install 'steerco[mpxj]'"
    return None


def convert_to_mspdi(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The file as MSPDI bytes, converted by MPXJ in a child process."""
    if len(data) > max_bytes:
        raise ImportRejected(f"the file is {len(data):,} bytes; the import limit is {max_bytes:,}")
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise ImportRejected(
            f"steerco cannot import {suffix or 'this'} files; try {', '.join(SUFFIXES)}"
        )
    missing = mpxj_available()
    if missing is not None:
        raise ImportRejected(f"importing {suffix} files needs MPXJ, but {missing}")
    with tempfile.TemporaryDirectory(prefix="steerco-mpxj-") as tmp:
        source = Path(tmp) / f"upload{suffix}"
        target = Path(tmp) / "converted.xml"
        source.write_bytes(data)
        try:
            run = subprocess.run(
                [sys.executable, "-m", "steerco.interop.mpxj_convert", str(source), str(target)],
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ImportRejected(
                f"MPXJ took more than {TIMEOUT_SECONDS} s to read the file"
            ) from None
        if run.returncode != 0 or not target.exists():
            lines = [line for line in run.stderr.splitlines() if line.strip()]
            reason = lines[-1] if lines else f"exit code {run.returncode}"
            raise ImportRejected(f"MPXJ could not read the {suffix} file: {reason[:300]}")
        return target.read_bytes()


def read_project_file(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Project:
    """Any supported planner file as a domain Project; MSPDI is read directly, without Java."""
    head = data[:4096]
    if Path(filename).suffix.lower() == ".xml" and b"schemas.microsoft.com/project" in head:
        return read_mspdi(data, max_bytes=max_bytes)
    # MPXJ's MSPDI output can be larger than its input (an .mpp is compressed): allow 4x.
    return read_mspdi(
        convert_to_mspdi(data, filename, max_bytes=max_bytes), max_bytes=4 * max_bytes
    )
