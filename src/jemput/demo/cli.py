"""`jemput demo`: generate a synthetic Kabupaten Purworejo and load it like real data."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jemput import migrate
from jemput.cli_options import parse_date_option
from jemput.config import get_settings
from jemput.db import unit_of_work
from jemput.demo.generator import (
    DEFAULT_REFERENCE_DATE,
    DUSUN_POINTS_FILE,
    OUTLINES_FILE,
    POINTS_DIR,
    SIAK_FILE,
    TRUTH_DIR,
    VISIT_POINTS_FILE,
    GenerateResult,
    generate,
)
from jemput.demo.voters import DPT_DIR
from jemput.i18n import format_date, format_number, format_percent
from jemput.linkage import cli as link_cli
from jemput.linkage import service as linkage
from jemput.places import outlines, points
from jemput.places import service as places
from jemput.regions.service import load_packaged_regions
from jemput.reports.coverage import compute_coverage
from jemput.residents.importer import import_file
from jemput.residents.models import Resident
from jemput.rosters.importer import import_roster
from jemput.rosters.models import RosterKind
from jemput.schools import service as schools
from jemput.schools.models import School

app = typer.Typer(help="Data contoh sintetis Kabupaten Purworejo.", no_args_is_help=True)
console = Console(stderr=True)

DEFAULT_DATE_TEXT = DEFAULT_REFERENCE_DATE.isoformat()
Seed = Annotated[int, typer.Option("--seed", help="Benih acak: benih sama, berkas sama.")]
Output = Annotated[Path | None, typer.Option(
    "--output", file_okay=False, help="Folder hasil (bawaan: <data_dir>/demo)."
)]
ReferenceDate = Annotated[str, typer.Option(
    "--reference-date", help="Tanggal data semester (YYYY-MM-DD)."
)]


def _reference_date(value: str) -> date:
    reference = parse_date_option(value)
    assert reference is not None  # the option always has a default
    return reference


def _generate(*, output: Path, seed: int, scale: float, reference_date: date) -> GenerateResult:
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("Membuat penduduk per desa", total=None)

        def on_desa(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        return generate(output=output, seed=seed, scale=scale, reference_date=reference_date,
                        progress=on_desa)


@app.command("generate")
def generate_command(
    seed: Seed = 1,
    scale: Annotated[float, typer.Option(
        "--scale", min=0.001, max=5.0, help="1.0 = ±770.000 penduduk; 0.02 = ±15.000."
    )] = 1.0,
    output: Output = None,
    reference_date: ReferenceDate = DEFAULT_DATE_TEXT,
) -> None:
    """Tulis berkas SIAK, sekolah dan daftar siswa sintetis ke satu folder."""
    folder = output or get_settings().data_dir / "demo"
    started = time.monotonic()
    result = _generate(output=folder, seed=seed, scale=scale,
                       reference_date=_reference_date(reference_date))
    _print_generated(result, time.monotonic() - started)


def _print_generated(result: GenerateResult, seconds: float) -> None:
    # No coverage here: coverage is the registry's figure (reports.coverage), counted
    # after the import; a rate of the generator's own would be a second definition.
    typer.echo(
        f"{_n(result.residents)} penduduk dalam {_n(result.households)} KK, "
        f"{_n(result.schools)} sekolah/pesantren, {_n(result.students)} siswa, "
        f"{_n(result.voters)} pemilih, "
        f"data per {format_date(result.reference_date)} "
        f"({format_number(seconds)} detik)."
    )
    typer.echo(f"Berkas di {result.output}")


def _print_coverage(*, session: Session, regency_code: str) -> None:
    """Say the regency's coverage exactly as `jemput coverage` counts and writes it."""
    figure = compute_coverage(session=session, region_code=regency_code).figures()["coverage"]
    typer.echo(
        f"Wajib KTP {_n(figure.denominator)}, sudah rekam {format_percent(figure.percent)} "
        f"({_n(figure.numerator)} orang) per {format_date(figure.data_date)}."
    )


@app.command("load")
def load_command(
    seed: Seed = 1,
    scale: Annotated[float, typer.Option(
        "--scale", min=0.001, max=5.0, help="Skala penduduk (1.0 = ±770.000)."
    )] = 0.05,
    output: Output = None,
    reference_date: ReferenceDate = DEFAULT_DATE_TEXT,
    if_empty: Annotated[bool, typer.Option(
        "--if-empty", help="Lewati bila registri sudah berisi penduduk (mulai ulang cepat)."
    )] = False,
    with_rosters: Annotated[bool, typer.Option(
        "--daftar/--tanpa-daftar",
        help="Muat juga daftar sekolah, pesantren dan DPT per desa lalu tautkan ke penduduk "
             "(hampir 500 berkas: bagian terlama pada skala kecil).",
    )] = True,
) -> None:
    """Migrasi, muat wilayah, buat data contoh, lalu impor lewat jalur impor yang asli."""
    folder = output or get_settings().data_dir / "demo"
    data_date = _reference_date(reference_date)
    migrate.upgrade()
    if if_empty:
        with unit_of_work() as session:
            loaded = session.scalar(select(func.count()).select_from(Resident)) or 0
        if loaded:
            typer.echo(
                f"Registri sudah berisi {_n(loaded)} penduduk; data contoh tidak dimuat ulang."
            )
            return
    with unit_of_work() as session:
        load_packaged_regions(session=session)
    started = time.monotonic()
    generated = _generate(output=folder, seed=seed, scale=scale, reference_date=data_date)
    _print_generated(generated, time.monotonic() - started)

    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[rows]}"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("Impor SIAK", total=None, rows="")

        def on_bytes(done: int, total: int, rows: int) -> None:
            bar.update(task, completed=done, total=total, rows=f"{_n(rows)} baris")

        with unit_of_work() as session:
            imported = import_file(
                session=session, path=folder / SIAK_FILE, accept_valid=False,
                data_date=data_date, report_dir=folder / "laporan", progress=on_bytes,
            )
    if imported.outcome != "applied":
        typer.secho(
            f"Impor SIAK ditolak: {_n(imported.rows_rejected)} baris bermasalah, "
            f"lihat {imported.report_path}.", fg="red", err=True,
        )
        raise typer.Exit(1)
    typer.echo(f"Impor SIAK: {_n(imported.inserted)} baru, {_n(imported.updated)} berubah, "
               f"{_n(imported.unchanged)} tetap, {_n(imported.rows_warned)} peringatan.")

    _load_places(folder / POINTS_DIR)

    with unit_of_work() as session:
        school_count = schools.import_schools(session=session, path=folder / "schools.csv")
        listed = schools.list_schools(session=session)
    if not with_rosters:
        with unit_of_work() as session:
            _print_coverage(session=session, regency_code=get_settings().regency_code)
        typer.echo(f"{_n(school_count)} sekolah/pesantren dimuat; daftar sekolah, pesantren dan "
                   f"DPT tidak dimuat (--tanpa-daftar). Data contoh siap.")
        return
    rosters = _load_rosters(folder=folder, schools=listed, data_date=data_date)
    with unit_of_work() as session:
        _print_coverage(session=session, regency_code=get_settings().regency_code)
    typer.echo(f"{_n(school_count)} sekolah/pesantren, {_n(rosters['students'])} siswa/santri "
               f"dan {_n(rosters['voters'])} pemilih (DPT {_n(rosters['dpt'])} desa) dimuat; "
               f"kebenaran data di {folder / TRUTH_DIR}.")
    _link_rosters(rosters["ids"])
    typer.echo("Data contoh siap. Coba: jemput coverage")


def _load_places(folder: Path) -> None:
    """Load the dusun points, visit points and synthetic outlines as an office would."""
    regency = get_settings().regency_code
    with unit_of_work() as session:
        counts = points.import_points(session=session, path=folder / DUSUN_POINTS_FILE,
                                      regency_code=regency, source="data contoh (sintetis)")
        visits = places.import_resident_points(session=session, path=folder / VISIT_POINTS_FILE)
        drawn = outlines.import_outlines(session=session, path=folder / OUTLINES_FILE,
                                         regency_code=regency, source=outlines.SYNTHETIC_SOURCE)
    typer.echo(f"{_n(counts.dusun)} titik dusun, {_n(visits)} titik rumah dari kunjungan, "
               f"{_n(drawn)} batas kecamatan sintetis dimuat.")


def _load_rosters(*, folder: Path, schools: list[School], data_date: date) -> dict[str, Any]:
    """Import every roster and voter list through `jemput rosters import`'s own path."""
    jobs: list[tuple[Path, str, str | None, str | None]] = []
    for school in schools:
        kind = RosterKind.PESANTREN if school.kind == "PESANTREN" else RosterKind.DAPODIK
        sheet = folder / "rosters" / f"{school.npsn}.csv"
        if sheet.exists():
            jobs.append((sheet, kind, school.npsn, None))
        elif (rows := folder / "rosters" / f"{school.npsn}.ws.csv").exists():
            jobs.append((rows, kind, None, None))  # web-service rows name their school
    for path in sorted((folder / DPT_DIR).glob("*.csv")):
        jobs.append((path, RosterKind.DPT, None, path.stem))
    counts: dict[str, Any] = {"students": 0, "voters": 0, "dpt": 0, "ids": []}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("Impor daftar siswa dan pemilih", total=len(jobs))
        for path, kind, npsn, desa in jobs:
            # Noise may make a row unreadable now and then: load the rest, as an office would.
            with unit_of_work() as session:
                result = import_roster(session=session, path=path, kind=kind, npsn=npsn,
                                       desa_code=desa, data_date=data_date, accept_valid=True,
                                       imported_by="demo", report_dir=folder / "laporan")
            key = "voters" if kind == RosterKind.DPT else "students"
            counts[key] += result.rows_loaded
            counts["dpt"] += kind == RosterKind.DPT
            if result.outcome == "applied":
                counts["ids"].append(result.roster_id)
            bar.advance(task)
    return counts


def _link_rosters(roster_ids: list[int]) -> None:
    """Link every imported roster to the residents in one run, as `rosters link --all` does."""
    started = time.monotonic()
    with Progress(TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                  transient=True) as bar:
        task = bar.add_task("Menautkan daftar ke penduduk", total=None)

        def on_step(message: str) -> None:
            bar.update(task, description=f"Menautkan daftar ke penduduk: {message}")

        with unit_of_work() as session:
            summaries = linkage.link_rosters(session=session, roster_ids=roster_ids,
                                             progress=on_step)
    typer.echo(f"Penautan {_n(len(summaries))} daftar: "
               f"{link_cli.describe(linkage.total(summaries))} "
               f"({format_number(time.monotonic() - started)} detik).")


def _n(number: int) -> str:
    return format_number(number)
