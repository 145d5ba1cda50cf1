"""`jemput regions`: load Kemendagri region codes, desa/dusun points and outlines."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, TaskID

from jemput.config import get_settings
from jemput.db import unit_of_work
from jemput.places import outlines, points
from jemput.places.points import Problem
from jemput.regions import service

app = typer.Typer(help="Kode wilayah Kemendagri, titik dan batasnya.", no_args_is_help=True)
MAX_PROBLEMS_SHOWN = 50


@app.command("import")
def import_command(
    files: Annotated[list[Path], typer.Argument(
        exists=True, dir_okay=False, help="CSV idn-area-data: provinces/regencies/..."
    )],
) -> None:
    """Impor kode wilayah dari CSV paket idn-area-data (ODbL)."""
    # Parents before children, whatever order the files were named in.
    order = {"provinsi": 0, "kabupaten": 1, "kecamatan": 2, "desa": 3}

    def level(path: Path) -> int:
        with path.open(encoding="utf-8-sig") as handle:
            return order[service.detect_level(handle.readline().strip().split(","))]

    try:
        with unit_of_work() as session, Progress(console=Console(stderr=True)) as bar:
            for path in sorted(files, key=level):
                task = bar.add_task(path.name, total=None)

                def report(done: int, total: int, task: TaskID = task) -> None:
                    bar.update(task, completed=done, total=total)

                count = service.import_region_file(session=session, path=path, progress=report)
                bar.console.print(f"{path.name}: {count} wilayah")
    except service.RegionFileError as error:
        typer.secho(f"Gagal: {error}. Tidak ada yang diubah.", fg="red", err=True)
        raise typer.Exit(1) from None


@app.command("load-demo")
def load_demo_command() -> None:
    """Muat wilayah Kabupaten Purworejo yang ikut terpasang bersama Jemput."""
    with unit_of_work() as session:
        count = service.load_packaged_regions(session=session)
    typer.echo(f"{count} wilayah Kabupaten Purworejo dimuat (sumber: idn-area-data, ODbL).")


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        typer.secho(f"  {problem}", fg="red", err=True)
    if len(problems) > MAX_PROBLEMS_SHOWN:
        typer.secho(f"  ... dan {len(problems) - MAX_PROBLEMS_SHOWN} masalah lagi", err=True)
    typer.secho(f"Gagal: {len(problems)} masalah. Tidak ada yang diubah.", fg="red", err=True)


@app.command("import-points")
def import_points_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                         help="CSV code,lat,lng (desa atau desa/DUSUN)")],
    source: Annotated[str, typer.Option("--source", help="Asal titik (bawaan: nama berkas).")]
    = "",
) -> None:
    """Muat titik desa dan dusun dari CSV `code,lat,lng`; satu baris salah, tidak ada yang
    dimuat.

    Kode desa: 33.06.01.2001. Kode dusun: kode desanya, garis miring, nama dusun
    (33.06.01.2001/KRAJAN), dicocokkan dengan kolom dusun penduduk tanpa beda huruf besar.
    """
    try:
        with unit_of_work() as session:
            counts = points.import_points(session=session, path=file, source=source,
                                          regency_code=get_settings().regency_code)
    except points.PointFileError as error:
        _print_problems(error.problems)
        raise typer.Exit(1) from None
    typer.echo(f"{counts.desa} titik desa dan {counts.dusun} titik dusun dimuat dari {file.name}.")


@app.command("import-outlines")
def import_outlines_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                         help="GeoJSON FeatureCollection, properties.code")],
    source: Annotated[str, typer.Option(
        "--source", help="Asal dan lisensi batas, ditampilkan di peta (bawaan: nama berkas).")]
    = "",
) -> None:
    """Muat batas kecamatan/desa dari GeoJSON (Polygon/MultiPolygon, properties.code)."""
    try:
        with unit_of_work() as session:
            count = outlines.import_outlines(session=session, path=file, source=source,
                                             regency_code=get_settings().regency_code)
    except outlines.OutlineFileError as error:
        _print_problems(error.problems)
        raise typer.Exit(1) from None
    typer.echo(f"{count} batas wilayah dimuat dari {file.name}.")
