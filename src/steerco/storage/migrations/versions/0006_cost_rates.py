"""resources.rates and assignments.rate_table: cost rate tables (issue 7)

Resources keep their five cost rate tables (A-E) as JSON lines; an assignment says which
table applies. Existing rows get no rates and table A. A `Rates` block imported before this
revision stays verbatim in the resource's extras, where an export still writes it; importing
the file again reads it into the new column.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 11:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rates", sa.Text(), server_default="[]", nullable=False))
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("rate_table", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("assignments", schema=None) as batch_op:
        batch_op.drop_column("rate_table")
    with op.batch_alter_table("resources", schema=None) as batch_op:
        batch_op.drop_column("rates")
