"""Action plans, their commitments and the commitments' dated events.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subject_id", sa.Integer, sa.ForeignKey("subjects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("assessment_id", sa.Integer, sa.ForeignKey("assessments.id", ondelete="SET NULL")),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("goals", sa.Text),
        sa.Column("drafted_on", sa.Date, nullable=False),
        sa.Column("committed_on", sa.Date),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_plans_subject_id", "plans", ["subject_id"])
    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
        sa.Column("subject_id", sa.Integer, sa.ForeignKey("subjects.id", ondelete="CASCADE"), nullable=False),
        sa.Column("need", sa.String(64)),
        sa.Column("agency", sa.String(40), nullable=False),
        sa.Column("contact_role", sa.String(200)),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("goal", sa.Text),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("follow_up_date", sa.Date, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_commitments_plan_id", "commitments", ["plan_id"])
    op.create_index("ix_commitments_subject_id", "commitments", ["subject_id"])
    op.create_table(
        "commitment_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("commitment_id", sa.Integer, sa.ForeignKey("commitments.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("outcome", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_commitment_events_commitment_id", "commitment_events", ["commitment_id"])


def downgrade() -> None:
    op.drop_table("commitment_events")
    op.drop_table("commitments")
    op.drop_table("plans")
