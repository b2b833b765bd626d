"""`steerco user`, `steerco token` and `steerco audit`, through Typer's runner.

The sub-apps are mounted on a local root here until the lead registers them in cli/app.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import typer
from sqlalchemy import text
from typer.testing import CliRunner

from steerco.cli import audit as audit_cli
from steerco.cli import context
from steerco.cli import tokens as tokens_cli
from steerco.cli import users as users_cli
from steerco.cli.errors import ErrorHandlingGroup
from steerco.services import accounts_tokens
from steerco.storage.accounts_schema import ACCOUNT_TABLES
from steerco.storage.db import make_engine
from steerco.storage.schema import Base

root = typer.Typer(cls=ErrorHandlingGroup, no_args_is_help=True)
root.add_typer(users_cli.cli, name="user")
root.add_typer(tokens_cli.cli, name="token")
root.add_typer(audit_cli.cli, name="audit")

PASSWORD = "correct horse battery\n"


@pytest.fixture
def run(db_url: str):
    context.app().migrate()
    # Until the regenerated migration has them (checkfirst: a no-op afterwards).
    engine = make_engine(db_url)
    Base.metadata.create_all(
        engine, tables=[Base.metadata.tables[t] for t in ACCOUNT_TABLES], checkfirst=True
    )
    engine.dispose()
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(root, list(args), input=input, catch_exceptions=False)

    return invoke


def test_user_create_list_disable(run) -> None:
    listed = run("user", "list")
    assert listed.exit_code == 0 and "No users yet" in listed.stdout
    made = run(
        "user",
        "create",
        "Root@Example.org",
        "--admin",
        "--name",
        "Root",
        "--password-stdin",
        input=PASSWORD,
    )
    assert made.exit_code == 0, made.stderr
    assert "Created administrator root@example.org" in made.stdout
    assert (
        run("user", "create", "ann@example.org", "--password-stdin", input=PASSWORD).exit_code == 0
    )
    listed = run("user", "list")
    assert "root@example.org" in listed.stdout and "ann@example.org" in listed.stdout
    done = run("user", "disable", "ann@example.org")
    assert done.exit_code == 0 and "Disabled ann@example.org" in done.stdout
    assert "disabled" in run("user", "list").stdout


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("user", "create", "ann@example.org", "--password-stdin"), "short\n", "12"),
        (("user", "create", "not-an-email", "--password-stdin"), PASSWORD, "email"),
        (("user", "create", "ann@example.org", "--password-stdin"), "", "no password"),
        (("user", "disable", "ghost@example.org"), None, "no user"),
        (("token", "create", "ghost@example.org"), None, "no user"),
        (("token", "create", "root@example.org", "--expires", "soon"), None, "lifetime"),
    ],
)
def test_errors_are_one_line_exit_2(run, args, stdin, message) -> None:
    run("user", "create", "root@example.org", "--admin", "--password-stdin", input=PASSWORD)
    done = run(*args, input=stdin)
    assert done.exit_code == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr
    assert "Traceback" not in done.stderr


def test_duplicate_user_is_an_error(run) -> None:
    run("user", "create", "ann@example.org", "--password-stdin", input=PASSWORD)
    done = run("user", "create", "ANN@example.org", "--password-stdin", input=PASSWORD)
    assert done.exit_code == 2 and "already exists" in done.stderr


def test_token_create_prints_the_token_last(run, db_url: str) -> None:
    run("user", "create", "root@example.org", "--admin", "--password-stdin", input=PASSWORD)
    done = run(
        "token",
        "create",
        "root@example.org",
        "--scope",
        "write",
        "--expires",
        "30d",
        "--name",
        "ci",
    )
    assert done.exit_code == 0, done.stderr
    token = done.stdout.strip().splitlines()[-1].split()[-1]
    assert token.startswith("stc_") and len(token) == 47
    principal = accounts_tokens.authenticate_token(
        context.app().uow, token, "POST", now=datetime.now(UTC)
    )
    assert principal.email == "root@example.org"
    engine = make_engine(db_url)
    with engine.connect() as conn:
        stored = str(conn.execute(text("SELECT * FROM api_tokens")).all())
    engine.dispose()
    assert token not in stored
    listed = run("token", "list", "root@example.org")
    assert "read,write" in listed.stdout and token not in listed.stdout
    assert run("token", "revoke", "1").exit_code == 0
    assert "revoked" in run("token", "list", "root@example.org").stdout


def test_audit_verify(run, db_url: str) -> None:
    run("user", "create", "root@example.org", "--admin", "--password-stdin", input=PASSWORD)
    run("user", "create", "ann@example.org", "--password-stdin", input=PASSWORD)
    run("user", "disable", "ann@example.org")
    done = run("audit", "verify")
    assert done.exit_code == 0, done.stderr
    assert "audit chain intact: 3 entries" in done.stdout
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'nobody' WHERE seq = 2"))
    engine.dispose()
    done = run("audit", "verify")
    assert done.exit_code == 1
    assert "entry 2" in done.stderr


def test_prompted_password_and_2fa_switches(run) -> None:
    made = run(
        "user",
        "create",
        "root@example.org",
        "--admin",
        input="a long passphrase\na long passphrase\n",
    )
    assert made.exit_code == 0, made.stderr
    assert "a long passphrase" not in made.stdout
    run("user", "create", "ann@example.org", "--password-stdin", input=PASSWORD)
    assert "required" in run("user", "enforce-2fa", "on").stdout
    assert "optional" in run("user", "enforce-2fa", "off").stdout
    assert run("user", "enforce-2fa", "maybe").exit_code == 2
    assert run("user", "reset-2fa", "ann@example.org").exit_code == 0
    run("user", "disable", "ann@example.org")
    assert "Enabled ann@example.org" in run("user", "enable", "ann@example.org").stdout
    done = run("user", "disable", "root@example.org")
    assert done.exit_code == 2 and "last active administrator" in done.stderr
