"""Upgrading an office's registry from the first migration to this code's keeps every record.

The registry is built by migration 0001 and filled the way that version wrote it (plain
SQL for that schema); users and the audit log came with 0003, so they are added there,
the log chained with the plain SHA-256 of that time. Then `jemput db upgrade`, as the
README's upgrade steps say, and everything is checked against what was written.
"""

from __future__ import annotations

import hashlib
import json
import os

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text
from typer.testing import CliRunner

from jemput import migrate
from jemput.auth import passwords
from jemput.auth.models import AuditEntry, User
from jemput.cli import app
from jemput.config import Settings, get_settings
from jemput.db import is_sqlite, unit_of_work
from jemput.residents.models import Resident
from jemput.web import create_app
from tests.personas import sign_in

runner = CliRunner()
DESA = "33.06.01.2001"
PEOPLE = [  # nik, name, sex, birth date, ktp status
    ("3306014506900001", "SITI AMINAH", 2, "1990-06-05", "CARD_ISSUED"),
    ("3306011203850002", "BUDI SANTOSO", 1, "1985-03-12", "UNREGISTERED"),
    ("3306016707080003", "DEWI LESTARI", 2, "2008-07-27", None),
]
PASSWORD = "Kuda-lumping-7"


def _at(url: str, clock: str) -> str:
    # A timestamp as that version stored it: SQLite without an offset (UTC), PostgreSQL with.
    return clock if is_sqlite(url) else clock + "+00:00"


def _old_hash(entry_id: int, at: str, actor_id: int | None, actor: str, action: str,
              detail: str, prev: str) -> str:
    """The unkeyed audit hash of 0003's time: SHA-256 of the entry's fields as JSON."""
    fields = [entry_id, at, actor_id, actor, action, None, None, detail, None, prev]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
                          .encode("utf-8")).hexdigest()


def _fill_at_0001(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text(
            "INSERT INTO regions (code, name, level, parent_code) VALUES "
            "('33', 'JAWA TENGAH', 'province', NULL), ('33.06', 'PURWOREJO', 'regency', '33'),"
            "('33.06.01', 'GRABAG', 'district', '33.06'),"
            f"('{DESA}', 'KETAWANGREJO', 'village', '33.06.01')"))
        c.execute(text(
            "INSERT INTO import_runs (id, file_name, file_sha256, layout, data_date, started_at,"
            " outcome, accept_valid, rows_read, rows_rejected, rows_warned, inserted, updated,"
            " unchanged, status_changes, disappeared) VALUES (1, 'siak.csv', 'x', 'siak',"
            " '2026-06-30', :at, 'applied', :no, 3, 0, 0, 3, 0, 0, 3, 0)"),
            {"at": _at(url, "2026-07-01 10:00:00"), "no": False})
        for number, (nik, name, sex, born, status) in enumerate(PEOPLE, start=1):
            c.execute(text(
                "INSERT INTO residents (id, nik, name, sex, birth_date, marital_status,"
                " citizenship, has_itap, desa_code, bedridden, odgj, life_status, ktp_status,"
                " first_import_id, last_import_id, updated_at) VALUES (:id, :nik, :name, :sex,"
                " :born, 1, 'WNI', :no, :desa, :no, :no, 'hidup', :status, 1, 1, :at)"),
                {"id": number, "nik": nik, "name": name, "sex": sex, "born": born,
                 "status": status, "desa": DESA, "no": False,
                 "at": _at(url, "2026-07-01 10:00:00")})
            c.execute(text(
                "INSERT INTO resident_status_history (resident_id, old_status, new_status,"
                " changed_at, source, import_id) VALUES (:id, NULL, :status, :at, 'import', 1)"),
                {"id": number, "status": status, "at": _at(url, "2026-07-01 10:00:00")})
    engine.dispose()


def _fill_at_0003(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as c:
        c.execute(text(
            "INSERT INTO users (id, username, full_name, role, scope_region, password_hash,"
            " is_active, failed_logins, password_changed_at, locale, created_at) VALUES"
            " (1, 'admin', 'Admin Purworejo', 'admin', '33.06', :hash, :yes, 0, :at, 'id', :at)"),
            {"hash": passwords.hash_password(PASSWORD), "yes": True,
             "at": _at(url, "2026-07-01 09:00:00")})
        prev = "0" * 64
        for entry_id, action in enumerate(("user.create", "import.apply", "resident.view"), 1):
            clock = f"2026-07-01 10:0{entry_id}:00"
            detail = json.dumps({"langkah": entry_id})
            digest = _old_hash(entry_id, f"2026-07-01T10:0{entry_id}:00.000000Z", 1, "admin",
                               action, detail, prev)
            c.execute(text(
                "INSERT INTO audit_log (id, at, actor_user_id, actor_name, action, object_type,"
                " object_id, detail, ip, prev_hash, hash) VALUES (:id, :at, 1, 'admin',"
                " :action, NULL, NULL, :detail, NULL, :prev, :hash)"),
                {"id": entry_id, "at": _at(url, clock), "action": action, "detail": detail,
                 "prev": prev, "hash": digest})
            prev = digest
    engine.dispose()


def _invoke(url: str, *args: str):
    os.environ["JEMPUT_DATABASE_URL"] = url
    get_settings.cache_clear()
    return runner.invoke(app, list(args))


def test_a_registry_from_the_first_migration_upgrades_with_nothing_lost(
        fresh_database_url, migrated_database):
    url = fresh_database_url
    migrate.upgrade(url, "0001")
    _fill_at_0001(url)
    migrate.upgrade(url, "0003")
    _fill_at_0003(url)
    try:
        upgraded = _invoke(url, "db", "upgrade")
        assert upgraded.exit_code == 0, upgraded.output
        with unit_of_work(url) as session:
            residents = session.execute(select(
                Resident.nik, Resident.name, Resident.sex, Resident.birth_date,
                Resident.ktp_status, Resident.desa_code).order_by(Resident.id)).all()
            users = session.scalars(select(User.username)).all()
            audit_actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)
                                            ).all()
        assert [(nik, name, sex, str(born), status) for nik, name, sex, born, status, _ in
                residents] == PEOPLE
        assert {desa for *_, desa in residents} == {DESA}
        assert users == ["admin"]
        assert audit_actions == ["user.create", "import.apply", "resident.view"]
        # The old log is intact; sealing it under the audit key is the documented next step.
        first = _invoke(url, "audit", "verify")
        assert first.exit_code == 1 and "jemput audit seal" in first.output
        assert _invoke(url, "audit", "seal").exit_code == 0
        verified = _invoke(url, "audit", "verify")
        assert verified.exit_code == 0 and "utuh: 4 entri" in verified.output
        check = _invoke(url, "check", "--json")
        assert json.loads(check.output)["facts"]["migrasi"] == "current"
        # The old account still signs in with its old password.
        with TestClient(create_app(Settings(database_url=url, environment="development"))
                        ) as client:
            sign_in(client, "admin", PASSWORD)
            assert client.get("/akun").status_code == 200
    finally:
        os.environ["JEMPUT_DATABASE_URL"] = migrated_database
        get_settings.cache_clear()
