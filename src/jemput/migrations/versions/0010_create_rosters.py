"""Create rosters and roster rows: school, pesantren and voter lists as imported.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rosters",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(12), nullable=False),
        sa.Column("school_id", sa.Integer, sa.ForeignKey("schools.id"), nullable=True),
        sa.Column("desa_code", sa.String(13), sa.ForeignKey("regions.code"), nullable=True),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("data_date", sa.Date, nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(60), nullable=True),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("rows_rejected", sa.Integer, nullable=False),
        sa.Column("report_path", sa.String(500), nullable=True),
        sa.Column("replaced_by_id", sa.Integer, sa.ForeignKey("rosters.id"), nullable=True),
    )
    op.create_index("ix_rosters_school_id", "rosters", ["school_id"])
    op.create_index("ix_rosters_desa_code", "rosters", ["desa_code"])
    op.create_table(
        "roster_rows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("roster_id", sa.Integer, sa.ForeignKey("rosters.id"), nullable=False),
        sa.Column("line", sa.Integer, nullable=False),
        sa.Column("row_key", sa.String(64), nullable=False),
        sa.Column("nik", sa.String(16), nullable=True),
        sa.Column("nisn", sa.String(10), nullable=True),
        sa.Column("kk_number", sa.String(16), nullable=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("sex", sa.SmallInteger, nullable=True),
        sa.Column("birth_place", sa.String(60), nullable=True),
        sa.Column("birth_date", sa.Date, nullable=True),
        sa.Column("mother_name", sa.String(120), nullable=True),
        sa.Column("class_name", sa.String(40), nullable=True),
        sa.Column("desa_code", sa.String(13), nullable=True),
        sa.Column("address", sa.String(200), nullable=True),
        sa.Column("rt", sa.String(3), nullable=True),
        sa.Column("rw", sa.String(3), nullable=True),
        sa.Column("tps", sa.String(10), nullable=True),
        sa.Column("disability", sa.String(60), nullable=True),
    )
    op.create_index("ix_roster_rows_roster_id", "roster_rows", ["roster_id"])
    op.create_index("ix_roster_rows_row_key", "roster_rows", ["row_key"])
    op.create_index("ix_roster_rows_nik", "roster_rows", ["nik"])
    op.create_index("ix_roster_rows_desa_code", "roster_rows", ["desa_code"])


def downgrade() -> None:
    op.drop_table("roster_rows")
    op.drop_table("rosters")
