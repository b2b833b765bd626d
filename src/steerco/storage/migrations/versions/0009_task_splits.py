"""tasks.splits: the pauses of a split task (MS Project's task splits)

A split task's duration leaves its pauses out and its finish takes them in. Until now the
domain had no place for them, so a split task read from MS Project finished too early (its
pauses stayed only in the assignments' timephased rows, carried verbatim). Existing rows get
NULL (no pauses); importing such a file again reads them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 12:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("splits", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_column("splits")
