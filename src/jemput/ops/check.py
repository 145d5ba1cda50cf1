"""`jemput check`: the configuration in force, and what would stop Jemput running safely.

Read-only: it connects to the database, reads the schema's revision and the server's
version, and writes one temporary file in the data folder to prove it is writable.
Nothing it reports carries a password or a secret: the database address is shown
without its password, and keys only as "diisi" (set) or not.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr, ValidationError
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from jemput import migrate
from jemput.config import DEFAULT_SECRET, Settings, settings_problem

# Below this, an import (its staging file, its report) or the database's growth can fill
# the disk mid-write; below the warning level it is time to make room.
MIN_FREE_BYTES = 1 * 1024**3
WARN_FREE_BYTES = 5 * 1024**3
CONNECT_TIMEOUT_SECONDS = 5
BACKUP_RECIPIENT_ENV = "JEMPUT_BACKUP_RECIPIENT"

ERROR = "galat"  # stops Jemput from running safely: exit code 1
WARNING = "peringatan"


@dataclass
class Problem:
    level: str
    message: str


@dataclass
class Report:
    facts: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.level == ERROR for p in self.problems)

    def error(self, message: str) -> None:
        self.problems.append(Problem(ERROR, message))

    def warn(self, message: str) -> None:
        self.problems.append(Problem(WARNING, message))

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "facts": self.facts,
                "problems": [asdict(p) for p in self.problems]}


def run_checks() -> Report:
    """Check the settings from the environment, the database and the data folder."""
    report = Report()
    settings = _settings(report)
    if settings is None:
        return report
    report.facts["lingkungan"] = settings.environment
    report.facts["zona_waktu"] = settings.time_zone
    _check_keys(report, settings)
    _check_data_dir(report, settings.data_dir)
    _check_database(report, settings)
    backup = bool(getattr(settings, "backup_recipient", None) or os.environ.get(
        BACKUP_RECIPIENT_ENV))
    report.facts["penerima_cadangan"] = "diisi" if backup else "belum diisi"
    if not backup:
        report.warn(f"{BACKUP_RECIPIENT_ENV} belum diisi: `jemput backup` tidak punya kunci "
                    "penerima untuk mengenkripsi cadangan.")
    report.facts["token_metrik"] = "diisi" if settings.metrics_token else "belum diisi"
    report.facts["log"] = settings.log_format + (
        f", berkas {settings.log_file}" if settings.log_file else ", ke stdout/journald")
    return report


def _settings(report: Report) -> Settings | None:
    problem = settings_problem()
    if problem is None:
        from jemput.config import get_settings

        return get_settings()
    report.error(f"Pengaturan tidak dapat dipakai: {problem}")
    # Report the rest as far as the other settings allow (the refusal stays an error):
    # the usual refusal is the default secret, so read the others with a stand-in for it.
    try:
        readable = Settings(secret_key=SecretStr("stand-in-for-the-report"))
    except ValidationError:
        return None
    return readable.model_copy(update={"secret_key": SecretStr(DEFAULT_SECRET)})


def _check_keys(report: Report, settings: Settings) -> None:
    default = settings.secret_key.get_secret_value() == DEFAULT_SECRET
    report.facts["kunci_rahasia"] = "BAWAAN (hanya untuk pengembangan)" if default else "diisi"
    if settings.environment == "development":
        report.warn("JEMPUT_ENVIRONMENT=development: cookie tanpa Secure dan dokumentasi API "
                    "terbuka; jangan dipakai di kantor.")
    audit = settings.audit_key is not None and bool(settings.audit_key.get_secret_value())
    report.facts["kunci_audit"] = (
        "diisi" if audit else "belum diisi (diturunkan dari kunci rahasia)")
    if not audit:
        report.warn("JEMPUT_AUDIT_KEY belum diisi: rantai log audit dikunci dengan turunan "
                    "JEMPUT_SECRET_KEY, yang karena itu tidak boleh diganti.")


def _existing_ancestor(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path("/")


def _check_data_dir(report: Report, data_dir: Path) -> None:
    shown = str(data_dir.resolve())
    exists = data_dir.is_dir()
    report.facts["folder_data"] = shown
    report.facts["folder_data_ada"] = exists
    if data_dir.exists() and not exists:
        report.error(f"Folder data {shown} bukan folder (ada berkas dengan nama itu).")
        report.facts["folder_data_bisa_ditulis"] = False
        return
    probe_in = data_dir if exists else _existing_ancestor(data_dir)
    writable = _can_write(probe_in)
    report.facts["folder_data_bisa_ditulis"] = writable
    if not writable:
        report.error(f"Folder data {shown} tidak dapat ditulis oleh pengguna ini: impor, "
                     "laporan dan unduhan akan gagal. Periksa pemilik dan izinnya.")
    free = shutil.disk_usage(probe_in).free
    report.facts["ruang_kosong_gb"] = round(free / 1024**3, 1)
    if free < MIN_FREE_BYTES:
        report.error(f"Ruang disk kosong di {shown} tinggal {free / 1024**2:.0f} MB "
                     f"(kurang dari {MIN_FREE_BYTES // 1024**3} GB): impor dan basis data "
                     "dapat gagal di tengah penulisan. Kosongkan ruang dulu.")
    elif free < WARN_FREE_BYTES:
        report.warn(f"Ruang disk kosong di {shown} tinggal {free / 1024**3:.1f} GB.")


def _can_write(folder: Path) -> bool:
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".jemput-check-"):
            return True
    except OSError:
        return False


def _check_database(report: Report, settings: Settings) -> None:
    url = make_url(settings.database_url)
    kind = url.get_backend_name()
    report.facts["basis_data"] = kind
    if kind == "sqlite":
        report.facts["berkas_basis_data"] = url.database
        if settings.environment != "development":
            report.warn("Basis data SQLite: untuk kantor dengan banyak pengguna pakai "
                        "PostgreSQL (`jemput db pindah`, lihat README).")
        if not url.database or not Path(url.database).exists():
            # Connecting would create an empty file: report it as not built instead.
            report.facts["migrasi"] = "empty"
            report.error(f"Berkas basis data {url.database} belum ada: jalankan "
                         "`jemput db upgrade`.")
            report.facts["versi_sqlite"] = sqlite3.sqlite_version
            return
    else:
        report.facts["host_basis_data"] = f"{url.host or 'lokal'}:{url.port or 5432}"
        report.facts["nama_basis_data"] = url.database
        report.facts["pengguna_basis_data"] = url.username
    connect_args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS} if kind == "postgresql" else {}
    engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
    try:
        with engine.connect() as connection:
            if kind == "postgresql":
                report.facts["versi_postgresql"] = connection.scalar(text("SHOW server_version"))
            else:
                report.facts["versi_sqlite"] = connection.scalar(text("SELECT sqlite_version()"))
                mode = connection.scalar(text("PRAGMA journal_mode"))
                report.facts["mode_jurnal"] = mode
                if str(mode).lower() != "wal":
                    report.warn(f"Mode jurnal SQLite {mode}, bukan WAL: Jemput menyetelnya saat "
                                "terhubung; berkas ini mungkin tidak dibuka oleh Jemput.")
            state = migrate.schema_state(connection)
    except SQLAlchemyError as error:
        # The class only: a driver's message can carry the host and the user name.
        report.facts["migrasi"] = "tidak diketahui"
        report.error(f"Basis data tidak menjawab ({type(error).__name__}): periksa bahwa "
                     "server basis data berjalan dan JEMPUT_DATABASE_URL benar.")
        return
    finally:
        engine.dispose()
    report.facts["migrasi"] = state
    messages = {
        "empty": "Basis data belum berisi skema Jemput: jalankan `jemput db upgrade`.",
        "behind": "Ada migrasi yang belum dijalankan: buat cadangan (`jemput backup`), lalu "
                  "jalankan `jemput db upgrade`.",
        "ahead": "Basis data sudah dinaikkan oleh Jemput versi yang lebih baru: pasang versi "
                 "itu atau pulihkan cadangan; versi ini tidak melayaninya.",
    }
    if state in messages:
        report.error(messages[state])
