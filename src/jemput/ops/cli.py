"""`jemput check` and `jemput db pindah`, mounted by src/jemput/cli.py."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jemput.ops.check import ERROR, run_checks

console = Console()

FACT_LABELS = {
    "lingkungan": "Lingkungan (JEMPUT_ENVIRONMENT)",
    "basis_data": "Jenis basis data",
    "berkas_basis_data": "Berkas basis data",
    "host_basis_data": "Host basis data",
    "nama_basis_data": "Nama basis data",
    "pengguna_basis_data": "Pengguna basis data",
    "versi_postgresql": "Versi PostgreSQL",
    "versi_sqlite": "Versi SQLite",
    "mode_jurnal": "Mode jurnal SQLite",
    "migrasi": "Migrasi (current = mutakhir)",
    "folder_data": "Folder data",
    "folder_data_ada": "Folder data ada",
    "folder_data_bisa_ditulis": "Folder data bisa ditulis",
    "ruang_kosong_gb": "Ruang disk kosong (GB)",
    "kunci_rahasia": "Kunci rahasia (JEMPUT_SECRET_KEY)",
    "kunci_audit": "Kunci audit (JEMPUT_AUDIT_KEY)",
    "zona_waktu": "Zona waktu",
    "penerima_cadangan": "Penerima cadangan (JEMPUT_BACKUP_RECIPIENT)",
    "token_metrik": "Token /metrics (JEMPUT_METRICS_TOKEN)",
    "log": "Log",
}


def check_command(
    as_json: Annotated[bool, typer.Option("--json", help="Keluaran JSON untuk mesin.")] = False,
) -> None:
    """Periksa pengaturan yang berlaku dan apa yang salah; kode keluar 1 bila tidak aman."""
    report = run_checks()
    if as_json:
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        table = Table(title="Pengaturan Jemput yang berlaku", show_header=False)
        table.add_column("Hal", style="bold")
        table.add_column("Nilai")
        for key, value in report.facts.items():
            shown = {True: "ya", False: "TIDAK"}.get(value, value) if isinstance(
                value, bool) else value
            table.add_row(FACT_LABELS.get(key, key), str(shown))
        console.print(table)
        for problem in report.problems:
            colour = "red" if problem.level == ERROR else "yellow"
            console.print(f"[{colour}]{problem.level.upper()}[/]: {problem.message}",
                          highlight=False)
        if report.ok:
            console.print("[green]Tidak ada yang menghalangi Jemput berjalan dengan aman.[/]")
        else:
            console.print("[red]Ada galat: perbaiki dulu sebelum Jemput dijalankan.[/]")
    if not report.ok:
        raise typer.Exit(1)


def move_command(
    target: Annotated[str, typer.Option(
        "--ke", "--to", help="Basis data PostgreSQL tujuan yang masih kosong, mis. "
        "postgresql+psycopg://jemput@127.0.0.1/jemput.")],
) -> None:
    """Pindahkan seluruh registri (semua tabel) dari basis data sekarang ke PostgreSQL."""
    from sqlalchemy.engine import make_url

    from jemput.config import get_settings
    from jemput.ops.move import MoveRefused, move_registry

    source = get_settings().database_url
    shown = make_url(target).render_as_string(hide_password=True)
    typer.echo(f"Memindahkan registri ke {shown} …")
    try:
        moved = move_registry(source_url=source, target_url=target)
    except MoveRefused as refusal:
        typer.secho(f"Gagal: {refusal}", fg="red", err=True)
        raise typer.Exit(1) from None
    table = Table(title="Dipindahkan dan diperiksa (jumlah baris sama dengan sumber)")
    table.add_column("Tabel")
    table.add_column("Baris", justify="right")
    for item in moved:
        table.add_row(item.name, f"{item.rows:,}".replace(",", "."))
    console.print(table)
    typer.secho("Selesai. Setel JEMPUT_DATABASE_URL ke alamat tujuan, lalu jalankan "
                "`jemput check`.", fg="green")
