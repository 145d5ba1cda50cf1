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
    # Region codes, comma-separated: the coverage set, in which "missing" is decided.
    op.add_column("import_runs", sa.Column("coverage", sa.Text, nullable=True))
    # The region prefix the uploader may write (their scope, or the regency).
    op.add_column("import_runs", sa.Column("scope_region", sa.String(13), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+), not batch mode: rebuilding import_runs would drop a
    # table that residents' foreign keys point at, which SQLite refuses once it has rows.
    op.drop_column("import_runs", "scope_region")
    op.drop_column("import_runs", "coverage")
