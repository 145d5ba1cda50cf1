"""/readyz: ready only when the database answers and its schema is this code's."""

from __future__ import annotations

import os
import subprocess
import sys

from fastapi.testclient import TestClient
from sqlalchemy import text

from jemput import db, migrate
from jemput.config import Settings
from jemput.web import create_app


def _ready(url: str):
    # No lifespan (no job worker): only the endpoint itself touches the database.
    app = create_app(Settings(database_url=url, environment="development"))
    return TestClient(app).get("/readyz")


def test_a_migrated_database_is_ready_without_signing_in(anonymous):
    response = anonymous.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "siap", "database": "ok", "migrations": "mutakhir"}


def test_an_empty_database_is_not_ready_and_says_to_run_the_migrations(fresh_database_url):
    response = _ready(fresh_database_url)
    assert response.status_code == 503
    assert response.json()["migrations"] == "empty"
    assert "jemput db upgrade" in response.json()["pesan"]


def test_pending_migrations_are_not_ready(fresh_database_url):
    migrate.upgrade(fresh_database_url, "0020")
    response = _ready(fresh_database_url)
    assert response.status_code == 503
    assert response.json()["migrations"] == "behind"
    assert "jemput db upgrade" in response.json()["pesan"]


def test_a_database_upgraded_by_a_newer_jemput_is_refused(fresh_database_url):
    migrate.upgrade(fresh_database_url)
    with db.get_engine(fresh_database_url).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_later'"))
    response = _ready(fresh_database_url)
    assert response.status_code == 503
    assert response.json()["migrations"] == "ahead"
    assert "versi yang lebih baru" in response.json()["pesan"]


def test_a_database_that_does_not_answer_is_not_ready_and_no_address_is_told():
    response = _ready("postgresql+psycopg://jemput:rahasia@127.0.0.1:1/jemput")
    assert response.status_code == 503
    assert response.json() == {"status": "tidak siap", "database": "tidak menjawab"}
    assert "127.0.0.1" not in response.text and "rahasia" not in response.text


def test_serve_refuses_a_database_upgraded_by_a_newer_jemput(fresh_database_url, tmp_path):
    migrate.upgrade(fresh_database_url)
    with db.get_engine(fresh_database_url).begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999_later'"))
    env = os.environ | {"JEMPUT_DATABASE_URL": fresh_database_url,
                        "JEMPUT_DATA_DIR": str(tmp_path / "var"),
                        "JEMPUT_ENVIRONMENT": "development"}
    # A timeout, not a time limit: a serve that did not refuse would run until stopped.
    ran = subprocess.run([sys.executable, "-m", "jemput.cli", "serve", "--port", "0"],
                         env=env, capture_output=True, text=True, timeout=120, check=False)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert "versi yang lebih baru" in ran.stderr
