"""Record sign-in attempts (throttling by account and address) and who minted each API token.

Revision ID: 0008
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TZ, nullable=False),
        # What was typed, lower-cased: it may name no account at all.
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("ip", sa.String(45), nullable=False),
        sa.Column("success", sa.Boolean, nullable=False),
        sa.Column("outcome", sa.String(20), nullable=False),
    )
    op.create_index("ix_login_attempts_at", "login_attempts", ["at"])
    op.create_index("ix_login_attempts_username_ip", "login_attempts", ["username", "ip"])
    op.create_index("ix_login_attempts_ip", "login_attempts", ["ip"])
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("created_by_user_id", sa.Integer, nullable=True))
        batch.add_column(sa.Column("created_by_name", sa.String(80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("created_by_name")
        batch.drop_column("created_by_user_id")
    op.drop_index("ix_login_attempts_ip", table_name="login_attempts")
    op.drop_index("ix_login_attempts_username_ip", table_name="login_attempts")
    op.drop_index("ix_login_attempts_at", table_name="login_attempts")
    op.drop_table("login_attempts")
