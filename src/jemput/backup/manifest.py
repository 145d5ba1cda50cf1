"""The manifest: the first member of every backup, saying what the rest must be."""

from __future__ import annotations

import json
import tarfile
from dataclasses import asdict, dataclass, field
from pathlib import PurePosixPath
from typing import Any

from jemput.backup.container import NOT_OURS
from jemput.backup.errors import BackupRefused

NAME = "manifest.json"
FORMAT = "jemput-backup"
FORMAT_VERSION = 1
MAX_BYTES = 16 << 20
DATABASE_MEMBERS = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
DATA_PREFIX = "data/"


@dataclass
class Member:
    sha256: str
    size: int


@dataclass
class Manifest:
    jemput_version: str
    alembic_revision: str | None
    database: str  # sqlite | postgresql
    created_at: str  # ISO 8601, UTC
    tables: dict[str, int]
    members: dict[str, Member]
    # The audit chain's head as `jemput audit checkpoint` writes it; None: no entries yet,
    # or the chain did not verify when the backup was taken (see audit_problem).
    audit_checkpoint: str | None
    audit_problem: dict[str, Any] | None = None
    # Files rows refer to that were gone (an upload its job had just finished with), or
    # outside the data folder: named, not carried.
    files_missing: list[str] = field(default_factory=list)
    files_outside: list[str] = field(default_factory=list)
    server_version: str | None = None
    dump_tool: str | None = None
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def database_member(self) -> str:
        return DATABASE_MEMBERS[self.database]

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True).encode()


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (not path.is_absolute() and ".." not in path.parts and "" not in name.split("/")
            and (name == NAME or name in DATABASE_MEMBERS.values()
                 or (name.startswith(DATA_PREFIX) and len(path.parts) > 1)))


def parse(data: bytes) -> Manifest:
    """Read a manifest; BackupRefused if it is not one this code can restore."""
    try:
        raw = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupRefused(NOT_OURS + " (manifest.json bukan JSON).") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BackupRefused(NOT_OURS + " (manifest.json tidak bertanda jemput-backup).")
    version = raw.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise BackupRefused(f"Cadangan ini berformat versi {version}, lebih baru dari yang "
                            f"dikenal Jemput ini (versi {FORMAT_VERSION}). Pulihkan dengan "
                            "Jemput versi yang membuatnya atau yang lebih baru.")
    try:
        members = {name: Member(**value) for name, value in raw["members"].items()}
        raw["members"] = members
        manifest = Manifest(**raw)
    except (KeyError, TypeError, AttributeError):
        raise BackupRefused(NOT_OURS + " (manifest.json tidak lengkap).") from None
    if manifest.database not in DATABASE_MEMBERS or manifest.database_member not in members:
        raise BackupRefused(NOT_OURS + " (manifest tidak menyebut berkas basis datanya).")
    unsafe = [name for name in members if not _safe_member_name(name)]
    if unsafe:
        raise BackupRefused(NOT_OURS + f" (nama anggota yang tidak aman: {unsafe[0]!r}).")
    return manifest


def read_first(tar: tarfile.TarFile) -> Manifest:
    """Read the manifest, which must be the archive's first member."""
    first = tar.next()
    if first is None or first.name != NAME or not first.isfile() or first.size > MAX_BYTES:
        raise BackupRefused(NOT_OURS + " (tidak diawali manifest.json).")
    handle = tar.extractfile(first)
    assert handle is not None  # a regular file always has its content
    return parse(handle.read())
