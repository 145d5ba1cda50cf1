"""`jemput vulnerable`: the care profiles on the server's command line (never their notes)."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import true

from jemput.db import unit_of_work
from jemput.vulnerable import service

app = typer.Typer(help="Penduduk rentan: profil pendampingan dan rujukan.",
                  no_args_is_help=True)


@app.command("list")
def list_command(
    wilayah: Annotated[str, typer.Option(
        "--wilayah", help="Awalan kode wilayah, mis. 33.06.01 atau 33.06.01.2001.")] = "",
    english: Annotated[bool, typer.Option("--en", help="Label dalam bahasa Inggris.")] = False,
) -> None:
    """Tampilkan profil penduduk rentan: kebutuhan dan pendekatan, tanpa catatan."""
    # No care notes here: a shell has no reader to check or to audit (see access.py).
    with unit_of_work(read_only=True) as session:
        data = service.profiles_in(session=session, within=true(), region=wilayah or None,
                                   locale="en" if english else "id")
    if not data.profiles:
        typer.echo("Belum ada profil penduduk rentan." if not english
                   else "No vulnerable resident profiles.")
        return
    for row in data.profiles:
        needs = ", ".join(need.label for need in row.needs)
        approaches = ", ".join(item.label for item in row.approaches) or "-"
        typer.echo(f"{row.resident_id}\t{row.nik_masked}\t{row.name}\t{row.desa_code}\t"
                   f"{needs}\t{approaches}\t{row.consent.label}\t{row.incident_count}")
    typer.echo(f"{data.total} profil." if not english else f"{data.total} profiles.")
