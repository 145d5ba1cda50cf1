"""Data date per desa and per status change; room for every NIK warning.

- desa_data_dates: the date of the newest export that covered each desa, so an older
  export can be refused and figures can say how current they are. Filled from the
  imports already applied (each desa: the newest applied import that last wrote one of
  its residents).
- resident_status_history.data_date: the date a change is known to hold (the export's
  date, or the day of a manual change); history is read in that order.
- residents.nik_warning: varchar(40) -> varchar(200) on PostgreSQL; "jenis kelamin dan
  tanggal lahir berbeda dengan NIK" is 50 characters and aborted a whole import there.

Revision ID: 0007
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "desa_data_dates",
        sa.Column("desa_code", sa.String(13),
                  sa.ForeignKey("regions.code", name="fk_desa_data_dates_desa_code_regions"),
                  nullable=False),
        sa.Column("data_date", sa.Date, nullable=False),
        sa.Column("import_id", sa.Integer,
                  sa.ForeignKey("import_runs.id", name="fk_desa_data_dates_import_id_import_runs"),
                  nullable=False),
        sa.PrimaryKeyConstraint("desa_code", name="pk_desa_data_dates"),
    )
    op.execute(
        """
        INSERT INTO desa_data_dates (desa_code, data_date, import_id)
        SELECT r.desa_code, MAX(i.data_date), MAX(i.id)
        FROM residents r JOIN import_runs i ON i.id = r.last_import_id
        WHERE i.outcome = 'applied'
        GROUP BY r.desa_code
        """
    )

    op.add_column("resident_status_history", sa.Column("data_date", sa.Date, nullable=True))
    op.execute(
        """
        UPDATE resident_status_history SET data_date =
            (SELECT i.data_date FROM import_runs i WHERE i.id = resident_status_history.import_id)
        WHERE import_id IS NOT NULL
        """
    )
    # A manual change holds from the day it was made (the office's calendar is close
    # enough to UTC's for history that predates this column).
    sqlite = op.get_bind().dialect.name == "sqlite"
    day = "date(changed_at)" if sqlite else "CAST(changed_at AS DATE)"
    op.execute(f"UPDATE resident_status_history SET data_date = {day} WHERE data_date IS NULL")
    with op.batch_alter_table("resident_status_history") as batch:
        batch.alter_column("data_date", existing_type=sa.Date, nullable=False)

    # PostgreSQL only: SQLite never enforces a VARCHAR length, and changing the declared
    # type there means rebuilding `residents`, which its foreign keys forbid once it has
    # rows. The model declares the same split (residents/models.py).
    if not sqlite:
        op.alter_column("residents", "nik_warning", existing_type=sa.String(40),
                        type_=sa.String(200), existing_nullable=True)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        # Longer warnings would not fit back: keep their first 40 characters.
        op.alter_column("residents", "nik_warning", existing_type=sa.String(200),
                        type_=sa.String(40), existing_nullable=True,
                        postgresql_using="substr(nik_warning, 1, 40)")
    with op.batch_alter_table("resident_status_history") as batch:
        batch.drop_column("data_date")
    op.drop_table("desa_data_dates")
