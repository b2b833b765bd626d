"""Repositories of the accounts and audit area (protocols in `services.accounts_ports`).

Core statements on the unit of work's connection, as in `repository.py`, so every read and
write shares the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from steerco.domain import Conflict, NotFound
from steerco.domain.account_records import (
    Membership,
    SessionRecord,
    Throttle,
    TokenRecord,
    UserCredentials,
)
from steerco.domain.accounts import Role, Scope, User, format_scopes, parse_scopes
from steerco.storage.accounts_schema import (
    ApiTokenRow,
    LoginAttemptRow,
    MembershipRow,
    RecoveryCodeRow,
    SessionRow,
    UserRow,
)

users: Table = UserRow.__table__  # type: ignore[assignment]
codes: Table = RecoveryCodeRow.__table__  # type: ignore[assignment]
sessions: Table = SessionRow.__table__  # type: ignore[assignment]
tokens: Table = ApiTokenRow.__table__  # type: ignore[assignment]
members: Table = MembershipRow.__table__  # type: ignore[assignment]
attempts: Table = LoginAttemptRow.__table__  # type: ignore[assignment]


class Repo:
    """Shared by the repositories of this module and `audit_repository`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def _execute(self, statement: Any, params: Any = None) -> Any:
        return self.session.connection().execute(statement, params)

    def _insert(self, table: Table, values: dict[str, Any], duplicate: str) -> int:
        try:
            with self.session.begin_nested():
                key = next(iter(table.primary_key.columns))
                result = self._execute(insert(table).returning(key), values)
                return int(result.scalar_one())
        except IntegrityError as exc:
            raise Conflict(duplicate) from exc


def _user(row: Any) -> User:
    return User(
        row.id,
        row.email,
        row.display_name,
        row.is_admin,
        row.disabled,
        row.totp_enabled,
        row.created_at,
    )


class SqlUserRepository(Repo):
    def add(
        self, email: str, display_name: str, password_hash: str, is_admin: bool, at: datetime
    ) -> User:
        values = {
            "email": email,
            "display_name": display_name,
            "password_hash": password_hash,
            "is_admin": is_admin,
            "disabled": False,
            "totp_secret": None,
            "totp_enabled": False,
            "totp_last_step": None,
            "created_at": at,
            "version": 1,
        }
        user_id = self._insert(users, values, f"a user with email {email} already exists")
        return self.get(user_id)

    def get(self, user_id: int) -> User:
        row = self._execute(select(users).where(users.c.id == user_id)).first()
        if row is None:
            raise NotFound(f"no user {user_id}")
        return _user(row)

    def _credentials(self, row: Any) -> UserCredentials:
        return UserCredentials(_user(row), row.password_hash, row.totp_secret, row.totp_last_step)

    def by_email(self, email: str) -> UserCredentials | None:
        row = self._execute(select(users).where(users.c.email == email)).first()
        return None if row is None else self._credentials(row)

    def credentials(self, user_id: int) -> UserCredentials:
        row = self._execute(select(users).where(users.c.id == user_id)).first()
        if row is None:
            raise NotFound(f"no user {user_id}")
        return self._credentials(row)

    def list(self) -> Sequence[User]:
        return [_user(r) for r in self._execute(select(users).order_by(users.c.email))]

    def count_active_admins(self) -> int:
        statement = select(func.count()).where(users.c.is_admin, ~users.c.disabled)
        return int(self._execute(statement).scalar_one())

    def _set(self, user_id: int, **values: Any) -> None:
        statement = (
            update(users).where(users.c.id == user_id).values(version=users.c.version + 1, **values)
        )
        if self._execute(statement).rowcount == 0:
            raise NotFound(f"no user {user_id}")

    def set_disabled(self, user_id: int, disabled: bool) -> None:
        self._set(user_id, disabled=disabled)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self._set(user_id, password_hash=password_hash)

    def set_totp(self, user_id: int, secret: str | None, enabled: bool) -> None:
        self._set(user_id, totp_secret=secret, totp_enabled=enabled, totp_last_step=None)

    def set_totp_last_step(self, user_id: int, step: int) -> None:
        self._set(user_id, totp_last_step=step)

    def replace_recovery_codes(self, user_id: int, code_hashes: Sequence[str]) -> None:
        self._execute(delete(codes).where(codes.c.user_id == user_id))
        if code_hashes:
            rows = [{"user_id": user_id, "code_hash": h, "used_at": None} for h in code_hashes]
            self._execute(insert(codes), rows)

    def use_recovery_code(self, user_id: int, code_hash: str, at: datetime) -> bool:
        # One UPDATE guarded by `used_at IS NULL`: two concurrent uses cannot both succeed.
        statement = (
            update(codes)
            .where(
                codes.c.user_id == user_id,
                codes.c.code_hash == code_hash,
                codes.c.used_at.is_(None),
            )
            .values(used_at=at)
        )
        return bool(self._execute(statement).rowcount == 1)

    def unused_recovery_codes(self, user_id: int) -> int:
        statement = select(func.count()).where(
            codes.c.user_id == user_id, codes.c.used_at.is_(None)
        )
        return int(self._execute(statement).scalar_one())


def _session(row: Any) -> SessionRecord:
    return SessionRecord(
        row.id,
        row.user_id,
        row.created_at,
        row.last_seen_at,
        row.expires_at,
        row.source,
        row.needs_totp_enrolment,
    )


class SqlSessionRepository(Repo):
    def add(
        self,
        id_hash: str,
        user_id: int,
        *,
        at: datetime,
        expires_at: datetime,
        source: str | None,
        needs_totp_enrolment: bool,
    ) -> SessionRecord:
        values = {
            "id_hash": id_hash,
            "user_id": user_id,
            "created_at": at,
            "last_seen_at": at,
            "expires_at": expires_at,
            "source": source,
            "needs_totp_enrolment": needs_totp_enrolment,
        }
        session_id = self._insert(sessions, values, "session id collision")
        return SessionRecord(session_id, user_id, at, at, expires_at, source, needs_totp_enrolment)

    def by_hash(self, id_hash: str) -> SessionRecord | None:
        row = self._execute(select(sessions).where(sessions.c.id_hash == id_hash)).first()
        return None if row is None else _session(row)

    def touch(self, session_id: int, at: datetime) -> None:
        self._execute(update(sessions).where(sessions.c.id == session_id).values(last_seen_at=at))

    def delete(self, session_id: int) -> None:
        self._execute(delete(sessions).where(sessions.c.id == session_id))

    def delete_for_user(self, user_id: int, *, keep: int | None = None) -> int:
        statement = delete(sessions).where(sessions.c.user_id == user_id)
        if keep is not None:
            statement = statement.where(sessions.c.id != keep)
        return int(self._execute(statement).rowcount)

    def clear_enrolment(self, user_id: int) -> None:
        self._execute(
            update(sessions).where(sessions.c.user_id == user_id).values(needs_totp_enrolment=False)
        )

    def delete_expired(self, now: datetime, idle_before: datetime) -> int:
        statement = delete(sessions).where(
            (sessions.c.expires_at <= now) | (sessions.c.last_seen_at < idle_before)
        )
        return int(self._execute(statement).rowcount)


def _token(row: Any) -> TokenRecord:
    return TokenRecord(
        row.id,
        row.user_id,
        row.name,
        row.prefix,
        parse_scopes(row.scopes),
        row.created_at,
        row.expires_at,
        row.last_used_at,
        row.revoked_at,
    )


class SqlTokenRepository(Repo):
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
    ) -> TokenRecord:
        values = {
            "user_id": user_id,
            "name": name,
            "token_hash": token_hash,
            "prefix": prefix,
            "scopes": format_scopes(scopes),
            "created_at": at,
            "expires_at": expires_at,
            "last_used_at": None,
            "revoked_at": None,
        }
        token_id = self._insert(tokens, values, "token collision")
        return self.get(token_id)

    def get(self, token_id: int) -> TokenRecord:
        row = self._execute(select(tokens).where(tokens.c.id == token_id)).first()
        if row is None:
            raise NotFound(f"no token {token_id}")
        return _token(row)

    def by_hash(self, token_hash: str) -> TokenRecord | None:
        row = self._execute(select(tokens).where(tokens.c.token_hash == token_hash)).first()
        return None if row is None else _token(row)

    def list_for_user(self, user_id: int) -> Sequence[TokenRecord]:
        statement = select(tokens).where(tokens.c.user_id == user_id).order_by(tokens.c.id)
        return [_token(r) for r in self._execute(statement)]

    def touch(self, token_id: int, at: datetime) -> None:
        self._execute(update(tokens).where(tokens.c.id == token_id).values(last_used_at=at))

    def revoke(self, token_id: int, at: datetime) -> None:
        statement = (
            update(tokens)
            .where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        self._execute(statement)


class SqlMembershipRepository(Repo):
    def _select(self) -> Any:
        return select(members, users.c.email).join(users, users.c.id == members.c.user_id)

    @staticmethod
    def _row(row: Any) -> Membership:
        return Membership(row.project_id, row.user_id, row.email, Role(row.role), row.version)

    def get(self, project_id: int, user_id: int) -> Membership | None:
        statement = self._select().where(
            members.c.project_id == project_id, members.c.user_id == user_id
        )
        row = self._execute(statement).first()
        return None if row is None else self._row(row)

    def list(self, project_id: int) -> Sequence[Membership]:
        statement = self._select().where(members.c.project_id == project_id).order_by(users.c.email)
        return [self._row(r) for r in self._execute(statement)]

    def projects_of(self, user_id: int) -> dict[int, Role]:
        statement = select(members.c.project_id, members.c.role).where(members.c.user_id == user_id)
        return {pid: Role(role) for pid, role in self._execute(statement)}

    def add(self, project_id: int, user_id: int, role: Role) -> Membership:
        values = {"project_id": project_id, "user_id": user_id, "role": role.value, "version": 1}
        self._insert(members, values, "that user is already a member of the project")
        found = self.get(project_id, user_id)
        assert found is not None
        return found

    def change(self, project_id: int, user_id: int, role: Role, version: int) -> Membership:
        where = (members.c.project_id == project_id, members.c.user_id == user_id)
        statement = (
            update(members)
            .where(*where, members.c.version == version)
            .values(role=role.value, version=members.c.version + 1)
        )
        if self._execute(statement).rowcount == 0:
            if self.get(project_id, user_id) is None:
                raise NotFound("no such member")
            raise Conflict("the membership was changed by someone else; reload and try again")
        found = self.get(project_id, user_id)
        assert found is not None
        return found

    def remove(self, project_id: int, user_id: int) -> None:
        statement = delete(members).where(
            members.c.project_id == project_id, members.c.user_id == user_id
        )
        if self._execute(statement).rowcount == 0:
            raise NotFound("no such member")

    def count_role(self, project_id: int, role: Role) -> int:
        statement = select(func.count()).where(
            members.c.project_id == project_id, members.c.role == role.value
        )
        return int(self._execute(statement).scalar_one())


class SqlLoginAttemptRepository(Repo):
    def get(self, key: str) -> Throttle:
        row = self._execute(select(attempts).where(attempts.c.key == key)).first()
        if row is None:
            return Throttle(key, 0, None, None)
        return Throttle(key, row.failures, row.last_failure_at, row.locked_until)

    def save(self, throttle: Throttle) -> None:
        values = {
            "failures": throttle.failures,
            "last_failure_at": throttle.last_failure_at,
            "locked_until": throttle.locked_until,
        }
        statement = update(attempts).where(attempts.c.key == throttle.key).values(**values)
        if self._execute(statement).rowcount == 0:
            self._execute(insert(attempts), {"key": throttle.key, **values})

    def clear(self, key: str) -> None:
        self._execute(delete(attempts).where(attempts.c.key == key))

    def delete_stale(self, before: datetime) -> int:
        statement = delete(attempts).where(
            attempts.c.last_failure_at < before,
            attempts.c.locked_until.is_(None) | (attempts.c.locked_until < before),
        )
        return int(self._execute(statement).rowcount)
