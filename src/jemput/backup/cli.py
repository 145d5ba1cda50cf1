"""`jemput backup` and `jemput restore`: one encrypted file, and back again."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pyrage
import typer

from jemput.backup import keys, service
from jemput.backup.errors import BackupRefused
from jemput.backup.restore import restore_backup
from jemput.config import get_settings

app = typer.Typer(help="Cadangan terenkripsi: basis data, berkas di folder data, checkpoint "
                       "audit.")


def _refused(refused: BackupRefused) -> typer.Exit:
    typer.secho(f"Gagal: {refused.message}", fg="red", err=True)
    return typer.Exit(1)


def _number(count: int) -> str:
    return f"{count:,}".replace(",", ".")  # Indonesian thousands: 1.000.000


def _megabytes(size: int) -> str:
    return f"{size / (1 << 20):.1f} MB"


@app.callback(invoke_without_command=True)
def backup_command(
    context: typer.Context,
    destination: Annotated[Path | None, typer.Option(
        "--ke", help="Folder tujuan (nama berkas dibuat dari waktunya), atau berkas .age. "
                     "Bawaan: <data_dir>/cadangan.")] = None,
    recipient: Annotated[str | None, typer.Option(
        "--penerima", help="Kunci publik age (age1…); bawaan: JEMPUT_BACKUP_RECIPIENT.")] = None,
    keep: Annotated[int | None, typer.Option(
        "--simpan", min=1, help="Sesudahnya, simpan hanya N cadangan terbaru di folder itu.")]
        = None,
) -> None:
    """Tulis satu berkas cadangan terenkripsi selagi Jemput tetap berjalan."""
    if context.invoked_subcommand is not None:
        return
    try:
        written = service.create_backup(settings=get_settings(), destination=destination,
                                        recipient=recipient, keep=keep)
    except BackupRefused as refused:
        raise _refused(refused) from None
    manifest = written.manifest
    residents = manifest.tables.get("residents", 0)
    typer.secho(f"Cadangan ditulis: {written.path} ({_megabytes(written.size)}; "
                f"{_number(residents)} penduduk, {len(manifest.members) - 1} berkas data).",
                fg="green")
    if manifest.audit_problem:
        typer.secho(f"PERHATIAN: log audit tidak utuh ({manifest.audit_problem['reason']}); "
                    "cadangan tetap dibuat. Periksa dengan `jemput audit verify`.", fg="yellow")
    for recorded in manifest.files_outside:
        typer.secho(f"Tidak ikut dicadangkan (di luar folder data): {recorded}", fg="yellow")
    for path in written.pruned:
        typer.echo(f"Cadangan lama dihapus: {path.name}")


@app.command("kunci-baru")
def new_key_command(
    output: Annotated[Path, typer.Option(
        "--ke", dir_okay=False, help="Berkas identitas (kunci rahasia) yang ditulis.")],
) -> None:
    """Buat pasangan kunci age: simpan berkasnya di luar server, pasang kunci publiknya."""
    try:
        recipient = keys.write_new_identity(output)
    except BackupRefused as refused:
        raise _refused(refused) from None
    typer.echo(f"Kunci rahasia ditulis ke {output} (hanya pemiliknya yang bisa membaca). "
               "Pindahkan ke flashdisk/brankas, JANGAN tinggalkan di server.")
    typer.echo("Kunci publik, untuk JEMPUT_BACKUP_RECIPIENT di server:")
    typer.echo(recipient)


def _opening(source: Path, identity_file: Path | None
             ) -> tuple[pyrage.x25519.Identity | None, str | None]:
    settings = get_settings()
    passphrase = (settings.backup_passphrase.get_secret_value()
                  if settings.backup_passphrase is not None else None)
    if source.is_file() and keys.is_age_file(source) and keys.is_passphrase_file(source):
        if not passphrase:
            raise BackupRefused("Cadangan ini dikunci dengan frasa sandi: setel "
                                "JEMPUT_BACKUP_PASSPHRASE.")
        return None, passphrase
    if identity_file is None:
        raise BackupRefused("Perlu kunci untuk membuka cadangan: --identitas BERKAS (dari "
                            "`jemput backup kunci-baru`).")
    return keys.read_identity(identity_file), None


IdentityOption = Annotated[Path | None, typer.Option(
    "--identitas", exists=True, dir_okay=False,
    help="Berkas kunci rahasia age (dari `jemput backup kunci-baru`).")]
SourceArgument = Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                                help="Berkas cadangan (.age).")]


@app.command("periksa")
def check_command(source: SourceArgument, identity_file: IdentityOption = None) -> None:
    """Buka dan periksa cadangan (checksum, isi, log audit) tanpa memulihkannya."""
    try:
        identity, passphrase = _opening(source, identity_file)
        checked = service.check_backup(source=source, identity=identity, passphrase=passphrase,
                                       settings=get_settings())
    except BackupRefused as refused:
        raise _refused(refused) from None
    manifest = checked.manifest
    typer.secho(f"Cadangan utuh: dibuat {manifest.created_at} oleh Jemput "
                f"{manifest.jemput_version} dari {manifest.database}, skema "
                f"{manifest.alembic_revision}; {len(manifest.members)} anggota, semua checksum "
                f"cocok; {checked.audit_note}.", fg="green")


def restore_command(source: SourceArgument, identity_file: IdentityOption = None) -> None:
    """Pulihkan cadangan ke basis data KOSONG (JEMPUT_DATABASE_URL) dan folder data."""
    try:
        identity, passphrase = _opening(source, identity_file)
        restored = restore_backup(source=source, identity=identity, passphrase=passphrase,
                                  settings=get_settings())
    except BackupRefused as refused:
        raise _refused(refused) from None
    manifest = restored.manifest
    total = sum(count for name, count in manifest.tables.items() if name != "alembic_version")
    typer.secho(f"Pulih: {_number(total)} baris di {len(manifest.tables)} tabel, semua "
                f"jumlahnya cocok dengan manifest; {restored.files} berkas data; "
                f"{restored.audit_note}.", fg="green")
    typer.echo("Berikutnya: `jemput db upgrade` (bila Jemput ini lebih baru), lalu jalankan "
               "layanan Jemput.")
