"""API tests run in-process on a real SQLite file, migrated the way `steerco init` does.

The migrations run once per session into a template file; each test gets a copy, which
takes a millisecond where migrating takes most of a second."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from steerco.bootstrap import build
from steerco.config import Settings
from steerco.storage import migrate
from steerco.web.app import create_app


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "steerco.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def database_file(tmp_path: Path, migrated_template: Path) -> Path:
    path = tmp_path / "steerco.db"
    shutil.copyfile(migrated_template, path)
    return path


@pytest.fixture
def client(database_file: Path) -> Iterator[TestClient]:
    app = build(Settings(database_url=f"sqlite:///{database_file}", import_max_bytes=1_000_000))
    with TestClient(create_app(app)) as c:
        yield c
    app.dispose()


@pytest.fixture
def plan(client: TestClient) -> str:
    """A project with Design (5d) -> Build (3d, FS+2d) -> Test (2d); returns its id."""
    pid = client.post(
        "/api/v1/projects", json={"name": "Website relaunch", "start": "2026-11-23"}
    ).json()["id"]
    for name, duration, preds in [
        ("Design", "5d", ""),
        ("Build", "3d", "1FS+2d"),
        ("Test", "2d", "2"),
    ]:
        r = client.post(
            f"/api/v1/projects/{pid}/tasks",
            json={"name": name, "duration": duration, "predecessors": preds},
        )
        assert r.status_code == 201, r.text
    return pid
