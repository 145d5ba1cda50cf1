"""Record on each import run the areas it spoke for and the scope it was run with.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot drop a column in place on downgrade.
    with op.batch_alter_table("import_runs") as batch:
        # Region codes, comma-separated: the coverage set, in which "missing" is decided.
        batch.add_column(sa.Column("coverage", sa.Text, nullable=True))
        # The region prefix the uploader may write (their scope, or the regency).
        batch.add_column(sa.Column("scope_region", sa.String(13), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_runs") as batch:
        batch.drop_column("scope_region")
        batch.drop_column("coverage")
