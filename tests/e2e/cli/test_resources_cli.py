"""`steerco resource add|list|usage` and `steerco assign`: the load a PM checks before leveling."""

from __future__ import annotations


def test_resources_assign_and_usage(steerco):
    assert steerco("init").exit_code == 0
    assert steerco("project", "create", "Infra upgrade", "--start", "2026-11-23").exit_code == 0
    for name, dur in [("Patch servers", "3d"), ("Upgrade DB", "2d")]:
        assert steerco("task", "add", "IU", name, "--duration", dur).exit_code == 0
    r = steerco("resource", "add", "IU", "Ana", "--email", "ana@example.com")
    assert r.exit_code == 0 and r.stdout.strip() == "Added resource 1 Ana (100%)"
    assert steerco("assign", "IU", "1", "Ana").exit_code == 0
    r = steerco("assign", "IU", "Upgrade DB", "ana@example.com", "--units", "50%")
    assert r.stdout.strip() == "Assigned resource 1 to task 2 at 50%"
    r = steerco("resource", "list", "IU")
    assert "Ana  max 100%  2 assignment(s)  peak 150%  OVER on 2 day(s)" in r.stdout
    r = steerco("resource", "usage", "IU", "--over-only")
    assert r.stdout.splitlines() == [
        "2026-11-23  Ana  peak 150% of 100%  12h  tasks 1,2  OVER",
        "2026-11-24  Ana  peak 150% of 100%  12h  tasks 1,2  OVER",
        "2 over-allocated day(s)",
    ]


def test_bad_input_is_one_line_and_exit_2(steerco):
    steerco("init")
    steerco("project", "create", "Infra upgrade", "--start", "2026-11-23")
    steerco("task", "add", "IU", "Patch servers")
    steerco("resource", "add", "IU", "Ana")
    for args, message in [
        (("assign", "IU", "1", "Bob"), "no resource 'Bob'"),
        (("resource", "add", "IU", "X", "--max-units", "5x"), "not units: '5x'"),
        (("resource", "usage", "IU", "--by", "month"), "--by is day or week"),
    ]:
        r = steerco(*args)
        assert r.exit_code == 2, args
        assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_skills_needs_and_suggest(steerco):
    steerco("init")
    steerco("project", "create", "API platform", "--start", "2026-11-23")
    steerco("task", "add", "AP", "Migrate DB", "--duration", "3d")
    steerco("task", "add", "AP", "Build API", "--duration", "2d")
    for name in ["Ana", "Bob", "Chen"]:
        steerco("resource", "add", "AP", name)
    assert steerco("resource", "skill", "AP", "Ana", "python", "--level", "4").exit_code == 0
    assert steerco("resource", "skill", "AP", "Bob", "python", "--level", "2").exit_code == 0
    assert steerco("resource", "skill", "AP", "Chen", "python", "--level", "3").exit_code == 0
    r = steerco("resource", "cert", "AP", "Chen", "AWS", "--expires", "2027-06-30")
    assert r.stdout.strip() == "AWS certified until 2027-06-30"
    r = steerco("resource", "set", "AP", "Chen", "--time-zone", "Asia/Kolkata", "--rate", "40")
    assert r.stdout.strip() == (
        "skills: python 3; certifications: AWS until 2027-06-30; time zone: Asia/Kolkata; "
        "rate: 40/h"
    )
    assert steerco("assign", "AP", "1", "Ana").exit_code == 0
    r = steerco("task", "needs", "AP", "Build API", "python:3", "AWS")
    assert r.stdout.strip() == "Task Build API needs python:3, AWS:1"
    r = steerco("suggest", "AP", "Build API")
    lines = r.stdout.splitlines()
    assert lines[0] == "Task 2 Build API (2026-11-23 -> 2026-11-24) needs python:3, AWS:1"
    assert lines[1].startswith("1. Chen  score ")
    assert "skills: python 3/3, AWS certified" in lines[1]
    assert all("(not qualified)" in line for line in lines[2:]) and len(lines) == 4
    r = steerco("resource", "skill", "AP", "Ana", "python", "--level", "7")
    assert r.exit_code == 2 and "skill levels run from 1 to 5" in r.stderr
    r = steerco("suggest", "AP", "Nope")
    assert r.exit_code == 2


def test_effort_driven_task_gets_shorter_when_someone_joins(steerco):
    steerco("init")
    steerco("project", "create", "API platform", "--start", "2026-11-23")
    r = steerco("task", "add", "AP", "Build", "--duration", "4d", "--effort-driven")
    assert r.stdout.strip() == "Added task 1 Build: 2026-11-23 08:00 -> 2026-11-26 17:00"
    steerco(
        "task",
        "add",
        "AP",
        "Review",
        "--duration",
        "4d",
        "--type",
        "fixed-duration",
        "--effort-driven",
    )
    for name in ["Ana", "Bob"]:
        steerco("resource", "add", "AP", name)
    for who in ["Ana", "Bob"]:
        assert steerco("assign", "AP", "Build", who).exit_code == 0
        assert steerco("assign", "AP", "Review", who).exit_code == 0
    listing = steerco("task", "list", "AP").stdout
    assert "2026-11-24" in listing.split("Build")[1].splitlines()[0]  # 2 days now
    r = steerco("resource", "usage", "AP")
    # Review keeps its 4 days with both people at 50%; Build takes both full time for 2.
    assert "2026-11-23  Ana  peak 150% of 100%" in r.stdout
    assert "2026-11-25  Ana  peak 50% of 100%" in r.stdout
    r = steerco("task", "add", "AP", "X", "--type", "fixed-time")
    assert r.exit_code == 2


def test_unassign_or_change_units(steerco):
    steerco("init")
    steerco("project", "create", "Infra upgrade", "--start", "2026-11-23")
    steerco("task", "add", "IU", "Patch servers", "--duration", "3d")
    steerco("resource", "add", "IU", "Ana")
    steerco("resource", "add", "IU", "Bob")
    assert steerco("assign", "IU", "1", "Ana").exit_code == 0
    assert steerco("assign", "IU", "1", "Bob").exit_code == 0

    r = steerco("unassign", "IU", "Patch servers", "Ana", "--units", "50%")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip() == "Resource 1 on task 1 at 50%, 24h of work"  # fixed units
    r = steerco("unassign", "IU", "1", "Bob")
    assert r.stdout.strip() == "Unassigned resource 2 from task 1"
    r = steerco("resource", "list", "IU")
    assert "Bob  max 100%  0 assignment(s)" in r.stdout

    for args, message in [
        (("unassign", "IU", "1", "Bob"), "Bob is not assigned to 'Patch servers'"),
        (("unassign", "IU", "1", "Ana", "--units", "0%"), "units above 0%"),
        (("unassign", "IU", "9", "Ana"), "no task"),
    ]:
        r = steerco(*args)
        assert r.exit_code == 2, (args, r.stdout)
        assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_change_a_resource_with_resource_set(steerco):
    steerco("init")
    steerco("project", "create", "Infra upgrade", "--start", "2026-11-23")
    steerco("resource", "add", "IU", "Ana")
    r = steerco("resource", "set", "IU", "Ana", "--max-units", "50%", "--no-can-level")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines() == ["1 Ana  max 50%  Can Level off"]
    listed = steerco("resource", "list", "IU").stdout.strip()
    assert listed.endswith("Ana  max 50%  0 assignment(s)  peak 0%  Can Level off")
    # A new name and a time zone in one call: all or nothing, then shown by the new name.
    r = steerco(
        "resource", "set", "IU", "Ana", "--name", "Ana Lima", "--email", "ana@example.com",
        "--can-level", "--time-zone", "Europe/Lisbon",
    )  # fmt: skip
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[0] == "1 Ana Lima  max 50%  ana@example.com"
    assert "time zone: Europe/Lisbon" in r.stdout.splitlines()[1]
    assert steerco("resource", "show", "IU", "ana@example.com").stdout.splitlines()[0] == (
        "1 Ana Lima  max 50%  ana@example.com"
    )


def test_a_refused_resource_change_writes_nothing(steerco):
    steerco("init")
    steerco("project", "create", "Infra upgrade", "--start", "2026-11-23")
    steerco("resource", "add", "IU", "Ana")
    steerco("resource", "add", "IU", "Bob")
    for args, message in [
        (("resource", "set", "IU", "Ana"), "nothing to set"),
        (("resource", "set", "IU", "Ana", "--name", "bob"), "already a resource called 'bob'"),
        (("resource", "set", "IU", "Ana", "--max-units", "lots"), "not units: 'lots'"),
        # The name would pass; the zone does not, so the name is not written either.
        (("resource", "set", "IU", "Ana", "--name", "Ana L", "--time-zone", "Mars/Base"), "Mars"),
    ]:
        r = steerco(*args)
        assert r.exit_code == 2, args
        assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
    r = steerco("resource", "list", "IU")
    assert [line.split()[:3] for line in r.stdout.splitlines()] == [
        ["1", "Ana", "max"],
        ["2", "Bob", "max"],
    ]


def test_remove_a_resource(steerco):
    steerco("init")
    steerco("project", "create", "Infra upgrade", "--start", "2026-11-23")
    steerco("task", "add", "IU", "Patch servers", "--duration", "3d")
    steerco("resource", "add", "IU", "Ana")
    steerco("assign", "IU", "1", "Ana")
    r = steerco("resource", "remove", "IU", "ana")
    assert r.exit_code == 0 and r.stdout.splitlines() == ["Removed resource 1 Ana"]
    assert steerco("resource", "list", "IU").stdout.strip() == "No resources."
    r = steerco("resource", "remove", "IU", "Ana")
    assert r.exit_code == 2 and r.stderr.strip() == "error: project IU has no resource 'Ana'"


def test_add_material_and_cost_resources(steerco):
    steerco("init")
    steerco("project", "create", "Infra upgrade", "--start", "2026-11-23")
    r = steerco("resource", "add", "IU", "Cabling", "--kind", "material")
    assert r.exit_code == 0 and r.stdout.strip() == "Added resource 1 Cabling (100%)"
    assert steerco("resource", "add", "IU", "Travel", "--kind", "Cost").exit_code == 0
    r = steerco("resource", "add", "IU", "Robot", "--kind", "robot")
    assert r.exit_code == 2 and "--kind is work, material or cost" in r.stderr
    # A material resource is never leveled: Can Level is a work resource's.
    r = steerco("resource", "set", "IU", "Cabling", "--no-can-level")
    assert r.exit_code == 2 and "Cabling is a material resource" in r.stderr
    listed = steerco("resource", "list", "IU").stdout
    assert "Cabling" in listed and "Can Level off" not in listed  # simply never leveled
