"""Stored shapes of the accounts area that cross the storage boundary. Like `records.py`,
they live in `domain` because `storage` sits below `services` and must be able to build
them. None of them holds a secret in clear: only hashes of session ids, tokens and codes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from steerco.domain.accounts import Role, Scope, User


@dataclass(frozen=True, slots=True)
class UserCredentials:
    """A user with what sign-in needs. Never handed to an adapter."""

    user: User
    password_hash: str
    totp_secret: str | None
    # The last accepted TOTP time step, so one code cannot be replayed within its window.
    totp_last_step: int | None


@dataclass(frozen=True, slots=True)
class SessionRecord:
    id: int
    user_id: int
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime  # the absolute timeout, fixed at sign-in
    source: str | None
    # Signed in while the instance enforces 2FA but before the user enrolled: the session
    # may only be used to enrol.
    needs_totp_enrolment: bool


@dataclass(frozen=True, slots=True)
class TokenRecord:
    id: int
    user_id: int
    name: str
    prefix: str  # the first characters, shown in listings to tell tokens apart
    scopes: frozenset[Scope]
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class Membership:
    project_id: int
    user_id: int
    email: str
    role: Role
    version: int


@dataclass(frozen=True, slots=True)
class Throttle:
    """Failed sign-ins counted under one key (an account or a source address)."""

    key: str
    failures: int
    last_failure_at: datetime | None
    locked_until: datetime | None
