"""The acceptance path of the foundation issue, through the real console script."""

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
