import re


def test_project_create_with_start_and_show(steerco):
    assert steerco("init").exit_code == 0
    done = steerco("project", "create", "ERP upgrade", "--start", "2026-03-02", "--key", "ERP")
    assert done.exit_code == 0, done.stderr
    assert "key ERP" in done.stdout
    shown = steerco("project", "show", "erp")
    assert "ERP upgrade" in shown.stdout
    assert "2026-03-02 08:00" in shown.stdout


def test_duplicate_key_and_bad_date_exit_2(steerco):
    steerco("init")
    steerco("project", "create", "ERP upgrade", "--key", "ERP")
    dup = steerco("project", "create", "Other", "--key", "ERP")
    assert dup.exit_code == 2 and "already used" in dup.stderr
    bad = steerco("project", "create", "X", "--start", "03/02/2026")
    assert bad.exit_code == 2


def test_same_name_gets_a_fresh_key(steerco):
    steerco("init")
    steerco("project", "create", "Payroll migration")
    second = steerco("project", "create", "Payroll migration")
    assert "key PM2" in second.stdout


def test_unknown_project_is_exit_2(steerco):
    steerco("init")
    done = steerco("project", "show", "NOPE")
    assert done.exit_code == 2
    assert "NOPE" in done.stderr


def test_tasks_build_a_wbs_with_links_and_dates(steerco):
    steerco("init")
    steerco("project", "create", "Payroll migration", "--start", "2026-01-05")
    assert steerco("task", "add", "PM", "Design", "--duration", "1d").exit_code == 0
    spec = steerco("task", "add", "PM", "Specification", "--duration", "3d", "--parent", "Design")
    assert spec.exit_code == 0, spec.stderr
    review = steerco(
        "task",
        "add",
        "PM",
        "Review",
        "--duration",
        "2d",
        "--parent",
        "1",
        "--after",
        "Specification FS+1d",
    )
    assert review.exit_code == 0, review.stderr
    # Spec runs Mon 5 - Wed 7 Jan; one day of lag; Review runs Fri 9 - Mon 12 Jan.
    assert "2026-01-09 08:00 -> 2026-01-12 17:00" in review.stdout
    gate = steerco("task", "add", "PM", "Sign-off", "--milestone", "--after", "1.2")
    assert gate.exit_code == 0, gate.stderr
    listed = steerco("task", "list", "PM")
    assert listed.exit_code == 0
    lines = listed.stdout.splitlines()
    assert any(re.search(r"1\s+Design", ln) for ln in lines)
    assert any(re.search(r"1\.1\s+Specification", ln) for ln in lines)
    assert any("1.2" in ln and "Review" in ln and "after 1.1FS+1d" in ln for ln in lines)
    assert any("2" in ln and "◆ Sign-off" in ln for ln in lines)


def test_bad_task_input_is_exit_2(steerco):
    steerco("init")
    steerco("project", "create", "Payroll migration")
    assert steerco("task", "add", "PM", "A", "--duration", "five").exit_code == 2
    assert steerco("task", "add", "PM", "B", "--after", "Nothing").exit_code == 2
    steerco("task", "add", "PM", "A", "--duration", "1d")
    steerco("task", "add", "PM", "B", "--after", "A")
    cycle = steerco("task", "link", "PM", "B", "A")
    assert cycle.exit_code == 2
    assert "cycle" in cycle.stderr
    listed = steerco("task", "list", "PM").stdout
    assert "after 1" in listed and "after 2" not in listed
    huge = steerco("task", "add", "PM", "C", "--after", "1FS+99999999d")
    assert huge.exit_code == 2 and huge.stderr.strip().endswith("a lag is too long")
    assert " C" not in steerco("task", "list", "PM").stdout


def test_demo_is_idempotent(steerco):
    first = steerco("demo")
    assert first.exit_code == 0, first.stderr
    assert "Created demo project" in first.stdout
    second = steerco("demo")
    assert "Kept demo project" in second.stdout
    listed = steerco("task", "list", "CRM").stdout
    assert listed.count("◆") >= 7
    assert steerco("project", "list").stdout.count("CRM migration") == 1
