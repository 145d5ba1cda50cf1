"""`jemput audit`: verify, anchor and read the hash-chained audit log."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jemput import clock
from jemput.auth import audit
from jemput.auth.audit_checkpoint import CheckpointError, format_checkpoint, parse_checkpoint
from jemput.db import unit_of_work

audit_app = typer.Typer(help="Log audit berantai hash.", no_args_is_help=True)


def _actor() -> str:
    # CLI changes are made by whoever holds the server's shell; name that account.
    return f"cli:{getpass.getuser()}"


def _broken(result: audit.VerifyResult) -> typer.Exit:
    if result.first_bad_id is None:  # nothing was walked: the key itself is wrong
        typer.secho(f"Log audit tidak dapat diperiksa: {result.reason}.", fg="red")
    else:
        typer.secho(f"Log audit RUSAK pada entri #{result.first_bad_id}: {result.reason} "
                    f"({result.count} entri sebelumnya utuh).", fg="red")
    return typer.Exit(1)


@audit_app.command("verify")
def verify_command(
    checkpoint_file: Annotated[Path | None, typer.Option(
        "--checkpoint", exists=True, dir_okay=False,
        help="Berkas dari `jemput audit checkpoint`: buktikan tak ada yang dihapus sejak itu.",
    )] = None,
) -> None:
    """Periksa rantai hash log audit; kode keluar 1 bila ada entri yang diubah atau hilang."""
    checkpoint = None
    if checkpoint_file is not None:
        try:
            checkpoint = parse_checkpoint(checkpoint_file.read_text(encoding="utf-8"))
        except (CheckpointError, UnicodeDecodeError) as error:
            typer.secho(f"Gagal: {checkpoint_file.name} bukan checkpoint audit: {error}.",
                        fg="red", err=True)
            raise typer.Exit(2) from None
    with unit_of_work() as session:
        result = audit.verify_chain(session=session, checkpoint=checkpoint)
    if not result.ok:
        raise _broken(result)
    typer.echo(f"Log audit utuh: {result.count} entri. Hash terakhir: {result.last_hash}")
    if checkpoint is not None:
        typer.echo(f"Cocok dengan checkpoint {checkpoint.taken_at:%Y-%m-%d %H:%M} UTC "
                   f"({checkpoint.entries} entri): tidak ada yang dihapus atau diubah sejak itu.")


@audit_app.command("checkpoint")
def checkpoint_command(
    output: Annotated[Path | None, typer.Option(
        "--output", dir_okay=False, help="Tulis ke berkas ini; tanpa ini, cetak ke layar.",
    )] = None,
) -> None:
    """Catat kepala rantai (jumlah entri, hash berkunci) untuk disimpan di luar server."""
    try:
        with unit_of_work() as session:
            checkpoint = audit.take_checkpoint(session=session, actor=_actor())
    except audit.BrokenChain as error:
        raise _broken(error.result) from None
    text = format_checkpoint(checkpoint)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    typer.echo(f"Checkpoint {checkpoint.entries} entri ditulis ke {output}. Simpan salinannya "
               "di luar server ini.")


@audit_app.command("seal")
def seal_command() -> None:
    """Rantai ulang entri lama (sebelum hash berkunci) dengan kunci audit; sekali saja."""
    try:
        with unit_of_work() as session:
            before = audit.seal_chain(session=session, actor=_actor())
    except audit.BrokenChain as error:
        raise _broken(error.result) from None
    if not before.unkeyed:
        typer.echo(f"Tidak ada yang perlu dirantai ulang: {before.count} entri sudah berkunci.")
        return
    typer.echo(f"{before.unkeyed} entri lama diperiksa utuh lalu dirantai ulang dengan kunci "
               f"audit ({before.count} entri). Buat checkpoint sekarang: jemput audit checkpoint")


@audit_app.command("list")
def audit_list_command(
    limit: int = typer.Option(50, "--limit", help="Jumlah entri terbaru."),
    action: str | None = typer.Option(None, "--action", help="Saring menurut tindakan."),
    actor: str | None = typer.Option(None, "--actor", help="Saring menurut pelaku."),
) -> None:
    """Tampilkan entri log audit terbaru."""
    table = Table("ID", "Waktu (UTC)", "Pelaku")
    table.add_column("Tindakan", no_wrap=True)
    table.add_column("Objek")
    table.add_column("Wilayah")
    table.add_column("Detail", overflow="fold")
    table.add_column("IP")
    with unit_of_work() as session:
        for entry in audit.list_entries(session=session, limit=limit, action=action, actor=actor):
            table.add_row(
                str(entry.id),
                clock.to_local(entry.at).strftime("%Y-%m-%d %H:%M:%S %Z"),
                entry.actor_name,
                entry.action,
                f"{entry.object_type or ''} {entry.object_id or ''}".strip(),
                entry.region_code or "",
                entry.detail,
                entry.ip or "",
            )
    Console().print(table)
