"""`jemput plan`: the planner's commands (benchmarks on Solomon instances for now)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Perencana rute kampanye jemput bola (PyVRP).", no_args_is_help=True)


@app.command("solve-instance")
def solve_instance_command(
    file: Annotated[Path, typer.Argument(help="Berkas instans VRPTW format Solomon.",
                                         exists=True, dir_okay=False, readable=True)],
    seconds: Annotated[float, typer.Option("--seconds", help="Batas waktu (detik).")] = 10.0,
    seed: Annotated[int, typer.Option("--seed", help="Benih acak (hasil sama tiap benih).")] = 1,
    iterations: Annotated[int | None, typer.Option(
        "--iterations", help="Batas iterasi; bila diisi, menggantikan --seconds.")] = None,
) -> None:
    """Selesaikan instans Solomon; cetak solusi format VRPLIB (Route #k, lalu Cost)."""
    from jemput.planning import solomon  # PyVRP loads only for this command

    try:
        instance = solomon.read_solomon(file)
    except solomon.SolomonError as error:
        typer.secho(f"Gagal membaca {file}: {error}", fg="red", err=True)
        raise typer.Exit(1) from None
    result = solomon.solve_instance(instance, seed=seed, seconds=seconds, iterations=iterations)
    if not result.feasible:
        typer.secho("Tidak ditemukan solusi yang memenuhi semua batasan / no feasible "
                    "solution found", fg="red", err=True)
        raise typer.Exit(2)
    typer.echo(solomon.format_vrplib(result), nl=False)
