"""`steerco level` end to end: PSPLIB j30 instances as MS Project files, leveled by the
installed command in a child process, then checked from the output file alone (lxml):
durations, links and capacities hold, and the finish is the known optimum."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from steerco.interop.psplib import data_root
from tests.psplib_plans import check_leveled_file, makespan_days, optimum, write_psplib_mspdi

J30 = data_root() / "psplib" / "j30"
# Spread over the parameter groups; some need leveling to wait a lot, some little.
SAMPLE = ["j301_1.sm", "j3010_1.sm", "j3013_4.sm", "j3025_7.sm", "j3046_9.sm"]

needs_data = pytest.mark.skipif(not J30.is_dir(), reason=f"no PSPLIB data at {J30}")


@needs_data
@pytest.mark.parametrize("name", SAMPLE)
def test_level_reaches_the_optimum_and_stays_feasible(
    name, tmp_path: Path, steerco_process
) -> None:
    source = write_psplib_mspdi(J30 / name, tmp_path / name.replace(".sm", ".xml"))
    out = tmp_path / "out.xml"
    began = time.perf_counter()
    # A roomy limit: this test is about the result; the benchmark measures speed on a quiet
    # machine (the limit covers the command's startup, which a loaded test run stretches).
    done = steerco_process("level", str(source), "-o", str(out), "--time-limit", "5")
    elapsed = time.perf_counter() - began
    assert done.returncode == 0, done.stderr
    data = out.read_bytes()
    assert check_leveled_file(source.read_bytes(), data) == []
    assert makespan_days(data) == optimum(J30)[name]
    lines = done.stdout.splitlines()
    delayed = int(lines[0].split("; ")[1].split()[0])
    assert len(lines) == 1 + delayed
    assert all(": delayed " in line for line in lines[1:])
    assert b"<LevelingDelay>" in data
    assert elapsed < 15


@needs_data
def test_out_dir_levels_several_files(tmp_path: Path, steerco_process) -> None:
    files = [write_psplib_mspdi(J30 / n, tmp_path / n.replace(".sm", ".xml")) for n in SAMPLE[:2]]
    done = steerco_process("level", *map(str, files), "--out-dir", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    for f in files:
        assert check_leveled_file(f.read_bytes(), (tmp_path / "out" / f.name).read_bytes()) == []


def test_a_bad_file_is_one_line_and_exit_2(tmp_path: Path, steerco_process) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<not-a-project/>")
    done = steerco_process("level", str(bad), "-o", str(tmp_path / "out.xml"))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert done.stderr.startswith("error: ")


@needs_data
def test_one_bad_file_among_several_exits_1(tmp_path: Path, steerco_process) -> None:
    good = write_psplib_mspdi(J30 / SAMPLE[0], tmp_path / "good.xml")
    bad = tmp_path / "bad.xml"
    bad.write_text("not xml at all")
    done = steerco_process("level", str(good), str(bad), "--out-dir", str(tmp_path / "out"))
    assert done.returncode == 1
    assert (tmp_path / "out" / "good.xml").exists()
    assert "bad.xml" in done.stderr


def test_usage_errors_exit_2(tmp_path: Path, steerco_process) -> None:
    assert steerco_process("level", "x.xml").returncode == 2  # neither -o nor --out-dir
    assert steerco_process("level", "a.xml", "b.xml", "-o", "o.xml").returncode == 2


def test_level_is_listed_in_the_full_command_tree(steerco) -> None:
    result = steerco("level", "--help")
    assert result.exit_code == 0
    assert "--time-limit" in result.stdout


@needs_data
def test_level_a_stored_project_saves_the_delays(tmp_path: Path, steerco_process) -> None:
    source = write_psplib_mspdi(J30 / "j301_1.sm", tmp_path / "j301_1.xml")
    assert steerco_process("init").returncode == 0
    imported = steerco_process("import", str(source))
    assert imported.returncode == 0, imported.stderr
    key = imported.stdout.split()[-1]
    done = steerco_process("level", key, "--time-limit", "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{key}: finish ")
    out = tmp_path / "export.xml"
    assert steerco_process("export", key, "--format", "mspdi", "-o", str(out)).returncode == 0
    data = out.read_bytes()
    assert b"<LevelingDelay>" in data
    assert check_leveled_file(source.read_bytes(), data) == []
    assert makespan_days(data) == optimum(J30)["j301_1.sm"]


def test_level_an_unknown_project_is_one_line_and_exit_2(steerco_process) -> None:
    assert steerco_process("init").returncode == 0
    done = steerco_process("level", "NOPE")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["error: no project NOPE"]


def test_split_lets_a_task_pause_and_says_why(tmp_path: Path, steerco_process) -> None:
    from tests.e2e.api.test_level_api import _pinned_review_xml

    source = tmp_path / "split.xml"
    source.write_bytes(_pinned_review_xml())
    out = tmp_path / "out.xml"
    done = steerco_process("level", str(source), "-o", str(out), "--split", "--time-limit", "5")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "split.xml: finish 2026-01-09 17:00 (was 2026-01-08 17:00); 0 tasks delayed; optimal",
        "  Build: split: paused 7 Jan: Ana over-allocated by Review",
    ]
    assert b"<Value>PT0H0M0S</Value>" in out.read_bytes()
    plain = steerco_process("level", str(source), "-o", str(out), "--time-limit", "5")
    assert plain.stdout.splitlines()[0].startswith("split.xml: finish 2026-01-13 17:00")


def test_split_is_an_option_of_the_full_command_tree_too(steerco) -> None:
    assert "--split" in steerco("level", "--help").stdout


def test_clear_puts_a_leveled_file_back_and_says_what_moved(
    tmp_path: Path, steerco_process
) -> None:
    from tests.e2e.api.test_level_api import _pinned_review_xml

    source = tmp_path / "plan.xml"
    source.write_bytes(_pinned_review_xml())
    leveled, cleared = tmp_path / "leveled.xml", tmp_path / "cleared.xml"
    assert steerco_process("level", str(source), "-o", str(leveled)).returncode == 0
    done = steerco_process("level", str(leveled), "-o", str(cleared), "--clear")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "leveled.xml: leveling cleared on 1 task; finish 2026-01-08 17:00 (was 2026-01-13 17:00)",
        "  Build: starts 2026-01-05 08:00 (was 2026-01-08 08:00)",
    ]
    assert b"<LevelingDelay>0</LevelingDelay>" in cleared.read_bytes()
    again = steerco_process("level", str(cleared), "-o", str(tmp_path / "x.xml"), "--clear")
    assert again.stdout.splitlines() == [
        "cleared.xml: leveling cleared on 0 tasks; finish 2026-01-08 17:00 (was 2026-01-08 17:00)"
    ]


def test_clear_a_stored_project(tmp_path: Path, steerco_process) -> None:
    from tests.e2e.api.test_level_api import _pinned_review_xml

    source = tmp_path / "plan.xml"
    source.write_bytes(_pinned_review_xml())
    assert steerco_process("init").returncode == 0
    key = steerco_process("import", str(source)).stdout.split()[-1]
    assert steerco_process("level", key, "--time-limit", "2").returncode == 0
    done = steerco_process("level", key, "--clear")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        f"{key}: leveling cleared on 1 task; finish 2026-01-08 17:00 (was 2026-01-13 17:00)"
    )
    listed = steerco_process("level", key, "--clear")
    assert listed.stdout.startswith(f"{key}: leveling cleared on 0 tasks")


def test_clear_with_within_slack_is_one_line_and_exit_2(steerco_process) -> None:
    done = steerco_process("level", "a.xml", "-o", "b.xml", "--clear", "--within-slack")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "error: --clear takes no --within-slack: clearing moves tasks back, it levels nothing"
    ]


@pytest.mark.parametrize(
    ("option", "value"), [("--time-limit", "5"), ("--seed", "0"), ("--time-limit", "0")]
)
def test_clear_refuses_search_options_it_would_ignore(steerco_process, option, value) -> None:
    # Even the default values: a script that asks for a search gets told it gets none.
    done = steerco_process("level", "a.xml", "-o", "b.xml", "--clear", option, value)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    if value == "0" and option == "--time-limit":
        assert lines == ["error: --time-limit must be more than 0 seconds"]
    else:
        assert lines == [
            f"error: --clear takes no {option}: clearing moves tasks back, it levels nothing"
        ]


def test_clear_refuses_the_same_through_the_full_command_tree(steerco) -> None:
    done = steerco("level", "PROJ", "--clear", "--seed", "3")
    assert done.exit_code == 2
    assert "--clear takes no --seed" in done.stderr


def test_clear_is_an_option_of_the_full_command_tree_too(steerco) -> None:
    assert "--clear" in steerco("level", "--help").stdout


def _room_xml(room_can_level: bool, ana_can_level: bool = True) -> bytes:
    """Ana on Spec and Mockups at once, and a room both use: Can Level as given."""
    from datetime import datetime

    from steerco.domain import Assignment, Duration, Project, Resource, Task
    from steerco.interop.mspdi import write_mspdi

    p = Project(name="Room", key="RM", start=datetime(2026, 1, 5, 8))
    p.resources += [
        Resource(uid=1, name="Ana", can_level=ana_can_level),
        Resource(uid=2, name="Room", can_level=room_can_level),
    ]
    for uid, name, days in [(1, "Spec", 3), (2, "Mockups", 2)]:
        p.tasks.append(Task(uid=uid, name=name, duration=Duration(days * 480)))
    p.assignments += [Assignment(1, 1, 2), Assignment(2, 2, 2), Assignment(3, 1, 1)]
    return write_mspdi(p)


def test_a_resource_whose_can_level_is_off_is_left_as_booked(
    tmp_path: Path, steerco_process
) -> None:
    """MS Project's CanLevel=0 on the room: nobody waits for it, the output says so, and the
    flag is written back."""
    source = tmp_path / "room.xml"
    source.write_bytes(_room_xml(room_can_level=False))
    out = tmp_path / "out.xml"
    done = steerco_process("level", str(source), "-o", str(out), "--time-limit", "2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "room.xml: finish 2026-01-07 17:00 (was 2026-01-07 17:00); 0 tasks delayed; optimal",
        "  not leveled (Can Level off): Room",
    ]
    assert out.read_bytes().count(b"<CanLevel>0</CanLevel>") == 1


def test_a_file_with_can_level_off_on_every_resource_is_leveled(
    tmp_path: Path, steerco_process
) -> None:
    """As MPXJ writes files: 0 on every resource. That is nobody's choice, so the plan is
    leveled like any other, and checked to the minute like any other."""
    source = tmp_path / "mpxj.xml"
    source.write_bytes(_room_xml(room_can_level=False, ana_can_level=False))
    out = tmp_path / "out.xml"
    done = steerco_process("level", str(source), "-o", str(out), "--time-limit", "2")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == (
        "mpxj.xml: finish 2026-01-09 17:00 (was 2026-01-07 17:00); 1 task delayed; optimal"
    )
    assert "not leveled" not in done.stdout
    assert not check_leveled_file(source.read_bytes(), out.read_bytes())
