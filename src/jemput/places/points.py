"""`jemput regions import-points`: desa and dusun points from a `code,lat,lng` CSV.

A code names a desa ("33.06.01.2001") or a dusun inside its desa
("33.06.01.2001/KRAJAN"): a dusun has no Kemendagri code, and the residents table holds
it as free text, so its name inside its desa is the only key both sides share. The name
is matched as `dusun_key` normalises it (case, spaces, a "DUSUN"/"DSN." prefix).

Every row is checked before anything is written; one bad row writes nothing, and the
problems name their line, column, value and reason, in Indonesian.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.auth.access import within_region
from jemput.places.models import DusunPoint
from jemput.regions.models import Region

DUSUN_SEPARATOR = "/"
# A point this far outside the regency's known desa points (or the file's own) is a
# typo or swapped columns, not a hamlet: Indonesian regencies span at most ~100 km.
FAR_KM = 15.0
# With no desa points yet, the file's own median centre is the reference: half the
# widest regency.
FAR_FROM_MEDIAN_KM = 60.0
KM_PER_DEGREE = 111.2
_PREFIX = re.compile(r"^(DUSUN|DSN\.?|DS\.)\s+")
_HEADERS = {"code": ("code", "kode"), "lat": ("lat", "latitude", "lintang"),
            "lng": ("lng", "lon", "longitude", "bujur")}


def dusun_key(name: str) -> str:
    """Normalise a dusun name as residents.dusun and points are matched on."""
    upper = " ".join(name.upper().split())
    return _PREFIX.sub("", upper).strip()


def dusun_code(desa_code: str, name: str) -> str:
    """Write the code of a dusun as import-points reads it: `<desa code>/<NAME>`."""
    return f"{desa_code}{DUSUN_SEPARATOR}{dusun_key(name)}"


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"baris {self.line}, kolom {self.column}, nilai '{self.value}': {self.reason}"


class PointFileError(ValueError):
    """A points file that was refused; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} masalah")
        self.problems = problems


@dataclass(frozen=True)
class _Row:
    line: int
    code: str
    desa_code: str
    dusun: str | None
    lat: float
    lng: float


@dataclass(frozen=True)
class PointCounts:
    desa: int
    dusun: int


def _columns(header: list[str], path: Path) -> dict[str, int]:
    names = [column.strip().lower() for column in header]
    found: dict[str, int] = {}
    for key, aliases in _HEADERS.items():
        for alias in aliases:
            if alias in names:
                found[key] = names.index(alias)
                break
        else:
            raise PointFileError([Problem(1, key, ",".join(header),
                                          f"baris judul {path.name} harus memuat kolom "
                                          "code,lat,lng")])
    return found


def _number(text: str, *, line: int, column: str, limit: float,
            problems: list[Problem]) -> float | None:
    try:
        value = float(text.replace(",", ".")) if text else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        problems.append(Problem(line, column, text, "bukan angka koordinat"))
        return None
    if not -limit <= value <= limit:
        problems.append(Problem(line, column, text,
                                f"koordinat di luar rentang -{limit:g} sampai {limit:g}"))
        return None
    return value


def read_points(*, session: Session, path: Path, regency_code: str) -> list[_Row]:
    """Read and check every row; raise PointFileError listing every problem found."""
    villages = {code for code in session.scalars(
        select(Region.code).where(Region.level == "desa"))}
    problems: list[Problem] = []
    rows: list[_Row] = []
    seen: dict[str, int] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise PointFileError([Problem(1, "code", "", "berkas kosong")])
        index = _columns(header, path)
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            cell = {key: cells[i].strip() if i < len(cells) else "" for key, i in index.items()}
            code = cell["code"]
            desa_code, _, dusun = code.partition(DUSUN_SEPARATOR)
            dusun_name = dusun_key(dusun) if dusun else None
            if desa_code not in villages:
                problems.append(Problem(line, "code", code, "kode desa tidak dikenal"))
            elif not within_region(regency_code, desa_code):
                problems.append(Problem(line, "code", code,
                                        f"desa di luar kabupaten {regency_code}"))
            elif DUSUN_SEPARATOR in code and not dusun_name:
                problems.append(Problem(line, "code", code, "nama dusun kosong"))
            elif dusun_name and len(dusun_name) > 80:
                problems.append(Problem(line, "code", code, "nama dusun lebih dari 80 huruf"))
            key = desa_code + (DUSUN_SEPARATOR + dusun_name if dusun_name else "")
            if key in seen:
                problems.append(Problem(line, "code", code,
                                        f"kode sudah ada di baris {seen[key]}"))
            seen.setdefault(key, line)
            lat = _number(cell["lat"], line=line, column="lat", limit=90, problems=problems)
            lng = _number(cell["lng"], line=line, column="lng", limit=180, problems=problems)
            if lat is not None and lng is not None:
                rows.append(_Row(line, code, desa_code, dusun_name, lat, lng))
    problems += _far_away(session=session, rows=rows, regency_code=regency_code)
    if problems:
        raise PointFileError(sorted(problems, key=lambda p: (p.line, p.column)))
    return rows


def regency_desa_points(*, session: Session, regency_code: str) -> list[tuple[float, float]]:
    """Return the (lat, lng) of every desa of the regency that has a point."""
    return [(lat, lng) for lat, lng in session.execute(
        select(Region.latitude, Region.longitude).where(
            Region.level == "desa", Region.code.like(regency_code + ".%")))
        if lat is not None and lng is not None]


Box = tuple[float, float, float, float]  # south, north, west, east


def box_around(points: list[tuple[float, float]], km: float) -> Box:
    """Return the bounding box of (lat, lng) points widened by `km` on every side."""
    south, north = min(p[0] for p in points), max(p[0] for p in points)
    margin_lat = km / KM_PER_DEGREE
    margin_lng = margin_lat / max(math.cos(math.radians(south)), 0.1)
    return (south - margin_lat, north + margin_lat,
            min(p[1] for p in points) - margin_lng, max(p[1] for p in points) + margin_lng)


def inside(box: Box, lat: float, lng: float) -> bool:
    return box[0] <= lat <= box[1] and box[2] <= lng <= box[3]


def _far_away(*, session: Session, rows: list[_Row], regency_code: str) -> list[Problem]:
    """Flag points far outside the box of the regency's desa points (else the file's)."""
    known = regency_desa_points(session=session, regency_code=regency_code)
    far_km = FAR_KM
    if known:
        points = known
    else:
        far_km = FAR_FROM_MEDIAN_KM
        # The median centre of the file's own desa points, when the regency has none
        # yet: one stray row cannot drag it, as it would drag a mean.
        own = [(row.lat, row.lng) for row in rows if row.dusun is None]
        if not own:
            return []
        middle = len(own) // 2
        points = [(sorted(p[0] for p in own)[middle], sorted(p[1] for p in own)[middle])]
    box = box_around(points, far_km)
    return [Problem(row.line, "lat,lng", f"{row.lat:g},{row.lng:g}",
                    f"titik lebih dari {far_km:g} km di luar kabupaten {regency_code} "
                    "(lintang dan bujur tertukar?)")
            for row in rows if not inside(box, row.lat, row.lng)]


def import_points(*, session: Session, path: Path, regency_code: str,
                  source: str = "") -> PointCounts:
    """Set desa and dusun points from a `code,lat,lng` CSV, all rows or none."""
    rows = read_points(session=session, path=path, regency_code=regency_code)
    label = source or path.name
    existing = {(p.desa_code, p.name): p for p in session.scalars(select(DusunPoint))}
    desa = dusun = 0
    for row in rows:
        if row.dusun is None:
            region = session.get(Region, row.desa_code)
            assert region is not None  # checked by read_points
            region.latitude, region.longitude = row.lat, row.lng
            desa += 1
            continue
        point = existing.get((row.desa_code, row.dusun))
        if point is None:
            point = DusunPoint(desa_code=row.desa_code, name=row.dusun)
            session.add(point)
            existing[(row.desa_code, row.dusun)] = point
        point.lat, point.lng, point.source = row.lat, row.lng, label[:120]
        dusun += 1
    session.flush()
    return PointCounts(desa=desa, dusun=dusun)
