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
