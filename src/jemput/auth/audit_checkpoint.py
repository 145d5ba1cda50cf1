"""A checkpoint: the audit chain's head written down outside the database.

The keyed chain shows an edited or removed entry anywhere before its newest one, but a
shorter chain is still a whole chain: deleting the newest entries (a NIK reveal, say)
leaves nothing to see. A checkpoint closes that gap. It names how many entries there
were and the keyed hash of the last, so `jemput audit verify --checkpoint FILE` proves
that nothing up to that point was removed or changed. It is plain text, short enough
to print and file on paper, and to type back in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

HEADER = "Jemput audit checkpoint v1"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX16 = re.compile(r"[0-9a-f]{16}")


class CheckpointError(ValueError):
    """The checkpoint text is not one `jemput audit checkpoint` wrote."""


@dataclass(frozen=True)
class Checkpoint:
    entries: int
    last_id: int
    last_hash: str
    key_id: str
    taken_at: datetime


def format_checkpoint(checkpoint: Checkpoint) -> str:
    """Return the checkpoint as the text `jemput audit checkpoint` writes or prints."""
    taken = checkpoint.taken_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return "\n".join([
        HEADER,
        "# Simpan di luar server (kertas, flashdisk, surel ke atasan). Periksa dengan:",
        "#   jemput audit verify --checkpoint BERKAS",
        f"entries: {checkpoint.entries}",
        f"last_id: {checkpoint.last_id}",
        f"last_hash: {checkpoint.last_hash}",
        f"key_id: {checkpoint.key_id}",
        f"taken_at: {taken}",
        "",
    ])


def parse_checkpoint(text: str) -> Checkpoint:
    """Read a checkpoint's text; CheckpointError names the first thing wrong with it."""
    lines = [
        (number, line.strip())
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.strip().startswith("#")
    ]
    if not lines or lines[0][1] != HEADER:
        raise CheckpointError(f"baris pertama harus '{HEADER}'")
    fields: dict[str, str] = {}
    for number, line in lines[1:]:
        key, separator, value = line.partition(":")
        if not separator:
            raise CheckpointError(f"baris {number}: '{line}' bukan 'nama: nilai'")
        fields[key.strip()] = value.strip()
    missing = [k for k in ("entries", "last_id", "last_hash", "key_id", "taken_at")
               if k not in fields]
    if missing:
        raise CheckpointError(f"tidak ada {', '.join(missing)}")
    try:
        entries, last_id = int(fields["entries"]), int(fields["last_id"])
        taken_at = datetime.strptime(fields["taken_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        raise CheckpointError("entries/last_id harus angka dan taken_at berbentuk "
                              "YYYY-MM-DDTHH:MM:SSZ") from None
    last_hash, key_id = fields["last_hash"].lower(), fields["key_id"].lower()
    if not _HEX64.fullmatch(last_hash):
        raise CheckpointError("last_hash harus 64 digit heksadesimal")
    if not _HEX16.fullmatch(key_id):
        raise CheckpointError("key_id harus 16 digit heksadesimal")
    # Entry ids are gap-free from 1, so the count and the last id are one number twice:
    # a checkpoint where they differ was mistyped or made up.
    if entries < 1 or last_id != entries:
        raise CheckpointError("entries dan last_id harus sama dan lebih dari 0")
    return Checkpoint(entries, last_id, last_hash, key_id, taken_at)
