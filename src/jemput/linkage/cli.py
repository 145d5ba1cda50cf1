"""`jemput rosters link` and `jemput rosters links`: run linkage, export its result."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from typing import Annotated

import typer

from jemput.db import unit_of_work
from jemput.linkage import service

CSV_COLUMNS = ("line", "nik", "score", "decision")


class LinksFormat(StrEnum):
    CSV = "csv"


def link_command(
    roster_id: Annotated[int, typer.Argument(help="Nomor daftar (roster) yang diimpor.")],
    auto: Annotated[float, typer.Option(
        "--auto", min=0.0, max=1.0,
        help="Skor minimal untuk ditautkan otomatis.")] = service.AUTO_THRESHOLD,
    review: Annotated[float, typer.Option(
        "--review", min=0.0, max=1.0,
        help="Skor minimal untuk diperiksa petugas; di bawahnya tidak ditautkan.",
    )] = service.REVIEW_THRESHOLD,
) -> None:
    """Tautkan setiap baris daftar ke penduduk (Splink); keputusan pemeriksa dipakai ulang."""
    if review > auto:
        typer.secho("Gagal: --review tidak boleh lebih besar dari --auto.", fg="red", err=True)
        raise typer.Exit(2)
    try:
        with unit_of_work() as session:
            summary = service.link_roster(
                session=session, roster_id=roster_id,
                thresholds=service.Thresholds(auto=auto, review=review))
    except service.RosterMissing:
        typer.secho(f"Gagal: daftar {roster_id} tidak ada.", fg="red", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"Daftar {roster_id}: {summary.rows} baris; {summary.auto} tertaut otomatis, "
        f"{summary.review} perlu diperiksa, {summary.none} tidak tertaut "
        f"({summary.by_reviewer} menurut keputusan pemeriksa).")


def links_command(
    roster_id: Annotated[int, typer.Argument(help="Nomor daftar (roster) yang diimpor.")],
    output_format: Annotated[LinksFormat, typer.Option(
        "--format", help="Format keluaran.")] = LinksFormat.CSV,
) -> None:
    """Tulis tautan daftar: satu baris per baris daftar (line, nik, score, decision)."""
    try:
        with unit_of_work() as session:
            links = service.roster_links(session=session, roster_id=roster_id)
    except service.RosterMissing:
        typer.secho(f"Gagal: daftar {roster_id} tidak ada.", fg="red", err=True)
        raise typer.Exit(1) from None
    writer = csv.DictWriter(sys.stdout, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(links)


def mount(app: typer.Typer) -> None:
    """Attach the linkage commands to the `rosters` group."""
    app.command("link")(link_command)
    app.command("links")(links_command)
