"""Restore a backup into an empty database: all of it, checked, or nothing.

The database is written last-but-one and checked before it counts: SQLite's file is
checked under a temporary name and renamed into place only then; PostgreSQL's dump is
restored in one transaction and, if the check after it fails, dropped again. The data
folder's files follow once the database stands.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pyrage
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from jemput.backup import pgtools
from jemput.backup.container import private_workdir, sync_directory
from jemput.backup.errors import BackupRefused
from jemput.backup.manifest import DATA_PREFIX, Manifest
from jemput.backup.snapshot import server_major
from jemput.backup.unpack import file_sha256, unpack
from jemput.backup.verify import check_fits_this_code, verify_database
from jemput.config import Settings
from jemput.db import is_sqlite

NOT_EMPTY = ("Basis data tujuan tidak kosong ({detail}). Pemulihan hanya ke basis data "
             "kosong, agar tidak ada yang tertimpa: buat basis data baru dan setel "
             "JEMPUT_DATABASE_URL ke sana.")

_PG_RELATIONS = (
    "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
    "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%' "
    "AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
)


@dataclass
class Restored:
    manifest: Manifest
    audit_note: str
    files: int


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupRefused("JEMPUT_DATABASE_URL harus menunjuk ke berkas SQLite.")
    return Path(database)


def require_empty(url: str) -> None:
    """Refuse unless the database at `url` holds no table at all."""
    if is_sqlite(url):
        path = _sqlite_path(url)
        if not path.exists() or path.stat().st_size == 0:
            return
        reader = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = reader.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        except sqlite3.DatabaseError:
            raise BackupRefused(NOT_EMPTY.format(detail=f"{path} bukan basis data SQLite")) \
                from None
        finally:
            reader.close()
        if tables:
            raise BackupRefused(NOT_EMPTY.format(detail=f"{path} berisi {tables} objek"))
        return
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            relations = connection.execute(text(_PG_RELATIONS)).scalar_one()
    except SQLAlchemyError as error:
        raise BackupRefused(f"Basis data tujuan tidak dapat dihubungi: "
                            f"{type(getattr(error, 'orig', None) or error).__name__}.") from None
    finally:
        engine.dispose()
    if relations:
        raise BackupRefused(NOT_EMPTY.format(detail=f"berisi {relations} tabel/urutan"))


def _data_destinations(manifest: Manifest, data_dir: Path) -> dict[str, Path]:
    destinations = {
        name: data_dir.joinpath(*PurePosixPath(name[len(DATA_PREFIX):]).parts)
        for name in manifest.members if name.startswith(DATA_PREFIX)
    }
    for name, path in destinations.items():
        if path.exists() and file_sha256(path) != manifest.members[name].sha256:
            raise BackupRefused(f"{path} sudah ada dengan isi lain; berkas di folder data "
                                "tidak ditimpa. Pindahkan dulu, lalu ulangi.")
    return destinations


def restore_backup(
    *, source: Path, identity: pyrage.x25519.Identity | None, passphrase: str | None,
    settings: Settings,
) -> Restored:
    """Check the backup at `source`, then restore it into the configured empty database."""
    url = settings.database_url
    kind = "sqlite" if is_sqlite(url) else "postgresql"
    require_empty(url)
    workdir = private_workdir(settings.data_dir)
    try:
        unpacked = unpack(source=source, identity=identity, passphrase=passphrase,
                          workdir=workdir)
        manifest = unpacked.manifest
        check_fits_this_code(manifest, database=kind)
        destinations = _data_destinations(manifest, settings.data_dir)
        dump = unpacked.paths[manifest.database_member]
        if kind == "sqlite":
            note = _restore_sqlite(url, dump, manifest)
        else:
            note = _restore_postgresql(url, dump, manifest)
        for name, path in destinations.items():
            _place(unpacked.paths[name], path)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return Restored(manifest=manifest, audit_note=note, files=len(destinations))


def _place(copy: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if target.exists():
        return  # the same content: _data_destinations checked
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    shutil.copyfile(copy, temporary)
    temporary.chmod(0o600)
    os.replace(temporary, target)


def _restore_sqlite(url: str, dump: Path, manifest: Manifest) -> str:
    target = _sqlite_path(url)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.pulih")
    try:
        shutil.copyfile(dump, temporary)
        temporary.chmod(0o600)
        engine = create_engine(f"sqlite:///{temporary}")
        try:
            with engine.connect() as connection:
                note = verify_database(connection, manifest)
        finally:
            engine.dispose()
        require_empty(url)  # nobody created it meanwhile
        for side in ("-wal", "-shm"):  # left by the empty database it replaces
            Path(f"{target}{side}").unlink(missing_ok=True)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_directory(target.parent)  # the rename survives a power cut
    return note


def _restore_postgresql(url: str, dump: Path, manifest: Manifest) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            major = server_major(connection)
        written_by = int(manifest.dump_tool.split()[-1]) if manifest.dump_tool else 0
        pg_restore, _version = pgtools.find_tool("pg_restore", at_least=max(major, written_by))
        database = make_url(url).database or ""
        # One transaction: a dump that fails half-way leaves nothing behind.
        pgtools.run_tool([str(pg_restore), "--single-transaction", "--exit-on-error",
                          "--no-owner", "--no-privileges", f"--dbname={database}", str(dump)],
                         url=url, what="pg_restore")
        try:
            with engine.connect() as connection:
                return verify_database(connection, manifest)
        except BaseException:
            _drop_everything(engine)
            raise
    finally:
        engine.dispose()


def _drop_everything(engine: Engine) -> None:
    # The database was empty before pg_restore (require_empty): all it holds now came
    # from the backup, and goes again.
    with engine.begin() as connection:
        for name in inspect(connection).get_table_names():
            connection.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
        for name in inspect(connection).get_sequence_names():
            connection.execute(text(f'DROP SEQUENCE IF EXISTS "{name}" CASCADE'))
