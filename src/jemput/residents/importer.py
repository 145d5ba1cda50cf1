"""Load a population export into the registry: all of it, or nothing.

The file is read once, row by row, into a staging area (staging.py); every problem
goes to a report file as it is found. Only then is the registry touched, by a few
set-based statements (merge.py) in the caller's transaction. A file with errors
changes no resident unless `accept_valid` is set, and an interrupted import (Ctrl-C,
kill) leaves the database as it was, because nothing is committed before the
caller's unit of work ends.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, false, func, select
from sqlalchemy.orm import Session

from jemput import clock
from jemput.config import get_settings
from jemput.db import Inserter, foreign_keys_checked_once, read_only_session
from jemput.intake.errors import ImportRefused, SourceError
from jemput.intake.report import ProblemReport, report_name
from jemput.intake.sources import Source, file_sha256, open_source
from jemput.intake.staging import StagingArea, staging_area
from jemput.regions import service as regions
from jemput.residents import data_dates, import_scope, merge, status_order
from jemput.residents.columnar import ColumnarReader
from jemput.residents.events import ImportApplied, announce_import_applied
from jemput.residents.import_scope import Coverage, ImportScope, ScopeRefused
from jemput.residents.layouts import (
    FIELDS,
    ImportContext,
    LayoutError,
    Problem,
    RowReader,
    apply_mapping,
    detect_layout,
)
from jemput.residents.models import ImportRun, Resident
from jemput.residents.nik import normalize_nik
from jemput.residents.search import rebuild_name_keys
from jemput.spreadsheets import safe_row

BATCH_ROWS = 20_000
COLUMN_BATCH_ROWS = 20_000  # large enough for polars, small enough to keep memory flat
_EMPTY = (None,) * (len(FIELDS) - 1)  # a rejected row's fields after its NIK

Progress = Callable[[int, int, int], None]  # (bytes done, bytes total, rows read)


@dataclass
class ImportResult:
    run_id: int
    outcome: str  # applied | rejected
    layout: str
    rows_read: int = 0
    rows_rejected: int = 0
    rows_warned: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    status_changes: int = 0
    status_backwards: int = 0  # applied, and listed as warnings in the report
    disappeared: int = 0
    report_path: Path | None = None
    disappeared_report_path: Path | None = None
    first_problems: list[tuple[int, Problem]] = field(default_factory=list)
    # The coverage set, as region codes with names; the scope the import wrote in.
    coverage: list[dict[str, str]] = field(default_factory=list)
    scope_region: str = ""


def import_file(
    *,
    session: Session,
    path: Path,
    accept_valid: bool = False,
    data_date: date | None = None,
    report_dir: Path | None = None,
    mapping: dict[str, str] | None = None,
    desa_code: str | None = None,
    imported_by: str | None = None,
    progress: Progress | None = None,
    scope: ImportScope | None = None,
    covers: Sequence[str] = (),
    allow_older: bool = False,
    columnar: bool = True,
) -> ImportResult:
    """Import a SIAK, Data Penduduk or OpenSID export; see the module docstring.

    `scope` bounds what the import may write (default: the whole regency, the office
    itself); `covers` names areas the file is complete for beyond its own rows. An
    export older than the registry's data date of a desa it covers is refused
    (data_dates.py) unless `allow_older`: the office says the earlier date was wrong.
    `columnar=False` reads every row through RowReader (the reference the column-wise
    reading is compared with, in tests and benchmarks).
    """
    settings = get_settings()
    started = datetime.now(UTC)
    today = clock.today(now=started)
    mapping_header = (lambda header: apply_mapping(header, mapping)) if mapping else None
    try:
        source = open_source(path, detect=detect_layout, mapping_header=mapping_header,
                             ends_data=_opensid_end)
    except (SourceError, LayoutError, OSError) as error:
        raise ImportRefused(f"{path.name}: {error}") from None
    try:
        return _import_source(
            session=session, path=path, source=source, accept_valid=accept_valid,
            data_date=data_date or today, started=started,
            report_dir=report_dir or settings.data_dir / "laporan-impor",
            desa_code=desa_code, imported_by=imported_by, progress=progress,
            scope=scope or import_scope.regency_scope(), covers=covers,
            allow_older=allow_older, columnar=columnar,
        )
    except SourceError as error:
        # The file broke half-way (bad quoting, a damaged sheet): a refusal like one
        # found at the start. Nothing was written; the caller's unit of work rolls back.
        raise ImportRefused(f"{path.name}: {error}") from None
    finally:
        source.close()


def _opensid_end(layout: str, row: list[Any]) -> bool:
    # OpenSID: '###' in column 2 ends the data.
    return layout == "opensid" and len(row) > 1 and str(row[1]).strip() == "###"


def _read_context(*, session: Session, today: date, desa_code: str | None) -> ImportContext:
    def read(reader: Session) -> ImportContext:
        return ImportContext(
            today=today,
            village_codes=regions.village_codes(session=reader),
            villages_by_name=regions.villages_by_name(
                session=reader, regency_code=get_settings().regency_code
            ),
            desa_code=desa_code,
        )

    bind = session.get_bind()
    if bind.dialect.name == "sqlite" and isinstance(bind, Engine):
        # Read outside the import's own transaction, which must not begin (and take
        # SQLite's write lock) before the merge; see staging.py.
        with read_only_session(bind) as reader:
            return read(reader)
    return read(session)


def _import_source(
    *,
    session: Session,
    path: Path,
    source: Source,
    accept_valid: bool,
    data_date: date,
    started: datetime,
    report_dir: Path,
    desa_code: str | None,
    imported_by: str | None,
    progress: Progress | None,
    scope: ImportScope,
    covers: Sequence[str],
    allow_older: bool,
    columnar: bool = True,
) -> ImportResult:
    try:
        context = _read_context(session=session, today=clock.today(now=started),
                                desa_code=desa_code)
        reader = RowReader(layout=source.layout, header=source.header, context=context)
        import_scope.check_areas(scope=scope, desa_code=desa_code, covers=covers,
                                 village_codes=context.village_codes)
    except (LayoutError, ScopeRefused) as error:
        raise ImportRefused(f"{path.name}: {error}") from None

    stamp = started.strftime("%Y%m%d-%H%M%S")
    report = ProblemReport(report_dir / report_name(prefix="impor", started=started, path=path))
    result = ImportResult(run_id=0, outcome="rejected", layout=source.layout,
                          report_path=report.path)
    # The report stays open through the merge, which adds its warnings (status moved back).
    with staging_area(session, make_table=merge.staging_table) as area, report:
        fast = ColumnarReader.for_reader(reader) if columnar and source.text_cells else None
        if fast is None:
            _stage_rows(insert=area.insert, source=source, reader=reader, report=report,
                        result=result, progress=progress)
        else:
            _stage_columns(area=area, source=source, fast=fast, report=report, result=result,
                           progress=progress)
        if not result.rows_read:
            # A header alone says nothing about anyone: not an import, not the latest.
            report.discard()
            raise ImportRefused(f"{path.name}: tidak ada baris data, hanya baris judul")
        result.rows_rejected += merge.set_aside_duplicates(
            connection=area.connection, staging=area.table, report=report.add
        )
        result.rows_rejected += import_scope.set_aside_out_of_scope(
            session=session, connection=area.connection, staging=area.table, scope=scope,
            layout=source.layout, nik_column=reader.nik_column,
            village_codes=context.village_codes, report=report.add,
        )
        coverage = import_scope.coverage_of(
            desa_code=desa_code, covers=covers, village_codes=context.village_codes,
            staged=import_scope.staged_desas(connection=area.connection, staging=area.table),
        )
        result.first_problems = report.first
        # The desas this import speaks for: its coverage set, within the uploader's scope.
        covered = coverage.missing_in(scope)
        newer = data_dates.newer_than(session=session, desa_codes=covered, data_date=data_date)
        if newer and not allow_older:
            raise ImportRefused(f"{path.name}: " + data_dates.older_export_message(
                data_date=data_date, newer=newer))
        # From here on the registry itself is written: the run, then (maybe) the merge.
        run = ImportRun(
            file_name=path.name, file_sha256=file_sha256(path), layout=source.layout,
            data_date=data_date, started_at=started, outcome="rejected",
            accept_valid=accept_valid, imported_by=imported_by or scope.actor,
            report_path=str(report.path), coverage=",".join(coverage.codes),
            scope_region=scope.region,
        )
        session.add(run)
        session.flush()
        result.run_id = run.id
        result.scope_region = scope.region
        result.coverage = import_scope.describe_coverage(session=session, codes=coverage.codes)
        # Not a single row to load is no import either, even with accept_valid: it would
        # become the latest import and move the dashboard's date while saying nothing.
        if not result.rows_rejected or (accept_valid and result.rows_rejected < result.rows_read):
            _merge(session=session, area=area, run=run, reader=reader, result=result,
                   report=report, covered=covered, report_dir=report_dir, stamp=stamp,
                   scope=scope, coverage=coverage)
    for key in ("outcome", "rows_read", "rows_rejected", "rows_warned", "inserted", "updated",
                "unchanged", "status_changes", "disappeared"):
        setattr(run, key, getattr(result, key))
    run.finished_at = datetime.now(UTC)
    session.flush()
    return result


def _merge(
    *,
    session: Session,
    area: StagingArea,
    run: ImportRun,
    reader: RowReader,
    result: ImportResult,
    report: ProblemReport,
    covered: list[str],
    report_dir: Path,
    stamp: str,
    scope: ImportScope,
    coverage: Coverage,
) -> None:
    staging = area.for_merge(session)
    connection = session.connection()
    # Into an empty registry (the first import), foreign keys are checked once after the
    # merge instead of row by row: nobody else has residents to read meanwhile.
    empty = connection.scalar(select(Resident.id).limit(1)) is None
    with (foreign_keys_checked_once(connection, [merge.residents, merge.history]) if empty
          else nullcontext()):
        counts = merge.apply(connection=connection, staging=staging, run_id=run.id,
                             provided=reader.provided, now=run.started_at,
                             scope_region=scope.region, missing_in=coverage.missing_in(scope),
                             data_date=run.data_date)
    for key, value in counts.items():
        setattr(result, key, value)
    staged = connection.scalar(
        select(func.count()).select_from(staging).where(staging.c.rejected == false())
    ) or 0
    result.unchanged = staged - result.inserted - result.updated
    _report_backwards(connection=connection, staging=staging, run_id=run.id, reader=reader,
                      report=report, result=result)
    area.release(session)
    result.disappeared_report_path = _write_disappeared(
        session=session, run_id=run.id, directory=report_dir, stamp=stamp
    )
    data_dates.stamp_desas(session=session, desa_codes=covered, data_date=run.data_date,
                           run_id=run.id)
    rebuild_name_keys(session=session, run_id=run.id)
    result.outcome = "applied"
    announce_import_applied(ImportApplied(session=session, run_id=run.id,
                                          data_date=run.data_date, desa_codes=tuple(covered)))


def _report_backwards(
    *,
    connection: Connection,
    staging: Table,
    run_id: int,
    reader: RowReader,
    report: ProblemReport,
    result: ImportResult,
) -> None:
    column = next((c for _, c, f, _ in reader.readers if f == "ktp_status"), "ktp_status")
    for line, _nik, old, new in status_order.backwards_changes(
        connection=connection, staging=staging, run_id=run_id
    ):
        report.add(line, Problem(column, new, status_order.backwards_reason(old, new),
                                 "peringatan"))
        result.status_backwards += 1


def _stage_rows(
    *,
    insert: Inserter,
    source: Source,
    reader: RowReader,
    report: ProblemReport,
    result: ImportResult,
    progress: Progress | None,
) -> None:
    batch: list[tuple[Any, ...]] = []
    for line, row in source.rows:
        result.rows_read += 1
        _read_row(line, row, reader=reader, report=report, result=result, batch=batch)
        if len(batch) >= BATCH_ROWS:
            insert(batch)
            batch = []
            if progress:
                progress(source.position(), source.size, result.rows_read)
    if batch:
        insert(batch)
    if progress:
        progress(source.size, source.size, result.rows_read)


def _stage_columns(
    *,
    area: StagingArea,
    source: Source,
    fast: ColumnarReader,
    report: ProblemReport,
    result: ImportResult,
    progress: Progress | None,
) -> None:
    # Batches are judged column-wise; the rows that are not plainly clean go through
    # RowReader in file order, so the report is written exactly as _stage_rows writes it.
    lines: list[int] = []
    rows: list[list[Any]] = []

    def flush() -> None:
        frame, slow = fast.split(lines, rows)
        area.insert_frame(frame)
        batch: list[tuple[Any, ...]] = []
        for position in slow:
            _read_row(lines[position], rows[position], reader=fast.reader, report=report,
                      result=result, batch=batch)
        if batch:
            area.insert(batch)
        lines.clear()
        rows.clear()

    for line, row in source.rows:
        result.rows_read += 1
        lines.append(line)
        rows.append(row)
        if len(rows) >= COLUMN_BATCH_ROWS:
            flush()
            if progress:
                progress(source.position(), source.size, result.rows_read)
    if rows:
        flush()
    if progress:
        progress(source.size, source.size, result.rows_read)


def _read_row(
    line: int,
    row: list[Any],
    *,
    reader: RowReader,
    report: ProblemReport,
    result: ImportResult,
    batch: list[tuple[Any, ...]],
) -> None:
    values, problems, rejected = reader.read(row)
    for problem in problems:
        report.add(line, problem)
    if rejected:
        result.rows_rejected += 1
        batch.append((line, normalize_nik(values.get("nik") or ""), *_EMPTY, True))
    else:
        if problems:
            result.rows_warned += 1
        batch.append((line, *[values.get(name) for name in FIELDS], False))


def _write_disappeared(
    *, session: Session, run_id: int, directory: Path, stamp: str
) -> Path | None:
    rows = session.execute(
        select(Resident.nik, Resident.name, Resident.desa_code, Resident.ktp_status)
        .where(Resident.missing_since_import_id == run_id)
        .order_by(Resident.desa_code, Resident.name)
    ).all()
    if not rows:
        return None
    path = directory / f"impor-{run_id}-{stamp}-tidak-ada-lagi.csv"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["nik", "nama", "kode_desa", "status_ktp_el", "keterangan"])
        for nik, name, desa, status in rows:
            writer.writerow(safe_row([nik, name, desa, status or "",
                                      "tidak ada di ekspor terbaru (pindah/meninggal?) - periksa"]))
    return path
