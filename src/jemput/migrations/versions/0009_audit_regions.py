"""Give audit entries the region they concern and the actor's region, for scoped auditors.

Existing rows are filled where the database still knows the answer: a wilayah entry
names its region, a resident entry its resident's desa, a user entry that user's scope,
and every entry by a known user that user's current scope. Entries written before this
revision carry unkeyed hashes that cover neither column; `jemput audit seal` re-chains
them under the audit key (see auth/audit.py).

Revision ID: 0009
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("region_code", sa.String(13), nullable=True))
        batch.add_column(sa.Column("actor_region", sa.String(13), nullable=True))
    op.create_index("ix_audit_log_region_code", "audit_log", ["region_code"])
    op.create_index("ix_audit_log_actor_region", "audit_log", ["actor_region"])
    # Plain SQL that reads the same on SQLite and PostgreSQL; no app code (it changes).
    op.execute(
        "UPDATE audit_log SET region_code = object_id "
        "WHERE object_type = 'wilayah' AND length(object_id) <= 13"
    )
    op.execute(
        "UPDATE audit_log SET region_code = (SELECT residents.desa_code FROM residents "
        "WHERE CAST(residents.id AS VARCHAR(20)) = audit_log.object_id) "
        "WHERE object_type = 'resident'"
    )
    op.execute(
        "UPDATE audit_log SET region_code = (SELECT users.scope_region FROM users "
        "WHERE CAST(users.id AS VARCHAR(20)) = audit_log.object_id) "
        "WHERE object_type = 'user'"
    )
    op.execute(
        "UPDATE audit_log SET actor_region = (SELECT users.scope_region FROM users "
        "WHERE users.id = audit_log.actor_user_id) "
        "WHERE actor_user_id IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_audit_log_actor_region", table_name="audit_log")
    op.drop_index("ix_audit_log_region_code", table_name="audit_log")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("actor_region")
        batch.drop_column("region_code")
