"""`schedule`, `import`, `export`, `backup` and `restore` as a user runs them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from lxml import etree

NS = {"p": "http://schemas.microsoft.com/project"}
DATA = Path(__file__).resolve().parents[4] / "shared" / "data" / "mspdi"


def sample(name: str) -> Path:
    import os

    root = Path(os.environ["STEERCO_DATA"]) / "mspdi" if os.environ.get("STEERCO_DATA") else DATA
    path = next(root.rglob(name), None) if root.is_dir() else None
    if path is None:
        pytest.skip(f"MSPDI sample {name} not found under {root} (set STEERCO_DATA)")
    return path


LINKS = "task-links-project2010-mspdi.xml"


def test_schedule_files_to_a_folder_and_one_bad_file(steerco, tmp_path):
    good = sample(LINKS)
    bad = tmp_path / "broken.xml"
    bad.write_text("<Project><Task>")
    out = tmp_path / "out"
    done = steerco("schedule", str(good), str(bad), "--out-dir", str(out))
    assert done.exit_code == 1
    assert f"{good.name}: finish " in done.stdout and "critical path:" in done.stdout
    assert done.stderr.count("\n") == 1 and "broken.xml" in done.stderr
    written = etree.parse(str(out / good.name))
    tasks = written.findall(".//p:Tasks/p:Task", NS)
    assert tasks and all(t.find("p:EarlyStart", NS) is not None for t in tasks[1:])
    assert any(t.findtext("p:Critical", namespaces=NS) == "1" for t in tasks)
    assert not (out / "broken.xml").exists()


def test_schedule_one_file_with_o(steerco, tmp_path):
    out = tmp_path / "scheduled.xml"
    done = steerco("schedule", str(sample(LINKS)), "-o", str(out), "--status-date", "2010-01-01")
    assert done.exit_code == 0, done.stderr
    assert out.stat().st_size > 0


def test_schedule_needs_an_output(steerco):
    done = steerco("schedule", str(sample(LINKS)))
    assert done.exit_code == 2 and "-o" in done.stderr


def test_import_prints_key_last_and_export_every_format(steerco, tmp_path):
    steerco("init")
    made = steerco(
        "user", "create", "pm@example.com", "--password-stdin", input="a long enough passphrase\n"
    )
    assert made.exit_code == 0, made.stderr
    done = steerco("import", str(sample(LINKS)), "--owner", "pm@example.com")
    assert done.exit_code == 0, done.stderr
    key = done.stdout.strip().splitlines()[-1].split()[-1]
    assert steerco("project", "show", key).exit_code == 0
    # --owner made pm an owner: they see the project as themselves too.
    assert steerco("--as", "pm@example.com", "project", "show", key).exit_code == 0
    listed = steerco("member", "list", key).stdout.replace("│", " ").split()
    assert listed[listed.index("pm@example.com") + 1] == "owner"
    for fmt in ("mspdi", "csv", "xlsx", "ics"):
        out = tmp_path / f"plan.{fmt}"
        exported = steerco("export", key, "--format", fmt, "-o", str(out))
        assert exported.exit_code == 0, exported.stderr
        assert out.stat().st_size > 0
    rows = list(csv.reader(io.StringIO((tmp_path / "plan.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) > 2
    assert (tmp_path / "plan.ics").read_text().startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize(
    "payload",
    [
        b"<not xml",
        b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<Project xmlns="http://schemas.microsoft.com/project"><Name>&x;</Name></Project>',
        b"<Other/>",
    ],
    ids=["malformed", "xxe", "wrong-root"],
)
def test_bad_imports_store_nothing(steerco, tmp_path, payload):
    steerco("init")
    bad = tmp_path / "bad.xml"
    bad.write_bytes(payload)
    done = steerco("import", str(bad))
    assert done.exit_code == 2
    assert done.stderr.count("\n") == 1
    assert "root:" not in done.stderr  # nothing of /etc/passwd leaks
    assert "No projects yet" in steerco("project", "list").stdout


def test_backup_and_verified_restore(steerco, tmp_path):
    steerco("init")
    steerco("project", "create", "Kept project")
    backup = tmp_path / "steerco.bak"
    assert steerco("backup", str(backup)).exit_code == 0
    steerco("project", "create", "Added after backup")
    garbage = tmp_path / "garbage.bak"
    garbage.write_bytes(b"this is not a database" * 100)
    refused = steerco("restore", str(garbage))
    assert refused.exit_code == 2
    assert "Added after backup" in steerco("project", "list").stdout
    restored = steerco("restore", str(backup))
    assert restored.exit_code == 0, restored.stderr
    listed = steerco("project", "list").stdout
    assert "Kept project" in listed and "Added after backup" not in listed


def test_the_console_script_schedules_as_the_full_command_does(steerco, steerco_process, tmp_path):
    # `steerco schedule FILE -o OUT` skips Typer (cli/schedule_run.py): same bytes, same line.
    source = sample(LINKS)
    fast, full = tmp_path / "fast.xml", tmp_path / "full.xml"
    ran = steerco_process("schedule", str(source), "-o", str(fast), "--status-date", "2014-10-20")
    done = steerco("schedule", str(source), "-o", str(full), "--status-date", "2014-10-20")
    assert ran.returncode == done.exit_code == 0, ran.stderr
    assert ran.stdout == done.stdout and "critical path:" in ran.stdout
    assert fast.read_bytes() == full.read_bytes()
    bad = tmp_path / "broken.xml"
    bad.write_text("<Project><Task>")
    ran = steerco_process("schedule", str(source), str(bad), "--out-dir", str(tmp_path / "o"))
    assert ran.returncode == 1 and ran.stderr.count("\n") == 1 and "broken.xml" in ran.stderr
    ran = steerco_process("schedule", str(source))  # a usage error: the full command's words
    assert ran.returncode == 2 and "-o" in ran.stderr


def test_import_reads_a_large_plan_in_two_processes_as_in_one(steerco, tmp_path, monkeypatch):
    """`steerco import` hands part of the task rows to a forked child when a core is free
    (cli/forked.py); the stored plan must be the one a single process stores."""
    import os

    from steerco.cli import forked

    rows = "".join(
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Task {uid}</Name>"
        f"<OutlineLevel>1</OutlineLevel><Duration>PT{8 * (1 + uid % 4)}H0M0S</Duration>"
        + (
            f"<PredecessorLink><PredecessorUID>{uid - 1}</PredecessorUID><Type>1</Type>"
            "</PredecessorLink>"
            if uid % 3
            else ""
        )
        + "</Task>"
        for uid in range(1, forked.MIN_ROWS + 501)
    )
    path = tmp_path / "big.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><Project xmlns="http://schemas.microsoft.com/project">'
        f"<Name>Big</Name><StartDate>2026-01-05T08:00:00</StartDate><Tasks>{rows}</Tasks></Project>"
    )
    forks = []
    real_fork = os.fork

    def counted_fork() -> int:
        forks.append(1)
        return real_fork()

    steerco("init")
    monkeypatch.setattr(os, "fork", counted_fork)
    exports = []
    for free in (True, False):
        monkeypatch.setattr(forked, "idle_core", lambda free=free: free)
        done = steerco("import", str(path))
        assert done.exit_code == 0, done.stderr
        out = tmp_path / f"{free}.csv"
        key = done.stdout.split()[-1]
        assert steerco("export", key, "-f", "csv", "-o", str(out)).exit_code == 0
        exports.append(out.read_text())
    assert forks == [1]  # the first import forked, the second did not
    assert exports[0] == exports[1]
    assert exports[0].count("\n") > forked.MIN_ROWS
