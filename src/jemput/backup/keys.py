"""Who can open a backup: an age X25519 key pair (preferred) or a passphrase.

The server holds only the public recipient (JEMPUT_BACKUP_RECIPIENT): a stolen server,
or a stolen backup disk, gives no way to read the backups. The identity (private key)
is kept off the server and brought back only to restore.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyrage

from jemput.backup.errors import BackupRefused
from jemput.config import Settings

AGE_MAGIC = b"age-encryption.org/v1\n"
_SECRET_PREFIX = "AGE-SECRET-KEY-"  # noqa: S105 - the format's label, not a key


@dataclass(frozen=True)
class Lock:
    """How a backup is encrypted: to a recipient, or with a passphrase."""

    recipient: pyrage.x25519.Recipient | None = None
    passphrase: str | None = None


def write_new_identity(path: Path) -> str:
    """Write a new age identity to `path` (mode 0600, never over a file); return its recipient."""
    identity = pyrage.x25519.Identity.generate()
    recipient = str(identity.to_public())
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = (f"# created: {created}\n# public key: {recipient}\n"
            f"# Kunci pembuka cadangan Jemput. Simpan DI LUAR server.\n{identity}\n")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupRefused(f"{path} sudah ada; kunci lama tidak ditimpa. Pilih nama "
                            "lain.") from None
    with open(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    return recipient


def parse_recipient(text: str) -> pyrage.x25519.Recipient:
    """Read an age public key ("age1..."); BackupRefused if it is not one."""
    try:
        return pyrage.x25519.Recipient.from_str(text.strip())
    except pyrage.RecipientError:
        raise BackupRefused("Kunci publik cadangan (JEMPUT_BACKUP_RECIPIENT / --penerima) bukan "
                            "kunci age yang sah: bentuknya age1… seperti yang dicetak "
                            "`jemput backup kunci-baru`.") from None


def lock_for_backup(*, settings: Settings, recipient: str | None) -> Lock:
    """The key a new backup is encrypted with; BackupRefused when there is none."""
    text = recipient or settings.backup_recipient
    if text:
        return Lock(recipient=parse_recipient(text))
    if settings.backup_passphrase is not None and settings.backup_passphrase.get_secret_value():
        return Lock(passphrase=settings.backup_passphrase.get_secret_value())
    raise BackupRefused(
        "Cadangan tidak dibuat: tidak ada kunci enkripsi, dan Jemput tidak menulis cadangan "
        "tanpa enkripsi. Buat pasangan kunci dengan `jemput backup kunci-baru --ke "
        "BERKAS` lalu setel JEMPUT_BACKUP_RECIPIENT dengan kunci publik yang dicetaknya "
        "(atau setel JEMPUT_BACKUP_PASSPHRASE)."
    )


def read_identity(path: Path) -> pyrage.x25519.Identity:
    """Read the identity from a file `jemput backup kunci-baru` (or age-keygen) wrote."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise BackupRefused(f"Berkas kunci {path} tidak dapat dibaca: {error}.") from None
    secrets = [line.strip() for line in lines if line.strip().startswith(_SECRET_PREFIX)]
    if not secrets:
        raise BackupRefused(f"{path} bukan berkas kunci age: tidak ada baris "
                            f"{_SECRET_PREFIX}….")
    try:
        return pyrage.x25519.Identity.from_str(secrets[0])
    except pyrage.IdentityError:
        raise BackupRefused(f"Kunci di {path} rusak (bukan kunci age yang sah).") from None


def is_passphrase_file(path: Path) -> bool:
    """Whether the age file at `path` is locked with a passphrase (an scrypt stanza)."""
    with path.open("rb") as handle:
        head = handle.read(len(AGE_MAGIC) + 12)
    return head.startswith(AGE_MAGIC + b"-> scrypt ")


def is_age_file(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(AGE_MAGIC)) == AGE_MAGIC
