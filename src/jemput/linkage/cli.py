"""`jemput rosters link` and `jemput rosters links`: run linkage, export its result."""

from __future__ import annotations

import csv
import sys
import time
from enum import StrEnum
from typing import Annotated

import typer

from jemput.db import unit_of_work
from jemput.i18n import format_number
from jemput.linkage import service

CSV_COLUMNS = ("line", "nik", "score", "decision")


class LinksFormat(StrEnum):
    CSV = "csv"


def link_command(
    roster_ids: Annotated[list[int] | None, typer.Argument(
        help="Nomor daftar (roster) yang diimpor; boleh lebih dari satu.",
        show_default=False)] = None,
    all_: Annotated[bool, typer.Option(
        "--all", help="Semua daftar yang berlaku (belum digantikan).")] = False,
    auto: Annotated[float, typer.Option(
        "--auto", min=0.0, max=1.0,
        help="Skor minimal untuk ditautkan otomatis.")] = service.AUTO_THRESHOLD,
    review: Annotated[float, typer.Option(
        "--review", min=0.0, max=1.0,
        help="Skor minimal untuk diperiksa petugas; di bawahnya tidak ditautkan.",
    )] = service.REVIEW_THRESHOLD,
) -> None:
    """Tautkan setiap baris daftar ke penduduk (Splink), semua daftar dalam satu kali jalan.

    Keputusan pemeriksa dipakai ulang dan tidak pernah ditimpa.
    """
    if bool(roster_ids) == all_:
        typer.secho("Gagal: sebutkan nomor daftar, atau --all untuk semua daftar yang "
                    "berlaku (tidak keduanya).", fg="red", err=True)
        raise typer.Exit(2)
    if review > auto:
        typer.secho("Gagal: --review tidak boleh lebih besar dari --auto.", fg="red", err=True)
        raise typer.Exit(2)
    started = time.monotonic()
    try:
        with unit_of_work() as session:
            ids = service.current_roster_ids(session=session) if all_ else list(roster_ids or [])
            if not ids:
                typer.echo("Belum ada daftar yang dimuat; tidak ada yang ditautkan.")
                return
            summaries = service.link_rosters(
                session=session, roster_ids=ids,
                thresholds=service.Thresholds(auto=auto, review=review))
    except service.RosterMissing as missing:
        typer.secho(f"Gagal: daftar {missing.roster_id} tidak ada. Tidak ada yang ditautkan.",
                    fg="red", err=True)
        raise typer.Exit(1) from None
    for summary in summaries:
        typer.echo(f"Daftar {summary.roster_id}: {describe(summary)}.")
    if len(summaries) > 1:
        typer.echo(f"Jumlah {len(summaries)} daftar, {describe(service.total(summaries))} "
                   f"({format_number(time.monotonic() - started)} detik).")


def describe(summary: service.LinkSummary) -> str:
    """`N baris; A tertaut otomatis, R perlu diperiksa, X tidak tertaut (...)`."""
    return (f"{format_number(summary.rows)} baris; {format_number(summary.auto)} tertaut "
            f"otomatis, {format_number(summary.review)} perlu diperiksa, "
            f"{format_number(summary.none)} tidak tertaut "
            f"({format_number(summary.by_reviewer)} menurut keputusan pemeriksa)")


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
