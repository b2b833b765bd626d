"""`steerco init`, `demo`, `backup`, `restore`: the database's life cycle."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from steerco.cli.context import app, console, today
from steerco.services.demo import DEMO_ADMIN, ensure_demo_admin, seed_demo


def init() -> None:
    """Create or migrate the database. Safe to run again."""
    revision = app().migrate()
    console.print(f"Database ready at revision {revision}: {app().settings.database_url}")


def demo() -> None:
    """Seed a demo project (a CRM migration). Safe to run again."""
    app().migrate()
    project, created = seed_demo(app().uow, today())
    verb = "Created" if created else "Kept"
    console.print(f"{verb} demo project {project.name} with key {project.key}")
    password = secrets.token_urlsafe(12)
    if ensure_demo_admin(app().uow, password, datetime.now(UTC).replace(tzinfo=None)):
        console.print(f"Sign in as {DEMO_ADMIN} with password {password} (shown only now)")


def backup(file: Annotated[Path, typer.Argument(help="Where to write the backup.")]) -> None:
    """Write a consistent backup of the database."""
    app().backup(file)
    console.print(f"Backed up to {file}")


def restore(file: Annotated[Path, typer.Argument(help="A backup made by steerco backup.")]) -> None:
    """Verify a backup, then replace the database with it."""
    counts = app().restore(file)
    summary = ", ".join(f"{n} {table}" for table, n in sorted(counts.items()) if n)
    console.print(f"Restored from {file}: {summary or 'an empty database'}")


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Serve the web application."""
    import uvicorn

    from steerco.web.app import create_app

    app().migrate()
    uvicorn.run(create_app(app(), require_auth=True), host=host, port=port, log_level="info")
