"""Create resident_name_keys (name search) and jobs (background work); index existing names.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
ACTIVE = "status IN ('queued', 'running')"


def upgrade() -> None:
    op.create_table(
        "resident_name_keys",
        sa.Column(
            "resident_id",
            sa.Integer,
            sa.ForeignKey(
                "residents.id", ondelete="CASCADE",
                name="fk_resident_name_keys_resident_id_residents",
            ),
            nullable=False,
        ),
        sa.Column("position", sa.SmallInteger, nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("resident_id", "position", name="pk_resident_name_keys"),
    )
    op.create_index("ix_resident_name_keys_key", "resident_name_keys", ["key", "resident_id"])

    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("progress_done", sa.BigInteger, nullable=False),
        sa.Column("progress_total", sa.BigInteger, nullable=False),
        sa.Column("message", sa.Text, nullable=True),
        sa.Column("result", sa.JSON, nullable=True),
        sa.Column("dedupe_key", sa.String(64), nullable=True),
        sa.Column("created_by", sa.String(80), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("claimed_at", TZ, nullable=True),
        sa.Column("finished_at", TZ, nullable=True),
    )
    op.create_index("ix_jobs_status", "jobs", ["status", "id"])
    op.create_index(
        "uq_jobs_active_dedupe_key", "jobs", ["dedupe_key"], unique=True,
        sqlite_where=sa.text(ACTIVE), postgresql_where=sa.text(ACTIVE),
    )

    # Residents loaded before this revision need their keys, or search finds none of them.
    # The key function is the application's own: a later change to it ships with a
    # migration that calls this again.
    from jemput.residents.search import rebuild_name_keys

    with Session(bind=op.get_bind()) as session:
        rebuild_name_keys(session=session)


def downgrade() -> None:
    op.drop_index("uq_jobs_active_dedupe_key", table_name="jobs")
    op.drop_index("ix_jobs_status", table_name="jobs")
    op.drop_table("jobs")
    op.drop_index("ix_resident_name_keys_key", table_name="resident_name_keys")
    op.drop_table("resident_name_keys")
