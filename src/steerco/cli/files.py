"""`steerco schedule`, `import`, `export`: plans as files, for people and pipelines."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from steerco.cli.context import actor, app, console, settings
from steerco.cli.errors import fail
from steerco.domain import Project, SteercoError
from steerco.engine.gcpause import paused_gc
from steerco.engine.result import ScheduleResult
from steerco.services import interop, scheduling

StatusDate = Annotated[
    datetime | None,
    typer.Option("--status-date", formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M"], help="YYYY-MM-DD"),
]


def _summary(project: Project, result: ScheduleResult) -> str:
    names = {t.uid: t.name for t in project.tasks}
    path = " -> ".join(names.get(uid, str(uid)) for uid in result.critical_path) or "(none)"
    line = f"finish {result.finish:%Y-%m-%d %H:%M}; critical path: {path}"
    if result.conflicts:
        line += f"; {len(result.conflicts)} constraint conflict(s)"
    return line


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
        console.print(f"{stored.project.key}: {_summary(stored.project, stored.result)}")
        return
    if out is not None and out_dir is not None:
        raise fail("give either -o or --out-dir, not both")
    if out is None and out_dir is None:
        raise fail("give -o OUT.xml (one input) or --out-dir DIR")
    if out is not None and len(targets) > 1:
        raise fail("-o takes one input file; use --out-dir for several")
    failed = 0
    for target in targets:
        source = Path(target)
        # The file's objects are let go before the cyclic GC resumes: resumed with millions of
        # them alive, its next pass walks them all (0.3 s at 100,000 tasks). See engine.gcpause.
        with paused_gc():
            try:
                done = scheduling.schedule_file(
                    source.read_bytes(),
                    max_bytes=settings().import_max_bytes,
                    status_date=status_date,
                )
                dest = out if out is not None else (out_dir or Path()) / source.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_bytes(done.output)
            except (SteercoError, OSError) as exc:
                failed += 1
                typer.echo(f"error: {source}: {str(exc).strip().splitlines()[0]}", err=True)
                continue
            console.print(f"{source.name}: {_summary(done.project, done.result)}")
            del done
    if failed:
        raise typer.Exit(1)


def import_(
    file: Annotated[Path, typer.Argument(help="An MS Project XML file.")],
    owner: Annotated[str | None, typer.Option(help="E-mail of the project's owner.")] = None,
) -> None:
    """Import a plan; prints the new project's key last."""
    if owner is not None and "@" not in owner:
        raise fail(f"--owner {owner!r} is not an e-mail address")
    project = interop.import_plan(
        app().uow,
        file.read_bytes(),
        actor=actor(),
        max_bytes=app().settings.import_max_bytes,
        filename=file.name,
        owner=owner,
    )
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
