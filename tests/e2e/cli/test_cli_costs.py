"""`steerco resource rate`, `resource rate-table` and `cost`, as a user types them."""

from __future__ import annotations


def _plan(steerco) -> None:
    assert steerco("init").exit_code == 0
    steerco("project", "create", "Payroll migration", "--start", "2026-11-23")
    steerco("task", "add", "PM", "Design", "--duration", "5d")
    steerco("task", "add", "PM", "Build", "--duration", "10d", "--after", "Design")
    steerco("resource", "add", "PM", "Ana")
    steerco("resource", "add", "PM", "Bob")
    steerco("assign", "PM", "Design", "Ana")
    steerco("assign", "PM", "Build", "Bob")


def test_rates_and_the_project_cost(steerco) -> None:
    _plan(steerco)
    done = steerco("resource", "rate", "PM", "Ana", "--standard", "100", "--per-use", "50")
    assert done.exit_code == 0, done.stderr
    assert done.stdout.strip() == "A from the start: 100/h, 50 per use"
    later = steerco("resource", "rate", "PM", "Ana", "--standard", "120", "--from", "2027-01-01")
    assert later.stdout.splitlines()[-1] == "A from 2027-01-01: 120/h"
    steerco("resource", "rate", "PM", "Bob", "--table", "C", "--standard", "80")
    assert steerco("resource", "rate-table", "PM", "Build", "Bob", "c").exit_code == 0
    report = steerco("cost", "PM")
    assert report.exit_code == 0, report.stderr
    lines = report.stdout.splitlines()
    assert lines[0] == "PM  Payroll migration: total 10,450.00 EUR"
    assert "Design  4,050.00" in lines[1] and "Build  6,400.00" in lines[2]
    by_resource = steerco("cost", "PM", "--by", "resource").stdout.splitlines()
    assert by_resource[1:] == ["  Ana  4,050.00", "  Bob  6,400.00"]


def test_bad_rate_input_is_one_line_and_exit_2(steerco) -> None:
    _plan(steerco)
    for args in (
        ("resource", "rate", "PM", "Ana", "--table", "F", "--standard", "1"),
        ("resource", "rate", "PM", "Ana", "--standard", "-5"),
        ("resource", "rate", "PM", "Ana", "--standard", "1", "--from", "soon"),
        ("resource", "rate", "PM", "Ana"),
        ("resource", "rate-table", "PM", "Design", "Bob", "B"),
        ("cost", "PM", "--by", "month"),
    ):
        done = steerco(*args)
        assert done.exit_code == 2, args
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert steerco("cost", "PM").stdout.startswith("PM  Payroll migration: total 0.00 EUR")
