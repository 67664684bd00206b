"""Drafts: an assessment being entered, saved after every answer.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subject_id", sa.Integer, sa.ForeignKey("subjects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("instrument_id", sa.String(64), nullable=False),
        sa.Column("instrument_version", sa.String(40), nullable=False),
        sa.Column("instrument_sha256", sa.String(64), nullable=False),
        sa.Column("assessment_date", sa.Date, nullable=False),
        sa.Column("state", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_drafts_subject_id", "drafts", ["subject_id"])


def downgrade() -> None:
    op.drop_table("drafts")
