"""Finalised assessments (never changed; corrections reference them) and selection decisions.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subject_id", sa.Integer, sa.ForeignKey("subjects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("instrument_id", sa.String(64), nullable=False),
        sa.Column("instrument_version", sa.String(40), nullable=False),
        sa.Column("instrument_sha256", sa.String(64), nullable=False),
        sa.Column("assessment_date", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("total", sa.Float, nullable=False),
        sa.Column("band", sa.String(64)),
        sa.Column("final_band", sa.String(64)),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("corrects_id", sa.Integer, sa.ForeignKey("assessments.id", ondelete="SET NULL")),
        sa.Column("age_override", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_assessments_subject_id", "assessments", ["subject_id"])
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subject_id", sa.Integer, sa.ForeignKey("subjects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessments.id", ondelete="SET NULL")),
        sa.Column("selected", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("agencies", sa.JSON, nullable=False),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_decisions_subject_id", "decisions", ["subject_id"])


def downgrade() -> None:
    op.drop_table("decisions")
    op.drop_table("assessments")
