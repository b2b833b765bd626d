"""The audit hash chain, pure."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from steerco.domain.accounts import Role
from steerco.domain.audit import (
    GENESIS,
    REDACTED,
    AuditEntry,
    entry_hash,
    next_entry,
    scrub,
    verify_chain,
)

T0 = datetime(2026, 11, 22, 9, 0)


def chain(n: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for i in range(n):
        entries.append(
            next_entry(
                entries[-1] if entries else None,
                at=T0 + timedelta(seconds=i),
                actor="ann@example.org",
                action="member.role_changed",
                target=f"project:1/user:{i}",
                before={"role": Role.VIEWER},
                after={"role": Role.MEMBER},
            )
        )
    return entries


def test_chain_links_and_verifies() -> None:
    entries = chain(5)
    assert entries[0].seq == 1 and entries[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    assert verify_chain(entries) is None
    assert verify_chain([]) is None


def test_altered_field_names_that_entry() -> None:
    entries = chain(5)
    entries[2] = replace(entries[2], after={"role": "owner"})
    assert verify_chain(entries) == 3


def test_altered_entry_with_recomputed_hash_breaks_the_next_link() -> None:
    entries = chain(5)
    forged = replace(entries[2], actor="mallory@example.org")
    forged = replace(
        forged,
        hash=entry_hash(
            seq=forged.seq,
            at=forged.at,
            actor=forged.actor,
            action=forged.action,
            target=forged.target,
            before=forged.before,
            after=forged.after,
            prev_hash=forged.prev_hash,
        ),
    )
    entries[2] = forged
    assert verify_chain(entries) == 4


def test_deleted_entry_is_detected_at_its_successor() -> None:
    entries = chain(5)
    del entries[1]
    assert verify_chain(entries) == 3
    assert verify_chain(chain(3)[1:]) == 2  # the first entry deleted


def test_secrets_are_never_recorded() -> None:
    data = {
        "email": "a@b.org",
        "password": "hunter2hunter2",
        "new_password": "x",
        "token": "stc_abc",
        "nested": [{"totp_code": "123456", "api_key": "k"}],
        "recovery_codes": ["a", "b"],
        "password_hash": "$argon2id$...",
    }
    clean = scrub(data)
    assert clean == {
        "email": "a@b.org",
        "password": REDACTED,
        "new_password": REDACTED,
        "token": REDACTED,
        "nested": [{"totp_code": REDACTED, "api_key": REDACTED}],
        "recovery_codes": REDACTED,
        "password_hash": REDACTED,
    }
    entry = next_entry(None, at=T0, actor="cli", action="user.created", target="user:1", after=data)
    assert "hunter2" not in str(entry) and "stc_abc" not in str(entry)


def test_scrub_makes_values_json_safe() -> None:
    assert scrub({"at": T0, "role": Role.OWNER, "ids": {3, 1}, "t": (1, 2)}) == {
        "at": "2026-11-22T09:00:00",
        "role": "owner",
        "ids": [1, 3],
        "t": [1, 2],
    }


@given(
    st.dictionaries(st.text(max_size=5), st.text(max_size=5) | st.integers(), max_size=4),
    st.integers(min_value=0, max_value=9),
)
def test_any_single_change_is_caught(after: dict[str, object], index: int) -> None:
    entries = chain(10)
    entries[index] = replace(entries[index], after=scrub(after))
    expected = None if entries[index].after == chain(10)[index].after else index + 1
    assert verify_chain(entries) == expected
