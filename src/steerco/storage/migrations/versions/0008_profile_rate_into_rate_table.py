"""resource_profiles.hourly_rate moves into the resource's rate table A (issue 7)

Until 0006 a person's hourly rate lived only in their profile, beside the MS Project data;
since then MS Project's own place for it, the resource's cost rate table A, exists too.
Each profile rate becomes table A's line from the start (`[table, from, standard, overtime,
per_use, standard_format, overtime_format]`, as `storage.mappers.dump_rates` writes it)
unless the resource already has that line (then the rate table, usually from an MS Project
file, stays as it is), and the column goes. The downgrade puts table A's standard rate from
the start back into the profile.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 11:30:00
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PROFILES = sa.table(
    "resource_profiles",
    sa.column("project_id", sa.Integer),
    sa.column("resource_uid", sa.Integer),
    sa.column("hourly_rate", sa.Double),
)
_RESOURCES = sa.table(
    "resources",
    sa.column("id", sa.Integer),
    sa.column("project_id", sa.Integer),
    sa.column("uid", sa.Integer),
    sa.column("rates", sa.Text),
)


def _from_start_a(line: list[object]) -> bool:
    return line[0] == 0 and line[1] is None


def upgrade() -> None:
    bind = op.get_bind()
    rated = bind.execute(
        sa.select(_PROFILES.c.project_id, _PROFILES.c.resource_uid, _PROFILES.c.hourly_rate).where(
            _PROFILES.c.hourly_rate.is_not(None)
        )
    ).all()
    for project_id, uid, rate in rated:
        row = bind.execute(
            sa.select(_RESOURCES.c.id, _RESOURCES.c.rates).where(
                _RESOURCES.c.project_id == project_id, _RESOURCES.c.uid == uid
            )
        ).first()
        if row is None:
            continue
        lines = json.loads(row.rates or "[]")
        if any(_from_start_a(line) for line in lines):
            continue
        lines.append([0, None, float(rate), 0.0, 0.0, 2, 2])
        lines.sort(key=lambda line: (line[0], line[1] or ""))
        bind.execute(
            sa.update(_RESOURCES).where(_RESOURCES.c.id == row.id).values(rates=json.dumps(lines))
        )
    with op.batch_alter_table("resource_profiles", schema=None) as batch_op:
        batch_op.drop_column("hourly_rate")


def downgrade() -> None:
    with op.batch_alter_table("resource_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hourly_rate", sa.Double(), nullable=True))
    bind = op.get_bind()
    for project_id, uid, rates in bind.execute(
        sa.select(_RESOURCES.c.project_id, _RESOURCES.c.uid, _RESOURCES.c.rates)
    ).all():
        line = next((x for x in json.loads(rates or "[]") if _from_start_a(x)), None)
        if line is not None:
            bind.execute(
                sa.update(_PROFILES)
                .where(_PROFILES.c.project_id == project_id, _PROFILES.c.resource_uid == uid)
                .values(hourly_rate=line[2])
            )
