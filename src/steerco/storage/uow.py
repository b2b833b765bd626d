"""Units of work: one session, one transaction, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from steerco.storage import accounts_repository as accounts
from steerco.storage import audit_repository, skills_repository
from steerco.storage.db import make_engine, read_engine, write_engine
from steerco.storage.repository import SqlProjectRepository


class SqlUnitOfWork:
    """Implements `steerco.services.ports.UnitOfWork`.

    The session begins lazily, at the first statement. For a write unit on SQLite that
    statement is preceded by `BEGIN IMMEDIATE`, so the unit holds the write lock from then
    until commit or rollback; a read unit gets a deferred BEGIN and a stable snapshot.
    """

    projects: SqlProjectRepository
    # The accounts and audit area (storage/accounts_repository.py).
    users: accounts.SqlUserRepository
    sessions: accounts.SqlSessionRepository
    tokens: accounts.SqlTokenRepository
    members: accounts.SqlMembershipRepository
    login_attempts: accounts.SqlLoginAttemptRepository
    audit: audit_repository.SqlAuditRepository
    skills: skills_repository.SqlSkillRepository
    instance: audit_repository.SqlInstanceSettingsRepository

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work in a `with` block")
        return self._session

    def __enter__(self) -> Self:
        self._session = self._session_factory()
        self.projects = SqlProjectRepository(self._session)
        self.users = accounts.SqlUserRepository(self._session)
        self.sessions = accounts.SqlSessionRepository(self._session)
        self.tokens = accounts.SqlTokenRepository(self._session)
        self.members = accounts.SqlMembershipRepository(self._session)
        self.login_attempts = accounts.SqlLoginAttemptRepository(self._session)
        self.audit = audit_repository.SqlAuditRepository(self._session)
        self.skills = skills_repository.SqlSkillRepository(self._session)
        self.instance = audit_repository.SqlInstanceSettingsRepository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Uncommitted work never lands, whether the block raised or just forgot to commit.
        try:
            self.rollback()
        finally:
            self.session.close()
            self._session = None

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


class SqlUnitOfWorkFactory:
    """Implements `steerco.services.ports.UnitOfWorkFactory` over one engine (and its pool)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # expire_on_commit is off: the repository hands out domain objects, not ORM rows.
        self._write = sessionmaker(bind=write_engine(engine), expire_on_commit=False)
        self._read = sessionmaker(bind=read_engine(engine), expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str) -> SqlUnitOfWorkFactory:
        return cls(make_engine(url))

    def __call__(self, *, write: bool = True) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._write if write else self._read)

    def dispose(self) -> None:
        self.engine.dispose()
