"""Sign-in, server-side sessions, CSRF tokens and the failed-sign-in throttle.

The session id is 256 random bits handed to the browser once; the database keeps only its
SHA-256, so a copy of the database cannot be replayed as a cookie. Every sign-in creates a
fresh id (no session fixation), and the id the browser had before is deleted.

The CSRF synchronizer token is an HMAC of the session id: it is bound to the session,
needs no storage, and cannot be derived from anything in the database.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from steerco.domain import PermissionDenied, ValidationError
from steerco.domain.account_records import SessionRecord, Throttle, UserCredentials
from steerco.domain.accounts import (
    AuthenticationFailed,
    LockedOut,
    Principal,
    Scope,
    SecondFactorRequired,
    implied_scopes,
    normalise_email,
    utc_naive,
)
from steerco.services import audit
from steerco.services.accounts import (
    enforce_2fa_enabled,
    hash_password,
    needs_rehash,
    verify_password,
)
from steerco.services.accounts_totp import check_second_factor
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
# last_seen_at is written at most this often, so browsing is not one write per request.
TOUCH_EVERY = timedelta(seconds=60)

# Throttle: this many failures are free, then each further one doubles the lockout, from
# BASE_LOCK up to MAX_LOCK. Sources get more free tries, as many people can share one NAT.
ACCOUNT_FREE_FAILURES = 5
SOURCE_FREE_FAILURES = 20
BASE_LOCK = timedelta(seconds=30)
MAX_LOCK = timedelta(minutes=15)
# Failures older than this are forgotten.
FAILURE_WINDOW = timedelta(hours=1)

_WRONG = "wrong email or password"


@dataclass(frozen=True, slots=True)
class SignedIn:
    """What the web layer needs after a sign-in. `session_id` goes into the `__Host-`
    cookie and is never stored or logged; `csrf_token` goes into forms."""

    session_id: str
    csrf_token: str
    principal: Principal
    expires_at: datetime
    needs_totp_enrolment: bool


@dataclass(frozen=True, slots=True)
class ActiveSession:
    record: SessionRecord
    principal: Principal
    csrf_token: str

    @property
    def needs_totp_enrolment(self) -> bool:
        return self.record.needs_totp_enrolment


def hash_session_id(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def csrf_token_for(session_id: str) -> str:
    return hmac.new(session_id.encode(), b"steerco-csrf-v1", hashlib.sha256).hexdigest()


def check_csrf(session_id: str, token: str | None) -> None:
    """Raise PermissionDenied unless `token` belongs to `session_id` (constant time)."""
    if not token or not hmac.compare_digest(csrf_token_for(session_id), token):
        raise PermissionDenied("missing or wrong CSRF token")


def session_principal(
    creds_user_id: int, email: str, is_admin: bool, needs_enrolment: bool
) -> Principal:
    # A session waiting for TOTP enrolment has no scopes: every project check fails and
    # only the enrolment services (which take the user id) can be reached.
    if needs_enrolment:
        scopes: frozenset[Scope] = frozenset()
    else:
        scopes = implied_scopes(Scope.ADMIN if is_admin else Scope.WRITE)
    return Principal(creds_user_id, email, is_admin, scopes, "session")


# ----- throttle (pure) ---------------------------------------------------------------------


def lock_remaining(throttle: Throttle, now: datetime) -> int:
    if throttle.locked_until is None or throttle.locked_until <= now:
        return 0
    return max(1, int((throttle.locked_until - now).total_seconds() + 0.999))


def after_failure(throttle: Throttle, now: datetime, free: int) -> Throttle:
    stale = throttle.last_failure_at is None or now - throttle.last_failure_at > FAILURE_WINDOW
    failures = 1 if stale else throttle.failures + 1
    locked_until = None
    if failures > free:
        lock = min(MAX_LOCK, BASE_LOCK * 2 ** min(failures - free - 1, 20))
        locked_until = now + lock
    return replace(throttle, failures=failures, last_failure_at=now, locked_until=locked_until)


def _keys(email: str, source: str | None) -> tuple[str, str | None]:
    return f"account:{email}"[:400], (f"source:{source}"[:400] if source else None)


# ----- sign-in --------------------------------------------------------------------------------


def sign_in(
    uow_factory: UnitOfWorkFactory,
    email: str,
    password: str,
    *,
    now: datetime,
    totp: str | None = None,
    source: str | None = None,
    previous_session: str | None = None,
) -> SignedIn:
    """Check the password (and the TOTP or a recovery code when the account has 2FA) and
    open a new session. Raises LockedOut while throttled, SecondFactorRequired when the
    code is missing, AuthenticationFailed otherwise; the message never says whether the
    email exists. `source` is the client address, for the per-source throttle."""
    now = utc_naive(now)
    try:
        address = normalise_email(email)
    except ValidationError:
        raise AuthenticationFailed(_WRONG) from None
    account_key, source_key = _keys(address, source)
    with uow_factory(write=False) as uow:
        for key in (account_key, source_key):
            if key is not None and (wait := lock_remaining(uow.login_attempts.get(key), now)):
                raise LockedOut(wait)
        found = uow.users.by_email(address)
    # argon2 runs outside any transaction: on SQLite a write unit holds the database's
    # write lock, which must not wait on ~100 ms of hashing per attempt during a spray.
    ok = verify_password(found.password_hash if found else None, password)
    with uow_factory() as uow:
        # Read again under the write lock: the user may have been disabled meanwhile, and
        # the TOTP replay guard needs the latest accepted step.
        creds = uow.users.credentials(found.user.id) if found else None
        if not ok or creds is None or creds.user.disabled:
            _fail(uow, address, account_key, source_key, now=now, what="password")
            uow.commit()
            raise AuthenticationFailed(_WRONG)
        if creds.user.totp_enabled:
            if not totp:
                raise SecondFactorRequired("enter the code from your authenticator app")
            if not check_second_factor(uow, creds, totp, now):
                _fail(uow, address, account_key, source_key, now=now, what="second factor")
                uow.commit()
                raise AuthenticationFailed("wrong or already used code")
        signed_in = _open_session(
            uow, creds, password, now=now, source=source, previous_session=previous_session
        )
        uow.login_attempts.clear(account_key)
        uow.commit()
    return signed_in


def _fail(
    uow: UnitOfWork,
    address: str,
    account_key: str,
    source_key: str | None,
    *,
    now: datetime,
    what: str,
) -> None:
    uow.login_attempts.save(
        after_failure(uow.login_attempts.get(account_key), now, ACCOUNT_FREE_FAILURES)
    )
    if source_key is not None:
        uow.login_attempts.save(
            after_failure(uow.login_attempts.get(source_key), now, SOURCE_FREE_FAILURES)
        )
    audit.record(
        uow,
        actor=address,
        action="auth.sign_in_failed",
        target=f"email:{address}",
        now=now,
        after={"failed": what, "source": source_key},
    )


def _open_session(
    uow: UnitOfWork,
    creds: UserCredentials,
    password: str,
    *,
    now: datetime,
    source: str | None,
    previous_session: str | None,
) -> SignedIn:
    user = creds.user
    if previous_session:
        old = uow.sessions.by_hash(hash_session_id(previous_session))
        if old is not None:
            uow.sessions.delete(old.id)
    if needs_rehash(creds.password_hash):
        uow.users.set_password_hash(user.id, hash_password(password))
    needs_enrolment = enforce_2fa_enabled(uow) and not user.totp_enabled
    session_id = secrets.token_urlsafe(32)
    expires_at = now + ABSOLUTE_TIMEOUT
    uow.sessions.add(
        hash_session_id(session_id),
        user.id,
        at=now,
        expires_at=expires_at,
        source=source[:100] if source else None,
        needs_totp_enrolment=needs_enrolment,
    )
    audit.record(
        uow,
        actor=user.email,
        action="auth.sign_in",
        target=f"user:{user.id}",
        now=now,
        after={"source": source, "needs_totp_enrolment": needs_enrolment},
    )
    principal = session_principal(user.id, user.email, user.is_admin, needs_enrolment)
    return SignedIn(session_id, csrf_token_for(session_id), principal, expires_at, needs_enrolment)


def resolve_session(
    uow_factory: UnitOfWorkFactory, session_id: str, *, now: datetime
) -> ActiveSession:
    """The live session behind a cookie, or AuthenticationFailed. A session past its idle or
    absolute timeout, or of a disabled user, is deleted on the spot."""
    now = utc_naive(now)
    if not session_id or len(session_id) > 256:
        raise AuthenticationFailed("not signed in")
    # A read unit first: on SQLite a write unit takes the database's write lock, and most
    # requests need not write at all (last_seen_at moves at most once a minute).
    with uow_factory(write=False) as uow:
        record = uow.sessions.by_hash(hash_session_id(session_id))
        if record is None:
            raise AuthenticationFailed("not signed in")
        user = uow.users.get(record.user_id)
    expired = now >= record.expires_at or now - record.last_seen_at >= IDLE_TIMEOUT
    if expired or user.disabled:
        with uow_factory() as uow:
            uow.sessions.delete(record.id)
            uow.commit()
        raise AuthenticationFailed("the session has ended; sign in again")
    if now - record.last_seen_at >= TOUCH_EVERY:
        with uow_factory() as uow:
            uow.sessions.touch(record.id, now)
            uow.commit()
        record = replace(record, last_seen_at=now)
    principal = session_principal(user.id, user.email, user.is_admin, record.needs_totp_enrolment)
    return ActiveSession(record, principal, csrf_token_for(session_id))


def sign_out(uow_factory: UnitOfWorkFactory, session_id: str, *, now: datetime) -> None:
    """End the session for good; a no-op for an unknown id, so sign-out never fails."""
    with uow_factory() as uow:
        record = uow.sessions.by_hash(hash_session_id(session_id))
        if record is None:
            return
        uow.sessions.delete(record.id)
        user = uow.users.get(record.user_id)
        audit.record(
            uow, actor=user.email, action="auth.sign_out", target=f"user:{user.id}", now=now
        )
        uow.commit()


def sign_out_everywhere(uow_factory: UnitOfWorkFactory, user_id: int, *, now: datetime) -> int:
    with uow_factory() as uow:
        count = uow.sessions.delete_for_user(user_id)
        user = uow.users.get(user_id)
        audit.record(
            uow,
            actor=user.email,
            action="auth.sign_out_everywhere",
            target=f"user:{user_id}",
            now=now,
            after={"sessions": count},
        )
        uow.commit()
    return count


def purge_expired(uow_factory: UnitOfWorkFactory, *, now: datetime) -> int:
    """Housekeeping for a periodic job: drop ended sessions (refused anyway) and throttle
    rows past their window (a password spray leaves one per guessed email)."""
    now = utc_naive(now)
    with uow_factory() as uow:
        count = uow.sessions.delete_expired(now, now - IDLE_TIMEOUT)
        count += uow.login_attempts.delete_stale(now - FAILURE_WINDOW)
        uow.commit()
    return count
