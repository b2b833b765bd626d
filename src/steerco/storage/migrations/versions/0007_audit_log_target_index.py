"""audit_log: an index on (target, seq) for a project's history

Until now a project's history page and its newest `project.created` entry were found by
scanning the whole audit log. The index is built on the existing rows; nothing else changes.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 11:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_log_target_seq",
        "audit_log",
        ["target", "seq"],
        postgresql_ops={"target": "varchar_pattern_ops"},
    )


def downgrade() -> None:
    op.drop_index("ix_audit_log_target_seq", table_name="audit_log")
