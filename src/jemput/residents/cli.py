"""`jemput residents`: import population exports."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from jemput.auth import audit
from jemput.cli_options import parse_date_option
from jemput.db import unit_of_work
from jemput.intake.sources import file_sha256
from jemput.intake.terminal import file_progress, print_counts, print_rejected
from jemput.residents import import_scope
from jemput.residents.import_scope import ScopeRefused
from jemput.residents.importer import ImportRefused, ImportResult, import_file
from jemput.residents.models import ImportRun

app = typer.Typer(help="Registri penduduk: impor ekspor SIAK/OpenSID.", no_args_is_help=True)
console = Console(stderr=True)


def _parse_mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        if "=" not in pair:
            raise typer.BadParameter(f"'{pair}' harus berbentuk KOLOM_SIAK=kolom_berkas")
        siak, column = pair.split("=", 1)
        mapping[siak.strip()] = column.strip()
    return mapping


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(
        exists=True, dir_okay=False, help="CSV, XLSX atau XLS."
    )],
    accept_valid: Annotated[bool, typer.Option(
        "--accept-valid", help="Muat baris yang benar, sisihkan baris yang salah."
    )] = False,
    data_date: Annotated[str | None, typer.Option(
        "--data-date", help="Tanggal data ekspor (YYYY-MM-DD); bawaan: hari ini."
    )] = None,
    map_columns: Annotated[list[str] | None, typer.Option(
        "--map", help="Nama kolom lain: KOLOM_SIAK=kolom_berkas (boleh berulang)."
    )] = None,
    desa: Annotated[str | None, typer.Option(
        "--desa", help="Kode desa untuk berkas OpenSID."
    )] = None,
    report_dir: Annotated[Path | None, typer.Option(
        "--report-dir", help="Folder laporan galat."
    )] = None,
    covers: Annotated[list[str] | None, typer.Option(
        "--covers", help="Kode kecamatan atau desa yang lengkap dimuat berkas ini, juga bila "
        "tanpa baris (boleh berulang); penduduk yang tidak ada hanya ditandai di cakupan ini."
    )] = None,
    user: Annotated[str | None, typer.Option(
        "--user", help="Impor atas nama pengguna ini, hanya di wilayahnya; bawaan: kantor "
        "(seluruh kabupaten)."
    )] = None,
    allow_older: Annotated[bool, typer.Option(
        "--allow-older", help="Muat juga bila ekspor lebih lama dari data desa yang sudah "
        "dimuat (tanggal data impor sebelumnya keliru)."
    )] = False,
) -> None:
    """Impor ekspor penduduk (SIAK, Data Penduduk XLS, OpenSID) ke registri."""
    with file_progress(console=console, title=f"Impor {file.name}",
                       size=file.stat().st_size) as report:
        # Whoever holds the server's shell, or the user the import is run for (--user).
        shell_user = f"cli:{getpass.getuser()}"
        actor = user or shell_user
        try:
            with unit_of_work() as session:
                scope = (import_scope.scope_for_username(session=session, username=user)
                         if user else import_scope.regency_scope())
                result = import_file(
                    session=session, path=file, accept_valid=accept_valid,
                    data_date=parse_date_option(data_date), report_dir=report_dir,
                    mapping=_parse_mapping(map_columns or []), desa_code=desa, progress=report,
                    scope=scope, covers=import_scope.parse_area_codes(covers or []),
                    imported_by=actor, allow_older=allow_older,
                )
                # On the audit log with the import it describes, as a web upload is.
                run = session.get(ImportRun, result.run_id)
                audit.record(session=session, actor=actor, action="import.cli",
                             object_type="import", object_id=result.run_id, detail={
                                 "berkas": file.name, "ukuran": file.stat().st_size,
                                 "sha256": run.file_sha256 if run else None,
                                 "hasil": result.outcome, "baris": result.rows_read,
                                 "tanggal_data": run.data_date.isoformat() if run else None,
                                 "izinkan_lebih_lama": allow_older, "shell": shell_user,
                             })
        except (ImportRefused, ScopeRefused) as error:
            # Nothing was imported, but the attempt is on the log like a refused upload.
            with unit_of_work() as session:
                audit.record(session=session, actor=actor, action="import.cli",
                             object_type="import", detail={
                                 "berkas": file.name, "ukuran": file.stat().st_size,
                                 "sha256": file_sha256(file), "hasil": "ditolak",
                                 "shell": shell_user,
                             })
            console.print(f"[red]Impor ditolak:[/] {error}. Tidak ada yang diubah.")
            raise typer.Exit(2) from None
    _print_result(result)
    if result.outcome == "rejected":
        raise typer.Exit(1)


def _print_result(result: ImportResult) -> None:
    out = Console(soft_wrap=True)  # long paths and messages stay on one line
    if result.outcome == "rejected":
        print_rejected(out, rows_rejected=result.rows_rejected, rows_read=result.rows_read,
                       unchanged="Tidak ada data penduduk yang diubah.")
    else:
        out.print(f"[green]Impor selesai[/] (tata letak: {result.layout}).")
    # Where the file speaks for: only there can a resident be "no longer in the export".
    areas = ", ".join(f"{a['code']} {a['name']}".strip() for a in result.coverage)
    out.print(f"Cakupan berkas: {areas or '-'} (wilayah impor: {result.scope_region})")
    print_counts(out, [
        ("Baris dibaca", result.rows_read), ("Baris disisihkan", result.rows_rejected),
        ("Baris dengan peringatan", result.rows_warned), ("Penduduk baru", result.inserted),
        ("Penduduk diperbarui", result.updated), ("Tanpa perubahan", result.unchanged),
        ("Perubahan status KTP-el", result.status_changes),
        ("Status KTP-el mundur (peringatan)", result.status_backwards),
        ("Tidak ada lagi di ekspor", result.disappeared),
    ], result.first_problems)
    out.print(f"Laporan lengkap: {result.report_path}")
    if result.disappeared_report_path:
        out.print(f"Daftar yang tidak ada lagi: {result.disappeared_report_path}")
