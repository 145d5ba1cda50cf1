"""Shared fixtures: one migrated database per test run, on SQLite or PostgreSQL.

`JEMPUT_TEST_DB=postgresql` runs the whole suite on PostgreSQL (the Makefile runs it
both ways). The database is created for the run, built by the Alembic migrations,
and dropped afterwards. A PostgreSQL run that cannot connect fails; it never skips.
"""

from __future__ import annotations

import functools
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import typer.testing
import uvicorn
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from jemput import db, migrate
from jemput.auth import passwords
from jemput.config import Settings, get_settings
from jemput.models_registry import import_all_models
from jemput.regions import service as regions
from jemput.web import create_app

# Production is the default; the suite runs as a developer does (development secret,
# cookies without Secure). Set before any Settings is read, whatever the shell says.
os.environ["JEMPUT_ENVIRONMENT"] = "development"

# Personas and signed-in clients live in one place for every test folder.
pytest_plugins = ["tests.personas"]

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
KEPT_TABLES = {"regions", "alembic_version"}


def _backend() -> str:
    return os.environ.get("JEMPUT_TEST_DB", "sqlite")


def pytest_report_header(config: pytest.Config) -> str:
    return f"jemput test database: {_backend()}"


# Argon2id at its lowest cost. The suite signs in well over a thousand times, and the
# production profile (RFC 9106 low memory: 64 MiB, three passes) spends 0.1-0.5 s of a
# core on each. The real Argon2id code still runs on every sign-in; the production
# profile itself is checked by tests/auth/test_passwords.py against PRODUCTION_HASHER.
QUICK_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PRODUCTION_HASHER = passwords._hasher


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashing() -> Iterator[None]:
    saved = passwords._hasher, passwords._DUMMY_HASH
    passwords._hasher = QUICK_HASHER
    passwords._DUMMY_HASH = QUICK_HASHER.hash(uuid.uuid4().hex)
    yield
    passwords._hasher, passwords._DUMMY_HASH = saved


# typer's CliRunner turns the Typer app into a Click command on every invoke, reading the
# signatures of all ~150 commands again (13 % of tests/targets' time). The app does not
# change during a run, so the command is made once per app; invoking it is unchanged.
typer.testing._get_command = functools.cache(typer.testing._get_command)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if _backend() == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'jemput-test.sqlite'}"
        db.dispose_engines()
        return
    admin_url = make_url(os.environ.get("JEMPUT_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    name = f"jemput_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # any connection failure must stop the run loudly
        pytest.exit(f"PostgreSQL test run cannot reach {admin_url!r}: {error}", returncode=3)
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        db.dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def migrated_database(database_url: str) -> str:
    """Build the schema by running the migrations, then load the demo regency's regions."""
    os.environ["JEMPUT_DATABASE_URL"] = database_url
    get_settings.cache_clear()
    migrate.upgrade(database_url)
    with db.unit_of_work(database_url) as session:
        regions.load_packaged_regions(session=session)
    return database_url


BIG_TABLE = 2000  # rows from which TRUNCATE beats DELETE on PostgreSQL


def _truncate(url: str) -> None:
    """Empty what the test filled, and restart the ids it drew.

    Only the tables that hold rows are emptied: TRUNCATE of all forty tables costs
    PostgreSQL most of a second per test (new files for each), which over the suite was
    a third of the whole run. On PostgreSQL every sequence drawn from (by a kept row or by
    an insert that was rolled back) is restarted, so every test starts with ids from 1.
    """
    import_all_models()
    engine = db.get_engine(url)
    tables = [t for t in db.Base.metadata.sorted_tables if t.name not in KEPT_TABLES]
    with engine.begin() as connection:
        # Each filled table with its row count, counted no further than BIG_TABLE.
        counts = dict(connection.execute(text(" UNION ALL ".join(
            f"SELECT '{t.name}', (SELECT count(*) FROM (SELECT 1 FROM \"{t.name}\" "
            f"LIMIT {BIG_TABLE}) AS rows_) WHERE EXISTS (SELECT 1 FROM \"{t.name}\")"
            for t in tables
        ))).all())
        filled = set(counts)
        # A test leaves a few rows: DELETE them, children first. TRUNCATE makes new files
        # for each table and index (50-200 ms a test on PostgreSQL), which pays only for
        # the big tables a demo load or a large import leaves.
        postgresql = connection.dialect.name == "postgresql"
        big = {name for name, count in counts.items() if count >= BIG_TABLE and postgresql}
        if big:
            names = ", ".join(f'"{name}"' for name in sorted(big))
            connection.execute(text(f"TRUNCATE {names} CASCADE"))
        for table in reversed(tables):
            if table.name in filled - big:
                connection.execute(table.delete())
        if postgresql:
            # A sequence belongs to its table's id column; the kept tables keep theirs.
            drawn = connection.execute(text(
                "SELECT quote_ident(s.schemaname) || '.' || quote_ident(s.sequencename), "
                "owner.relname FROM pg_sequences s "
                "JOIN pg_class sequence ON sequence.relname = s.sequencename "
                "JOIN pg_depend d ON d.objid = sequence.oid AND d.deptype IN ('a', 'i') "
                "JOIN pg_class owner ON owner.oid = d.refobjid "
                "WHERE s.last_value IS NOT NULL")).all()
            for sequence, owner in drawn:
                if owner not in KEPT_TABLES:
                    connection.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))


@pytest.fixture(autouse=True)
def jemput_env(
    migrated_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """Point every test at the test database and a fresh data folder; empty it afterwards."""
    monkeypatch.setenv("JEMPUT_DATABASE_URL", migrated_database)
    monkeypatch.setenv("JEMPUT_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    yield migrated_database
    get_settings.cache_clear()
    _truncate(migrated_database)


@pytest.fixture
def session(migrated_database: str) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    engine = db.get_engine(migrated_database)
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving_in_thread(settings: Settings) -> Iterator[str]:
    """Serve the app for `settings` with uvicorn in a thread; yield its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_server(migrated_database: str, tmp_path: Path) -> Iterator[str]:
    """Serve the app with uvicorn in a thread; yield its base URL."""
    settings = Settings(database_url=migrated_database, environment="development",
                        data_dir=tmp_path / "var")
    with serving_in_thread(settings) as base:
        yield base


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of its own on this run's backend, for tests that migrate by hand."""
    if _backend() == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite'}"
        return
    # Created and dropped as database_url does, beside the run's shared database.
    admin_url = make_url(os.environ.get("JEMPUT_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    name = f"jemput_fresh_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        db.get_engine(url).dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
