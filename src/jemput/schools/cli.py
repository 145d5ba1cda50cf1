"""`jemput schools`: load schools, madrasah, SLB and pesantren, and their rosters."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from jemput.db import unit_of_work
from jemput.schools import service

app = typer.Typer(help="Sekolah, madrasah, SLB, pesantren dan daftar siswanya.",
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


@app.command("import-roster")
def import_roster_command(
    npsn: Annotated[str, typer.Argument(help="NPSN sekolah (pesantren: kode PP...).")],
    file: Annotated[Path, typer.Argument(
        exists=True, dir_okay=False, help="CSV Daftar PD dari Dapodik."
    )],
) -> None:
    """Ganti daftar siswa satu sekolah dengan isi berkas Daftar PD."""
    try:
        with unit_of_work() as session:
            count = service.import_roster(session=session, school_npsn=npsn, path=file)
    except service.SchoolFileError as error:
        typer.secho(f"Gagal: {error}. Tidak ada yang diubah.", fg="red", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"{count} siswa dimuat untuk sekolah {npsn}.")
