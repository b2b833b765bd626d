"""A seeded database for the permission tests: one project (ALPHA) with a member of every
role, another user's project (BETA), an instance admin, and a credential for each of them.

`build_world` makes it once into a file; each test copies the file (a few milliseconds),
so a request that is allowed and changes things never spoils the next case.
`snapshot` reads every table a request could change, for before/after comparisons."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from steerco.bootstrap import build
from steerco.config import Settings
from steerco.domain.accounts import Role, Scope
from steerco.services import accounts, calendars, planning, projects, resources
from steerco.services.accounts import LOCAL
from steerco.services.accounts_members import add_member, list_members
from steerco.services.accounts_sessions import sign_in
from steerco.services.accounts_tokens import create_token
from steerco.services.tasks import NewTask
from steerco.storage import migrate

PASSWORD = "a long and honest passphrase"

# Project roles on ALPHA; "extra" is a viewer that membership changes act on, "outsider"
# owns BETA and nothing else, "admin" is an instance administrator and member of nothing.
MEMBERS = {
    "owner": Role.OWNER,
    "manager": Role.MANAGER,
    "member": Role.MEMBER,
    "viewer": Role.VIEWER,
    "extra": Role.VIEWER,
}
USERS = [*MEMBERS, "outsider", "admin"]
# Who calls: every role, a non-member, an admin, nobody, and the owner with a read token.
ROLES = ["owner", "manager", "member", "viewer", "outsider", "admin", "anonymous", "reader"]

ALPHA_NAME, BETA_NAME = "Alpha launch", "Beta secret"
ALPHA_TASKS = ["Alpha design", "Alpha build", "Alpha code", "Alpha test"]
ALPHA_PEOPLE = ["Alpha engineer"]
BETA_TASKS = ["Beta plan", "Beta deliver"]
SECRETS = [ALPHA_NAME, *ALPHA_TASKS, *ALPHA_PEOPLE]  # what ALPHA's non-members never read
# Tables a request may change. Not the audit log (denials are recorded on purpose), nor
# sessions and tokens (last-seen times move on every request).
STATE_TABLES = [
    "projects",
    "tasks",
    "dependencies",
    "memberships",
    "users",
    "calendars",
    "calendar_exceptions",
    "calendar_work_weeks",
    "resources",
    "assignments",
]


def email(name: str) -> str:
    return f"{name}@example.org"


@dataclass
class World:
    path: Path
    alpha_id: int
    beta_id: int
    user_ids: dict[str, int]
    tokens: dict[str, str] = field(default_factory=dict)  # role -> bearer token
    sessions: dict[str, tuple[str, str]] = field(default_factory=dict)  # -> (id, csrf)
    task_versions: dict[int, int] = field(default_factory=dict)  # ALPHA's task uid -> version
    alpha_version: int = 0
    extra_version: int = 0  # the "extra" viewer's membership version

    def copy(self, dest: Path) -> str:
        shutil.copyfile(self.path, dest)
        return f"sqlite:///{dest}"


@contextmanager
def cheap_argon2() -> Iterator[None]:
    """argon2id with tiny costs while the users are made: the production profile would
    spend seconds on seven users. Verification reads the costs from the hash."""
    saved = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    try:
        yield
    finally:
        accounts._hasher = saved


def build_world(path: Path) -> World:
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    app = build(Settings(database_url=url, import_max_bytes=1_000_000))
    now = datetime.now(UTC)
    try:
        uow = app.uow
        with cheap_argon2():
            ids = {
                name: accounts.create_user(
                    uow, email(name), PASSWORD, now=now, is_admin=name == "admin"
                ).id
                for name in USERS
            }
            sessions = {}
            for name in USERS:
                signed = sign_in(uow, email(name), PASSWORD, now=now)
                sessions[name] = (signed.session_id, signed.csrf_token)
        alpha = projects.create_project(
            uow, ALPHA_NAME, actor=LOCAL, key="ALPHA", today=now.date(), owner=email("owner")
        )
        for name, role in MEMBERS.items():
            if role is not Role.OWNER:
                add_member(uow, LOCAL, "ALPHA", email(name), role, now=now)
        for name, parent, preds in [
            (ALPHA_TASKS[0], None, ""),
            (ALPHA_TASKS[1], None, "1"),
            (ALPHA_TASKS[2], "2", ""),
            (ALPHA_TASKS[3], None, "1"),
        ]:
            planning.create_task(
                uow,
                "ALPHA",
                NewTask(name=name, duration="2d"),
                actor=LOCAL,
                parent=parent,
                predecessors=preds,
            )
        beta = projects.create_project(
            uow, BETA_NAME, actor=LOCAL, key="BETA", today=now.date(), owner=email("outsider")
        )
        for name in BETA_TASKS:
            planning.create_task(uow, "BETA", NewTask(name=name), actor=LOCAL)
        # A holiday on ALPHA's calendar (1), a resource with a profile and an assignment, so
        # that every calendar and staffing route has something to show and to change.
        calendars.add_exception(
            uow,
            "ALPHA",
            1,
            start=date(2026, 12, 31),
            finish=date(2026, 12, 31),
            name="New Year's Eve",
            actor=LOCAL,
            now=now,
        )
        resources.add_resource(uow, "ALPHA", "Alpha engineer", actor=LOCAL, now=now)
        resources.assign(uow, "ALPHA", "1", "Alpha engineer", actor=LOCAL, now=now)
        tokens = {}
        for name in ["owner", "manager", "member", "viewer", "outsider", "admin"]:
            scope = Scope.ADMIN if name == "admin" else Scope.WRITE
            tokens[name] = create_token(uow, email(name), now=now, scope=scope, actor=LOCAL).token
        tokens["reader"] = create_token(
            uow, email("owner"), now=now, scope=Scope.READ, actor=LOCAL
        ).token
        sessions["reader"] = sessions["owner"]  # a session always carries its user's scopes
        plan = planning.load(uow, "ALPHA", actor=LOCAL)
        versions = {t.uid: t.version for t in plan.tasks if t.outline_level > 0}
        extra = next(m for m in list_members(uow, LOCAL, "ALPHA") if m.email == email("extra"))
        assert alpha.id is not None and beta.id is not None
        return World(
            path, alpha.id, beta.id, ids, tokens, sessions, versions, plan.version, extra.version
        )
    finally:
        app.dispose()


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a request could change, in a stable order."""
    with sqlite3.connect(path) as conn:
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)  # noqa: S608
            for table in STATE_TABLES
        }


def audit_actions(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT actor, action, target FROM audit_log ORDER BY seq").fetchall()
