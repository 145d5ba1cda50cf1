"""`jemput db pindah`: an office's SQLite registry moves to PostgreSQL whole, or not at all.

It needs both databases, so it runs in the SQLite run (the source is that run's
database) against a PostgreSQL database made for it. Where CI runs it (CI=true), a
PostgreSQL that does not answer fails the test; it never passes by skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import MetaData, Table, create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from jemput import db
from jemput.cli import app
from jemput.config import get_settings
from jemput.db import unit_of_work
from jemput.jobs import service as jobs
from jemput.jobs.models import Job
from jemput.models_registry import import_all_models
from jemput.outreach.settings_file import DEMO_FILE
from tests.conftest import DEFAULT_POSTGRES_URL

runner = CliRunner()

pytestmark = pytest.mark.skipif(
    os.environ.get("JEMPUT_TEST_DB", "sqlite") != "sqlite",
    reason="moves the SQLite run's database to PostgreSQL: runs once, in the SQLite run")


@contextmanager
def empty_postgres_database() -> Iterator[str]:
    admin_url = make_url(os.environ.get("JEMPUT_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    name = f"jemput_pindah_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
            # An office server's clock zone: a timestamp handed over without its offset
            # would be read as WIB, seven hours off.
            connection.execute(text(f"ALTER DATABASE \"{name}\" SET timezone TO 'Asia/Jakarta'"))
    except Exception as error:
        admin.dispose()
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {admin_url!r} does not answer: {error}")
        pytest.skip(f"no PostgreSQL at {admin_url!r} (required when CI=true)")
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        db.dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def invoke(*args: str, database_url: str | None = None) -> Any:
    if database_url:
        os.environ["JEMPUT_DATABASE_URL"] = database_url
    get_settings.cache_clear()
    return runner.invoke(app, list(args))


def _fill_the_registry(client_for) -> None:
    loaded = invoke("demo", "load", "--seed", "3", "--scale", "0.002", "--tanpa-daftar")
    assert loaded.exit_code == 0, loaded.output
    client_for("admin").get("/akun")  # users, a session, audit entries
    assert invoke("targets", "create", "--rule", "belum-rekam", "--area", "33.06",
                  "--name", "Belum rekam", "--owner", "operator").exit_code == 0
    assert invoke("campaigns", "load-settings", str(DEMO_FILE), "--as", "operator"
                  ).exit_code == 0
    with unit_of_work() as session:
        jobs.enqueue(session=session, kind="import", payload={"file": "x.csv", "n": [1, 2]},
                     created_by="test")


def _instant(value: Any) -> Any:
    # SQLite hands back the UTC timestamps Jemput wrote without their offset.
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value


def _all_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in key order, read with the app's own column types."""
    import_all_models()
    engine = create_engine(url)
    reflected = MetaData()
    reflected.reflect(bind=engine)
    rows = {}
    with engine.connect() as connection:
        for name, found in reflected.tables.items():
            table: Table = db.Base.metadata.tables.get(name, found)
            key = list(table.primary_key.columns) or list(table.columns)
            rows[name] = [tuple(map(_instant, r))
                          for r in connection.execute(select(table).order_by(*key))]
    engine.dispose()
    return rows


def test_a_registry_moves_to_postgresql_with_every_row_and_id(client_for, migrated_database):
    _fill_the_registry(client_for)
    source = _all_rows(migrated_database)
    filled = [name for name, rows in source.items() if rows]
    assert len(filled) >= 25, filled  # data in most tables, not a token few
    with empty_postgres_database() as target:
        moved = invoke("db", "pindah", "--ke", target)
        assert moved.exit_code == 0, moved.output
        assert _all_rows(target) == source
        # The chain verifies where it now lives, and new rows follow the copied ids.
        assert invoke("audit", "verify", database_url=target).exit_code == 0
        with unit_of_work(target) as session:
            new_job = jobs.enqueue(session=session, kind="import", payload={}, created_by="t")
            assert new_job.id == max(row[0] for row in source[Job.__tablename__]) + 1
        # A target that is not empty is refused, and left as it was.
        again = invoke("db", "pindah", "--ke", target, database_url=migrated_database)
        assert again.exit_code == 1 and "tidak kosong" in again.output


def test_a_move_that_fails_halfway_leaves_the_target_empty(migrated_database):
    # SQLite keeps a name longer than its column allows; PostgreSQL refuses it, mid-copy.
    engine = create_engine(migrated_database)
    update = text("UPDATE regions SET name = :name WHERE code = '33.06.01.2001'")
    with engine.begin() as connection:
        name = connection.scalar(text("SELECT name FROM regions WHERE code = '33.06.01.2001'"))
        connection.execute(update, {"name": "X" * 300})
    with empty_postgres_database() as target:
        failed = invoke("db", "pindah", "--ke", target, database_url=migrated_database)
        assert failed.exit_code == 1
        assert "regions" in failed.output and "kosong" in failed.output
        check = create_engine(target)
        assert inspect(check).get_table_names() == []
        check.dispose()
    with engine.begin() as connection:
        connection.execute(update, {"name": name})
    engine.dispose()


def test_a_source_behind_the_code_is_not_moved(tmp_path):
    from jemput import migrate

    behind = f"sqlite:///{tmp_path / 'lama.sqlite'}"
    migrate.upgrade(behind, "0020")
    with empty_postgres_database() as target:
        refused = invoke("db", "pindah", "--ke", target, database_url=behind)
        assert refused.exit_code == 1
        assert "jemput db upgrade" in refused.output
    assert invoke("db", "pindah", "--ke", behind).exit_code == 1  # SQLite is no target
