"""Rows of the accounts and audit area, on the same `Base` (and metadata) as `schema.py`.

No secret is stored in a form that lets a database reader use it: passwords are argon2id
hashes, session ids, API tokens and recovery codes are SHA-256 hashes (they are 256-bit or
80-bit random values, so a fast hash is enough and lookups stay indexable). The TOTP seed
must be readable to check codes, so it is the one secret at rest here.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.orm import Mapped, mapped_column

from steerco.storage.schema import Base

HASH_LEN = 64  # hex SHA-256


def _user_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean)
    disabled: Mapped[bool] = mapped_column(Boolean)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(Boolean)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer)


class RecoveryCodeRow(Base):
    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _user_fk()
    code_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class SessionRow(Base):
    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(HASH_LEN), unique=True)
    user_id: Mapped[int] = _user_fk()
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str | None] = mapped_column(String(100))
    needs_totp_enrolment: Mapped[bool] = mapped_column(Boolean)


class ApiTokenRow(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = _user_fk()
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(HASH_LEN), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    scopes: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class MembershipRow(Base):
    __tablename__ = "memberships"
    __table_args__ = (Unique("project_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = _user_fk()
    role: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)


class LoginAttemptRow(Base):
    """Failed sign-ins per key: `account:<email>` (also for unknown emails, so the lockout
    does not reveal which accounts exist) and `source:<address>`."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(400), unique=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure_at: Mapped[datetime | None] = mapped_column(DateTime)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


class AuditRow(Base):
    """Append-only. `seq` is assigned by the audit repository under a lock, not by the
    database, because it is part of the hashed content."""

    __tablename__ = "audit_log"
    # A project's history (`target` equal to `project:ID` or under `project:ID/`, newest
    # first) and the newest `project.created` read a range of this index, not the whole log.
    # PostgreSQL needs the pattern operator class for a LIKE prefix under any collation.
    __table_args__ = (
        Index(
            "ix_audit_log_target_seq",
            "target",
            "seq",
            postgresql_ops={"target": "varchar_pattern_ops"},
        ),
    )

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(200))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LEN))
    hash: Mapped[str] = mapped_column(String(HASH_LEN))


class InstanceSettingRow(Base):
    """Instance-wide switches such as `enforce_2fa`, as JSON values."""

    __tablename__ = "instance_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


ACCOUNT_TABLES = [
    "users",
    "recovery_codes",
    "sessions",
    "api_tokens",
    "memberships",
    "login_attempts",
    "audit_log",
    "instance_settings",
]
