"""`jemput schools`: load schools, madrasah, SLB and pesantren."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jemput.db import unit_of_work
from jemput.schools import service

# Their rosters load with `jemput rosters import --kind dapodik|pesantren`.
app = typer.Typer(help="Sekolah, madrasah, SLB dan pesantren.",
                  no_args_is_help=True)


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(
        exists=True, dir_okay=False, help="CSV: npsn,nama,jenis,desa_code,latitude,longitude"
    )],
) -> None:
    """Impor atau perbarui daftar sekolah (kunci: NPSN)."""
    try:
        with unit_of_work() as session:
            count = service.import_schools(session=session, path=file)
    except service.SchoolFileError as error:
        typer.secho(f"Gagal: {error}. Tidak ada yang diubah.", fg="red", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{count} sekolah dimuat dari {file.name}.")
