"""A resource's profile refuses a skill or a certification listed twice, whatever the case."""

from __future__ import annotations

import pytest

from steerco.domain import ValidationError
from steerco.domain.skills import Certification, ResourceProfile, Skill


def test_a_skill_listed_twice_is_refused() -> None:
    with pytest.raises(ValidationError, match="a skill is listed twice"):
        ResourceProfile(1, skills=(Skill("python", 3), Skill("Python", 4)))


def test_a_certification_listed_twice_is_refused() -> None:
    with pytest.raises(ValidationError, match="a certification is listed twice"):
        ResourceProfile(1, certifications=(Certification("AWS"), Certification("aws")))


def test_distinct_names_stand() -> None:
    profile = ResourceProfile(
        1, skills=(Skill("python", 3),), certifications=(Certification("python"),)
    )
    assert profile.level_of("PYTHON") == 3 and profile.certification("Python") is not None
