"""Create target lists, their members and the members' history.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "target_lists",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("rule", sa.String(30), nullable=False),
        sa.Column("params", sa.Text, nullable=False),
        sa.Column("area_code", sa.String(13), sa.ForeignKey("regions.code"), nullable=False),
        sa.Column("institution_npsn", sa.String(12), nullable=True),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_target_lists_area_code", "target_lists", ["area_code"])
    op.create_table(
        "target_members",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("list_id", sa.Integer, sa.ForeignKey("target_lists.id"), nullable=False),
        sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=True),
        sa.Column("roster_row_id", sa.Integer, sa.ForeignKey("roster_rows.id"), nullable=True),
        sa.Column("desa_code", sa.String(13), nullable=True),
        sa.Column("reason_id", sa.String(200), nullable=False),
        sa.Column("reason_en", sa.String(200), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("in_rule", sa.Boolean, nullable=False),
        sa.Column("assigned_user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("assigned_team", sa.String(60), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("list_id", "resident_id", name="uq_target_members_resident"),
        sa.UniqueConstraint("list_id", "roster_row_id", name="uq_target_members_roster_row"),
    )
    op.create_index("ix_target_members_list_state", "target_members", ["list_id", "state"])
    op.create_index("ix_target_members_resident_id", "target_members", ["resident_id"])
    op.create_index("ix_target_members_desa_code", "target_members", ["desa_code"])
    op.create_index("ix_target_members_assigned_user_id", "target_members",
                    ["assigned_user_id"])
    op.create_index("ix_target_members_assigned_team", "target_members", ["assigned_team"])
    op.create_table(
        "target_member_history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("target_members.id"),
                  nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
        sa.Column("actor_name", sa.String(60), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("old_state", sa.String(10), nullable=True),
        sa.Column("new_state", sa.String(10), nullable=True),
        sa.Column("outcome", sa.String(20), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
    )
    op.create_index("ix_target_member_history_member_id", "target_member_history",
                    ["member_id"])


def downgrade() -> None:
    op.drop_table("target_member_history")
    op.drop_table("target_members")
    op.drop_table("target_lists")
