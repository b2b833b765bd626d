"""Ranking people for a task: qualified first, then skills, capacity, time zone and cost."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from steerco.domain import ValidationError
from steerco.domain.skills import Certification, ResourceProfile, Skill, SkillNeed
from steerco.engine.suggest import Candidate, overlap_hours, rank

START, FINISH = datetime(2026, 11, 23, 8, 0), datetime(2026, 11, 27, 17, 0)
NEEDS = [SkillNeed(7, "python", 3), SkillNeed(7, "AWS")]


def person(uid, name, *, skills=(), certs=(), tz="", rate=None, booked=0.0, cap=1.0):
    profile = ResourceProfile(
        uid,
        tz,
        tuple(Skill(n, lv) for n, lv in skills),
        tuple(Certification(n, e) for n, e in certs),
    )
    return Candidate(uid, name, cap, profile, booked, rate=rate)


def test_qualified_people_rank_above_free_unqualified_ones():
    ana = person(1, "Ana", skills=[("Python", 4)], certs=[("aws", None)], booked=0.5)
    bob = person(2, "Bob", skills=[("python", 2)], booked=0.0)
    ranked = rank([bob, ana], NEEDS, {}, START, FINISH)
    assert [r.name for r in ranked] == ["Ana", "Bob"]
    assert ranked[0].qualified and not ranked[1].qualified
    assert ranked[1].score > 0
    assert "python 2/3 (below)" in ranked[1].reasons[0] and "AWS missing" in ranked[1].reasons[0]
    assert ranked[0].reasons[1] == "50% free in the task's window (50% booked)"


def test_an_expired_certification_does_not_qualify():
    chen = person(3, "Chen", skills=[("python", 3)], certs=[("AWS", date(2026, 11, 26))])
    (r,) = rank([chen], NEEDS, {}, START, FINISH)
    assert not r.qualified and "AWS expires 2026-11-26, before the task ends" in r.reasons[0]


def test_capacity_time_zone_and_cost_break_ties_between_equals():
    base = {"skills": [("python", 3)], "certs": [("AWS", None)]}
    busy = person(1, "Busy", **base, booked=1.0)
    free = person(2, "Free", **base)
    assert [r.name for r in rank([busy, free], NEEDS, {}, START, FINISH)] == ["Free", "Busy"]
    near = person(3, "Near", **base, tz="Europe/Paris")
    far = person(4, "Far", **base, tz="Pacific/Auckland")
    team = {3: ["Europe/Berlin"], 4: ["Europe/Berlin"]}
    ranked = rank([far, near], NEEDS, team, START, FINISH)
    assert [r.name for r in ranked] == ["Near", "Far"]
    assert ranked[0].reasons[2] == "Europe/Paris: 8.0h overlap with the team"
    cheap = person(5, "Cheap", **base, rate=50)
    dear = person(6, "Dear", **base, rate=100)
    ranked = rank([dear, cheap], NEEDS, {}, START, FINISH)
    assert [r.name for r in ranked] == ["Cheap", "Dear"]
    assert ranked[1].scores["cost"] == 0.5


def test_overlap_hours_follow_daylight_saving():
    # New York is 6h behind Berlin most of the year, but 5h in the weeks when only the US
    # has moved to summer time (mid-March).
    assert overlap_hours("Europe/Berlin", "America/New_York", date(2026, 11, 23)) == 2.0
    assert overlap_hours("Europe/Berlin", "America/New_York", date(2026, 3, 16)) == 3.0
    assert overlap_hours("Europe/Berlin", "Asia/Tokyo", date(2026, 11, 23)) == 0.0


def test_profiles_and_needs_validate():
    with pytest.raises(ValidationError):
        ResourceProfile(1, time_zone="Mars/Base")
    with pytest.raises(ValidationError):
        Skill("python", 6)
    with pytest.raises(ValidationError):
        SkillNeed(1, "<script>")
    with pytest.raises(ValidationError):
        ResourceProfile(1, skills=(Skill("Go", 2), Skill("go", 3)))
