"""Create coverage_snapshots, the trend of coverage over imports.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coverage_snapshots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "import_id",
            sa.Integer,
            sa.ForeignKey("import_runs.id", name="fk_coverage_snapshots_import_id_import_runs"),
            nullable=False,
        ),
        sa.Column("data_date", sa.Date, nullable=False),
        sa.Column("region_code", sa.String(13), nullable=False),
        sa.Column("wajib_ktp", sa.Integer, nullable=False),
        sa.Column("recorded", sa.Integer, nullable=False),
        sa.Column("print_ready", sa.Integer, nullable=False),
        sa.Column("printed", sa.Integer, nullable=False),
        sa.Column("issued", sa.Integer, nullable=False),
        sa.Column("not_recorded", sa.Integer, nullable=False),
        sa.Column("due_for_deactivation", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_coverage_snapshots_import_id", "coverage_snapshots", ["import_id"])
    op.create_index(
        "ix_coverage_snapshots_region_date", "coverage_snapshots", ["region_code", "data_date"]
    )


def downgrade() -> None:
    op.drop_index("ix_coverage_snapshots_region_date", table_name="coverage_snapshots")
    op.drop_index("ix_coverage_snapshots_import_id", table_name="coverage_snapshots")
    op.drop_table("coverage_snapshots")
