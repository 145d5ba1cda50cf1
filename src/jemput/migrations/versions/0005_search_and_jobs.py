"""Create resident_name_keys (name search) and jobs (background work); index existing names.

Revision ID: 0005
Revises: 0004
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

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
    _index_existing_names(op.get_bind())


# --- frozen copy of residents/search.py's word keys as of this revision ---------------
# A migration must give the same result whatever the application code says later, so
# the key function is copied here rather than imported. A later change to the live
# function ships with a migration of its own that re-indexes the names.
_KEY_LENGTH = 40
_BATCH = 5000
_WORD = re.compile(r"[a-z]+")
_DOUBLED = re.compile(r"(.)\1+")
_DIGRAPHS = (
    ("oe", "u"), ("dj", "j"), ("tj", "c"), ("ch", "h"), ("kh", "h"),
    ("dz", "z"), ("th", "t"), ("dh", "d"), ("ph", "f"), ("ae", "ai"),
)
_LETTERS = str.maketrans({"j": "i", "y": "i", "q": "k", "v": "f", "z": "s", "x": "ks",
                          "o": "u", "h": None})


def _name_keys(name: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    keys = []
    for word in _WORD.findall(re.sub(r"['`]", "", plain)):
        for old, new in _DIGRAPHS:
            word = word.replace(old, new)
        word = _DOUBLED.sub(r"\1", word.translate(_LETTERS))
        if word.endswith("d"):
            word = word[:-1] + "t"
        if word[:_KEY_LENGTH]:
            keys.append(word[:_KEY_LENGTH])
    return keys


def _index_existing_names(connection: sa.Connection) -> None:
    residents = sa.table("residents", sa.column("id", sa.Integer), sa.column("name", sa.String))
    keys = sa.table("resident_name_keys", sa.column("resident_id", sa.Integer),
                    sa.column("position", sa.SmallInteger), sa.column("key", sa.String))
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(residents.c.id, residents.c.name)
            .where(residents.c.id > last_id).order_by(residents.c.id).limit(_BATCH)
        ).all()
        if not rows:
            return
        batch = [
            {"resident_id": resident_id, "position": position, "key": key}
            for resident_id, name in rows
            for position, key in enumerate(_name_keys(name or ""))
        ]
        if batch:
            connection.execute(sa.insert(keys), batch)
        last_id = rows[-1][0]


def downgrade() -> None:
    op.drop_index("uq_jobs_active_dedupe_key", table_name="jobs")
    op.drop_index("ix_jobs_status", table_name="jobs")
    op.drop_table("jobs")
    op.drop_index("ix_resident_name_keys_key", table_name="resident_name_keys")
    op.drop_table("resident_name_keys")
