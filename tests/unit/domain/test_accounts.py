"""The pure accounts rules: roles, the permission table, field-level rules, scopes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from steerco.domain import PermissionDenied, ValidationError
from steerco.domain.accounts import (
    PASSWORD_MAX,
    Action,
    Role,
    Scope,
    can,
    can_assign,
    check_fields,
    check_password,
    format_scopes,
    implied_scopes,
    normalise_email,
    parse_scopes,
    required_scope,
    utc_naive,
)

EXPECTED = {
    Role.VIEWER: {Action.PROJECT_READ, Action.TASK_READ},
    Role.MEMBER: {Action.PROJECT_READ, Action.TASK_READ, Action.TASK_WRITE},
    Role.MANAGER: {
        Action.PROJECT_READ,
        Action.TASK_READ,
        Action.TASK_WRITE,
        Action.PROJECT_UPDATE,
        Action.BUDGET_WRITE,
        Action.PROJECT_MANAGE_MEMBERS,
    },
    Role.OWNER: set(Action),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("action", list(Action))
def test_permission_matrix(role: Role, action: Action) -> None:
    assert can(role, action) is (action in EXPECTED[role])


@pytest.mark.parametrize("action", list(Action))
def test_non_member_can_do_nothing(action: Action) -> None:
    assert not can(None, action)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MEMBER])
def test_viewer_and_member_cannot_change_budget_or_role(role: Role) -> None:
    with pytest.raises(PermissionDenied, match="budget"):
        check_fields(role, "project", ["name", "budget"] if role is Role.MEMBER else ["budget"])
    with pytest.raises(PermissionDenied, match="cost"):
        check_fields(role, "task", ["cost"])
    with pytest.raises(PermissionDenied, match="role"):
        check_fields(role, "member", ["role"])


def test_member_can_edit_task_fields_but_viewer_cannot() -> None:
    check_fields(Role.MEMBER, "task", ["name", "duration", "percent_complete"])
    with pytest.raises(PermissionDenied):
        check_fields(Role.VIEWER, "task", ["name"])


def test_manager_may_change_budget_and_role() -> None:
    check_fields(Role.MANAGER, "project", ["budget", "name"])
    check_fields(Role.MANAGER, "member", ["role"])


@pytest.mark.parametrize("field", ["__class__", "delete", "destroy", "id", "version", "owner_id"])
def test_unknown_fields_are_validation_errors_even_for_owners(field: str) -> None:
    with pytest.raises(ValidationError, match="unknown"):
        check_fields(Role.OWNER, "project", ["name", field])


def test_unknown_resource_is_refused() -> None:
    with pytest.raises(ValidationError):
        check_fields(Role.OWNER, "__class__", ["name"])


@pytest.mark.parametrize(
    ("actor", "current", "new", "allowed"),
    [
        (Role.OWNER, Role.MEMBER, Role.OWNER, True),
        (Role.OWNER, Role.OWNER, None, True),
        (Role.MANAGER, None, Role.MEMBER, True),
        (Role.MANAGER, Role.VIEWER, Role.MANAGER, True),
        (Role.MANAGER, Role.MEMBER, None, True),
        (Role.MANAGER, Role.MEMBER, Role.OWNER, False),
        (Role.MANAGER, Role.OWNER, Role.VIEWER, False),
        (Role.MANAGER, Role.OWNER, None, False),
        (Role.MEMBER, Role.VIEWER, Role.MEMBER, False),
        (Role.VIEWER, None, Role.VIEWER, False),
        (None, None, Role.VIEWER, False),
    ],
)
def test_who_may_assign_which_role(
    actor: Role | None, current: Role | None, new: Role | None, allowed: bool
) -> None:
    assert can_assign(actor, current, new) is allowed


@pytest.mark.parametrize(
    ("method", "scope"),
    [
        ("GET", Scope.READ),
        ("head", Scope.READ),
        ("OPTIONS", Scope.READ),
        ("POST", Scope.WRITE),
        ("PUT", Scope.WRITE),
        ("PATCH", Scope.WRITE),
        ("DELETE", Scope.WRITE),
    ],
)
def test_required_scope_follows_the_method(method: str, scope: Scope) -> None:
    assert required_scope(method) is scope
    assert required_scope(method, admin=True) is Scope.ADMIN


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND", ""])
def test_unknown_methods_are_refused(method: str) -> None:
    with pytest.raises(PermissionDenied):
        required_scope(method)


def test_implied_scopes_and_round_trip() -> None:
    assert implied_scopes(Scope.READ) == {Scope.READ}
    assert implied_scopes(Scope.WRITE) == {Scope.READ, Scope.WRITE}
    assert implied_scopes(Scope.ADMIN) == set(Scope)
    assert parse_scopes(format_scopes(implied_scopes(Scope.WRITE))) == {Scope.READ, Scope.WRITE}
    with pytest.raises(ValidationError):
        parse_scopes("read,root")


def test_email_is_normalised() -> None:
    assert normalise_email("  Ann.Lee@Example.ORG ") == "ann.lee@example.org"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "ann",
        "@example.org",
        "ann@",
        "ann@localhost",
        "a b@x.org",
        "ann@.org",
        "ann@x.",
        "a\x00@x.org",
        "a" * 320 + "@x.org",
    ],
)
def test_bad_emails_are_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        normalise_email(bad)


def test_password_policy_is_length_only() -> None:
    check_password("correct horse")  # 13 characters, no digits or symbols needed
    check_password("p" * 64)
    check_password("ü" * PASSWORD_MAX)
    with pytest.raises(ValidationError, match="12"):
        check_password("elevenchars")
    with pytest.raises(ValidationError):
        check_password("x" * (PASSWORD_MAX + 1))


def test_utc_naive_converts_aware_times() -> None:
    cet = timezone(timedelta(hours=1))
    assert utc_naive(datetime(2026, 1, 1, 10, tzinfo=cet)) == datetime(2026, 1, 1, 9)
    assert utc_naive(datetime(2026, 1, 1, 9, tzinfo=UTC)) == datetime(2026, 1, 1, 9)
    assert utc_naive(datetime(2026, 1, 1, 9)) == datetime(2026, 1, 1, 9)
