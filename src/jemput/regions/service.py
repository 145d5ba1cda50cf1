"""Load and query Kemendagri regions."""

from __future__ import annotations

import csv
from collections.abc import Callable
from enum import StrEnum
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.regions.models import Region

IDN_AREA_DATA_SOURCE = "idn-area-data (ODbL)"
PACKAGED_SOURCE = "idn-area-data 4.0.1 (ODbL)"


class RegionLevel(StrEnum):
    PROVINCE = "provinsi"
    REGENCY = "kabupaten"
    DISTRICT = "kecamatan"
    VILLAGE = "desa"


# idn-area-data's four CSV layouts, told apart by their parent column.
_PARENT_COLUMN = {
    RegionLevel.PROVINCE: None,
    RegionLevel.REGENCY: "province_code",
    RegionLevel.DISTRICT: "regency_code",
    RegionLevel.VILLAGE: "district_code",
}
_LEVEL_ORDER = list(_PARENT_COLUMN)


class RegionFileError(ValueError):
    """A region file that cannot be read; the message says where and why."""


def village_kind(code: str) -> str:
    """Tell desa from kelurahan by the first digit of the village part (DOMAIN.md §2)."""
    first = code[-4:][0]
    return {"1": "kelurahan", "2": "desa", "3": "desa_adat"}.get(first, "desa")


def level_of(code: str) -> RegionLevel:
    """Return the level of a dotted region code."""
    return _LEVEL_ORDER[code.count(".")]


def detect_level(header: list[str]) -> RegionLevel:
    """Recognise which idn-area-data file a header belongs to."""
    columns = {column.strip().lower() for column in header}
    if not {"code", "name"} <= columns:
        raise RegionFileError("baris judul harus memuat kolom 'code' dan 'name'")
    for level, parent in _PARENT_COLUMN.items():
        if parent and parent in columns:
            return level
    return RegionLevel.PROVINCE


def import_region_file(
    *,
    session: Session,
    path: Path,
    source: str = IDN_AREA_DATA_SOURCE,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Upsert the regions in one idn-area-data CSV; return how many rows were read."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise RegionFileError(f"{path.name}: berkas kosong") from None
        level = detect_level(header)
        index = {column.strip().lower(): i for i, column in enumerate(header)}
        parent_column = _PARENT_COLUMN[level]
        rows = []
        for line, row in enumerate(reader, start=2):
            if not row:
                continue
            code = row[index["code"]].strip()
            if level_of(code) is not level:
                raise RegionFileError(
                    f"{path.name} baris {line}: kode '{code}' bukan kode {level.value}"
                )
            parent = row[index[parent_column]].strip() if parent_column else None
            rows.append((code, row[index["name"]].strip(), parent))
    _upsert(session=session, level=level, rows=rows, source=source, progress=progress)
    return len(rows)


def _upsert(
    *,
    session: Session,
    level: RegionLevel,
    rows: list[tuple[str, str, str | None]],
    source: str,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    existing = {r.code: r for r in session.scalars(select(Region).where(Region.level == level))}
    for done, (code, name, parent) in enumerate(rows, start=1):
        if progress and done % 5000 == 0:
            progress(done, len(rows))
        region = existing.get(code)
        if region is None:
            region = Region(code=code, level=level.value)
            session.add(region)
        region.name = name
        region.parent_code = parent
        region.village_kind = village_kind(code) if level is RegionLevel.VILLAGE else None
        region.source = source
    session.flush()
    if progress:
        progress(len(rows), len(rows))


def import_centres(*, session: Session, path: Path) -> int:
    """Set the map centres of regions from a `code,latitude,longitude` CSV."""
    regions = {r.code: r for r in session.scalars(select(Region))}
    count = 0
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            region = regions.get(row["code"])
            if region is None:
                raise RegionFileError(f"{path.name} baris {line}: kode {row['code']} tidak dikenal")
            region.latitude = float(row["latitude"])
            region.longitude = float(row["longitude"])
            count += 1
    session.flush()
    return count


def load_packaged_regions(*, session: Session) -> int:
    """Load the demo regency's regions and desa centres shipped with the package."""
    data = resources.files("jemput.regions") / "data"
    total = 0
    for name in ("provinces.csv", "regencies.csv", "districts.csv", "villages.csv"):
        with resources.as_file(data / name) as path:
            total += import_region_file(session=session, path=path, source=PACKAGED_SOURCE)
    with resources.as_file(data / "centres.csv") as path:
        import_centres(session=session, path=path)
    return total


def get_region(*, session: Session, code: str) -> Region | None:
    """Return the region with this code, or None."""
    return session.get(Region, code)


def list_children(*, session: Session, code: str) -> list[Region]:
    """Return the regions directly under `code`, ordered by code."""
    return list(
        session.scalars(select(Region).where(Region.parent_code == code).order_by(Region.code))
    )


def village_codes(*, session: Session) -> set[str]:
    """Return every known village code (for validating imports)."""
    return set(session.scalars(select(Region.code).where(Region.level == RegionLevel.VILLAGE)))


def villages_by_name(*, session: Session, regency_code: str) -> dict[tuple[str, str], str]:
    """Map (kecamatan name, desa name), upper-cased, to the desa code within a regency."""
    districts = {
        r.code: r.name.upper()
        for r in session.scalars(
            select(Region).where(
                Region.level == RegionLevel.DISTRICT, Region.parent_code == regency_code
            )
        )
    }
    villages = session.scalars(
        select(Region).where(
            Region.level == RegionLevel.VILLAGE, Region.parent_code.in_(list(districts))
        )
    )
    return {(districts[v.parent_code or ""], v.name.upper()): v.code for v in villages}
