"""Write, check and prune backups (restore is in restore.py)."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tarfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

import pyrage
from sqlalchemy import create_engine

from jemput.backup import keys, pgtools
from jemput.backup.container import (
    add_bytes,
    add_file,
    private_workdir,
    sync_directory,
    write_archive,
)
from jemput.backup.errors import BackupRefused
from jemput.backup.manifest import DATA_PREFIX, NAME, Manifest, Member
from jemput.backup.snapshot import Snapshot, take_snapshot
from jemput.backup.unpack import Unpacked, copy_hashing, file_sha256, unpack
from jemput.backup.verify import verify_database
from jemput.config import Settings

BACKUP_NAME = re.compile(r"jemput-cadangan-\d{8}T\d{6}Z\.age")


@dataclass
class BackupWritten:
    path: Path
    size: int
    manifest: Manifest
    pruned: list[Path] = field(default_factory=list)


def backup_file_name(now: datetime) -> str:
    return f"jemput-cadangan-{now.astimezone(UTC):%Y%m%dT%H%M%SZ}.age"


def _target_path(destination: Path | None, settings: Settings, now: datetime) -> Path:
    # A name ending in .age is the file; anything else is the folder it goes in.
    folder = destination or settings.data_dir / "cadangan"
    if folder.suffix == ".age" and not folder.is_dir():
        if not folder.parent.is_dir():
            raise BackupRefused(f"Folder {folder.parent} tidak ada.")
        return folder
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder / backup_file_name(now)


@dataclass
class _DataFile:
    member: str
    copy: Path
    member_info: Member


def _collect_files(
    recorded: list[str], data_dir: Path, workdir: Path
) -> tuple[list[_DataFile], list[str], list[str]]:
    """Copy the files rows refer to out of the data folder; name those gone or outside it."""
    root = data_dir.resolve()
    files: list[_DataFile] = []
    missing: list[str] = []
    outside: list[str] = []
    for number, text in enumerate(recorded):
        path = Path(text).resolve()
        try:
            relative = path.relative_to(root)
        except ValueError:
            outside.append(text)
            continue
        copy = workdir / f"berkas-{number:06d}"
        try:
            with path.open("rb") as source:
                digest, size = copy_hashing(source, copy)
        except (FileNotFoundError, IsADirectoryError):
            missing.append(text)  # an upload its job has finished with since the snapshot
            continue
        files.append(_DataFile(DATA_PREFIX + relative.as_posix(), copy, Member(digest, size)))
    return files, missing, outside


def _manifest(snapshot: Snapshot, files: list[_DataFile], missing: list[str],
              outside: list[str], now: datetime) -> Manifest:
    described = snapshot.described
    database_member = f"database.{'sqlite' if snapshot.kind == 'sqlite' else 'pgdump'}"
    members = {database_member: Member(file_sha256(snapshot.dump), snapshot.dump.stat().st_size)}
    members.update({f.member: f.member_info for f in files})
    return Manifest(
        jemput_version=version("jemput"), alembic_revision=described.revision,
        database=snapshot.kind, created_at=now.isoformat(timespec="seconds"),
        tables=described.tables, members=members, audit_checkpoint=described.checkpoint,
        audit_problem=described.audit_problem, files_missing=missing, files_outside=outside,
        server_version=snapshot.server_version, dump_tool=snapshot.dump_tool,
    )


def _write_atomically(target: Path, lock: keys.Lock, manifest: Manifest, dump: Path,
                      files: list[_DataFile], now: datetime) -> None:
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")

    def fill(tar: tarfile.TarFile) -> None:
        add_bytes(tar, name=NAME, data=manifest.to_json(), mtime=int(now.timestamp()))
        add_file(tar, name=manifest.database_member, path=dump)
        for data_file in files:
            add_file(tar, name=data_file.member, path=data_file.copy)

    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(fd, "wb") as out:
            write_archive(target=out, lock=lock, fill=fill)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_directory(target.parent)  # the rename survives a power cut


def create_backup(
    *, settings: Settings, destination: Path | None = None, recipient: str | None = None,
    keep: int | None = None,
) -> BackupWritten:
    """Write one encrypted backup of the database and its files; prune to `keep` backups."""
    lock = keys.lock_for_backup(settings=settings, recipient=recipient)
    now = datetime.now(UTC)
    target = _target_path(destination, settings, now)
    if target.exists():
        raise BackupRefused(f"{target} sudah ada; cadangan tidak menimpa berkas.")
    workdir = private_workdir(settings.data_dir)
    try:
        with take_snapshot(url=settings.database_url, workdir=workdir) as snapshot:
            files, missing, outside = _collect_files(
                snapshot.described.referenced_files, settings.data_dir, workdir)
        manifest = _manifest(snapshot, files, missing, outside, now)
        _write_atomically(target, lock, manifest, snapshot.dump, files, now)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    pruned = prune(folder=target.parent, keep=keep) if keep else []
    return BackupWritten(path=target, size=target.stat().st_size, manifest=manifest,
                         pruned=pruned)


def prune(*, folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups Jemput named in `folder`; return those deleted."""
    backups = sorted(p for p in folder.iterdir() if BACKUP_NAME.fullmatch(p.name))
    doomed = backups[:-keep] if keep > 0 else []
    for path in doomed:
        path.unlink()
    return doomed


@dataclass
class Checked:
    manifest: Manifest
    audit_note: str


def check_backup(
    *, source: Path, identity: pyrage.x25519.Identity | None, passphrase: str | None,
    settings: Settings,
) -> Checked:
    """Decrypt and check a backup without restoring it; BackupRefused names what is wrong."""
    workdir = private_workdir(settings.data_dir)
    try:
        unpacked = unpack(source=source, identity=identity, passphrase=passphrase,
                          workdir=workdir)
        note = _check_database(unpacked)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return Checked(manifest=unpacked.manifest, audit_note=note)


def _check_database(unpacked: Unpacked) -> str:
    manifest = unpacked.manifest
    dump = unpacked.paths[manifest.database_member]
    if manifest.database == "postgresql":
        # Reading the dump's table of contents proves pg_restore can read it; its rows
        # are counted only by a restore.
        needed = int(manifest.dump_tool.split()[-1]) if manifest.dump_tool else 0
        pg_restore, _major = pgtools.find_tool("pg_restore", at_least=needed)
        pgtools.run_tool([str(pg_restore), "--list", str(dump)], url="postgresql://",
                         what="pg_restore --list")
        return "isi PostgreSQL terbaca (jumlah baris diperiksa saat pemulihan)"
    engine = create_engine(f"sqlite:///{dump}")
    try:
        with engine.connect() as connection:
            return verify_database(connection, manifest)
    finally:
        engine.dispose()
