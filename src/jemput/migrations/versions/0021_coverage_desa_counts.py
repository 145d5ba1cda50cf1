"""Coverage counts kept per desa (coverage_desa_counts), so a regency figure is a sum
over its desas instead of a scan of every resident (issue 10).

Every desa that already has residents gets a row with no reference date: stale, so it
is counted afresh when read until the next import or `jemput coverage --recount`
fills it.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

COUNTS = (
    "population", "wajib_ktp", "recorded", "recorded_wajib", "print_ready", "printed",
    "issued", "not_recorded", "not_recorded_vulnerable", "not_recorded_pemula",
    "status_unknown", "aged_22", "due_for_deactivation", "pemula", "pemula_not_recorded",
    "follow_up",
)


def upgrade() -> None:
    op.create_table(
        "coverage_desa_counts",
        sa.Column("desa_code", sa.String(13), sa.ForeignKey("regions.code"), primary_key=True),
        sa.Column("as_of", sa.Date, nullable=True),
        *[sa.Column(name, sa.Integer, nullable=False) for name in COUNTS],
    )
    zeros = ", ".join("0" for _ in COUNTS)
    op.execute(
        f"INSERT INTO coverage_desa_counts (desa_code, {', '.join(COUNTS)}) "
        f"SELECT DISTINCT desa_code, {zeros} FROM residents"
    )


def downgrade() -> None:
    op.drop_table("coverage_desa_counts")
