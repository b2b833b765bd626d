"""A writer killed with SIGKILL mid-transaction leaves a sound file and no half project."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

TASKS = 10_000

# The child announces each stage on stdout, then keeps going (or waits), so the parent can
# kill it at a known point of its one big write transaction.
CHILD = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime
    from sqlalchemy import event
    from steerco.domain import Dependency, Project, Task
    from steerco.storage.uow import SqlUnitOfWorkFactory

    url, stage, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    factory = SqlUnitOfWorkFactory.from_url(url)

    def say(word):
        print(word, flush=True)

    calls = 0

    def progress():
        # SQLite calls this every 1,000 VM steps *inside* the executemany: the kill lands
        # with part of the task rows written and the statement still running.
        global calls
        calls += 1
        if calls == 200:
            say("inserting")
            time.sleep(60)
        return 0

    @event.listens_for(factory.engine, "before_cursor_execute")
    def before(conn, cursor, statement, params, context, executemany):
        if statement.startswith("INSERT INTO tasks") and stage == "inserting":
            conn.connection.driver_connection.set_progress_handler(progress, 1000)

    @event.listens_for(factory.engine, "after_cursor_execute")
    def after(conn, cursor, statement, params, context, executemany):
        if statement.startswith("INSERT INTO dependencies"):
            say("inserted")
            if stage == "inserted":
                time.sleep(60)

    project = Project(name="Crash", key="CRASH", start=datetime(2026, 1, 5, 8))
    project.tasks = [Task(uid=i, name=f"Task {i}", notes="x" * 200) for i in range(1, n + 1)]
    project.dependencies = [Dependency(i, i + 1) for i in range(1, n)]
    with factory() as uow:
        uow.projects.add(project)
        uow.commit()
    say("committed")
    time.sleep(60)
    """
)


def _counts(path: Path) -> tuple[str, int, int, int]:
    conn = sqlite3.connect(path)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        projects = conn.execute("SELECT count(*) FROM projects").fetchone()[0]
        tasks = conn.execute("SELECT count(*) FROM tasks").fetchone()[0]
        links = conn.execute("SELECT count(*) FROM dependencies").fetchone()[0]
    finally:
        conn.close()
    return check, projects, tasks, links


@pytest.mark.slow
@pytest.mark.parametrize("stage", ["inserting", "inserted", "committed"])
def test_sigkill_mid_import_leaves_all_or_nothing(sqlite_database: str, stage: str) -> None:
    path = Path(sqlite_database.removeprefix("sqlite:///"))
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, sqlite_database, stage, str(TASKS)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == stage:
                child.send_signal(signal.SIGKILL)
                break
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL

    check, projects, tasks, links = _counts(path)
    assert check == "ok"
    if stage == "committed":
        assert (projects, tasks, links) == (1, TASKS, TASKS - 1)
    else:
        assert (projects, tasks, links) in [(0, 0, 0), (1, TASKS, TASKS - 1)]
        # Killed before commit: the transaction must be gone entirely.
        assert (projects, tasks, links) == (0, 0, 0)
