"""Passwords chosen by someone else are one-time: users.must_change_password.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing accounts keep working as they are; the flag applies from the next reset.
    op.add_column("users", sa.Column("must_change_password", sa.Boolean, nullable=False,
                                     server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("users", "must_change_password")
