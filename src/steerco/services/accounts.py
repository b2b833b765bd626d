"""User accounts: passwords (argon2id), creating, listing, disabling users, and the
instance-wide "enforce 2FA" switch.

Sign-in and sessions live in `accounts_sessions`, TOTP in `accounts_totp`, API tokens in
`accounts_tokens`, project roles in `accounts_members`.

Who may call what: functions that change accounts take an `actor`, either the local
operator (`LOCAL`: whoever runs the CLI on the server, who could read the database file
anyway) or a `Principal`, which must be an instance admin with the admin scope.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from steerco.domain import Conflict, NotFound, PermissionDenied
from steerco.domain.accounts import (
    PASSWORD_MAX,
    AuthenticationFailed,
    Principal,
    Scope,
    User,
    check_display_name,
    check_password,
    implied_scopes,
    normalise_email,
    utc_naive,
)
from steerco.services import audit
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory

# argon2-cffi's defaults are RFC 9106's second recommended profile (argon2id, t=3, 64 MiB,
# p=4): above OWASP's minimum and about 50 ms here. `needs_rehash` upgrades old hashes
# at the next sign-in if these are ever raised.
_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verified against for unknown emails, so a miss costs as long as a hit (no user oracle).
    Made on first use: hashing at import would slow every CLI command by a third of a second."""
    return _hasher.hash("steerco-dummy-password-for-timing")


# Each hash takes 64 MiB; a burst of parallel sign-ins must not take the server's memory
# with it. Callers beyond this many wait their turn.
_ARGON2_SLOTS = threading.BoundedSemaphore(4)

ENFORCE_2FA = "enforce_2fa"


@dataclass(frozen=True, slots=True)
class LocalOperator:
    """The person at the server's shell (the CLI). Named in the audit log as `cli`."""

    name: str = "cli"


LOCAL = LocalOperator()
Actor = Principal | LocalOperator


def actor_name(actor: Actor) -> str:
    return actor.name if isinstance(actor, LocalOperator) else actor.email


def cli_principal(uow_factory: UnitOfWorkFactory, email: str) -> Principal:
    """The CLI's `--as EMAIL` (or `STEERCO_USER`): act with that user's rights, exactly as
    their signed-in session would. No password is asked: whoever runs the CLI on the server
    can read the database file anyway, so `--as` only narrows what they do to the user's
    rights (to script as a user, or to check what a user may do); it grants nothing."""
    with uow_factory(write=False) as uow:
        user = get_user_by_email(uow, email)
    if user.disabled:
        raise AuthenticationFailed(f"user {user.email} is disabled")
    scopes = implied_scopes(Scope.ADMIN if user.is_admin else Scope.WRITE)
    return Principal(user.id, user.email, user.is_admin, scopes, "cli")


def require_admin(actor: Actor) -> None:
    if isinstance(actor, LocalOperator):
        return
    if not (actor.is_admin and actor.has_scope(Scope.ADMIN)):
        raise PermissionDenied("only an administrator may do this")


# ----- passwords ----------------------------------------------------------------------------


def hash_password(password: str) -> str:
    check_password(password)
    with _ARGON2_SLOTS:
        return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Constant work whether or not there is a hash to check against."""
    if len(password) > PASSWORD_MAX:
        return False  # not a password steerco could have stored; skip the expensive hash
    try:
        with _ARGON2_SLOTS:
            matched = _hasher.verify(password_hash or _dummy_hash(), password)
        return matched and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# ----- users --------------------------------------------------------------------------------


def create_user(
    uow_factory: UnitOfWorkFactory,
    email: str,
    password: str,
    *,
    now: datetime,
    display_name: str = "",
    is_admin: bool = False,
    actor: Actor = LOCAL,
) -> User:
    """There is no default account: the first admin is made with `steerco user create
    --admin`. Conflict if the email is taken."""
    require_admin(actor)
    address = normalise_email(email)
    name = check_display_name(display_name) or address.split("@")[0]
    password_hash = hash_password(password)
    now = utc_naive(now)
    with uow_factory() as uow:
        user = uow.users.add(address, name, password_hash, is_admin, now)
        audit.record(
            uow,
            actor=actor_name(actor),
            action="user.created",
            target=f"user:{user.id}",
            now=now,
            after={"email": address, "is_admin": is_admin},
        )
        uow.commit()
    return user


def list_users(uow_factory: UnitOfWorkFactory, actor: Actor = LOCAL) -> Sequence[User]:
    require_admin(actor)
    with uow_factory(write=False) as uow:
        return uow.users.list()


def get_user_by_email(uow: UnitOfWork, email: str) -> User:
    found = uow.users.by_email(normalise_email(email))
    if found is None:
        raise NotFound(f"no user {email.strip().lower()}")
    return found.user


def set_disabled(
    uow_factory: UnitOfWorkFactory,
    email: str,
    disabled: bool,
    *,
    now: datetime,
    actor: Actor = LOCAL,
) -> User:
    """Disabling also ends every session of the user; their tokens stop working because
    token authentication checks the user. The last active admin cannot be disabled."""
    require_admin(actor)
    now = utc_naive(now)
    with uow_factory() as uow:
        user = get_user_by_email(uow, email)
        if user.disabled == disabled:
            return user
        if disabled and user.is_admin and uow.users.count_active_admins() <= 1:
            raise Conflict("cannot disable the last active administrator")
        uow.users.set_disabled(user.id, disabled)
        if disabled:
            uow.sessions.delete_for_user(user.id)
        audit.record(
            uow,
            actor=actor_name(actor),
            action="user.disabled" if disabled else "user.enabled",
            target=f"user:{user.id}",
            now=now,
            before={"disabled": user.disabled},
            after={"disabled": disabled},
        )
        user = uow.users.get(user.id)
        uow.commit()
    return user


def disable_user(
    uow_factory: UnitOfWorkFactory, email: str, *, now: datetime, actor: Actor = LOCAL
) -> User:
    return set_disabled(uow_factory, email, True, now=now, actor=actor)


def enable_user(
    uow_factory: UnitOfWorkFactory, email: str, *, now: datetime, actor: Actor = LOCAL
) -> User:
    return set_disabled(uow_factory, email, False, now=now, actor=actor)


def change_password(
    uow_factory: UnitOfWorkFactory,
    user_id: int,
    current: str,
    new: str,
    *,
    now: datetime,
    keep_session: int | None = None,
) -> None:
    """The user changes their own password, proving the current one. Every other session
    of theirs ends (ASVS 7.4.3); `keep_session` is the stored id of the one in use."""
    check_password(new)
    now = utc_naive(now)
    with uow_factory() as uow:
        creds = uow.users.credentials(user_id)
        if not verify_password(creds.password_hash, current):
            raise PermissionDenied("the current password is wrong")
        uow.users.set_password_hash(user_id, hash_password(new))
        uow.sessions.delete_for_user(user_id, keep=keep_session)
        audit.record(
            uow,
            actor=creds.user.email,
            action="user.password_changed",
            target=f"user:{user_id}",
            now=now,
        )
        uow.commit()


# ----- instance switches --------------------------------------------------------------------


def enforce_2fa_enabled(uow: UnitOfWork) -> bool:
    return uow.instance.get(ENFORCE_2FA) is True


def set_enforce_2fa(
    uow_factory: UnitOfWorkFactory, enabled: bool, *, now: datetime, actor: Actor = LOCAL
) -> None:
    """When on, a user without TOTP who signs in gets a session that can only enrol."""
    require_admin(actor)
    with uow_factory() as uow:
        before = enforce_2fa_enabled(uow)
        uow.instance.set(ENFORCE_2FA, enabled)
        audit.record(
            uow,
            actor=actor_name(actor),
            action="instance.enforce_2fa",
            target="instance",
            now=now,
            before={"enabled": before},
            after={"enabled": enabled},
        )
        uow.commit()
