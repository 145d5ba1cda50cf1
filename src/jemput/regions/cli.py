"""`jemput regions`: load Kemendagri region codes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, TaskID

from jemput.db import unit_of_work
from jemput.regions import service

app = typer.Typer(help="Kode wilayah Kemendagri.", no_args_is_help=True)


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
