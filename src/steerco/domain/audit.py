"""The audit log as a hash chain, pure.

Each entry's hash is SHA-256 over a canonical JSON of its fields and the previous entry's
hash, so changing, inserting or deleting a stored row breaks the chain at that row. What it
cannot prove on its own is that the newest rows were not cut off the end: that needs the
head hash kept somewhere else (a backup, a log shipper); see `AuditHead`.

Secrets never enter an entry: `scrub` drops any key that looks like one, at any depth.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

GENESIS = "0" * 64
REDACTED = "[redacted]"

# Substrings of a key that mark it as secret. Broad on purpose: a false positive only hides
# a value from the log, a false negative leaks a credential into a table kept forever.
_SECRET_MARKERS = (
    "password",
    "passwd",
    "secret",
    "token",
    "totp",
    "recovery",
    "otp_code",
    "session_id",
    "csrf",
    "hash",
    "api_key",
    "apikey",
    "cookie",
    "credential",
)

JsonValue = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


def is_secret_key(key: str) -> bool:
    lowered = key.lower()
    return any(marker in lowered for marker in _SECRET_MARKERS)


def scrub(value: Any) -> JsonValue:
    """A JSON-safe copy of `value` with secret-looking keys redacted and non-JSON values
    (dates, enums, sets) turned into strings or lists, so the hash is stable."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return scrub(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): (REDACTED if is_secret_key(str(k)) else scrub(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((scrub(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return str(value)


def canonical_json(value: JsonValue) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    at: datetime  # naive UTC
    actor: str  # an email, or "cli" / "system" for actions without a signed-in user
    action: str  # e.g. "auth.sign_in", "member.role_changed", "user.disabled"
    target: str  # e.g. "user:3", "project:7/user:3"
    before: JsonValue
    after: JsonValue
    prev_hash: str
    hash: str


def entry_hash(
    *,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    target: str,
    before: JsonValue,
    after: JsonValue,
    prev_hash: str,
) -> str:
    body: dict[str, JsonValue] = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "target": target,
        "before": before,
        "after": after,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def next_entry(
    previous: AuditEntry | None,
    *,
    at: datetime,
    actor: str,
    action: str,
    target: str,
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """The entry that follows `previous` (None: the first entry of the log)."""
    seq = 1 if previous is None else previous.seq + 1
    prev_hash = GENESIS if previous is None else previous.hash
    clean_before, clean_after = scrub(before), scrub(after)
    # The database keeps microseconds at most; drop tzinfo so the hash survives a round trip.
    at = at.replace(tzinfo=None)
    digest = entry_hash(
        seq=seq,
        at=at,
        actor=actor,
        action=action,
        target=target,
        before=clean_before,
        after=clean_after,
        prev_hash=prev_hash,
    )
    return AuditEntry(seq, at, actor, action, target, clean_before, clean_after, prev_hash, digest)


def verify_chain(entries: Iterable[AuditEntry]) -> int | None:
    """The seq of the first entry that was altered, inserted or follows a deleted one; None
    when the chain is intact. Entries must come in seq order."""
    expected_seq, expected_prev = 1, GENESIS
    for entry in entries:
        recomputed = entry_hash(
            seq=entry.seq,
            at=entry.at,
            actor=entry.actor,
            action=entry.action,
            target=entry.target,
            before=entry.before,
            after=entry.after,
            prev_hash=entry.prev_hash,
        )
        if (
            entry.seq != expected_seq
            or entry.prev_hash != expected_prev
            or entry.hash != recomputed
        ):
            return entry.seq
        expected_seq, expected_prev = entry.seq + 1, entry.hash
    return None


@dataclass(frozen=True, slots=True)
class AuditHead:
    """The newest entry's seq and hash; compare with a copy kept elsewhere to detect a log
    whose tail was cut off."""

    count: int
    hash: str
