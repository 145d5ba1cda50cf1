"""Keys and helpers for the backup tests: every step goes through the `jemput` CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

from jemput.cli import app
from jemput.config import get_settings


def jemput(*arguments: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in arguments])


def new_key(path: Path) -> str:
    """Make an identity file with `jemput backup kunci-baru`; return its public recipient."""
    result = jemput("backup", "kunci-baru", "--ke", path)
    assert result.exit_code == 0, result.output
    assert path.stat().st_mode & 0o777 == 0o600  # the private key: its owner's only
    return result.output.strip().splitlines()[-1]


@pytest.fixture
def recipient(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The server's public key (JEMPUT_BACKUP_RECIPIENT); its identity is tmp_path/kunci.txt."""
    public = new_key(tmp_path / "kunci.txt")
    monkeypatch.setenv("JEMPUT_BACKUP_RECIPIENT", public)
    get_settings.cache_clear()
    return public


def point_at(monkeypatch: pytest.MonkeyPatch, *, database_url: str, data_dir: Path) -> None:
    """Make the next commands use another database and data folder (the restoring server)."""
    monkeypatch.setenv("JEMPUT_DATABASE_URL", database_url)
    monkeypatch.setenv("JEMPUT_DATA_DIR", str(data_dir))
    get_settings.cache_clear()


def table_names(url: str) -> list[str]:
    """The tables in the database at `url` ([] for a SQLite file that does not exist)."""
    if make_url(url).get_backend_name() == "sqlite":
        path = make_url(url).database
        if not path or not Path(path).exists():
            return []
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return inspect(connection).get_table_names()
    finally:
        engine.dispose()
