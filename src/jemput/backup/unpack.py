"""Open a backup into a private folder, checking every member against the manifest."""

from __future__ import annotations

import hashlib
import os
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyrage

from jemput.backup import manifest as manifests
from jemput.backup.container import CHUNK, NOT_OURS, read_archive
from jemput.backup.errors import BackupRefused


@dataclass
class Unpacked:
    manifest: manifests.Manifest
    paths: dict[str, Path]  # member name -> its extracted, checked copy


def copy_hashing(source: IO[bytes], target: Path) -> tuple[str, int]:
    """Copy `source` into a new owner-only file `target`; return its SHA-256 and size."""
    digest, size = hashlib.sha256(), 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(fd, "wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return digest.hexdigest(), size


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def unpack(
    *, source: Path, identity: pyrage.x25519.Identity | None, passphrase: str | None,
    workdir: Path,
) -> Unpacked:
    """Decrypt `source` into `workdir`; BackupRefused unless every checksum matches."""

    def read(tar: tarfile.TarFile) -> Unpacked:
        manifest = manifests.read_first(tar)
        paths: dict[str, Path] = {}
        while (member := tar.next()) is not None:
            expected = manifest.members.get(member.name)
            if expected is None or member.name in paths or not member.isfile():
                raise BackupRefused(NOT_OURS + f" (anggota tak terduga: {member.name!r}).")
            handle = tar.extractfile(member)
            assert handle is not None  # a regular file always has its content
            copy = workdir / f"anggota-{len(paths):06d}"
            digest, size = copy_hashing(handle, copy)
            if digest != expected.sha256 or size != expected.size:
                raise BackupRefused(f"Checksum {member.name} tidak cocok dengan manifest: "
                                    "berkas cadangan rusak. Ambil salinan cadangan yang lain.")
            paths[member.name] = copy
        missing = sorted(set(manifest.members) - set(paths))
        if missing:
            raise BackupRefused(f"Cadangan tidak lengkap: {missing[0]} tidak ada di dalamnya.")
        return Unpacked(manifest=manifest, paths=paths)

    return read_archive(source=source, identity=identity, passphrase=passphrase, read=read)
