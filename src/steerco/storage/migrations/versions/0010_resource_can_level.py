"""resources.can_level: MS Project's "Can Level" flag on a resource

A resource with it off is not leveled: its over-allocation is the project manager's to
settle (overtime, a shared room). Until now an imported `CanLevel` was carried verbatim in the
resource's `extras` and leveling ignored it. The data step moves each value the domain can
hold (0/1, false/true) into the new column and out of `extras`, as the MSPDI reader now does;
a resource without one gets MS Project's default (on for work resources, off for material and
cost ones). The downgrade puts every value back as a fragment.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 20:45:00
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here, as the reader has it: a migration must not change when the application does.
_LEAF = re.compile(r"^<CanLevel>\s*(0|1|true|false)\s*</CanLevel>$", re.IGNORECASE)

_resources = sa.table(
    "resources",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("extras", sa.Text),
    sa.column("can_level", sa.Boolean),
)


def upgrade() -> None:
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("can_level", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    bind = op.get_bind()
    bind.execute(sa.update(_resources).where(_resources.c.kind != "work").values(can_level=False))
    rows = bind.execute(
        sa.select(_resources.c.id, _resources.c.extras).where(
            _resources.c.extras.like("%<CanLevel>%")
        )
    ).all()
    for row_id, text in rows:
        extras = [str(x) for x in json.loads(text)]
        value: bool | None = None
        rest: list[str] = []
        for frag in extras:
            match = _LEAF.match(frag)
            if match and value is None:
                value = match[1].lower() in ("1", "true")
            else:
                rest.append(frag)
        if value is None:
            continue  # not a boolean: it stays verbatim
        bind.execute(
            sa.update(_resources)
            .where(_resources.c.id == row_id)
            .values(extras=json.dumps(rest, ensure_ascii=False), can_level=value)
        )


def downgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_resources.c.id, _resources.c.extras, _resources.c.can_level)
    ).all()
    for row_id, text, can_level in rows:
        extras = [str(x) for x in json.loads(text)]
        if any(frag.startswith("<CanLevel>") for frag in extras):
            continue  # a value kept verbatim: it stands
        extras.append(f"<CanLevel>{1 if can_level else 0}</CanLevel>")
        bind.execute(
            sa.update(_resources)
            .where(_resources.c.id == row_id)
            .values(extras=json.dumps(extras, ensure_ascii=False))
        )
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_column("can_level")
