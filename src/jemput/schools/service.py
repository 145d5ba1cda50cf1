"""Load schools and their student rosters (Dapodik "Daftar PD", FORMATS.md §3)."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jemput.regions import service as regions
from jemput.residents.codes import SEX_LABELS
from jemput.residents.nik import normalize_nik
from jemput.schools.models import School, SchoolStudent

KINDS = frozenset({"SMA", "SMK", "MA", "SLB", "PESANTREN"})
SCHOOL_COLUMNS = ("npsn", "nama", "jenis", "desa_code", "latitude", "longitude")
ROSTER_REQUIRED = ("Nama", "JK", "Tanggal Lahir")
# The Excel export puts about five title rows above the header; a CSV saved from it
# keeps them, so the header is searched for rather than assumed to be the first row.
HEADER_SEARCH_ROWS = 10
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
NO_SPECIAL_NEEDS = frozenset({"", "-", "TIDAK ADA", "TIDAK"})


class SchoolFileError(ValueError):
    """A schools or roster file that cannot be loaded; the message names file and line."""


def import_schools(*, session: Session, path: Path) -> int:
    """Upsert the schools of a `npsn,nama,jenis,desa_code,latitude,longitude` CSV."""
    villages = regions.village_codes(session=session)
    parsed: dict[str, tuple[str, str, str, float | None, float | None]] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [column.strip().lower() for column in next(reader, [])]
        missing = [column for column in SCHOOL_COLUMNS[:4] if column not in header]
        if missing:
            raise SchoolFileError(f"{path.name}: kolom {', '.join(missing)} tidak ada")
        index = {column: i for i, column in enumerate(header)}
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            cell = _cells(row, index)
            where = f"{path.name} baris {line}"
            npsn = cell("npsn")
            if not npsn:
                raise SchoolFileError(f"{where}: NPSN kosong")
            if npsn in parsed:
                raise SchoolFileError(f"{where}: NPSN {npsn} muncul dua kali")
            kind = cell("jenis").upper()
            if kind not in KINDS:
                raise SchoolFileError(
                    f"{where}: jenis '{kind}' tidak dikenal (SMA, SMK, MA, SLB, PESANTREN)"
                )
            desa_code = cell("desa_code")
            if desa_code not in villages:
                raise SchoolFileError(f"{where}: kode desa '{desa_code}' tidak dikenal")
            name = cell("nama")
            if not name:
                raise SchoolFileError(f"{where}: nama sekolah kosong")
            parsed[npsn] = (name, kind, desa_code, _float(cell("latitude"), where),
                            _float(cell("longitude"), where))
    existing = {s.npsn: s for s in session.scalars(select(School))}
    for npsn, (name, kind, desa_code, lat, lng) in parsed.items():
        school = existing.get(npsn)
        if school is None:
            school = School(npsn=npsn)
            session.add(school)
        school.name, school.kind, school.desa_code = name, kind, desa_code
        school.latitude, school.longitude = lat, lng
    session.flush()
    return len(parsed)


def import_roster(*, session: Session, school_npsn: str, path: Path) -> int:
    """Replace a school's roster with the students of a Daftar PD CSV."""
    school = session.scalars(select(School).where(School.npsn == school_npsn)).one_or_none()
    if school is None:
        raise SchoolFileError(f"sekolah dengan NPSN {school_npsn} belum terdaftar")
    students = [SchoolStudent(school_id=school.id, **fields) for fields in _roster_rows(path)]
    session.execute(delete(SchoolStudent).where(SchoolStudent.school_id == school.id))
    session.add_all(students)
    session.flush()
    return len(students)


def list_schools(*, session: Session) -> list[School]:
    """Return every school, ordered by NPSN."""
    return list(session.scalars(select(School).order_by(School.npsn)))


def _roster_rows(path: Path) -> Iterator[dict[str, object]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        index: dict[str, int] = {}
        for line, row in enumerate(reader, start=1):
            if not index:
                names = {cell.strip().lower(): i for i, cell in enumerate(row)}
                if "nama" in names and "jk" in names:
                    index = names
                    missing = [c for c in ROSTER_REQUIRED if c.lower() not in names]
                    if missing:
                        raise SchoolFileError(f"{path.name}: kolom {', '.join(missing)} tidak ada")
                elif line >= HEADER_SEARCH_ROWS:
                    raise SchoolFileError(
                        f"{path.name}: baris judul (Nama, JK, Tanggal Lahir, ...) tidak ditemukan"
                    )
                continue
            if not any(cell.strip() for cell in row):
                continue
            yield _student(row, index, f"{path.name} baris {line}")
        if not index:
            raise SchoolFileError(f"{path.name}: berkas kosong atau tanpa baris judul")


def _student(row: list[str], index: dict[str, int], where: str) -> dict[str, object]:
    cell = _cells(row, index)
    name = cell("nama")
    if not name:
        raise SchoolFileError(f"{where}: nama siswa kosong")
    sex = SEX_LABELS.get(cell("jk").upper())
    if sex is None:
        raise SchoolFileError(f"{where}: JK '{cell('jk')}' harus L atau P")
    birth = _date(cell("tanggal lahir"))
    if birth is None:
        raise SchoolFileError(
            f"{where}: tanggal lahir '{cell('tanggal lahir')}' tidak terbaca (TTTT-BB-HH)"
        )
    nisn = "".join(ch for ch in cell("nisn") if ch.isdigit())
    if nisn and len(nisn) > 10:
        raise SchoolFileError(f"{where}: NISN '{cell('nisn')}' lebih dari 10 digit")
    nik = normalize_nik(cell("nik"))
    special = cell("kebutuhan khusus")
    return {
        "name": name.upper(),
        "sex": sex,
        "birth_date": birth,
        # Excel drops NISN's leading zeros (e.g. 0091234567 -> 91234567).
        "nisn": nisn.zfill(10) if nisn else None,
        # A NIK of the wrong length is kept out rather than refusing the roster: the
        # student is still matched to SIAK by name and birth date.
        "nik": nik if len(nik) == 16 else None,
        "class_name": cell("rombel saat ini") or None,
        "special_needs": None if special.upper() in NO_SPECIAL_NEEDS else special,
    }


def _cells(row: list[str], index: dict[str, int]) -> Callable[[str], str]:
    def cell(column: str) -> str:
        i = index.get(column)
        return row[i].strip() if i is not None and i < len(row) else ""

    return cell


def _float(text: str, where: str) -> float | None:
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise SchoolFileError(f"{where}: koordinat '{text}' bukan angka") from None


def _date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    return None
