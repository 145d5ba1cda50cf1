"""Run Alembic migrations programmatically: the only way the schema is built."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

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
    """Bring the database at `url` up to `revision`."""
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)
