"""Create the registry: regions, import runs, residents and their status history.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "regions",
        sa.Column("code", sa.String(13), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("parent_code", sa.String(13), sa.ForeignKey("regions.code"), nullable=True),
        sa.Column("village_kind", sa.String(10), nullable=True),
        sa.Column("latitude", sa.Float, nullable=True),
        sa.Column("longitude", sa.Float, nullable=True),
        sa.Column("source", sa.String(60), nullable=False, server_default=""),
    )
    op.create_index("ix_regions_level", "regions", ["level"])
    op.create_index("ix_regions_parent_code", "regions", ["parent_code"])

    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_name", sa.String(255), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("layout", sa.String(20), nullable=False),
        sa.Column("data_date", sa.Date, nullable=False),
        sa.Column("started_at", TZ, nullable=False),
        sa.Column("finished_at", TZ, nullable=True),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("accept_valid", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("rows_read", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_rejected", sa.Integer, nullable=False, server_default="0"),
        sa.Column("rows_warned", sa.Integer, nullable=False, server_default="0"),
        sa.Column("inserted", sa.Integer, nullable=False, server_default="0"),
        sa.Column("updated", sa.Integer, nullable=False, server_default="0"),
        sa.Column("unchanged", sa.Integer, nullable=False, server_default="0"),
        sa.Column("status_changes", sa.Integer, nullable=False, server_default="0"),
        sa.Column("disappeared", sa.Integer, nullable=False, server_default="0"),
        sa.Column("report_path", sa.String(500), nullable=True),
        sa.Column("imported_by", sa.String(80), nullable=True),
    )
    op.create_index("ix_import_runs_file_sha256", "import_runs", ["file_sha256"])

    op.create_table(
        "residents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("nik", sa.String(16), nullable=False),
        sa.Column("kk_number", sa.String(16), nullable=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("sex", sa.SmallInteger, nullable=False),
        sa.Column("birth_place", sa.String(80), nullable=True),
        sa.Column("birth_date", sa.Date, nullable=False),
        sa.Column("religion", sa.SmallInteger, nullable=True),
        sa.Column("marital_status", sa.SmallInteger, nullable=False),
        sa.Column("household_relation", sa.SmallInteger, nullable=True),
        sa.Column("citizenship", sa.String(3), nullable=False, server_default="WNI"),
        sa.Column("has_itap", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("address", sa.String(200), nullable=True),
        sa.Column("rt", sa.String(3), nullable=True),
        sa.Column("rw", sa.String(3), nullable=True),
        sa.Column("dusun", sa.String(80), nullable=True),
        sa.Column("desa_code", sa.String(13), sa.ForeignKey("regions.code"), nullable=False),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("latitude", sa.Float, nullable=True),
        sa.Column("longitude", sa.Float, nullable=True),
        sa.Column("disability", sa.SmallInteger, nullable=True),
        sa.Column("bedridden", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("odgj", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("needs_home_visit", sa.Boolean, nullable=True),
        sa.Column("life_status", sa.String(8), nullable=False, server_default="hidup"),
        sa.Column("ktp_status", sa.String(30), nullable=True),
        sa.Column("nik_warning", sa.String(40), nullable=True),
        sa.Column("first_import_id", sa.Integer, sa.ForeignKey("import_runs.id"), nullable=True),
        sa.Column("last_import_id", sa.Integer, sa.ForeignKey("import_runs.id"), nullable=True),
        sa.Column(
            "missing_since_import_id", sa.Integer, sa.ForeignKey("import_runs.id"), nullable=True
        ),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("nik", name="uq_residents_nik"),
    )
    op.create_index("ix_residents_kk_number", "residents", ["kk_number"])
    # Coverage groups by desa and reads only these columns: a covering index lets
    # both engines answer from the index instead of the wide table.
    op.create_index(
        "ix_residents_coverage",
        "residents",
        ["desa_code", "birth_date", "marital_status", "ktp_status", "life_status",
         "citizenship", "has_itap", "disability", "bedridden", "odgj",
         "missing_since_import_id"],
    )

    op.create_table(
        "resident_status_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
        sa.Column("old_status", sa.String(30), nullable=True),
        sa.Column("new_status", sa.String(30), nullable=True),
        sa.Column("changed_at", TZ, nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("import_id", sa.Integer, sa.ForeignKey("import_runs.id"), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
    )
    op.create_index(
        "ix_resident_status_history_resident_id", "resident_status_history", ["resident_id"]
    )


def downgrade() -> None:
    op.drop_table("resident_status_history")
    op.drop_table("residents")
    op.drop_table("import_runs")
    op.drop_table("regions")
