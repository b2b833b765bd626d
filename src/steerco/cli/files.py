"""`steerco schedule`, `import`, `export`: plans as files, for people and pipelines."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from steerco.cli.context import actor, app, console, settings
from steerco.cli.errors import fail
from steerco.cli.schedule_run import STATUS_DATE_FORMATS, say, schedule_files, summary
from steerco.services import interop, scheduling

StatusDate = Annotated[
    datetime | None,
    typer.Option("--status-date", formats=list(STATUS_DATE_FORMATS), help="YYYY-MM-DD"),
]


def schedule(
    targets: Annotated[list[str], typer.Argument(help="MS Project XML files, or one project key.")],
    out: Annotated[
        Path | None, typer.Option("-o", "--out", help="Output file (one input).")
    ] = None,
    out_dir: Annotated[Path | None, typer.Option("--out-dir", help="Folder for outputs.")] = None,
    status_date: StatusDate = None,
) -> None:
    """Compute early/late dates, slack and the critical path."""
    if len(targets) == 1 and not Path(targets[0]).exists() and not targets[0].endswith(".xml"):
        stored = scheduling.schedule_stored(app().uow, targets[0], status_date, actor=actor())
        say(f"{stored.project.key}: {summary(stored.project, stored.result)}")
        return
    if out is not None and out_dir is not None:
        raise fail("give either -o or --out-dir, not both")
    if out is None and out_dir is None:
        raise fail("give -o OUT.xml (one input) or --out-dir DIR")
    if out is not None and len(targets) > 1:
        raise fail("-o takes one input file; use --out-dir for several")
    failed = schedule_files(targets, out, out_dir, status_date, settings().import_max_bytes)
    if failed:
        raise typer.Exit(1)


def import_(
    file: Annotated[Path, typer.Argument(help="An MS Project XML file.")],
    owner: Annotated[str | None, typer.Option(help="E-mail of the project's owner.")] = None,
) -> None:
    """Import a plan; prints the new project's key last."""
    if owner is not None and "@" not in owner:
        raise fail(f"--owner {owner!r} is not an e-mail address")
    from steerco.cli.forked import forked, reap

    try:
        # Task rows are read in two processes when a core is free: a short-lived command,
        # never the server (see cli/forked.py); the stored plan is the same either way.
        project = interop.import_plan(
            app().uow,
            file.read_bytes(),
            actor=actor(),
            max_bytes=app().settings.import_max_bytes,
            filename=file.name,
            owner=owner,
            split=forked,
        )
    finally:
        reap()  # no child left behind, whatever happened
    work = sum(1 for _ in project.iter_work_tasks())
    console.print(f"Imported {project.name}: {work} tasks, {len(project.dependencies)} links")
    console.print(f"Project key: {project.key}")


def export(
    key: Annotated[str, typer.Argument(help="Project key.")],
    format_: Annotated[interop.ExportFormat, typer.Option("--format", "-f")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Output file.")],
) -> None:
    """Export a project as MS Project XML, CSV, XLSX or iCalendar."""
    data = interop.export_project(
        app().uow, key, format_, actor=actor(), now=datetime.now(UTC).replace(tzinfo=None)
    )
    out.write_bytes(data)
    console.print(f"Wrote {out} ({len(data)} bytes)")
