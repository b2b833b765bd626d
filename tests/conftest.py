"""Shared fixtures.

Storage fixtures (below): `postgres_server` starts a throwaway PostgreSQL cluster once per
session; `database_url` gives each test a fresh, migrated database on SQLite and on
PostgreSQL; `uow_factory` wraps it in the unit-of-work factory the services use.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# ----- storage: a throwaway PostgreSQL server ---------------------------------------------------

_TEMPLATE_DB = "steerco_template"


@dataclass(frozen=True)
class PostgresServer:
    bindir: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(sql)  # type: ignore[arg-type]


def _initdb() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(found[-1]) if found else None


def _install_postgres() -> None:
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "postgresql"]
    if subprocess.run(install, env=env, capture_output=True, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, check=False)
        subprocess.run(install, env=env, capture_output=True, check=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL is required on CI: {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL cluster in a temp dir on a free port, stopped at the end of the session.

    It holds a template database migrated to head once; each test clones it, which takes
    milliseconds where running the migrations would take a second."""
    initdb = _initdb()
    if initdb is None:
        try:
            _install_postgres()
        except subprocess.CalledProcessError as exc:
            _unavailable(f"apt-get install postgresql failed: {exc}")
        initdb = _initdb()
    if initdb is None:
        _unavailable("no initdb under /usr/lib/postgresql/*/bin and cannot install it")
    assert initdb is not None
    bindir = initdb.parent
    # As root, a directory the postgres user can reach whatever TMPDIR says.
    root = Path(tempfile.mkdtemp(prefix="steerco-pg-", dir="/tmp" if os.geteuid() == 0 else None))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    initdb_args = ["-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"]
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data)]
    try:
        subprocess.run(
            _as_postgres([str(initdb), "-D", str(data), *initdb_args]),
            check=True,
            capture_output=True,
        )
        subprocess.run(
            _as_postgres([*pg_ctl, "-o", options, "-l", str(root / "log"), "-w", "start"]),
            check=True,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, OSError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        stderr = getattr(exc, "stderr", b"") or b""
        _unavailable(f"could not start a cluster: {exc} {stderr.decode(errors='replace')}")
    server = PostgresServer(bindir, port)
    try:
        from steerco.storage import migrate

        server.admin(f"CREATE DATABASE {_TEMPLATE_DB} TEMPLATE template0")
        migrate.upgrade(server.url(_TEMPLATE_DB))
        yield server
    finally:
        subprocess.run(
            _as_postgres([*pg_ctl, "-m", "immediate", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_database(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh migrated PostgreSQL database for one test, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    postgres_server.admin(f"CREATE DATABASE {name} TEMPLATE {_TEMPLATE_DB}")
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per session, for tests to copy."""
    from steerco.storage import migrate

    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    migrate.upgrade(f"sqlite:///{path}")  # its engine is disposed: the WAL is checkpointed
    return path


@pytest.fixture
def sqlite_database(sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh migrated SQLite file for one test."""
    path = tmp_path / "steerco.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """A fresh database migrated to head, once per backend."""
    return str(request.getfixturevalue(f"{request.param}_database"))


@pytest.fixture
def uow_factory(database_url: str) -> Iterator[object]:
    from steerco.storage.uow import SqlUnitOfWorkFactory

    factory = SqlUnitOfWorkFactory.from_url(database_url)
    yield factory
    factory.dispose()
