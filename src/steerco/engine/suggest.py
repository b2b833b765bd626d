"""Rank people for a task: skills, free capacity in its window, time zone, cost.

Each criterion gives a score from 0 to 1 and a sentence; the rank is a weighted sum, and
a candidate missing a needed skill or certification is ranked below every candidate who has
them all, whatever the other scores (a free but unqualified person is not a suggestion, only
a fallback). Weights: skills 0.4, capacity 0.3, time zone 0.2, cost 0.1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from steerco.domain.skills import ResourceProfile, SkillNeed

WEIGHTS = {"skills": 0.4, "capacity": 0.3, "time_zone": 0.2, "cost": 0.1}
WORKDAY = (time(9, 0), time(17, 0))  # local office hours for time-zone overlap


@dataclass(frozen=True, slots=True)
class Candidate:
    resource_uid: int
    name: str
    max_units: float
    profile: ResourceProfile
    booked_units: float  # mean units already booked over the task's window (all projects)
    elsewhere: tuple[tuple[str, float], ...] = ()  # (project key, mean units) of that, elsewhere
    rate: float | None = None  # an hour's cost when the task starts (rate table A), if known


@dataclass(frozen=True, slots=True)
class Ranked:
    resource_uid: int
    name: str
    score: float
    qualified: bool
    scores: dict[str, float]
    reasons: list[str] = field(default_factory=list)


def skill_score(
    needs: Sequence[SkillNeed], profile: ResourceProfile, finish: date
) -> tuple[float, bool, str]:
    if not needs:
        return 1.0, True, "no skills required"
    parts, notes, qualified = [], [], True
    for need in needs:
        level = profile.level_of(need.name)
        cert = profile.certification(need.name)
        if level:
            if level >= need.level:
                parts.append(min(1.0, 0.85 + 0.05 * (level - need.level)))
                notes.append(f"{need.name} {level}/{need.level}")
            else:
                parts.append(0.5 * level / need.level)
                notes.append(f"{need.name} {level}/{need.level} (below)")
                qualified = False
        elif cert is not None:
            if cert.valid_on(finish):
                parts.append(1.0)
                notes.append(f"{cert.name} certified")
            else:
                parts.append(0.2)
                expired = cert.expires.isoformat() if cert.expires else "?"
                notes.append(f"{cert.name} expires {expired}, before the task ends")
                qualified = False
        else:
            parts.append(0.0)
            notes.append(f"{need.name} missing")
            qualified = False
    return sum(parts) / len(parts), qualified, "skills: " + ", ".join(notes)


def capacity_score(c: Candidate) -> tuple[float, str]:
    if c.max_units <= 0:
        return 0.0, "no capacity"
    free = max(0.0, 1.0 - c.booked_units / c.max_units)
    where = ", ".join(f"{units:.0%} in {key}" for key, units in c.elsewhere)
    booked = f"{c.booked_units:.0%} booked" + (f", {where}" if where else "")
    return free, f"{free:.0%} free in the task's window ({booked})"


def overlap_hours(zone_a: str, zone_b: str, day: date) -> float:
    """Hours both have 09:00-17:00 local on `day`."""
    if not zone_a or not zone_b or zone_a == zone_b:
        return 8.0

    def span(zone: str) -> tuple[datetime, datetime]:
        tz = ZoneInfo(zone)
        lo = datetime.combine(day, WORKDAY[0], tz)
        hi = datetime.combine(day, WORKDAY[1], tz)
        return lo, hi

    a0, a1 = span(zone_a)
    b0, b1 = span(zone_b)
    seconds = (min(a1, b1) - max(a0, b0)) / timedelta(hours=1)
    return max(0.0, seconds)


def time_zone_score(profile: ResourceProfile, team: Sequence[str], day: date) -> tuple[float, str]:
    zones = [z for z in team if z]
    if not profile.time_zone or not zones:
        return 0.5, "time zone unknown" if not profile.time_zone else "no team time zones"
    hours = sum(overlap_hours(profile.time_zone, z, day) for z in zones) / len(zones)
    return hours / 8.0, f"{profile.time_zone}: {hours:.1f}h overlap with the team"


def cost_score(rate: float | None, cheapest: float | None) -> tuple[float, str]:
    if rate is None or cheapest is None:
        return 0.5, "rate unknown"
    if rate == 0:
        return 1.0, "no cost"
    return min(1.0, cheapest / rate), f"rate {rate:g}/h"


def rank(
    candidates: Sequence[Candidate],
    needs: Sequence[SkillNeed],
    team_zones: Mapping[int, Sequence[str]],
    start: datetime,
    finish: datetime,
) -> list[Ranked]:
    """Best first; ties broken by name so that the order is stable. `team_zones` gives,
    for each candidate, the time zones of the others already on the team."""
    rates = [c.rate for c in candidates if c.rate is not None]
    cheapest = min(rates) if rates else None
    out = []
    for c in candidates:
        s_skill, qualified, why_skill = skill_score(needs, c.profile, finish.date())
        s_cap, why_cap = capacity_score(c)
        s_tz, why_tz = time_zone_score(c.profile, team_zones.get(c.resource_uid, ()), start.date())
        s_cost, why_cost = cost_score(c.rate, cheapest)
        scores = {"skills": s_skill, "capacity": s_cap, "time_zone": s_tz, "cost": s_cost}
        total = sum(WEIGHTS[k] * v for k, v in scores.items())
        out.append(
            Ranked(
                c.resource_uid,
                c.name,
                round(total, 3),
                qualified,
                scores,
                [why_skill, why_cap, why_tz, why_cost],
            )
        )
    out.sort(key=lambda r: (not r.qualified, -r.score, r.name.lower()))
    return out
