"""Accounts and permissions, pure: users, project roles, what each role may do, which fields
each role may change, API-token scopes against HTTP methods, and the password policy.

Everything here is a table or a small function over one, so the whole permission matrix can
be tested without a database and every front end (CLI, REST, web) asks the same question.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Literal

from steerco.domain.errors import NotFound, PermissionDenied, ValidationError

# ASVS 5.0 (6.2.1, 6.2.9): at least 12 characters, at least 64 allowed, no composition rules,
# no forced rotation. The upper bound only keeps a hostile 10 MB "password" from tying up
# argon2; 1024 is far above anything a password manager generates.
PASSWORD_MIN = 12
PASSWORD_MAX = 1024
EMAIL_MAX = 320
DISPLAY_NAME_MAX = 200


class AuthenticationFailed(PermissionDenied):
    """No valid credential: wrong password, unknown or expired session or token. Adapters
    answer 401 (and a sign-in form), where a plain PermissionDenied is 403."""


class SecondFactorRequired(AuthenticationFailed):
    """The password was right and the account has TOTP: ask for the code, then call again."""


class LockedOut(AuthenticationFailed):
    """Too many failures for this account or source; `retry_after` is in seconds."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"too many failed sign-ins; try again in {retry_after} s")


class HiddenProject(NotFound):
    """A project that exists but is not the caller's to see. Adapters answer it exactly like
    a missing one (same status, same text: "no project REF", REF being what the caller
    asked for); only the audit log tells the two apart."""

    def __init__(self, ref: int | str, project_id: int) -> None:
        self.project_id = project_id
        super().__init__(f"no project {str(ref)[:40]}")


class ProjectDenied(PermissionDenied):
    """A member of a project whose role or credential does not allow what they asked;
    `project_id` lets the audit log file the denial under the project."""

    def __init__(self, message: str, project_id: int) -> None:
        self.project_id = project_id
        super().__init__(message)


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    MEMBER = "member"
    VIEWER = "viewer"


class Action(StrEnum):
    PROJECT_READ = "project.read"
    PROJECT_UPDATE = "project.update"
    PROJECT_DELETE = "project.delete"
    PROJECT_MANAGE_MEMBERS = "project.manage_members"
    TASK_READ = "task.read"
    TASK_WRITE = "task.write"
    BUDGET_WRITE = "budget.write"


class Scope(StrEnum):
    """What a credential may do at all, before any project role is looked at."""

    READ = "read"
    WRITE = "write"
    ADMIN = "admin"


_READS = frozenset({Action.PROJECT_READ, Action.TASK_READ})

# The permission table. Deny by default: an action missing from a role's set is refused.
PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.VIEWER: _READS,
    Role.MEMBER: _READS | {Action.TASK_WRITE},
    Role.MANAGER: _READS
    | {
        Action.TASK_WRITE,
        Action.PROJECT_UPDATE,
        Action.BUDGET_WRITE,
        Action.PROJECT_MANAGE_MEMBERS,
    },
    Role.OWNER: frozenset(Action),
}

# Which credential scope an action needs, so that a read-only token cannot write even where
# the user's project role would allow it.
ACTION_SCOPE: dict[Action, Scope] = {
    action: Scope.READ if action in _READS else Scope.WRITE for action in Action
}


def can(role: Role | None, action: Action) -> bool:
    return role is not None and action in PERMISSIONS[role]


# Field-level rules (mass assignment, Redmine CVE-2012-2054). Each editable field names the
# action it needs; a field not listed here cannot be set through an update at all, so an
# attacker-chosen name such as `__class__` or `owner_id` is a validation error, never a write.
PROJECT_FIELDS: dict[str, Action] = {
    "name": Action.PROJECT_UPDATE,
    "start": Action.PROJECT_UPDATE,
    "status_date": Action.PROJECT_UPDATE,
    "methodology": Action.PROJECT_UPDATE,
    "currency": Action.BUDGET_WRITE,
    "budget": Action.BUDGET_WRITE,
}
TASK_FIELDS: dict[str, Action] = {
    **{
        name: Action.TASK_WRITE
        for name in (
            "name",
            "duration",
            "start",
            "finish",
            "milestone",
            "notes",
            "percent_complete",
            "constraint_type",
            "constraint_date",
            "deadline",
            "priority",
            "manual",
            "actual_start",
            "actual_finish",
            "remaining",
            "calendar_uid",
            "wbs",
            "constraint",
            "predecessors",
            "splits",
        )
    },
    "cost": Action.BUDGET_WRITE,
    "fixed_cost": Action.BUDGET_WRITE,
    "budget": Action.BUDGET_WRITE,
}
MEMBER_FIELDS: dict[str, Action] = {"role": Action.PROJECT_MANAGE_MEMBERS}
FIELD_RULES: dict[str, dict[str, Action]] = {
    "project": PROJECT_FIELDS,
    "task": TASK_FIELDS,
    "member": MEMBER_FIELDS,
}


def check_fields(role: Role | None, resource: str, fields: Iterable[str]) -> None:
    """Raise ValidationError for a field that cannot be edited at all, and PermissionDenied
    naming the fields `role` may not change. Call before touching the stored object."""
    rules = FIELD_RULES.get(resource)
    if rules is None:
        raise ValidationError(f"unknown resource {resource!r}")
    names = sorted(set(fields))
    unknown = [f for f in names if f not in rules]
    if unknown:
        raise ValidationError(f"unknown or read-only field(s): {', '.join(unknown)}")
    denied = [f for f in names if not can(role, rules[f])]
    if denied:
        raise PermissionDenied(f"your role may not change: {', '.join(denied)}")


def can_assign(actor: Role | None, current: Role | None, new: Role | None) -> bool:
    """Whether `actor` may move a member from `current` to `new` (None = not a member).

    Owners may do anything. Managers may add, change and remove managers, members and viewers
    but never touch an owner nor make one, so a manager cannot take over a project."""
    if not can(actor, Action.PROJECT_MANAGE_MEMBERS):
        return False
    if actor is Role.OWNER:
        return True
    return Role.OWNER not in (current, new)


# ----- credentials and principals ---------------------------------------------------------

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def required_scope(method: str, *, admin: bool = False) -> Scope:
    """The scope an HTTP request needs (Vikunja CVE-2026-40103: scope must follow the method).
    Unknown methods (TRACE, CONNECT, made-up verbs) are refused, not treated as reads."""
    if admin:
        return Scope.ADMIN
    verb = method.upper()
    if verb in SAFE_METHODS:
        return Scope.READ
    if verb in UNSAFE_METHODS:
        return Scope.WRITE
    raise PermissionDenied(f"method {method!r} is not allowed")


def implied_scopes(scope: Scope) -> frozenset[Scope]:
    """A write token can also read; an admin token can do everything."""
    if scope is Scope.ADMIN:
        return frozenset(Scope)
    if scope is Scope.WRITE:
        return frozenset({Scope.READ, Scope.WRITE})
    return frozenset({Scope.READ})


def parse_scopes(text: str) -> frozenset[Scope]:
    try:
        return frozenset(Scope(s) for s in text.split(",") if s)
    except ValueError as exc:
        raise ValidationError(f"unknown scope in {text!r}; use read, write or admin") from exc


def format_scopes(scopes: Iterable[Scope]) -> str:
    return ",".join(sorted(s.value for s in scopes))


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling and what their credential allows. Built only by the accounts services
    from a live session, a valid token, or the CLI's `--as EMAIL`; adapters pass it on and
    never construct one."""

    user_id: int
    email: str
    is_admin: bool
    scopes: frozenset[Scope]
    via: Literal["session", "token", "cli"]

    def has_scope(self, scope: Scope) -> bool:
        return scope in self.scopes


@dataclass(frozen=True, slots=True)
class User:
    id: int
    email: str
    display_name: str
    is_admin: bool
    disabled: bool
    totp_enabled: bool
    created_at: datetime


def normalise_email(email: str) -> str:
    """Trimmed and lower-cased, so `Ann@Example.org` and `ann@example.org ` are one account."""
    value = email.strip().lower()
    local, at, domain = value.rpartition("@")
    if (
        not at
        or not local
        or "." not in domain
        or domain.startswith(".")
        or domain.endswith(".")
        or len(value) > EMAIL_MAX
        or any(c.isspace() or ord(c) < 32 for c in value)
    ):
        raise ValidationError(f"not an email address: {email.strip()[:80]!r}")
    return value


def check_display_name(name: str) -> str:
    value = name.strip()
    if len(value) > DISPLAY_NAME_MAX or any(ord(c) < 32 for c in value):
        raise ValidationError(f"a display name has at most {DISPLAY_NAME_MAX} printable characters")
    return value


def check_password(password: str) -> None:
    """Length only (NIST 800-63B, ASVS 6.2): no composition rules, which push people to
    predictable patterns. Spaces and any Unicode are allowed and kept as typed."""
    if len(password) < PASSWORD_MIN:
        raise ValidationError(f"a password needs at least {PASSWORD_MIN} characters")
    if len(password) > PASSWORD_MAX:
        raise ValidationError(f"a password has at most {PASSWORD_MAX} characters")


def utc_naive(moment: datetime) -> datetime:
    """The database stores naive UTC; accept aware datetimes from callers and convert them."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
