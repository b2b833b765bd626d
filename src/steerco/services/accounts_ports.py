"""What the accounts and audit services need from storage, as protocols (see `ports.py`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Protocol

from steerco.domain.account_records import (
    Membership,
    SessionRecord,
    Throttle,
    TokenRecord,
    UserCredentials,
)
from steerco.domain.accounts import Role, Scope, User
from steerco.domain.audit import AuditEntry, JsonValue


class UserRepository(Protocol):
    def add(
        self, email: str, display_name: str, password_hash: str, is_admin: bool, at: datetime
    ) -> User:
        """Insert a user; Conflict if the (normalised) email is taken."""

    def get(self, user_id: int) -> User:
        """The user, or NotFound."""

    def by_email(self, email: str) -> UserCredentials | None: ...

    def credentials(self, user_id: int) -> UserCredentials: ...

    def list(self) -> Sequence[User]: ...

    def count_active_admins(self) -> int: ...

    def set_disabled(self, user_id: int, disabled: bool) -> None: ...

    def set_password_hash(self, user_id: int, password_hash: str) -> None: ...

    def set_totp(self, user_id: int, secret: str | None, enabled: bool) -> None:
        """Also forgets the last used step, so a new seed starts fresh."""

    def set_totp_last_step(self, user_id: int, step: int) -> None: ...

    def replace_recovery_codes(self, user_id: int, code_hashes: Sequence[str]) -> None: ...

    def use_recovery_code(self, user_id: int, code_hash: str, at: datetime) -> bool:
        """Mark an unused code used, atomically; False if it is unknown or already used."""

    def unused_recovery_codes(self, user_id: int) -> int: ...


class SessionRepository(Protocol):
    def add(
        self,
        id_hash: str,
        user_id: int,
        *,
        at: datetime,
        expires_at: datetime,
        source: str | None,
        needs_totp_enrolment: bool,
    ) -> SessionRecord: ...

    def by_hash(self, id_hash: str) -> SessionRecord | None: ...

    def touch(self, session_id: int, at: datetime) -> None: ...

    def delete(self, session_id: int) -> None: ...

    def delete_for_user(self, user_id: int, *, keep: int | None = None) -> int: ...

    def clear_enrolment(self, user_id: int) -> None: ...

    def delete_expired(self, now: datetime, idle_before: datetime) -> int: ...


class TokenRepository(Protocol):
    def add(
        self,
        user_id: int,
        *,
        name: str,
        token_hash: str,
        prefix: str,
        scopes: frozenset[Scope],
        at: datetime,
        expires_at: datetime | None,
    ) -> TokenRecord: ...

    def get(self, token_id: int) -> TokenRecord:
        """The token, or NotFound."""

    def by_hash(self, token_hash: str) -> TokenRecord | None: ...

    def list_for_user(self, user_id: int) -> Sequence[TokenRecord]: ...

    def touch(self, token_id: int, at: datetime) -> None: ...

    def revoke(self, token_id: int, at: datetime) -> None: ...


class MembershipRepository(Protocol):
    def get(self, project_id: int, user_id: int) -> Membership | None: ...

    def list(self, project_id: int) -> Sequence[Membership]: ...

    def projects_of(self, user_id: int) -> dict[int, Role]: ...

    def add(self, project_id: int, user_id: int, role: Role) -> Membership:
        """Conflict if the user is a member already."""

    def change(self, project_id: int, user_id: int, role: Role, version: int) -> Membership:
        """Conflict if `version` is stale; NotFound if there is no such member."""

    def remove(self, project_id: int, user_id: int) -> None: ...

    def count_role(self, project_id: int, role: Role) -> int: ...


class LoginAttemptRepository(Protocol):
    def get(self, key: str) -> Throttle: ...

    def save(self, throttle: Throttle) -> None: ...

    def clear(self, key: str) -> None: ...

    def delete_stale(self, before: datetime) -> int:
        """Forget keys whose last failure is older than `before` and that are not locked."""


class AuditRepository(Protocol):
    def last_for_append(self) -> AuditEntry | None:
        """The newest entry, taking whatever lock makes the next append the only one."""

    def append(self, entry: AuditEntry) -> None: ...

    def append_many(self, entries: Sequence[AuditEntry]) -> None:
        """Append entries (already chained, in seq order) in one statement."""

    def iter_all(self) -> Iterator[AuditEntry]:
        """Every entry in seq order, streamed."""

    def recent(self, limit: int, before_seq: int | None = None) -> Sequence[AuditEntry]: ...

    def for_targets(
        self,
        targets: Sequence[str],
        limit: int,
        before_seq: int | None = None,
        since_seq: int | None = None,
        skip_actions: str | None = None,
    ) -> Sequence[AuditEntry]:
        """Entries whose target is one of `targets` or starts with one of them plus "/",
        newest first, with `since_seq <= seq < before_seq`, and whose action does not start
        with `skip_actions`."""

    def last_seq(self, target: str, action: str) -> int | None:
        """The newest entry with exactly this target and action."""


class InstanceSettingsRepository(Protocol):
    def get(self, key: str) -> JsonValue: ...

    def set(self, key: str, value: JsonValue) -> None: ...
