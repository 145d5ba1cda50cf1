"""Drop school_students: school rosters live in rosters/roster_rows (0010) since issue 8.

Nothing writes or reads the table any more (jemput.rosters replaced `schools
import-roster`); leaving it would keep a second, silent place where student NIKs could
sit, which data minimisation (UU 27/2022) argues against. The downgrade recreates it
empty, as 0002 made it.

Revision ID: 0019
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_school_students_nik", table_name="school_students")
    op.drop_index("ix_school_students_school_id", table_name="school_students")
    op.drop_table("school_students")


def downgrade() -> None:
    op.create_table(
        "school_students",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("school_id", sa.Integer, sa.ForeignKey("schools.id"), nullable=False),
        sa.Column("nisn", sa.String(10), nullable=True),
        sa.Column("nik", sa.String(16), nullable=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("sex", sa.SmallInteger, nullable=False),
        sa.Column("birth_date", sa.Date, nullable=False),
        sa.Column("class_name", sa.String(40), nullable=True),
        sa.Column("special_needs", sa.String(60), nullable=True),
    )
    op.create_index("ix_school_students_school_id", "school_students", ["school_id"])
    op.create_index("ix_school_students_nik", "school_students", ["nik"])
