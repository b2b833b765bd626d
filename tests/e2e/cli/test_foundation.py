"""The acceptance path of the foundation issue, through the real console script."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from steerco import __version__


def test_version(steerco_process):
    done = steerco_process("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"steerco {__version__}"


def test_init_twice_then_create_and_list(steerco_process):
    assert steerco_process("init").returncode == 0
    again = steerco_process("init")
    assert again.returncode == 0, again.stderr
    created = steerco_process("project", "create", "Payroll migration")
    assert created.returncode == 0, created.stderr
    listed = steerco_process("project", "list")
    assert listed.returncode == 0
    assert "Payroll migration" in listed.stdout
    assert "PM" in listed.stdout


def test_blank_project_name_is_one_line_exit_2(steerco_process):
    steerco_process("init")
    done = steerco_process("project", "create", "")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0
    assert "name" in done.stderr
    assert "Traceback" not in done.stderr
    assert "No projects yet" in steerco_process("project", "list").stdout


@pytest.mark.parametrize(
    ("variable", "value", "args", "message"),
    [
        ("STEERCO_VIEW_CACHE_TASKS", "lots", ["init"], "Input should be a valid integer"),
        ("STEERCO_VIEW_CACHE_TASKS", "-1", ["project", "list"], "greater than or equal to 0"),
        ("STEERCO_IMPORT_MAX_BYTES", "big", ["level", "a.xml", "-o", "b.xml"], "valid integer"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it_and_exit_2(
    tmp_path, variable, value, args, message
) -> None:
    env = {
        **os.environ,
        "STEERCO_DATABASE_URL": f"sqlite:///{tmp_path / 'bad.db'}",
        variable: value,
    }
    exe = Path(sys.executable).with_name("steerco")
    done = subprocess.run(
        [str(exe), *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {variable}: "), lines
    assert message in lines[0]
