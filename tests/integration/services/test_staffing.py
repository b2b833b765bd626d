"""Profiles, skill needs and suggestions on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from steerco.domain import CostRate, NotFound, ValidationError
from steerco.domain.accounts import Principal, Scope, implied_scopes
from steerco.services import accounts, costs, planning, projects, resources, staffing
from steerco.services.accounts import LOCAL, LocalOperator
from steerco.services.tasks import NewTask, add_task

NOW = datetime(2026, 11, 22, 9, 0)


@pytest.fixture
def key(uow_factory) -> str:
    project = projects.create_project(
        uow_factory,
        actor=LOCAL,
        name="API platform",
        today=date(2026, 11, 23),
        start=date(2026, 11, 23),
    )
    add_task(uow_factory, project.key, NewTask(name="Migrate DB", duration="3d"), actor=LOCAL)
    add_task(uow_factory, project.key, NewTask(name="Build API", duration="2d"), actor=LOCAL)
    for name in ["Ana", "Bob"]:
        resources.add_resource(uow_factory, project.key, name, actor=LocalOperator("pm"), now=NOW)
    return project.key


def test_profiles_are_stored_and_audited(uow_factory, key):
    staffing.update_profile(
        uow_factory, key, "Ana", skill=("Python", 4), actor=LocalOperator("pm"), now=NOW
    )
    staffing.update_profile(
        uow_factory,
        key,
        "Ana",
        skill=("python", 5),
        certification=("PMP", date(2027, 1, 31)),
        time_zone="Europe/Berlin",
        hourly_rate=95.0,
        actor=LocalOperator("pm"),
        now=NOW,
    )
    res, profile = staffing.profile_of(uow_factory, key, "ana", actor=LOCAL)
    assert [(s.name, s.level) for s in profile.skills] == [("python", 5)]
    assert [(c.name, c.expires) for c in profile.certifications] == [("PMP", date(2027, 1, 31))]
    assert profile.time_zone == "Europe/Berlin"
    assert res.rates == (CostRate(standard=95.0),)  # MS Project's place: rate table A
    with uow_factory(write=False) as uow:
        entry, rated = uow.audit.recent(2, None)  # newest first: one transaction, two entries
    assert rated.action == "resource.rates_changed"
    assert rated.after == {"rates": ["A from the start: 95/h"]}
    assert entry.action == "resource.profile_changed"
    assert entry.before["skills"] == {"Python": 4} and entry.after["skills"] == {"python": 5}
    staffing.update_profile(
        uow_factory, key, "Ana", drop_skill="PYTHON", actor=LocalOperator("pm"), now=NOW
    )
    assert staffing.profile_of(uow_factory, key, "Ana", actor=LOCAL)[1].skills == ()
    with pytest.raises(NotFound):
        staffing.update_profile(
            uow_factory, key, "Ana", drop_skill="rust", actor=LocalOperator("pm"), now=NOW
        )


def test_bad_profile_input_changes_nothing(uow_factory, key):
    staffing.update_profile(
        uow_factory, key, "Bob", time_zone="Asia/Tokyo", actor=LocalOperator("pm"), now=NOW
    )
    with pytest.raises(ValidationError):
        staffing.update_profile(
            uow_factory,
            key,
            "Bob",
            time_zone="Nowhere/Land",
            skill=("go", 2),
            actor=LocalOperator("pm"),
            now=NOW,
        )
    with pytest.raises(ValidationError):
        staffing.update_profile(
            uow_factory, key, "Bob", skill=("go", 9), actor=LocalOperator("pm"), now=NOW
        )
    profile = staffing.profile_of(uow_factory, key, "Bob", actor=LOCAL)[1]
    assert profile.time_zone == "Asia/Tokyo" and profile.skills == ()


def test_needs_replace_and_go_with_their_task(uow_factory, key):
    assert [
        (n.name, n.level)
        for n in staffing.set_needs(
            uow_factory, key, "2", ["python:3", "AWS"], actor=LocalOperator("pm"), now=NOW
        )
    ] == [("python", 3), ("AWS", 1)]
    staffing.set_needs(uow_factory, key, "2", ["go:2"], actor=LocalOperator("pm"), now=NOW)
    with pytest.raises(ValidationError, match="listed twice"):
        staffing.set_needs(
            uow_factory, key, "2", ["go:2", "GO:3"], actor=LocalOperator("pm"), now=NOW
        )
    assert [n.name for n in staffing.suggest(uow_factory, key, "2", actor=LOCAL).needs] == ["go"]
    planning.delete_task(uow_factory, key, 2, actor=LOCAL)
    with uow_factory(write=False) as uow:
        pid = uow.projects.get(key).id
        assert uow.skills.needs(pid) == {}


def test_suggest_ranks_with_reasons(uow_factory, key):
    staffing.update_profile(
        uow_factory, key, "Ana", skill=("python", 4), actor=LocalOperator("pm"), now=NOW
    )
    staffing.update_profile(
        uow_factory, key, "Bob", skill=("python", 3), actor=LocalOperator("pm"), now=NOW
    )
    staffing.set_needs(
        uow_factory, key, "Build API", ["python:3"], actor=LocalOperator("pm"), now=NOW
    )
    # Ana is busy full time on Migrate DB, which runs in parallel with Build API.
    resources.assign(uow_factory, key, "1", "Ana", actor=LocalOperator("pm"), now=NOW)
    found = staffing.suggest(uow_factory, key, "Build API", actor=LOCAL)
    assert [r.name for r in found.ranked] == ["Bob", "Ana"]
    assert found.ranked[1].reasons[1] == "0% free in the task's window (100% booked)"
    assert found.ranked[0].reasons[0] == "skills: python 3/3"


def _payroll(uow_factory, actor) -> str:
    """A second project, from the same Monday, with Ana on a week-long task full time."""
    other = projects.create_project(
        uow_factory,
        actor=actor,
        name="Payroll run",
        today=date(2026, 11, 23),
        start=date(2026, 11, 23),
    )
    add_task(uow_factory, other.key, NewTask(name="Run payroll", duration="5d"), actor=actor)
    resources.add_resource(uow_factory, other.key, "ana", actor=actor, now=NOW)  # any case
    resources.assign(uow_factory, other.key, "1", "Ana", actor=actor, now=NOW)
    return other.key


def test_suggest_counts_the_same_person_booked_in_another_project(uow_factory, key):
    staffing.update_profile(uow_factory, key, "Ana", skill=("python", 4), actor=LOCAL, now=NOW)
    staffing.update_profile(uow_factory, key, "Bob", skill=("python", 3), actor=LOCAL, now=NOW)
    staffing.set_needs(uow_factory, key, "Build API", ["python:3"], actor=LOCAL, now=NOW)
    alone = staffing.suggest(uow_factory, key, "Build API", actor=LOCAL)
    assert [r.name for r in alone.ranked] == ["Ana", "Bob"]  # the better skill, both free
    other = _payroll(uow_factory, LOCAL)
    found = staffing.suggest(uow_factory, key, "Build API", actor=LOCAL)
    assert [r.name for r in found.ranked] == ["Bob", "Ana"]
    ana = found.ranked[1]
    assert ana.scores["capacity"] == 0.0
    assert ana.reasons[1] == f"0% free in the task's window (100% booked, 100% in {other})"
    assert found.ranked[0].reasons[1] == "100% free in the task's window (0% booked)"


def test_suggest_leaves_out_projects_the_asker_cannot_read(accounts_uow):
    def principal(email: str) -> Principal:
        user = accounts.create_user(accounts_uow, email, "a long and honest passphrase", now=NOW)
        return Principal(user.id, user.email, False, implied_scopes(Scope.WRITE), "session")

    mine, theirs = principal("pm@example.org"), principal("other@example.org")
    key = projects.create_project(
        accounts_uow,
        actor=mine,
        name="API platform",
        today=date(2026, 11, 23),
        start=date(2026, 11, 23),
    ).key
    add_task(accounts_uow, key, NewTask(name="Build API", duration="2d"), actor=mine)
    resources.add_resource(accounts_uow, key, "Ana", actor=mine, now=NOW)
    other = _payroll(accounts_uow, theirs)
    private = staffing.suggest(accounts_uow, key, "Build API", actor=mine)
    assert private.ranked[0].reasons[1] == "100% free in the task's window (0% booked)"
    seen_by_all = staffing.suggest(accounts_uow, key, "Build API", actor=LOCAL)
    assert seen_by_all.ranked[0].reasons[1] == (
        f"0% free in the task's window (100% booked, 100% in {other})"
    )


def test_suggest_prices_people_by_rate_table_a_when_the_task_starts(uow_factory, key):
    costs.set_rate(uow_factory, key, "Ana", standard=120, actor=LOCAL, now=NOW)
    costs.set_rate(uow_factory, key, "Bob", standard=60, actor=LOCAL, now=NOW)
    costs.set_rate(
        uow_factory, key, "Bob", standard=90, effective=date(2026, 11, 1), actor=LOCAL, now=NOW
    )  # in force when the task starts
    staffing.update_profile(uow_factory, key, "Ana", hourly_rate=45.0, actor=LOCAL, now=NOW)
    found = staffing.suggest(uow_factory, key, "Build API", actor=LOCAL)
    reasons = {r.name: r.reasons[3] for r in found.ranked}
    assert reasons == {"Ana": "rate 45/h", "Bob": "rate 90/h"}  # --rate is table A's line


def test_a_whole_profile_replaces_the_old_one(uow_factory, key):
    staffing.update_profile(
        uow_factory, key, "Ana", skill=("go", 2), certification=("CSM", None),
        actor=LocalOperator("pm"), now=NOW,
    )  # fmt: skip
    skills = staffing.parse_skills(["python:4", " sql "])
    certs = staffing.parse_certifications(["PMP until 2027-05-01", "AWS"])
    staffing.replace_profile(
        uow_factory, key, "Ana", time_zone=" Europe/Lisbon ", skills=skills,
        certifications=certs, actor=LocalOperator("pm"), now=NOW,
    )  # fmt: skip
    profile = staffing.profile_of(uow_factory, key, "Ana", actor=LOCAL)[1]
    assert profile.time_zone == "Europe/Lisbon"
    assert [(s.name, s.level) for s in profile.skills] == [("python", 4), ("sql", 3)]
    assert [(c.name, c.expires) for c in profile.certifications] == [
        ("PMP", date(2027, 5, 1)),
        ("AWS", None),
    ]  # go and CSM are gone: the form lists the whole profile
    with uow_factory(write=False) as uow:
        (entry,) = uow.audit.recent(1, None)
    assert entry.action == "resource.profile_changed"
    assert entry.before["skills"] == {"go": 2} and entry.after["skills"] == {"python": 4, "sql": 3}


@pytest.mark.parametrize(
    ("skills", "certs", "zone", "message"),
    [
        (["python:9"], [], "", "levels run from 1 to 5"),
        (["python:4", "Python:2"], [], "", "listed twice"),
        (["py<script>"], [], "", "not a skill name"),
        ([], ["PMP until 2027-13-01"], "", "not a date"),
        ([], ["AWS", "aws"], "", "listed twice"),
        ([], [], "Mars/Base", "unknown time zone"),
    ],
)
def test_a_bad_profile_is_refused_whole(uow_factory, key, skills, certs, zone, message):
    staffing.update_profile(
        uow_factory, key, "Bob", time_zone="Asia/Tokyo", actor=LocalOperator("pm"), now=NOW
    )
    with pytest.raises(ValidationError, match=message):
        staffing.replace_profile(
            uow_factory, key, "Bob", time_zone=zone,
            skills=staffing.parse_skills(skills),
            certifications=staffing.parse_certifications(certs),
            actor=LocalOperator("pm"), now=NOW,
        )  # fmt: skip
    profile = staffing.profile_of(uow_factory, key, "Bob", actor=LOCAL)[1]
    assert (profile.time_zone, profile.skills) == ("Asia/Tokyo", ())


def test_a_profile_drawn_earlier_applies_only_its_edits(uow_factory, key):
    from steerco.domain.skills import Certification, ResourceProfile, Skill

    staffing.replace_profile(
        uow_factory, key, "Ana", time_zone="Asia/Tokyo",
        skills=[Skill("go", 2), Skill("sql", 3)], certifications=[Certification("CSM")],
        actor=LOCAL, now=NOW,
    )  # fmt: skip
    drawn = ResourceProfile(0, "Asia/Tokyo", (Skill("go", 2),), ())  # before sql and CSM
    staffing.replace_profile(
        uow_factory, key, "Ana", time_zone="Asia/Tokyo", skills=[Skill("go", 4)],
        certifications=[Certification("PMP", date(2027, 1, 1))], actor=LOCAL, now=NOW,
        shown=drawn,
    )  # fmt: skip
    profile = staffing.profile_of(uow_factory, key, "Ana", actor=LOCAL)[1]
    assert profile.time_zone == "Asia/Tokyo"
    assert [(s.name, s.level) for s in profile.skills] == [("sql", 3), ("go", 4)]
    assert [c.name for c in profile.certifications] == ["CSM", "PMP"]


def test_an_empty_set_of_resource_changes_keeps_the_profile_write_as_it_was(uow_factory, key):
    """`steerco resource set --time-zone` passes empty resource changes: the profile is
    written and audited just as without them."""
    zone = {"time_zone": "Asia/Tokyo", "actor": LOCAL, "now": NOW}

    def count() -> int:
        with uow_factory(write=False) as uow:
            return sum(e.action == "resource.profile_changed" for e in uow.audit.recent(100, None))

    staffing.update_profile(uow_factory, key, "Ana", **zone)
    plain = count()
    staffing.update_profile(uow_factory, key, "Ana", **zone)
    staffing.update_profile(uow_factory, key, "Ana", changes=resources.ResourceChanges(), **zone)
    assert count() == plain + 2
