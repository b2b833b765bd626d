"""MS Project XML through the database: import, store, load, export, and count what survived.

The acceptance figure for lossless exchange: at least 99.5% of the facts of every sample file
(task, link, resource, assignment, calendar, baseline and custom-field values, ignoring values
equal to MS Project's defaults) come back out after a trip through SQLite or PostgreSQL.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from steerco.interop.mspdi import fact_retention
from steerco.services.accounts import LOCAL
from steerco.services.interop import ExportFormat, export_project, import_plan

_CORPUS = Path(__file__).parents[1] / "interop" / "interop_corpus.py"
_spec = importlib.util.spec_from_file_location("interop_corpus", _CORPUS)
assert _spec and _spec.loader
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)

TARGET = 0.995


def test_every_sample_file_survives_the_database(uow_factory, database_url):
    files = corpus.mspdi_files_or_skip()
    kept_total = facts_total = 0
    worst: list[tuple[float, str]] = []
    for path in files:
        original = path.read_bytes()
        project = import_plan(
            uow_factory, original, actor=LOCAL, max_bytes=50 * 2**20, filename=path.name
        )
        exported = export_project(uow_factory, project.key, ExportFormat.MSPDI, actor=LOCAL)
        kept, total = fact_retention(original, exported)
        kept_total += kept
        facts_total += total
        worst.append((kept / total if total else 1.0, path.name))
    worst.sort()
    overall = kept_total / facts_total
    backend = database_url.split(":", 1)[0]
    print(
        f"\nMSPDI through {backend}: {kept_total}/{facts_total} facts kept = {overall:.4%} "
        f"over {len(files)} files; lowest {worst[0][0]:.4%} ({worst[0][1]})"
    )
    assert overall >= TARGET
    assert all(rate >= TARGET for rate, _ in worst), worst[:5]
