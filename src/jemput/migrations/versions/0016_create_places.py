"""Places: dusun points, residents' own points and region outlines.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dusun_points",
        sa.Column("desa_code", sa.String(13), sa.ForeignKey("regions.code"), primary_key=True),
        sa.Column("name", sa.String(80), primary_key=True),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lng", sa.Float, nullable=False),
        sa.Column("source", sa.String(120), nullable=False),
    )
    op.create_table(
        "resident_points",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lng", sa.Float, nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_resident_points_resident_id", "resident_points", ["resident_id"])
    op.create_table(
        "region_outlines",
        sa.Column("region_code", sa.String(13), sa.ForeignKey("regions.code"),
                  primary_key=True),
        sa.Column("geometry", sa.Text, nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("region_outlines")
    op.drop_index("ix_resident_points_resident_id", table_name="resident_points")
    op.drop_table("resident_points")
    op.drop_table("dusun_points")
