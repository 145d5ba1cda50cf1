"""Team availability per day (outreach_team_absences), and the base each planned route
started from (campaign_plan_routes.base_*), so the map draws what was planned, and the
contact of each session site (outreach_site_contacts) for the day sheets.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outreach_team_absences",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("outreach_teams.id"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("member", sa.String(60), nullable=False),
        sa.Column("reason", sa.String(120), nullable=False),
        sa.UniqueConstraint("team_id", "day", "member",
                            name="uq_outreach_team_absences_team_id_day_member"),
    )
    op.create_index("ix_outreach_team_absences_team_id", "outreach_team_absences",
                    ["team_id"])
    op.create_table(
        "outreach_site_contacts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("site_key", sa.String(40), nullable=False),
        sa.Column("desa_code", sa.String(13), sa.ForeignKey("regions.code"), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.UniqueConstraint("site_key", name="uq_outreach_site_contacts_site_key"),
    )
    op.create_index("ix_outreach_site_contacts_desa_code", "outreach_site_contacts",
                    ["desa_code"])
    with op.batch_alter_table("campaign_plan_routes") as batch:
        batch.add_column(sa.Column("base_name", sa.String(120), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("base_latitude", sa.Float, nullable=True))
        batch.add_column(sa.Column("base_longitude", sa.Float, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("campaign_plan_routes") as batch:
        batch.drop_column("base_longitude")
        batch.drop_column("base_latitude")
        batch.drop_column("base_name")
    op.drop_index("ix_outreach_site_contacts_desa_code", table_name="outreach_site_contacts")
    op.drop_table("outreach_site_contacts")
    op.drop_index("ix_outreach_team_absences_team_id", table_name="outreach_team_absences")
    op.drop_table("outreach_team_absences")
