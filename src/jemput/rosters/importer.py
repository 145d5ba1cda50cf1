"""Load a school, pesantren or voter roster: all of it, or nothing.

The same pipeline as the registry's import (jemput.intake): rows are read into a
staging area, every problem goes to the report as it is found, and only then is a
Roster written, in the caller's transaction. A file with errors writes nothing unless
`accept_valid`; an interrupted import leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Integer,
    MetaData,
    SmallInteger,
    Table,
    Text,
    false,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from jemput import clock
from jemput.config import get_settings
from jemput.intake.errors import ImportRefused, LayoutError, Problem, SourceError
from jemput.intake.report import ProblemReport, report_name
from jemput.intake.sources import HEADER_SEARCH_ROWS, Source, file_sha256, open_source
from jemput.intake.staging import reading_beside, staging_area
from jemput.intake.terminal import OnProgress
from jemput.regions import service as regions
from jemput.residents.import_scope import ImportScope, regency_scope
from jemput.rosters import keys
from jemput.rosters.layouts import FIELDS, RowContext, RowReader, detector, is_subheader
from jemput.rosters.models import Roster, RosterKind, RosterRow
from jemput.schools.models import School

BATCH_ROWS = 5_000
_TYPES: dict[str, TypeEngine[Any]] = {"birth_date": Date(), "sex": SmallInteger()}
_STORED = [name for name in FIELDS if name != "npsn"]  # npsn only names the roster's owner


@dataclass
class RosterResult:
    outcome: str  # applied | rejected
    kind: str
    layout: str
    owner: str  # the school's NPSN or the voter list's desa code
    roster_id: int | None = None
    replaced_id: int | None = None
    rows_read: int = 0
    rows_rejected: int = 0
    rows_warned: int = 0
    rows_loaded: int = 0
    report_path: Path | None = None
    first_problems: list[tuple[int, Problem]] = field(default_factory=list)


def staging_table(metadata: MetaData, temporary: bool = True) -> Table:
    """Return the roster staging table: line number, RosterRow fields, key, rejected flag."""
    columns: list[Column[Any]] = [Column("line_no", Integer, primary_key=True)]
    columns += [Column(name, _TYPES.get(name, Text())) for name in FIELDS]
    columns += [Column("row_key", Text()), Column("rejected", Boolean())]
    return Table("roster_staging", metadata, *columns,
                 prefixes=["TEMPORARY"] if temporary else [])


@dataclass
class _Owner:
    """Whose list this is: a school (dapodik, pesantren) or a desa (dpt)."""

    code: str
    school_id: int | None = None
    desa_code: str | None = None


def import_roster(
    *,
    session: Session,
    path: Path,
    kind: str,
    npsn: str | None = None,
    desa_code: str | None = None,
    data_date: date | None = None,
    accept_valid: bool = False,
    scope: ImportScope | None = None,
    imported_by: str | None = None,
    report_dir: Path | None = None,
    progress: OnProgress | None = None,
) -> RosterResult:
    """Import a roster file of `kind`; see the module docstring.

    `scope` bounds whose list may be loaded (default: the office, the whole regency): a
    school or desa outside it is refused as a whole.
    """
    if kind not in RosterKind.ALL:
        raise ImportRefused(f"jenis daftar '{kind}' tidak dikenal ({', '.join(RosterKind.ALL)})")
    started = datetime.now(UTC)
    today = clock.today(now=started)
    scope = scope or regency_scope()
    owner = _owner_before_reading(session=session, kind=kind, npsn=npsn, desa_code=desa_code,
                                  scope=scope, name=path.name)
    try:
        source = open_source(path, detect=detector(kind), csv_header_rows=HEADER_SEARCH_ROWS)
    except (SourceError, LayoutError, OSError) as error:
        raise ImportRefused(f"{path.name}: {error}") from None
    try:
        reader = RowReader(layout=source.layout, header=source.header,
                           context=RowContext(today=today, data_date=data_date or today))
        return _import_source(
            session=session, path=path, source=source, reader=reader, kind=kind, owner=owner,
            npsn=npsn, data_date=data_date or today, accept_valid=accept_valid, scope=scope,
            imported_by=imported_by or scope.actor, started=started,
            report_dir=report_dir or get_settings().data_dir / "laporan-impor",
            progress=progress,
        )
    except (SourceError, LayoutError) as error:
        raise ImportRefused(f"{path.name}: {error}") from None
    finally:
        source.close()


def _owner_before_reading(
    *, session: Session, kind: str, npsn: str | None, desa_code: str | None,
    scope: ImportScope, name: str,
) -> _Owner | None:
    if kind == RosterKind.DPT:
        if not desa_code:
            raise ImportRefused(f"{name}: sebutkan desa daftar pemilih ini dengan --desa KODE")
        with reading_beside(session) as reader:
            known = desa_code in regions.village_codes(session=reader)
        if not known:
            raise ImportRefused(f"{name}: kode desa {desa_code} tidak dikenal")
        if not scope.contains(desa_code):
            raise ImportRefused(f"{name}: desa {desa_code} di luar wilayah Anda")
        return _Owner(code=desa_code, desa_code=desa_code)
    if npsn:
        return _school_owner(session=session, kind=kind, npsn=npsn.strip(), scope=scope,
                             name=name)
    return None  # the file's own npsn column names the school


def _school_owner(
    *, session: Session, kind: str, npsn: str, scope: ImportScope, name: str
) -> _Owner:
    with reading_beside(session) as reader:
        school = reader.scalars(select(School).where(School.npsn == npsn)).one_or_none()
        found = (school.id, school.kind, school.desa_code) if school else None
    if found is None:
        raise ImportRefused(f"{name}: sekolah dengan NPSN {npsn} belum terdaftar "
                            "(muat dulu dengan 'jemput schools import')")
    school_id, school_kind, school_desa = found
    if (school_kind == "PESANTREN") != (kind == RosterKind.PESANTREN):
        raise ImportRefused(f"{name}: NPSN {npsn} adalah {school_kind}, bukan daftar "
                            f"jenis '{kind}'")
    if not scope.contains(school_desa):
        raise ImportRefused(f"{name}: sekolah {npsn} di luar wilayah Anda")
    return _Owner(code=npsn, school_id=school_id)


def _import_source(
    *,
    session: Session,
    path: Path,
    source: Source,
    reader: RowReader,
    kind: str,
    owner: _Owner | None,
    npsn: str | None,
    data_date: date,
    accept_valid: bool,
    scope: ImportScope,
    imported_by: str | None,
    started: datetime,
    report_dir: Path,
    progress: OnProgress | None,
) -> RosterResult:
    report = ProblemReport(report_dir / report_name(prefix="daftar", started=started, path=path))
    result = RosterResult(outcome="rejected", kind=kind, layout=source.layout,
                          owner=owner.code if owner else "", report_path=report.path)
    with staging_area(session, make_table=staging_table) as area, report:
        file_npsn = _stage_rows(area=area, source=source, reader=reader, report=report,
                                result=result, kind=kind, owner=owner, progress=progress)
        if not result.rows_read:
            report.discard()
            raise ImportRefused(f"{path.name}: tidak ada baris data, hanya baris judul")
        if owner is None:
            if not file_npsn:
                report.discard()
                raise ImportRefused(f"{path.name}: berkas tidak memuat kolom npsn: sebutkan "
                                    "sekolahnya dengan --npsn NPSN")
            owner = _school_owner(session=session, kind=kind, npsn=file_npsn, scope=scope,
                                  name=path.name)
            result.owner = owner.code
        result.first_problems = report.first
        loadable = result.rows_read - result.rows_rejected
        if loadable and (not result.rows_rejected or accept_valid):
            _write(session=session, area=area, path=path, kind=kind, owner=owner,
                   data_date=data_date, started=started, imported_by=imported_by,
                   result=result)
    return result


def _stage_rows(
    *,
    area: Any,
    source: Source,
    reader: RowReader,
    report: ProblemReport,
    result: RosterResult,
    kind: str,
    owner: _Owner | None,
    progress: OnProgress | None,
) -> str | None:
    """Stage every row; return the school the file names in its npsn column, if any."""
    batch: list[tuple[Any, ...]] = []
    seen: dict[str, int] = {}
    file_npsn = None
    for line, row in source.rows:
        if is_subheader(reader, row):
            continue
        result.rows_read += 1
        values, problems, rejected = reader.read(row)
        row_npsn = values.get("npsn")
        if row_npsn:
            expected = owner.code if owner else (file_npsn or row_npsn)
            file_npsn = file_npsn or row_npsn
            if row_npsn != expected:
                problems.append(Problem("npsn", row_npsn, f"baris ini milik sekolah lain "
                                        f"(NPSN {expected} untuk seluruh berkas)"))
                rejected = True
        key = ""
        if not rejected:
            key = keys.row_key(kind=kind, owner=owner.code if owner else (file_npsn or ""),
                               nik=values.get("nik"), nisn=values.get("nisn"),
                               name=values["name"], birth_date=values["birth_date"])
            if key in seen:
                problems.append(Problem(reader.name_column, values["name"],
                                        f"orang yang sama sudah ada di baris {seen[key]}"))
                rejected = True
            else:
                seen[key] = line
        for problem in problems:
            report.add(line, problem)
        if rejected:
            result.rows_rejected += 1
            batch.append((line, *([None] * len(FIELDS)), None, True))
        else:
            result.rows_warned += bool(problems)
            batch.append((line, *[values.get(name) for name in FIELDS], key, False))
        if len(batch) >= BATCH_ROWS:
            area.insert(batch)
            batch = []
            if progress:
                progress(source.position(), source.size, result.rows_read)
    if batch:
        area.insert(batch)
    if progress:
        progress(source.size, source.size, result.rows_read)
    return file_npsn


def _write(
    *,
    session: Session,
    area: Any,
    path: Path,
    kind: str,
    owner: _Owner,
    data_date: date,
    started: datetime,
    imported_by: str | None,
    result: RosterResult,
) -> None:
    roster = Roster(
        kind=kind, school_id=owner.school_id, desa_code=owner.desa_code, file_name=path.name,
        file_sha256=file_sha256(path), data_date=data_date, imported_at=started,
        imported_by=imported_by, rows_read=result.rows_read,
        rows_rejected=result.rows_rejected, report_path=str(result.report_path),
    )
    session.add(roster)
    session.flush()
    staging = area.for_merge(session)
    s = staging.c
    desa = literal(owner.desa_code) if owner.desa_code else None
    chosen = [literal(roster.id), s.line_no, s.row_key]
    chosen += [desa if name == "desa_code" and desa is not None else s[name] for name in _STORED]
    connection = session.connection()
    inserted = connection.execute(
        insert(RosterRow).from_select(["roster_id", "line", "row_key", *_STORED],
                                      select(*chosen).where(s.rejected == false()))
    )
    result.rows_loaded = inserted.rowcount
    area.release(session)
    # The list this one replaces: the same school's roster, or the same desa's voter list.
    same_owner = (Roster.desa_code == owner.desa_code if owner.desa_code
                  else Roster.school_id == owner.school_id)
    previous = session.scalars(
        select(Roster.id).where(Roster.kind == kind, same_owner, Roster.id != roster.id,
                                Roster.replaced_by_id.is_(None))
    ).all()
    if previous:
        session.execute(update(Roster).where(Roster.id.in_(previous))
                        .values(replaced_by_id=roster.id))
        result.replaced_id = max(previous)
    result.roster_id = roster.id
    result.outcome = "applied"
    session.flush()
