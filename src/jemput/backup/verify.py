"""Does a database hold what a backup's manifest says? Rows, schema and audit chain."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from jemput import migrate
from jemput.auth import audit
from jemput.auth.audit_checkpoint import Checkpoint, CheckpointError, parse_checkpoint
from jemput.backup.errors import BackupRefused
from jemput.backup.manifest import Manifest
from jemput.backup.snapshot import count_rows


def check_fits_this_code(manifest: Manifest, *, database: str) -> None:
    """Refuse a backup this installation cannot restore, before anything is written."""
    if manifest.database != database:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        raise BackupRefused(
            f"Cadangan ini dari basis data {names[manifest.database]}, sedangkan "
            f"JEMPUT_DATABASE_URL menunjuk ke {names[database]}. Pulihkan ke basis data "
            f"{names[manifest.database]} yang kosong (setel JEMPUT_DATABASE_URL ke sana); "
            "pindah jenis basis data adalah langkah tersendiri sesudahnya.")
    if manifest.alembic_revision is not None:
        try:
            ScriptDirectory(str(migrate.MIGRATIONS_DIR)).get_revision(manifest.alembic_revision)
        except CommandError:
            raise BackupRefused(
                f"Cadangan ini dibuat oleh Jemput {manifest.jemput_version} dengan skema "
                f"{manifest.alembic_revision}, lebih baru dari Jemput ini. Pasang versi itu "
                "(atau yang lebih baru) lalu pulihkan dengan versi tersebut.") from None
    if manifest.audit_checkpoint:
        checkpoint = _checkpoint(manifest)
        here = audit.key_id(audit.chain_key())
        if checkpoint.key_id != here:
            raise BackupRefused(
                f"Kunci audit server ini (id {here}) bukan kunci server asal (id "
                f"{checkpoint.key_id}): log audit hasil pemulihan tidak akan bisa diperiksa. "
                "Setel JEMPUT_AUDIT_KEY (atau JEMPUT_SECRET_KEY bila JEMPUT_AUDIT_KEY tidak "
                "dipakai) sama dengan di server asal, lalu ulangi.")


def _checkpoint(manifest: Manifest) -> Checkpoint:
    try:
        return parse_checkpoint(manifest.audit_checkpoint or "")
    except CheckpointError as error:
        raise BackupRefused(f"Checkpoint audit di manifest rusak: {error}.") from None


def verify_database(connection: Connection, manifest: Manifest) -> str:
    """Check row counts and the audit chain against the manifest; return the audit note."""
    counts = count_rows(connection)
    if counts != manifest.tables:
        names = sorted(set(counts) | set(manifest.tables))
        first = next(n for n in names if counts.get(n) != manifest.tables.get(n))
        raise BackupRefused(
            f"Jumlah baris tabel {first} tidak sama dengan manifest "
            f"({counts.get(first, 'tidak ada')} di sini, {manifest.tables.get(first, 'tidak ada')} "
            "di manifest): pemulihan dibatalkan.")
    if "audit_log" not in counts:
        return "tidak ada log audit"
    session = Session(bind=connection)
    try:
        if manifest.audit_checkpoint:
            checkpoint = _checkpoint(manifest)
            result = audit.verify_chain(session=session, checkpoint=checkpoint)
            if result.ok and result.count == checkpoint.entries:
                return f"log audit utuh: {result.count} entri, cocok dengan checkpoint"
        else:
            result = audit.verify_chain(session=session)
            problem = manifest.audit_problem
            if result.ok:
                return f"log audit utuh: {result.count} entri"
            if problem and problem.get("first_bad_id") == result.first_bad_id:
                return (f"PERHATIAN: log audit sudah rusak pada entri #{result.first_bad_id} "
                        f"ketika cadangan dibuat ({result.reason}); dipulihkan apa adanya")
    finally:
        session.close()
    raise BackupRefused(f"Log audit hasil pemulihan tidak cocok dengan cadangan: "
                        f"{result.reason or 'jumlah entri berbeda'}. Pemulihan dibatalkan.")
