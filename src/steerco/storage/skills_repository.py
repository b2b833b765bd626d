"""Resource profiles (skills, certifications, time zone, rate) and tasks' skill needs.

Kept out of `SqlProjectRepository.get()`: only staffing screens read them, so loading a
100,000-task plan never pays for them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from steerco.domain import Conflict, NotFound
from steerco.domain.skills import Certification, ResourceProfile, Skill, SkillNeed
from steerco.storage.accounts_repository import Repo
from steerco.storage.schema import ResourceProfileRow, TaskSkillNeedRow

profiles: Table = ResourceProfileRow.__table__  # type: ignore[assignment]
needs: Table = TaskSkillNeedRow.__table__  # type: ignore[assignment]


def _profile(row: Any) -> ResourceProfile:
    return ResourceProfile(
        resource_uid=row.resource_uid,
        time_zone=row.time_zone,
        skills=tuple(Skill(n, lv) for n, lv in json.loads(row.skills)),
        certifications=tuple(
            Certification(n, date.fromisoformat(e) if e else None)
            for n, e in json.loads(row.certifications)
        ),
    )


def _fields(profile: ResourceProfile) -> dict[str, Any]:
    return {
        "time_zone": profile.time_zone,
        "skills": json.dumps([[s.name, s.level] for s in profile.skills], ensure_ascii=False),
        "certifications": json.dumps(
            [
                [c.name, c.expires.isoformat() if c.expires else None]
                for c in profile.certifications
            ],
            ensure_ascii=False,
        ),
    }


class SqlSkillRepository(Repo):
    def profiles(self, project_id: int) -> dict[int, ResourceProfile]:
        rows = self._execute(select(profiles).where(profiles.c.project_id == project_id))
        return {row.resource_uid: _profile(row) for row in rows}

    def save_profile(self, project_id: int, profile: ResourceProfile) -> None:
        """Insert or replace the resource's profile (the resource must exist)."""
        fields = _fields(profile)
        key = (profiles.c.project_id == project_id) & (
            profiles.c.resource_uid == profile.resource_uid
        )
        done = self._execute(
            update(profiles).where(key).values(**fields, version=profiles.c.version + 1)
        ).rowcount
        if done:
            return
        try:
            with self.session.begin_nested():
                self._execute(
                    insert(profiles),
                    {
                        "project_id": project_id,
                        "resource_uid": profile.resource_uid,
                        **fields,
                        "version": 1,
                    },
                )
        except IntegrityError as exc:
            raise NotFound(f"no resource {profile.resource_uid}") from exc

    def needs(self, project_id: int) -> dict[int, list[SkillNeed]]:
        rows = self._execute(
            select(needs).where(needs.c.project_id == project_id).order_by(needs.c.id)
        )
        out: dict[int, list[SkillNeed]] = {}
        for row in rows:
            out.setdefault(row.task_uid, []).append(SkillNeed(row.task_uid, row.name, row.level))
        return out

    def set_needs(self, project_id: int, task_uid: int, wanted: Iterable[SkillNeed]) -> None:
        """Replace what task `task_uid` needs."""
        self._execute(
            delete(needs).where(needs.c.project_id == project_id, needs.c.task_uid == task_uid)
        )
        rows = [
            {"project_id": project_id, "task_uid": task_uid, "name": n.name, "level": n.level}
            for n in wanted
        ]
        if not rows:
            return
        try:
            with self.session.begin_nested():
                self._execute(insert(needs), rows)
        except IntegrityError as exc:
            raise Conflict(f"task {task_uid} lists a skill twice or does not exist") from exc
