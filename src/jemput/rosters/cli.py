"""`jemput rosters`: import school, pesantren and voter rosters, and list them."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from jemput.auth import audit
from jemput.cli_options import parse_date_option
from jemput.db import unit_of_work
from jemput.i18n import format_number
from jemput.intake.errors import ImportRefused
from jemput.intake.sources import file_sha256
from jemput.intake.terminal import file_progress, print_counts, print_rejected
from jemput.linkage import cli as linkage_cli
from jemput.residents import import_scope
from jemput.residents.import_scope import ScopeRefused
from jemput.rosters import service
from jemput.rosters.importer import RosterResult, import_roster
from jemput.rosters.models import RosterKind

app = typer.Typer(help="Daftar dari luar SIAK: siswa (Dapodik), santri, pemilih (DPT KPU).",
                  no_args_is_help=True)
console = Console(stderr=True)
# `rosters link` and `rosters links` live with the linkage they run.
linkage_cli.mount(app)
KIND_LABELS = {RosterKind.DAPODIK: "siswa (Dapodik)", RosterKind.PESANTREN: "santri",
               RosterKind.DPT: "pemilih (DPT)"}


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                         help="CSV, XLSX atau XLS.")],
    kind: Annotated[str, typer.Option(
        "--kind", help="dapodik (Daftar PD atau baris WebService), pesantren, dpt."
    )],
    npsn: Annotated[str | None, typer.Option(
        "--npsn", help="NPSN sekolah (pesantren: kode PP...), bila berkas tidak memuatnya."
    )] = None,
    desa: Annotated[str | None, typer.Option("--desa", help="Kode desa daftar pemilih.")] = None,
    data_date: Annotated[str | None, typer.Option(
        "--data-date", help="Tanggal data daftar (YYYY-MM-DD); bawaan: hari ini."
    )] = None,
    accept_valid: Annotated[bool, typer.Option(
        "--accept-valid", help="Muat baris yang benar, sisihkan baris yang salah."
    )] = False,
    report_dir: Annotated[Path | None, typer.Option(
        "--report-dir", help="Folder laporan galat."
    )] = None,
    user: Annotated[str | None, typer.Option(
        "--user", help="Impor atas nama pengguna ini, hanya di wilayahnya; bawaan: kantor "
        "(seluruh kabupaten)."
    )] = None,
) -> None:
    """Impor daftar siswa, santri atau pemilih (semua atau tidak sama sekali)."""
    if kind not in RosterKind.ALL:
        raise typer.BadParameter(f"'{kind}' bukan salah satu dari {', '.join(RosterKind.ALL)}",
                                 param_hint="--kind")
    shell_user = f"cli:{getpass.getuser()}"
    actor = user or shell_user
    detail = {"berkas": file.name, "ukuran": file.stat().st_size, "jenis": kind,
              "shell": shell_user}
    try:
        with file_progress(console=console, title=f"Impor {file.name}",
                           size=file.stat().st_size) as report, unit_of_work() as session:
            scope = (import_scope.scope_for_username(session=session, username=user)
                     if user else import_scope.regency_scope())
            result = import_roster(
                session=session, path=file, kind=kind, npsn=npsn, desa_code=desa,
                data_date=parse_date_option(data_date), accept_valid=accept_valid,
                scope=scope, imported_by=actor, report_dir=report_dir, progress=report,
            )
            audit.record(session=session, actor=actor, action="roster.import.cli",
                         object_type="roster", object_id=result.roster_id, detail={
                             **detail, "sha256": file_sha256(file), "hasil": result.outcome,
                             "baris": result.rows_read, "pemilik": result.owner,
                         })
    except (ImportRefused, ScopeRefused) as error:
        with unit_of_work() as session:
            audit.record(session=session, actor=actor, action="roster.import.cli",
                         object_type="roster", detail={
                             **detail, "sha256": file_sha256(file), "hasil": "ditolak"})
        console.print(f"[red]Impor ditolak:[/] {error}. Tidak ada yang diubah.")
        raise typer.Exit(2) from None
    _print_result(result)
    if result.outcome == "rejected":
        raise typer.Exit(1)


def _print_result(result: RosterResult) -> None:
    out = Console(soft_wrap=True)
    if result.outcome == "rejected":
        print_rejected(out, rows_rejected=result.rows_rejected, rows_read=result.rows_read,
                       unchanged="Tidak ada yang dimuat.")
    else:
        out.print(f"[green]Impor selesai:[/] daftar {KIND_LABELS[result.kind]} "
                  f"{result.owner} (tata letak: {result.layout}), nomor {result.roster_id}.")
        if result.replaced_id:
            out.print(f"Menggantikan daftar nomor {result.replaced_id}.")
    print_counts(out, [
        ("Baris dibaca", result.rows_read), ("Baris disisihkan", result.rows_rejected),
        ("Baris dengan peringatan", result.rows_warned), ("Baris dimuat", result.rows_loaded),
    ], result.first_problems)
    out.print(f"Laporan lengkap: {result.report_path}")


@app.command("list")
def list_command(
    all_: Annotated[bool, typer.Option("--all", help="Tampilkan juga daftar yang sudah "
                                       "digantikan.")] = False,
) -> None:
    """Tampilkan daftar yang sudah dimuat (terbaru dulu)."""
    with unit_of_work(read_only=True) as session:
        rosters = service.list_rosters(session=session, include_replaced=all_)
    if not rosters:
        typer.echo("Belum ada daftar yang dimuat.")
        return
    # Plain lines, one per roster: they stay whole in a narrow terminal and in a pipe.
    for r in rosters:
        status = "berlaku" if r.current else "digantikan"
        typer.echo(f"{r.id:>5}  {r.kind:<9}  {r.owner:<13}  {r.owner_name}  "
                   f"data {r.data_date.isoformat()}  {format_number(r.rows_read)} baris "
                   f"({format_number(r.rows_rejected)} disisihkan)  {r.file_name}  {status}")
