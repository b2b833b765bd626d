"""Schema migrations, with the Alembic configuration in code.

    python -m steerco.storage.migrate upgrade [URL]   # URL defaults to $STEERCO_DATABASE_URL
    python -m steerco.storage.migrate check [URL]     # no URL: a scratch SQLite database
    python -m steerco.storage.migrate revision "add widgets"   # autogenerate the next script

`check` is the programmatic `alembic check`: it fails when the row classes in `schema.py`
and the migration scripts have drifted apart, so a model change without a migration is
caught in `make test`, not in production.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from steerco.storage.db import make_engine
from steerco.storage.metadata import metadata

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported where it is used: every CLI command builds the app, few migrate.

MIGRATIONS = Path(__file__).parent / "migrations"
URL_VARIABLE = "STEERCO_DATABASE_URL"


class SchemaDrift(RuntimeError):
    """The database schema, the row classes and the migration scripts disagree."""


def config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolates %: a URL-encoded password would otherwise break it.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head() -> str:
    from alembic.script import ScriptDirectory

    revision = ScriptDirectory.from_config(config("sqlite://")).get_current_head()
    assert revision is not None
    return revision


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}


def upgrade(url: str, revision: str = "head") -> None:
    """Bring the database at `url` up to `revision`; a no-op when it is there already."""
    from alembic import command

    command.upgrade(config(url), revision)


def current(url: str) -> str | None:
    """The revision the database at `url` is at, or None if it was never migrated."""
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def check(url: str) -> None:
    """Raise `SchemaDrift` unless the database is at head and matches the row classes."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    at = current(url)
    if at != head():
        raise SchemaDrift(f"database is at revision {at}, the code expects {head()}")
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            # The same comparison `alembic check` makes, with env.py's options.
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": True}
            )
            diffs = compare_metadata(context, metadata())
    finally:
        engine.dispose()
    if diffs:
        changes = ", ".join(_describe(d) for d in diffs)
        raise SchemaDrift(f"the row classes differ from the migrations: {changes}")


def _describe(diff: Any) -> str:
    """'add_table users', 'modify_nullable tasks.name': one short phrase per difference."""
    if isinstance(diff, list):  # column modifications come as a list of tuples
        diff = diff[0]
        return f"{diff[0]} {diff[2]}.{diff[3]}"
    obj = diff[-1] if diff[0].startswith("remove_") and diff[0] != "remove_table" else diff[1]
    name = getattr(obj, "name", None) or str(obj)
    table = getattr(obj, "table", None)
    if table is not None and diff[0] not in ("add_table", "remove_table"):
        name = f"{table.name}.{name}"
    return f"{diff[0]} {name}"


def revision(message: str) -> Path:
    """Autogenerate the next migration script from the row classes, against a scratch
    SQLite database at head. Read and fix it by hand before committing: autogenerate
    misses renames and data moves, and must be run again on PostgreSQL by `check`."""
    from alembic import command

    number = len(known_revisions()) + 1
    with tempfile.TemporaryDirectory() as tmp:
        scratch = f"sqlite:///{Path(tmp) / 'revision.db'}"
        upgrade(scratch)
        cfg = config(scratch)
        ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
        if Path(ruff).exists():
            # Autogenerate writes long lines in its own style; format like the rest of src.
            cfg.set_section_option("post_write_hooks", "hooks", "ruff")
            cfg.set_section_option("post_write_hooks", "ruff.type", "exec")
            cfg.set_section_option("post_write_hooks", "ruff.executable", ruff)
            cfg.set_section_option(
                "post_write_hooks", "ruff.options", "format REVISION_SCRIPT_FILENAME"
            )
        script = command.revision(cfg, message=message, autogenerate=True, rev_id=f"{number:04d}")
    assert script is not None and not isinstance(script, list)
    return Path(script.path)


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "revision":
        print(revision(argv[1]))
        return 0
    if len(argv) not in (1, 2) or argv[0] not in ("upgrade", "check", "current"):
        print(__doc__, file=sys.stderr)
        return 2
    url = argv[1] if len(argv) == 2 else os.environ.get(URL_VARIABLE)
    if argv[0] == "check" and url is None:
        with tempfile.TemporaryDirectory() as tmp:
            scratch = f"sqlite:///{Path(tmp) / 'check.db'}"
            upgrade(scratch)
            return _check(scratch)
    if url is None:
        print(f"give a database URL or set {URL_VARIABLE}", file=sys.stderr)
        return 2
    if argv[0] == "upgrade":
        upgrade(url)
        print(f"at revision {current(url)}")
        return 0
    if argv[0] == "current":
        print(current(url) or "(not migrated)")
        return 0
    return _check(url)


def _check(url: str) -> int:
    try:
        check(url)
    except SchemaDrift as exc:
        print(f"schema drift: {exc}", file=sys.stderr)
        return 1
    print("models and migrations agree")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
