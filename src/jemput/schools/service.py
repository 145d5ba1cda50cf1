"""Load schools, madrasah, SLB and pesantren; their rosters are jemput.rosters' business."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.regions import service as regions
from jemput.schools.models import School

KINDS = frozenset({"SMA", "SMK", "MA", "SLB", "PESANTREN"})
SCHOOL_COLUMNS = ("npsn", "nama", "jenis", "desa_code", "latitude", "longitude")


class SchoolFileError(ValueError):
    """A schools file that cannot be loaded; the message names file and line."""


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


def list_schools(*, session: Session) -> list[School]:
    """Return every school, ordered by NPSN."""
    return list(session.scalars(select(School).order_by(School.npsn)))


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
