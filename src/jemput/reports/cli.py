"""`jemput coverage`: the coverage table of a region, or its JSON."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jemput.cli_options import parse_date_option
from jemput.config import get_settings
from jemput.db import unit_of_work
from jemput.i18n import format_date, format_percent
from jemput.i18n import format_number as n
from jemput.reports.coverage import AreaCoverage, Figure, compute_coverage
from jemput.reports.coverage_counts import recount_all


def _percent(figure: Figure) -> str:
    return format_percent(figure.percent)


def _row(area: AreaCoverage, *, bold: bool = False) -> list[str]:
    f = area.figures()
    cells = [
        area.code, area.name, n(f['wajib_ktp'].numerator), n(f['coverage'].numerator),
        _percent(f["coverage"]), n(f['print_ready_not_printed'].numerator),
        n(f['printed_not_issued'].numerator), n(f['not_recorded'].numerator),
        n(f['not_recorded_vulnerable'].numerator), n(f['not_recorded_pemula'].numerator),
        n(f['not_recorded_other'].numerator), n(f['due_for_deactivation'].numerator),
    ]
    return [f"[bold]{c}[/]" for c in cells] if bold else cells


def coverage_command(
    region: Annotated[str | None, typer.Option(
        "--region", help="Kode wilayah; bawaan: kabupaten."
    )] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Cetak JSON, bukan tabel.")] = False,
    on: Annotated[str | None, typer.Option(
        "--on", help="Tanggal acuan umur (YYYY-MM-DD)."
    )] = None,
    recount: Annotated[bool, typer.Option(
        "--recount", help="Hitung ulang angka per desa yang disimpan dari data penduduk."
    )] = False,
) -> None:
    """Tampilkan cakupan perekaman KTP-el per kecamatan/desa."""
    if recount:
        # The repair path: kept counts drift only if residents were changed around the
        # import and the ORM (a hand-written SQL update); a recount makes them true again.
        with unit_of_work() as session:
            desas = recount_all(session=session)
        typer.echo(f"Angka cakupan per desa dihitung ulang dari data penduduk: {n(desas)} desa.")
        return
    reference = parse_date_option(on)
    code = region or get_settings().regency_code
    with unit_of_work() as session:
        try:
            area = compute_coverage(session=session, region_code=code, on=reference)
        except LookupError:
            typer.secho(f"Kode wilayah {code} tidak dikenal.", fg="red", err=True)
            raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps(area.as_dict(), ensure_ascii=False, indent=2))
        return
    table = Table(
        "Kode", "Wilayah", "Wajib KTP", "Rekam", "Cakupan", "PRR blm cetak",
        "Cetak blm serah", "Belum rekam", "Rentan", "Pemula", "Lainnya", "Jatuh nonaktif",
        title=f"Cakupan perekaman KTP-el — {area.name} (data per {format_date(area.data_date)})",
    )
    for child in area.children:
        table.add_row(*_row(child))
    table.add_row(*_row(area, bold=True))
    # Piped into a file or a test, the table keeps all its columns instead of squeezing.
    Console(width=None if sys.stdout.isatty() else 160).print(table)
    figures = area.figures()
    typer.echo(
        f"Cakupan = rekam {n(figures['coverage'].numerator)} ÷ wajib KTP "
        f"{n(figures['coverage'].denominator)}; bisa > 100% karena usia 16 tahun dan "
        "pendatang juga direkam."
    )
