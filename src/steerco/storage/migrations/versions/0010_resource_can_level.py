"""resources.can_level: MS Project's "Can Level" flag on a resource

A resource with it off is never leveled: its over-allocation is the project manager's to
settle (overtime, a shared room). Until now the flag stayed only in the verbatim MS Project
fields and leveling ignored it. Existing rows get true, MS Project's default; importing a
file again reads the flag.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 20:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("can_level", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_column("can_level")
