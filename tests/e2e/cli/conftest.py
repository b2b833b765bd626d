"""CLI tests run the real command on a fresh SQLite file per test."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from steerco.cli import context
from steerco.cli.app import cli
from steerco.config import get_settings


def _reset() -> None:
    context.app.cache_clear()
    get_settings.cache_clear()


@pytest.fixture
def db_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'steerco.db'}"
    monkeypatch.setenv("STEERCO_DATABASE_URL", url)
    _reset()
    yield url
    if context.app.cache_info().currsize:
        context.app().dispose()
    _reset()


@pytest.fixture
def steerco(db_url):
    """Invoke `steerco ARGS...` in-process; returns click's Result (stdout, stderr, exit_code)."""
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture
def steerco_process(tmp_path):
    """Run the installed console script in a child process, as a user's shell would."""
    env = {**os.environ, "STEERCO_DATABASE_URL": f"sqlite:///{tmp_path / 'proc.db'}"}
    exe = Path(sys.executable).with_name("steerco")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(exe), *args], env=env, capture_output=True, text=True, timeout=120, check=False
        )

    return run
