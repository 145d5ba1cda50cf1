"""Migration 0007 on a registry that already holds imports: every desa and change gets a date."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from jemput import db, migrate
from tests.conftest import DEFAULT_POSTGRES_URL

TIME = "2026-07-01 10:00:00+00:00"


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A database of its own on the backend under test, so the shared one stays at head."""
    if os.environ.get("JEMPUT_TEST_DB", "sqlite") == "sqlite":
        yield f"sqlite:///{tmp_path / 'm0007.sqlite'}"
        db.dispose_engines()
        return
    admin_url = make_url(os.environ.get("JEMPUT_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL))
    name = f"jemput_m0007_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        db.dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrading_a_loaded_registry_dates_each_desa_and_each_status_change(empty_database):
    migrate.upgrade(empty_database, revision="0005")
    engine = create_engine(empty_database)
    with engine.begin() as c:
        c.execute(text(
            "INSERT INTO regions (code, name, level, parent_code) VALUES "
            "('33', 'JAWA TENGAH', 'province', NULL), ('33.06', 'PURWOREJO', 'regency', '33'),"
            "('33.06.01', 'GRABAG', 'district', '33.06'),"
            "('33.06.01.2001', 'KETAWANGREJO', 'village', '33.06.01')"))
        c.execute(text(
            "INSERT INTO import_runs (id, file_name, file_sha256, layout, data_date, started_at,"
            " outcome, accept_valid, rows_read, rows_rejected, rows_warned, inserted, updated,"
            " unchanged, status_changes, disappeared) VALUES (1, 'siak.csv', 'x', 'siak',"
            " '2026-06-30', :at, 'applied', false, 1, 0, 0, 1, 0, 0, 1, 0)"), {"at": TIME})
        c.execute(text(
            "INSERT INTO residents (id, nik, name, sex, birth_date, marital_status, citizenship,"
            " has_itap, desa_code, bedridden, odgj, life_status, ktp_status, first_import_id,"
            " last_import_id, updated_at) VALUES (1, '3306010101900001', 'WARGA', 1,"
            " '1990-01-01', 1, 'WNI', false, '33.06.01.2001', false, false, 'hidup',"
            " 'BIO_CAPTURED', 1, 1, :at)"), {"at": TIME})
        c.execute(text(
            "INSERT INTO resident_status_history (resident_id, old_status, new_status,"
            " changed_at, source, import_id) VALUES"
            " (1, NULL, 'UNREGISTERED', :at, 'import', 1),"
            " (1, 'UNREGISTERED', 'BIO_CAPTURED', '2026-07-05 08:30:00+00:00', 'manual', NULL)"),
            {"at": TIME})
    migrate.upgrade(empty_database)
    with engine.connect() as c:
        desa = c.execute(text("SELECT desa_code, data_date, import_id FROM desa_data_dates")).all()
        history = c.execute(text(
            "SELECT new_status, data_date FROM resident_status_history ORDER BY id")).all()
    engine.dispose()
    as_date = [(status, date.fromisoformat(str(day))) for status, day in history]
    assert [(code, str(day), run) for code, day, run in desa] == [
        ("33.06.01.2001", "2026-06-30", 1)]
    assert as_date == [("UNREGISTERED", date(2026, 6, 30)), ("BIO_CAPTURED", date(2026, 7, 5))]
    migrate.downgrade(empty_database, "0005")
    migrate.upgrade(empty_database)
