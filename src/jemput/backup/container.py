"""The backup file: a tar stream, compressed with zstd, encrypted in the age format.

Every layer streams through an OS pipe between two threads, so a registry of millions
of rows never sits in memory and no unencrypted archive is written to disk. An office
can open the file without Jemput too:
`age -d -i kunci.txt FILE | zstd -d | tar -x`.
Exception: age's passphrase mode is only offered in memory by pyrage, so a backup
locked with JEMPUT_BACKUP_PASSPHRASE holds its compressed archive in memory once.
"""

from __future__ import annotations

import io
import os
import shutil
import tarfile
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import pyrage
import zstandard

from jemput.backup.errors import BackupRefused
from jemput.backup.keys import Lock, is_age_file

T = TypeVar("T")
CHUNK = 1 << 20
# Level 6: most of zstd's gain at a fraction of its top levels' time, on one core, so a
# nightly backup leaves the server's other core to the office.
ZSTD_LEVEL = 6

Filler = Callable[[tarfile.TarFile], None]
Reader = Callable[[tarfile.TarFile], T]


def add_file(tar: tarfile.TarFile, *, name: str, path: Path) -> None:
    """Add the file at `path` to the archive as `name` (owner-only, no owner names)."""
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mode = 0o600
    info.mtime = int(path.stat().st_mtime)
    with path.open("rb") as handle:
        tar.addfile(info, handle)


def add_bytes(tar: tarfile.TarFile, *, name: str, data: bytes, mtime: int) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, mtime
    tar.addfile(info, io.BytesIO(data))


def _write_compressed_tar(out: BinaryIO, fill: Filler) -> None:
    compressor = zstandard.ZstdCompressor(level=ZSTD_LEVEL)
    with compressor.stream_writer(out, closefd=False) as zstd_out, tarfile.open(
        fileobj=zstd_out, mode="w|", format=tarfile.PAX_FORMAT
    ) as tar:
        fill(tar)


def write_archive(*, target: BinaryIO, lock: Lock, fill: Filler) -> None:
    """Write the encrypted archive that `fill` adds members to into `target`."""
    if lock.passphrase is not None:
        # pyrage encrypts with a passphrase only from bytes in memory.
        buffer = io.BytesIO()
        _write_compressed_tar(buffer, fill)
        target.write(pyrage.passphrase.encrypt(buffer.getvalue(), lock.passphrase))
        return
    if lock.recipient is None:  # keys.lock_for_backup never returns one: defence in depth
        raise BackupRefused("Cadangan tanpa enkripsi tidak ditulis.")
    read_end, write_end = os.pipe()
    failure: list[BaseException] = []

    def produce() -> None:
        try:
            with open(write_end, "wb") as pipe:
                _write_compressed_tar(pipe, fill)
        except BaseException as error:  # handed to the caller's thread below
            failure.append(error)

    producer = threading.Thread(target=produce, name="backup-archive", daemon=True)
    producer.start()
    with open(read_end, "rb") as pipe:
        try:
            pyrage.encrypt_io(pipe, target, [lock.recipient])
        finally:
            pipe.close()  # a failed encryption must not leave the producer blocked
            producer.join()
    if failure:
        raise failure[0]


def _read_compressed_tar(source: BinaryIO, read: Reader[T]) -> T:
    decompressor = zstandard.ZstdDecompressor()
    try:
        with decompressor.stream_reader(source, closefd=False) as plain, tarfile.open(
            fileobj=plain, mode="r|"
        ) as tar:
            result = read(tar)
            # Read to the very end: age authenticates the last chunk only when it is read.
            while plain.read(CHUNK):
                pass
    except zstandard.ZstdError:
        raise BackupRefused(NOT_OURS + " (isinya bukan arsip zstd).") from None
    except tarfile.TarError:
        raise BackupRefused(NOT_OURS + " (isinya bukan arsip tar).") from None
    while source.read(CHUNK):
        pass
    return result


NOT_OURS = "Berkas ini bukan cadangan Jemput"
DAMAGED = ("Berkas cadangan RUSAK atau telah diubah: pemeriksaan keaslian enkripsinya gagal. "
           "Jangan dipakai; ambil salinan cadangan yang lain.")


def _decrypt_error(error: Exception, *, passphrase: bool) -> BackupRefused:
    text = str(error)
    if "No matching keys" in text:
        return BackupRefused("Kunci salah: berkas cadangan ini tidak dienkripsi untuk berkas "
                             "identitas yang diberikan. Pakai kunci pasangan dari kunci publik "
                             "yang dipakai server saat cadangan dibuat.")
    if passphrase and text == "Decryption failed":
        return BackupRefused("Frasa sandi salah (JEMPUT_BACKUP_PASSPHRASE), atau kepala berkas "
                             "cadangan rusak.")
    return BackupRefused(DAMAGED)


def read_archive(
    *, source: Path, identity: pyrage.x25519.Identity | None, passphrase: str | None,
    read: Reader[T],
) -> T:
    """Decrypt and decompress the backup at `source`, handing its tar stream to `read`.

    Returns what `read` returns only when the whole file decrypted and authenticated.
    """
    if not is_age_file(source):
        raise BackupRefused(NOT_OURS + " (bukan berkas terenkripsi age).")
    if passphrase is not None:
        try:
            plain = pyrage.passphrase.decrypt(source.read_bytes(), passphrase)
        except pyrage.DecryptError as error:
            raise _decrypt_error(error, passphrase=True) from None
        return _read_compressed_tar(io.BytesIO(plain), read)
    if identity is None:
        raise BackupRefused("Perlu kunci untuk membuka cadangan: --identitas BERKAS.")
    read_end, write_end = os.pipe()
    failure: list[Exception] = []

    def decrypt() -> None:
        try:
            with source.open("rb") as encrypted, open(write_end, "wb") as pipe:
                pyrage.decrypt_io(encrypted, pipe, [identity])
        except Exception as error:  # a broken pipe after the reader gave up, or a bad file
            failure.append(error)

    decrypter = threading.Thread(target=decrypt, name="backup-decrypt", daemon=True)
    decrypter.start()
    outcome: Any = None
    refusal: BackupRefused | None = None
    with open(read_end, "rb") as pipe:
        try:
            outcome = _read_compressed_tar(pipe, read)
        except BackupRefused as refused:
            refusal = refused
        finally:
            pipe.close()
            decrypter.join()
    # A decryption failure explains whatever the reader saw after it: report that. pyrage
    # raises DecryptError for the header (wrong key) and OSError for a damaged chunk; a
    # BrokenPipeError only says the reader stopped first, for its own reason.
    damage = [e for e in failure if not isinstance(e, BrokenPipeError)]
    if damage:
        raise _decrypt_error(damage[0], passphrase=False)
    if refusal is not None:
        raise refusal
    if failure:
        raise BackupRefused(DAMAGED)
    result: T = outcome
    return result


WORKDIR_PREFIX = ".cadangan-kerja-"
# A work folder this old belongs to no running backup: one killed by a power cut left it,
# with an unencrypted copy of the database inside.
STALE_WORKDIR_SECONDS = 24 * 3600


def private_workdir(parent: Path) -> Path:
    """A folder only this user may read, beside the data (not /tmp: it may be small RAM)."""
    parent.mkdir(parents=True, exist_ok=True)
    for old in parent.glob(WORKDIR_PREFIX + "*"):
        if time.time() - old.stat().st_mtime > STALE_WORKDIR_SECONDS:
            shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=WORKDIR_PREFIX, dir=parent))


def sync_directory(folder: Path) -> None:
    """fsync a folder, so that a file just renamed into it survives a power cut."""
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
