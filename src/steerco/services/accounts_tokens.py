"""API tokens: `stc_` + 32 random bytes (urlsafe base64), shown once, stored as SHA-256.

The prefix makes a leaked token recognisable to secret scanners; the 256 random bits make
a fast unsalted hash safe (nothing to brute-force) and let a lookup use a unique index.
Every token has scopes, an expiry and `last_used_at` (ASVS 5.0 baseline, SECURITY.md).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from steerco.domain import NotFound, PermissionDenied, ValidationError
from steerco.domain.account_records import TokenRecord
from steerco.domain.accounts import (
    AuthenticationFailed,
    Principal,
    Scope,
    User,
    implied_scopes,
    required_scope,
    utc_naive,
)
from steerco.services import audit
from steerco.services.accounts import Actor, actor_name, get_user_by_email, require_admin
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory

PREFIX = "stc_"
TOKEN_BYTES = 32
DEFAULT_LIFETIME = timedelta(days=90)
MAX_LIFETIME = timedelta(days=366)
# last_used_at is written at most this often, so a busy script is not one write per call.
TOUCH_EVERY = timedelta(seconds=60)
_TOKEN_LEN = len(PREFIX) + 43  # 32 bytes in unpadded base64


@dataclass(frozen=True, slots=True)
class NewToken:
    token: str  # the only time the secret exists outside the caller's hands
    record: TokenRecord


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_lifetime(text: str) -> timedelta:
    """`90d`, `12h`, `30m` or a bare number of days, as the CLI's --expires takes it."""
    value = text.strip().lower()
    units = {"d": "days", "h": "hours", "m": "minutes", "w": "weeks"}
    unit = units.get(value[-1:], "days") if value else "days"
    number = value[:-1] if value[-1:] in units else value
    if not number.isdigit() or int(number) <= 0:
        raise ValidationError(f"not a lifetime: {text!r}; use e.g. 90d, 12h or 4w")
    return timedelta(**{unit: int(number)})


def create_token(
    uow_factory: UnitOfWorkFactory,
    user: int | str,
    *,
    now: datetime,
    scope: Scope = Scope.READ,
    lifetime: timedelta = DEFAULT_LIFETIME,
    name: str = "",
    actor: Actor,
) -> NewToken:
    """Issue a token for `user` (an id or an email). `actor` is the user themself, signed in
    with a session (a token cannot mint tokens, so a leaked read token cannot grow into a
    write one), or an admin, or the CLI operator (`LOCAL`). Only an admin user can hold an
    admin-scoped token."""
    if not timedelta(0) < lifetime <= MAX_LIFETIME:
        raise ValidationError(f"a token lives at most {MAX_LIFETIME.days} days")
    name = name.strip()[:100]
    now = utc_naive(now)
    token = PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    with uow_factory() as uow:
        owner = _user(uow, user)
        _check_issuer(actor, owner)
        if owner.disabled:
            raise ValidationError(f"user {owner.email} is disabled")
        if scope is Scope.ADMIN and not owner.is_admin:
            raise PermissionDenied("only an administrator can hold an admin token")
        record = uow.tokens.add(
            owner.id,
            name=name,
            token_hash=hash_token(token),
            prefix=token[:8],
            scopes=implied_scopes(scope),
            at=now,
            expires_at=now + lifetime,
        )
        audit.record(
            uow,
            actor=actor_name(actor),
            action="token.created",
            target=f"user:{owner.id}",
            now=now,
            after={"id": record.id, "name": name, "scope": scope, "expires_at": record.expires_at},
        )
        uow.commit()
    return NewToken(token, record)


def _check_issuer(actor: Actor, owner: User) -> None:
    if isinstance(actor, Principal) and actor.user_id == owner.id:
        if actor.via != "session" or not actor.has_scope(Scope.WRITE):
            raise PermissionDenied("sign in to create API tokens")
        return
    require_admin(actor)


def _user(uow: UnitOfWork, user: int | str) -> User:
    return uow.users.get(user) if isinstance(user, int) else get_user_by_email(uow, user)


def authenticate_token(
    uow_factory: UnitOfWorkFactory,
    token: str,
    method: str,
    *,
    now: datetime,
    admin: bool = False,
) -> Principal:
    """The principal behind a bearer token, if it may make a `method` request (to an admin
    endpoint when `admin`). AuthenticationFailed (401) for an unknown, malformed, revoked
    or expired token or a disabled user; PermissionDenied (403) when the scope is short."""
    now = utc_naive(now)
    needed = required_scope(method, admin=admin)
    if not token.startswith(PREFIX) or len(token) != _TOKEN_LEN:
        raise AuthenticationFailed("invalid API token")
    # Read first; write (SQLite's write lock) only when last_used_at is due an update.
    with uow_factory(write=False) as uow:
        record = uow.tokens.by_hash(hash_token(token))
        if record is None or record.revoked_at is not None:
            raise AuthenticationFailed("invalid API token")
        user = uow.users.get(record.user_id)
    if record.expires_at is not None and now >= record.expires_at:
        raise AuthenticationFailed("the API token has expired")
    if user.disabled:
        raise AuthenticationFailed("invalid API token")
    scopes = record.scopes
    if not user.is_admin:
        # An admin token outlives its holder's admin rights only as a write token.
        scopes = scopes - {Scope.ADMIN}
    if needed not in scopes:
        raise PermissionDenied(f"this token lacks the {needed.value} scope")
    if record.last_used_at is None or now - record.last_used_at >= TOUCH_EVERY:
        with uow_factory() as uow:
            uow.tokens.touch(record.id, now)
            uow.commit()
    return Principal(user.id, user.email, user.is_admin, scopes, "token")


def list_tokens(
    uow_factory: UnitOfWorkFactory, user: int | str, *, actor: Actor
) -> Sequence[TokenRecord]:
    """A user's tokens (never the secret: it is not stored), for that user or an admin."""
    with uow_factory(write=False) as uow:
        owner = _user(uow, user)
        if not (isinstance(actor, Principal) and actor.user_id == owner.id):
            require_admin(actor)
        return uow.tokens.list_for_user(owner.id)


def revoke_token(
    uow_factory: UnitOfWorkFactory, principal: Actor, token_id: int, *, now: datetime
) -> None:
    """Users revoke their own tokens; admins (and the CLI) anyone's. Someone else's token
    is NotFound to a non-admin, so token ids reveal nothing."""
    now = utc_naive(now)
    with uow_factory() as uow:
        record = uow.tokens.get(token_id)
        own = isinstance(principal, Principal) and principal.user_id == record.user_id
        if not own:
            try:
                require_admin(principal)
            except PermissionDenied:
                raise NotFound(f"no token {token_id}") from None
        uow.tokens.revoke(token_id, now)
        audit.record(
            uow,
            actor=actor_name(principal),
            action="token.revoked",
            target=f"user:{record.user_id}",
            now=now,
            after={"id": token_id},
        )
        uow.commit()
