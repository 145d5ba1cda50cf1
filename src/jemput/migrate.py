"""Run Alembic migrations programmatically: the only way the schema is built."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection

from jemput.config import get_settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Alembic's config is an ini parser: a literal % in a password must be doubled.
    escaped = (url or get_settings().database_url).replace("%", "%%")
    config.set_main_option("sqlalchemy.url", escaped)
    return config


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the database at `url` up to `revision`, then refresh data derived from code."""
    command.upgrade(alembic_config(url), revision)
    if revision == "head":
        _refresh_derived_data(url)


def _refresh_derived_data(url: str | None) -> None:
    # The search keys are computed by code, not stored by a migration: when their rules
    # change, a registry indexed by the old rules is reindexed here (a no-op otherwise).
    from jemput.db import unit_of_work
    from jemput.reports.coverage_counts import count_uncounted
    from jemput.residents.search import refresh_name_keys

    with unit_of_work(url) as session:
        refresh_name_keys(session=session)
        # Desas that had residents before coverage counts were kept (migration 0021).
        count_uncounted(session=session)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def schema_state(connection: Connection) -> str:
    """Where the database's schema stands against this code's migrations.

    "current": at the head; "empty": never migrated; "behind": migrations are pending
    (`jemput db upgrade`); "ahead": stamped by a revision this code does not know, i.e.
    upgraded by a newer Jemput, which this code must not serve.
    """
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    stamped = set(MigrationContext.configure(connection).get_current_heads())
    if not stamped:
        return "empty"
    if stamped == set(script.get_heads()):
        return "current"
    for revision in stamped:
        try:
            script.get_revision(revision)
        except CommandError:
            return "ahead"
    return "behind"
