"""The permission matrix through the CLI: every role (`--as EMAIL`, and the local operator
without it) x every command. The rules are the API's, because both call the same service:
an allowed command exits 0, a refused one prints one `error:` line and exits 2, another
user's project is "no project KEY", and a refused command changes nothing. Commands are
read from the CLI itself: one that takes a project and is not listed here is still run by
a non-member, who must get "no project"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from steerco.cli import context
from steerco.cli.app import cli
from steerco.config import get_settings
from tests.e2e.api.test_permission_matrix import (
    ALLOWED,
    CREATE,
    LIST,
    MEMBERS,
    READ,
    SETTINGS,
    TASKS,
    plan_xml,
    world,
)
from tests.e2e.world import ALPHA_NAME, BETA_NAME, SECRETS, World, email, snapshot

__all__ = ["plan_xml", "world"]

ADMIN, OWN = "admin-only", "own-or-admin"
ALLOWED_CLI = {**ALLOWED, ADMIN: {"admin"}, OWN: {"owner", "admin"}}
CLI_ROLES = ["operator", "owner", "manager", "member", "viewer", "outsider", "admin"]


def commands(group: object = None, prefix: str = "") -> dict[str, list[str]]:
    """Every command's words, with the names of its positional arguments."""
    group = group or typer.main.get_command(cli)
    found: dict[str, list[str]] = {}
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        words = f"{prefix} {name}".strip()
        if hasattr(command, "commands"):
            found.update(commands(command, words))
        else:
            found[words] = [p.name for p in command.params if p.param_type_name == "argument"]
    return found


COMMANDS = commands()
# Commands about the database or accounts, not a project: the operator's own tools.
NOT_A_PROJECT = {
    "init",
    "demo",
    "backup",
    "restore",
    "serve",
    "audit verify",
    "user create",
    "user disable",
    "user enable",
    "user reset-2fa",
    "user enforce-2fa",
    "token create",
    "token revoke",
}


def rules(tmp: Path, plan: Path) -> dict[str, tuple[str, list[str]]]:
    return {
        "project list": (LIST, ["project", "list"]),
        "project show": (READ, ["project", "show", "ALPHA"]),
        "project create": (CREATE, ["project", "create", "Gamma"]),
        "task list": (READ, ["task", "list", "ALPHA"]),
        "task add": (TASKS, ["task", "add", "ALPHA", "Added"]),
        "task link": (TASKS, ["task", "link", "ALPHA", "Alpha code", "Alpha test"]),
        "schedule": (TASKS, ["schedule", "ALPHA"]),
        "level": (TASKS, ["level", "ALPHA", "--time-limit", "2"]),
        "import": (CREATE, ["import", str(plan)]),
        "export": (READ, ["export", "ALPHA", "--format", "csv", "-o", str(tmp / "out.csv")]),
        "member list": (READ, ["member", "list", "ALPHA"]),
        "member add": (MEMBERS, ["member", "add", "ALPHA", email("admin"), "--role", "viewer"]),
        "member set-role": (MEMBERS, ["member", "set-role", "ALPHA", email("extra"), "member"]),
        "member remove": (MEMBERS, ["member", "remove", "ALPHA", email("extra")]),
        "assign": (TASKS, ["assign", "ALPHA", "Alpha test", "Alpha engineer"]),
        "unassign": (TASKS, ["unassign", "ALPHA", "1", "Alpha engineer"]),
        "suggest": (READ, ["suggest", "ALPHA", "Alpha test"]),
        "task needs": (TASKS, ["task", "needs", "ALPHA", "Alpha test", "python:3"]),
        "resource list": (READ, ["resource", "list", "ALPHA"]),
        "resource usage": (READ, ["resource", "usage", "ALPHA"]),
        "resource show": (READ, ["resource", "show", "ALPHA", "Alpha engineer"]),
        "resource add": (SETTINGS, ["resource", "add", "ALPHA", "Second engineer"]),
        "resource remove": (SETTINGS, ["resource", "remove", "ALPHA", "Alpha engineer"]),
        "resource skill": (SETTINGS, ["resource", "skill", "ALPHA", "Alpha engineer", "go"]),
        "resource cert": (SETTINGS, ["resource", "cert", "ALPHA", "Alpha engineer", "PMP"]),
        "resource set": (
            SETTINGS,
            ["resource", "set", "ALPHA", "Alpha engineer", "--rate", "90", "--max-units", "50%"],
        ),
        "resource time-off": (
            SETTINGS,
            ["resource", "time-off", "ALPHA", "Alpha engineer", "2026-12-01"],
        ),
        "resource rate": (
            SETTINGS,
            ["resource", "rate", "ALPHA", "Alpha engineer", "--standard", "90"],
        ),
        "resource rate-table": (
            SETTINGS,
            ["resource", "rate-table", "ALPHA", "1", "Alpha engineer", "B"],
        ),
        "cost": (READ, ["cost", "ALPHA"]),
        "user list": (ADMIN, ["user", "list"]),
        "token list": (OWN, ["token", "list", email("owner")]),
    }


@pytest.fixture
def run_on(world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    db = tmp_path / "cli.db"
    monkeypatch.setenv("STEERCO_DATABASE_URL", world.copy(db))
    monkeypatch.delenv("STEERCO_USER", raising=False)
    context.app.cache_clear()
    get_settings.cache_clear()
    runner = CliRunner()

    def run(role: str, args: list[str]):  # type: ignore[no-untyped-def]
        prefix = [] if role == "operator" else ["--as", email(role)]
        return runner.invoke(cli, [*prefix, *args], catch_exceptions=False)

    run.db = db  # type: ignore[attr-defined]
    yield run
    if context.app.cache_info().currsize:
        context.app().dispose()
    context.app.cache_clear()
    get_settings.cache_clear()


def test_every_command_is_classified() -> None:
    listed = set(rules(Path(), Path())) | NOT_A_PROJECT
    unknown = [
        c
        for c, args in COMMANDS.items()
        if c not in listed and not (args and args[0] in {"project", "key", "project_key", "ref"})
    ]
    assert not unknown, f"classify these commands in this test: {unknown}"


@pytest.mark.parametrize("role", CLI_ROLES)
@pytest.mark.parametrize("command", sorted(c for c in COMMANDS if c not in NOT_A_PROJECT))
def test_cli_permission_matrix(
    command: str, role: str, run_on, world: World, plan_xml: bytes, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.xml"
    plan.write_bytes(plan_xml)
    known = rules(tmp_path, plan)
    if command not in known:  # takes a project: a non-member must not reach it
        if role != "outsider":
            pytest.skip(f"{command} is not in the table; only the non-member case applies")
        # ALPHA for the project, then "1" for every other argument (a task, a resource).
        args = [*command.split(), "ALPHA", *["1"] * (len(COMMANDS[command]) - 1)]
        rule = None
    else:
        rule, args = known[command]
    before = snapshot(run_on.db)
    done = run_on(role, args)
    after = snapshot(run_on.db)
    what = f"{role} steerco {' '.join(args)}: {done.exit_code} {done.stdout[-300:]} {done.stderr}"
    allowed = role == "operator" or (rule is not None and role in ALLOWED_CLI[rule])
    if allowed:
        assert done.exit_code == 0, what
    else:
        assert done.exit_code == 2, what
        assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, what
        assert after == before, f"refused but changed: {what}"
        if role == "outsider" and rule not in (LIST, CREATE, ADMIN, OWN):
            assert done.stderr == "error: no project ALPHA\n", what
    if role == "outsider" and rule != CREATE:  # an import shows the importer's own file
        for secret in SECRETS:
            assert secret not in done.stdout + done.stderr, what
    if command == "project list":
        assert (ALPHA_NAME in done.stdout) == (role in ALLOWED[READ] | {"operator"}), what
        assert (BETA_NAME in done.stdout) == (role in {"outsider", "admin", "operator"}), what


def test_steerco_user_env_acts_like_as(run_on, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEERCO_USER", email("outsider"))
    done = run_on("operator", ["project", "show", "ALPHA"])
    assert (done.exit_code, done.stderr) == (2, "error: no project ALPHA\n")
    monkeypatch.setenv("STEERCO_USER", email("viewer"))
    assert run_on("operator", ["project", "show", "ALPHA"]).exit_code == 0


def test_as_an_unknown_or_disabled_user_is_refused(run_on) -> None:
    done = run_on("nobody", ["project", "list"])
    assert (done.exit_code, done.stderr) == (2, f"error: no user {email('nobody')}\n")
    assert run_on("operator", ["user", "disable", email("viewer")]).exit_code == 0
    done = run_on("viewer", ["project", "show", "ALPHA"])
    assert (done.exit_code, done.stderr) == (2, f"error: user {email('viewer')} is disabled\n")


def test_created_and_imported_projects_belong_to_their_creator(
    run_on, plan_xml: bytes, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.xml"
    plan.write_bytes(plan_xml)
    assert run_on("member", ["project", "create", "Gamma", "--key", "GAMMA"]).exit_code == 0
    key = run_on("viewer", ["import", str(plan)]).stdout.strip().split()[-1]
    assert "owner" in run_on("member", ["member", "list", "GAMMA"]).stdout
    assert run_on("viewer", ["member", "list", key]).exit_code == 0
    # Each is the other's outsider.
    assert run_on("viewer", ["project", "show", "GAMMA"]).stderr == "error: no project GAMMA\n"
    assert run_on("member", ["project", "show", key]).stderr == f"error: no project {key}\n"
    # Only the operator or an admin names someone else as the owner.
    done = run_on("member", ["project", "create", "Delta", "--owner", email("viewer")])
    assert done.exit_code == 2 and "administrator" in done.stderr
    assert run_on("operator", ["import", str(plan), "--owner", email("member")]).exit_code == 0
