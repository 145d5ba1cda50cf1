"""`jemput check`: the configuration in force, what is wrong, and never a secret."""

from __future__ import annotations

import json

from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from jemput import migrate
from jemput.cli import app
from jemput.config import get_settings

runner = CliRunner()
SECRET = "kunci-rahasia-kantor-9f2c1e"
AUDIT_KEY = "kunci-audit-kantor-77aa"


def _check(monkeypatch, *args: str, **env: str):
    # The environment is put back at once: the fixtures' clean-up reads the settings too.
    with monkeypatch.context() as patched:
        patched.delenv("JEMPUT_SECRET_KEY", raising=False)
        for name, value in env.items():
            patched.setenv(f"JEMPUT_{name.upper()}", value)
        get_settings.cache_clear()
        result = runner.invoke(app, ["check", *args])
    get_settings.cache_clear()
    return result


def test_a_sound_office_passes_and_no_secret_is_printed(monkeypatch, migrated_database):
    result = _check(monkeypatch, "--json", secret_key=SECRET, audit_key=AUDIT_KEY,
                    environment="production", backup_recipient="age1kantor")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    facts = report["facts"]
    assert report["ok"] is True
    assert facts["migrasi"] == "current"
    assert facts["basis_data"] == make_url(migrated_database).get_backend_name()
    assert facts["kunci_rahasia"] == "diisi" and facts["kunci_audit"] == "diisi"
    assert facts["penerima_cadangan"] == "diisi"
    assert facts["folder_data_bisa_ditulis"] is True and facts["ruang_kosong_gb"] > 0
    assert facts["zona_waktu"] == "Asia/Jakarta"
    assert ("versi_postgresql" in facts) != ("versi_sqlite" in facts)
    assert SECRET not in result.output and AUDIT_KEY not in result.output
    # The table says the same (the doctor alias too).
    with monkeypatch.context() as patched:
        patched.setenv("JEMPUT_SECRET_KEY", SECRET)
        get_settings.cache_clear()
        table = runner.invoke(app, ["doctor"])
    get_settings.cache_clear()
    assert table.exit_code == 0 and "Tidak ada yang menghalangi" in table.output
    assert SECRET not in table.output


def test_what_would_stop_the_app_is_said_in_words_with_exit_1(
        monkeypatch, fresh_database_url, tmp_path):
    # Production with the default secret, a schema behind, a data folder that is a file.
    migrate.upgrade(fresh_database_url, "0020")
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("x")
    result = _check(monkeypatch, "--json", environment="production",
                    database_url=fresh_database_url, data_dir=str(blocker))
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    errors = " ".join(p["message"] for p in report["problems"] if p["level"] == "galat")
    assert report["ok"] is False and report["facts"]["migrasi"] == "behind"
    assert "JEMPUT_SECRET_KEY belum diisi" in errors
    assert "migrasi yang belum dijalankan" in errors and "jemput db upgrade" in errors
    assert "bukan folder" in errors
    assert report["facts"]["lingkungan"] == "production"
    assert report["facts"]["kunci_rahasia"].startswith("BAWAAN")


def test_a_database_that_does_not_answer_is_an_error_and_its_password_is_not_shown(
        monkeypatch):
    result = _check(monkeypatch, environment="development",
                    database_url="postgresql+psycopg://jemput:sandi-db-5x@127.0.0.1:1/kantor")
    assert result.exit_code == 1
    assert "tidak menjawab" in result.output
    assert "127.0.0.1:1" in result.output and "kantor" in result.output
    assert "sandi-db-5x" not in result.output
