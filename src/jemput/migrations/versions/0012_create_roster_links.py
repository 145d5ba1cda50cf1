"""Create roster links and reviewers' link decisions.

Revision ID: 0012
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "roster_links",
        sa.Column(
            "roster_row_id", sa.Integer,
            sa.ForeignKey("roster_rows.id", ondelete="CASCADE"), primary_key=True,
        ),
        sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("decision", sa.String(8), nullable=False),
        sa.Column("decided_by", sa.String(60), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_roster_links_resident_id", "roster_links", ["resident_id"])
    op.create_index("ix_roster_links_decision", "roster_links", ["decision"])
    op.create_table(
        "link_decisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("row_key", sa.String(64), nullable=False),
        sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
        sa.Column("decision", sa.String(8), nullable=False),
        sa.Column("decided_by", sa.String(60), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("row_key", "resident_id", name="uq_link_decisions_pair"),
    )
    op.create_index("ix_link_decisions_row_key", "link_decisions", ["row_key"])


def downgrade() -> None:
    op.drop_table("link_decisions")
    op.drop_table("roster_links")
