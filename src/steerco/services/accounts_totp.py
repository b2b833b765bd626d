"""Second factor: TOTP (RFC 6238 via pyotp) with one-time recovery codes.

A code is accepted at most once: the last accepted time step is stored and any code for
that step or an earlier one is refused, so a shoulder-surfed code cannot be replayed.
Recovery codes carry 80 random bits each, so a SHA-256 of them is safe to store.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import pyotp

from steerco.domain import Conflict, PermissionDenied, ValidationError
from steerco.domain.account_records import UserCredentials
from steerco.domain.accounts import utc_naive
from steerco.services import audit
from steerco.services.accounts import (
    Actor,
    actor_name,
    enforce_2fa_enabled,
    get_user_by_email,
    require_admin,
    verify_password,
)
from steerco.services.ports import UnitOfWork, UnitOfWorkFactory

ISSUER = "steerco"
STEP_SECONDS = 30
# One step either side tolerates a phone clock 30 s off, as RFC 6238 section 5.2 suggests.
DRIFT_STEPS = 1
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


@dataclass(frozen=True, slots=True)
class TotpEnrolment:
    secret: str  # base32, to type in by hand
    uri: str  # otpauth:// URI, for a QR code


def _step(now: datetime) -> int:
    return int(utc_naive(now).replace(tzinfo=UTC).timestamp()) // STEP_SECONDS


def hash_recovery_code(code: str) -> str:
    normalised = code.strip().lower().replace("-", "").replace(" ", "")
    return hashlib.sha256(normalised.encode()).hexdigest()


def _new_recovery_code() -> str:
    # 16 characters of a 31-letter alphabet: 16 * log2(31) = 79 bits.
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def matching_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step `code` belongs to, if it is valid now and newer than `last_step`."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = _step(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def check_second_factor(uow: UnitOfWork, creds: UserCredentials, code: str, now: datetime) -> bool:
    """Accept a current TOTP code or an unused recovery code, and burn it within `uow`: the
    caller's commit makes the burn permanent, together with the session it grants."""
    user_id = creds.user.id
    if creds.totp_secret is None or not creds.user.totp_enabled:
        return False
    step = matching_step(creds.totp_secret, code, now, creds.totp_last_step)
    if step is not None:
        uow.users.set_totp_last_step(user_id, step)
        return True
    if len(code.strip()) >= 16:
        return uow.users.use_recovery_code(user_id, hash_recovery_code(code), utc_naive(now))
    return False


def begin_enrolment(
    uow_factory: UnitOfWorkFactory, user_id: int, *, account_label: str | None = None
) -> TotpEnrolment:
    """Store a fresh, not yet enabled seed and return it for the authenticator app. Refused
    while TOTP is on: turning it off first needs the password (see `disable`)."""
    with uow_factory() as uow:
        user = uow.users.get(user_id)
        if user.totp_enabled:
            raise Conflict("two-factor authentication is already on")
        secret = pyotp.random_base32(32)  # 160 bits, RFC 4226's recommended seed length
        uow.users.set_totp(user_id, secret, enabled=False)
        uow.commit()
    uri = pyotp.TOTP(secret).provisioning_uri(name=account_label or user.email, issuer_name=ISSUER)
    return TotpEnrolment(secret, uri)


def confirm_enrolment(
    uow_factory: UnitOfWorkFactory, user_id: int, code: str, *, now: datetime
) -> list[str]:
    """Turn TOTP on once the user proves their app has the seed; returns the recovery codes,
    shown once and stored only as hashes. Sessions waiting for enrolment become full ones."""
    with uow_factory() as uow:
        creds = uow.users.credentials(user_id)
        if creds.user.totp_enabled:
            raise Conflict("two-factor authentication is already on")
        if creds.totp_secret is None:
            raise ValidationError("start the enrolment first")
        step = matching_step(creds.totp_secret, code, now, None)
        if step is None:
            raise ValidationError("that code is not valid; check the device's clock")
        uow.users.set_totp(user_id, creds.totp_secret, enabled=True)
        uow.users.set_totp_last_step(user_id, step)
        codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
        uow.users.replace_recovery_codes(user_id, [hash_recovery_code(c) for c in codes])
        uow.sessions.clear_enrolment(user_id)
        audit.record(
            uow,
            actor=creds.user.email,
            action="user.totp_enabled",
            target=f"user:{user_id}",
            now=now,
        )
        uow.commit()
    return codes


def regenerate_recovery_codes(
    uow_factory: UnitOfWorkFactory, user_id: int, password: str, *, now: datetime
) -> list[str]:
    with uow_factory() as uow:
        creds = uow.users.credentials(user_id)
        if not verify_password(creds.password_hash, password):
            raise PermissionDenied("the password is wrong")
        if not creds.user.totp_enabled:
            raise Conflict("two-factor authentication is off")
        codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
        uow.users.replace_recovery_codes(user_id, [hash_recovery_code(c) for c in codes])
        audit.record(
            uow,
            actor=creds.user.email,
            action="user.recovery_codes_renewed",
            target=f"user:{user_id}",
            now=now,
        )
        uow.commit()
    return codes


def disable(uow_factory: UnitOfWorkFactory, user_id: int, password: str, *, now: datetime) -> None:
    """The user turns TOTP off, proving the password. Refused while the instance enforces
    2FA (an admin can still reset it: `reset`)."""
    with uow_factory() as uow:
        creds = uow.users.credentials(user_id)
        if not verify_password(creds.password_hash, password):
            raise PermissionDenied("the password is wrong")
        if enforce_2fa_enabled(uow):
            raise PermissionDenied("this instance requires two-factor authentication")
        _turn_off(uow, user_id, creds.user.email, now)
        uow.commit()


def reset(uow_factory: UnitOfWorkFactory, email: str, *, now: datetime, actor: Actor) -> None:
    """An admin (or the CLI operator) clears a user's TOTP after a lost device."""
    require_admin(actor)
    with uow_factory() as uow:
        user = get_user_by_email(uow, email)
        _turn_off(uow, user.id, actor_name(actor), now)
        uow.commit()


def _turn_off(uow: UnitOfWork, user_id: int, actor: str, now: datetime) -> None:
    uow.users.set_totp(user_id, None, enabled=False)
    uow.users.replace_recovery_codes(user_id, [])
    audit.record(uow, actor=actor, action="user.totp_disabled", target=f"user:{user_id}", now=now)
