"""tasks.leveling_delay: MS Project's leveling delay becomes columns (issue 7, leveling)

Until now an imported `LevelingDelay`/`LevelingDelayFormat` pair was carried verbatim in the
task's `extras`. The data step moves each pair the domain can hold (whole minutes, a time unit,
not estimated) into the new columns and out of `extras`, as the MSPDI reader now does; other
pairs stay verbatim. The downgrade puts the values back as fragments.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 06:59:17
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# MSPDI duration format codes -> (unit, elapsed), as in interop/mspdi/codes.py (frozen here:
# a migration must not change when the application code does).
_UNITS = {
    3: ("m", False),
    4: ("m", True),
    5: ("h", False),
    6: ("h", True),
    7: ("d", False),
    8: ("d", True),
    9: ("w", False),
    10: ("w", True),
    11: ("mo", False),
    12: ("mo", True),
}
_CODES = {v: k for k, v in _UNITS.items()}
_LEAF = re.compile(r"^<(LevelingDelay|LevelingDelayFormat)>\s*(-?\d+)\s*</\1>$")

_tasks = sa.table(
    "tasks",
    sa.column("id", sa.Integer),
    sa.column("extras", sa.Text),
    sa.column("leveling_delay_minutes", sa.BigInteger),
    sa.column("leveling_delay_unit", sa.String),
    sa.column("leveling_delay_elapsed", sa.Boolean),
)


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leveling_delay_minutes", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("leveling_delay_unit", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("leveling_delay_elapsed", sa.Boolean(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_tasks.c.id, _tasks.c.extras).where(_tasks.c.extras.like("%<LevelingDelay%"))
    ).all()
    for row_id, text in rows:
        extras = [str(x) for x in json.loads(text)]
        found: dict[str, int] = {}
        rest: list[str] = []
        for frag in extras:
            match = _LEAF.match(frag)
            if match and match[1] not in found:
                found[match[1]] = int(match[2])
            else:
                rest.append(frag)
        tenths = found.get("LevelingDelay")
        unit = _UNITS.get(found.get("LevelingDelayFormat", 8))
        if tenths is None or tenths < 0 or tenths % 10 or unit is None:
            continue  # not a value the domain holds: it stays verbatim
        bind.execute(
            sa.update(_tasks)
            .where(_tasks.c.id == row_id)
            .values(
                extras=json.dumps(rest, ensure_ascii=False),
                leveling_delay_minutes=tenths // 10,
                leveling_delay_unit=unit[0],
                leveling_delay_elapsed=unit[1],
            )
        )


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            _tasks.c.id,
            _tasks.c.extras,
            _tasks.c.leveling_delay_minutes,
            _tasks.c.leveling_delay_unit,
            _tasks.c.leveling_delay_elapsed,
        ).where(_tasks.c.leveling_delay_minutes.is_not(None))
    ).all()
    for row_id, text, minutes, unit, elapsed in rows:
        extras = [str(x) for x in json.loads(text)]
        code = _CODES.get((unit, bool(elapsed)), 8)
        extras += [
            f"<LevelingDelay>{minutes * 10}</LevelingDelay>",
            f"<LevelingDelayFormat>{code}</LevelingDelayFormat>",
        ]
        bind.execute(
            sa.update(_tasks)
            .where(_tasks.c.id == row_id)
            .values(extras=json.dumps(extras, ensure_ascii=False))
        )
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("leveling_delay_elapsed")
        batch_op.drop_column("leveling_delay_unit")
        batch_op.drop_column("leveling_delay_minutes")
