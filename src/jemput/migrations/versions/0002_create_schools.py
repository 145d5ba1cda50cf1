"""Create schools (SMA, SMK, MA, SLB, pesantren) and their student rosters.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schools",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("npsn", sa.String(12), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("desa_code", sa.String(13), sa.ForeignKey("regions.code"), nullable=False),
        sa.Column("latitude", sa.Float, nullable=True),
        sa.Column("longitude", sa.Float, nullable=True),
        sa.UniqueConstraint("npsn", name="uq_schools_npsn"),
    )
    op.create_index("ix_schools_desa_code", "schools", ["desa_code"])

    op.create_table(
        "school_students",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("school_id", sa.Integer, sa.ForeignKey("schools.id"), nullable=False),
        sa.Column("nisn", sa.String(10), nullable=True),
        sa.Column("nik", sa.String(16), nullable=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("sex", sa.SmallInteger, nullable=False),
        sa.Column("birth_date", sa.Date, nullable=False),
        sa.Column("class_name", sa.String(40), nullable=True),
        sa.Column("special_needs", sa.String(60), nullable=True),
    )
    op.create_index("ix_school_students_school_id", "school_students", ["school_id"])
    op.create_index("ix_school_students_nik", "school_students", ["nik"])


def downgrade() -> None:
    op.drop_table("school_students")
    op.drop_table("schools")
