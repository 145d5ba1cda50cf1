"""Create care profiles, care incidents and referrals of vulnerable residents.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "care_profiles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=False),
        sa.Column("needs", sa.String(200), nullable=False),
        sa.Column("approaches", sa.String(200), nullable=False),
        sa.Column("need_notes", sa.Text, nullable=True),
        sa.Column("approach_notes", sa.Text, nullable=True),
        sa.Column("guardian_name", sa.String(120), nullable=True),
        sa.Column("guardian_relation", sa.String(60), nullable=True),
        sa.Column("guardian_phone", sa.String(20), nullable=True),
        sa.Column("consent", sa.String(14), nullable=False),
        sa.Column("consent_on", sa.Date, nullable=True),
        sa.Column("consent_by", sa.String(120), nullable=True),
        sa.Column("safety_notes", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(60), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(60), nullable=False),
        sa.UniqueConstraint("resident_id", name="uq_care_profiles_resident_id"),
    )
    op.create_table(
        "care_incidents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("profile_id", sa.Integer, sa.ForeignKey("care_profiles.id"), nullable=False),
        sa.Column("happened_on", sa.Date, nullable=False),
        sa.Column("what", sa.Text, nullable=False),
        sa.Column("who_present", sa.Text, nullable=True),
        sa.Column("follow_up", sa.Text, nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(60), nullable=False),
    )
    op.create_index("ix_care_incidents_profile_id", "care_incidents", ["profile_id"])
    op.create_table(
        "care_referrals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("resident_id", sa.Integer, sa.ForeignKey("residents.id"), nullable=True),
        sa.Column("person_name", sa.String(120), nullable=True),
        sa.Column("person_address", sa.String(200), nullable=True),
        sa.Column("person_phone", sa.String(20), nullable=True),
        sa.Column("desa_code", sa.String(13), sa.ForeignKey("regions.code"), nullable=False),
        sa.Column("needs", sa.String(200), nullable=False),
        sa.Column("approaches", sa.String(200), nullable=False),
        sa.Column("notes", sa.Text, nullable=True),
        sa.Column("referred_by_user_id", sa.Integer, nullable=False),
        sa.Column("referred_by", sa.String(60), nullable=False),
        sa.Column("referred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(60), nullable=True),
        sa.Column("decision_reason", sa.Text, nullable=True),
    )
    op.create_index("ix_care_referrals_resident_id", "care_referrals", ["resident_id"])
    op.create_index("ix_care_referrals_desa_code", "care_referrals", ["desa_code"])
    op.create_index("ix_care_referrals_referred_by_user_id", "care_referrals",
                    ["referred_by_user_id"])
    op.create_index("ix_care_referrals_status", "care_referrals", ["status"])


def downgrade() -> None:
    op.drop_table("care_referrals")
    op.drop_table("care_incidents")
    op.drop_table("care_profiles")
