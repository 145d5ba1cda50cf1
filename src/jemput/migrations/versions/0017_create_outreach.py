"""Create outreach resources (programmes, teams, calendars, holidays, office counts),
campaigns and their stored plans.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def _area() -> sa.Column:
    return sa.Column("area_code", sa.String(13), sa.ForeignKey("regions.code"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "outreach_programmes",
        sa.Column("id", sa.Integer, primary_key=True),
        _area(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("service_minutes", sa.Text, nullable=False),
        sa.Column("setup_minutes", sa.SmallInteger, nullable=False),
        sa.Column("weekdays", sa.String(20), nullable=False),
    )
    op.create_index("ix_outreach_programmes_area_code", "outreach_programmes", ["area_code"])
    op.create_table(
        "outreach_teams",
        sa.Column("id", sa.Integer, primary_key=True),
        _area(),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("members", sa.Text, nullable=False),
        sa.Column("skills", sa.String(200), nullable=False),
        sa.Column("kits", sa.SmallInteger, nullable=False),
        sa.Column("vehicle", sa.String(60), nullable=False),
        sa.Column("base_name", sa.String(120), nullable=False),
        sa.Column("base_latitude", sa.Float, nullable=True),
        sa.Column("base_longitude", sa.Float, nullable=True),
        sa.UniqueConstraint("name", name="uq_outreach_teams_name"),
    )
    op.create_index("ix_outreach_teams_area_code", "outreach_teams", ["area_code"])
    op.create_table(
        "outreach_calendars",
        sa.Column("id", sa.Integer, primary_key=True),
        _area(),
        sa.Column("office_opens", sa.SmallInteger, nullable=False),
        sa.Column("office_closes", sa.SmallInteger, nullable=False),
        sa.Column("school_opens", sa.SmallInteger, nullable=False),
        sa.Column("school_closes", sa.SmallInteger, nullable=False),
        sa.Column("friday_break_starts", sa.SmallInteger, nullable=False),
        sa.Column("friday_break_ends", sa.SmallInteger, nullable=False),
        sa.Column("ramadan_starts", sa.Date, nullable=True),
        sa.Column("ramadan_ends", sa.Date, nullable=True),
        sa.Column("ramadan_friday_ends", sa.SmallInteger, nullable=True),
        sa.Column("kits", sa.SmallInteger, nullable=False),
        sa.Column("queue_threshold", sa.Integer, nullable=True),
        sa.Column("queue_weeks", sa.SmallInteger, nullable=False),
        sa.UniqueConstraint("area_code", name="uq_outreach_calendars_area_code"),
    )
    for table in ("outreach_holidays", "outreach_office_counts"):
        value = (sa.Column("name", sa.String(120), nullable=False) if table == "outreach_holidays"
                 else sa.Column("count", sa.Integer, nullable=False))
        op.create_table(
            table,
            sa.Column("id", sa.Integer, primary_key=True),
            _area(),
            sa.Column("day", sa.Date, nullable=False),
            value,
            sa.UniqueConstraint("area_code", "day", name=f"uq_{table}_area_code_day"),
        )
        op.create_index(f"ix_{table}_area_code", table, ["area_code"])
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        _area(),
        sa.Column("starts", sa.Date, nullable=False),
        sa.Column("ends", sa.Date, nullable=False),
        sa.Column("programme_ids", sa.String(200), nullable=False),
        sa.Column("team_ids", sa.String(200), nullable=False),
        sa.Column("list_ids", sa.String(200), nullable=False),
        sa.Column("weights", sa.Text, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("created_by", sa.String(60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(60), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_campaigns_area_code", "campaigns", ["area_code"])
    op.create_table(
        "campaign_plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("campaign_id", sa.Integer, sa.ForeignKey("campaigns.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("kept_through", sa.Date, nullable=True),
        sa.Column("solver", sa.String(30), nullable=False),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("served_weight", sa.Integer, nullable=False),
        sa.Column("total_weight", sa.Integer, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(60), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("campaign_id", "version", name="uq_campaign_plans_campaign_id_version"),
    )
    op.create_index("ix_campaign_plans_campaign_id", "campaign_plans", ["campaign_id"])
    op.create_table(
        "campaign_plan_routes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("campaign_plans.id"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("outreach_teams.id"), nullable=False),
        sa.Column("leaves", sa.SmallInteger, nullable=False),
        sa.Column("returns", sa.SmallInteger, nullable=False),
        sa.Column("metres", sa.Integer, nullable=False),
    )
    op.create_index("ix_campaign_plan_routes_plan_id", "campaign_plan_routes", ["plan_id"])
    op.create_table(
        "campaign_plan_stops",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("route_id", sa.Integer, sa.ForeignKey("campaign_plan_routes.id"),
                  nullable=False),
        sa.Column("position", sa.SmallInteger, nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("arrives", sa.SmallInteger, nullable=False),
        sa.Column("departs", sa.SmallInteger, nullable=False),
        sa.Column("site_key", sa.String(40), nullable=True),
        sa.Column("place", sa.String(200), nullable=False),
        sa.Column("desa_code", sa.String(13), nullable=True),
        sa.Column("latitude", sa.Float, nullable=True),
        sa.Column("longitude", sa.Float, nullable=True),
        sa.Column("escort", sa.String(200), nullable=False),
        sa.Column("travel_metres", sa.Integer, nullable=False),
    )
    op.create_index("ix_campaign_plan_stops_route_id", "campaign_plan_stops", ["route_id"])
    op.create_table(
        "campaign_plan_people",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("campaign_plans.id"), nullable=False),
        sa.Column("stop_id", sa.Integer, sa.ForeignKey("campaign_plan_stops.id"), nullable=False),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("target_members.id"), nullable=False),
        sa.Column("list_id", sa.Integer, nullable=False),
        sa.Column("desa_code", sa.String(13), nullable=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("nik_masked", sa.String(20), nullable=False),
        sa.Column("category", sa.String(12), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("contact", sa.String(60), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("outcome_note", sa.String(200), nullable=True),
        sa.Column("outcome_by", sa.String(60), nullable=True),
        sa.Column("outcome_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_campaign_plan_people_stop_id", "campaign_plan_people", ["stop_id"])
    op.create_index("ix_campaign_plan_people_plan_member", "campaign_plan_people",
                    ["plan_id", "member_id"])
    op.create_table(
        "campaign_plan_left_out",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("campaign_plans.id"), nullable=False),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("target_members.id"), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("desa_code", sa.String(13), nullable=True),
        sa.Column("category", sa.String(12), nullable=False),
        sa.Column("weight", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
    )
    op.create_index("ix_campaign_plan_left_out_plan_id", "campaign_plan_left_out", ["plan_id"])


def downgrade() -> None:
    for table in ("campaign_plan_left_out", "campaign_plan_people", "campaign_plan_stops",
                  "campaign_plan_routes", "campaign_plans", "campaigns",
                  "outreach_office_counts", "outreach_holidays", "outreach_calendars",
                  "outreach_teams", "outreach_programmes"):
        op.drop_table(table)
