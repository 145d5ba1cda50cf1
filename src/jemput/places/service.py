"""Where a resident is best found, and the points and outlines behind it.

A resident's point is, best first:
1. their own point (`resident_points`): the newest captured on a visit, else the newest
   from the desa's data; else the coordinates their desa's file carried at import
   (residents.latitude/longitude, the LAT/LNG extension columns: also the desa's data);
2. their dusun's point (`dusun_points`, matched on the normalised dusun name);
3. their desa's point (regions.latitude/longitude).
A point captured at the door beats the desa's pin however old, because a desa's pin is
often placed by hand on a map while a visit's is a GPS fix at the house.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.auth.access import NotFound, scope_filter
from jemput.auth.models import User
from jemput.places.models import DusunPoint, PointOrigin, RegionOutline, ResidentPoint
from jemput.places.points import Problem, dusun_key
from jemput.planning.problem import Point, PointSource
from jemput.regions.models import Region
from jemput.residents.models import Resident

# IN-lists stay well below every engine's bound-parameter limit.
CHUNK = 900


@dataclass(frozen=True)
class KnownPoint:
    point: Point
    source: PointSource
    # For an own point: PointOrigin value; else "dusun" or "desa" again.
    origin: str
    captured_at: datetime | None = None


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def _own_points(*, session: Session, ids: list[int]) -> dict[int, ResidentPoint]:
    best: dict[int, ResidentPoint] = {}
    for chunk in _chunks(ids):
        for point in session.scalars(
            select(ResidentPoint).where(ResidentPoint.resident_id.in_(chunk))
        ):
            held = best.get(point.resident_id)
            if held is None or _rank(point) > _rank(held):
                best[point.resident_id] = point
    return best


def _rank(point: ResidentPoint) -> tuple[bool, datetime]:
    captured = point.captured_at
    if captured.tzinfo is None:  # SQLite returns naive datetimes; they were stored in UTC
        captured = captured.replace(tzinfo=UTC)
    return (point.source == PointOrigin.VISIT, captured)


def points_for(*, session: Session, user: User,
               resident_ids: Iterable[int]) -> dict[int, KnownPoint]:
    """Return the best known point of each resident in the user's scope (others left out).

    A resident whose desa has no point either is left out too: the caller says so.
    """
    ids = sorted(set(resident_ids))
    residents: list[Any] = []
    for chunk in _chunks(ids):
        residents += session.execute(
            select(Resident.id, Resident.desa_code, Resident.dusun, Resident.latitude,
                   Resident.longitude)
            .where(Resident.id.in_(chunk), scope_filter(user, Resident.desa_code))
        ).all()
    own = _own_points(session=session, ids=[r.id for r in residents])
    desa_codes = sorted({r.desa_code for r in residents})
    dusun: dict[tuple[str, str], DusunPoint] = {}
    desa: dict[str, tuple[float | None, float | None]] = {}
    for start in range(0, len(desa_codes), CHUNK):
        part = desa_codes[start:start + CHUNK]
        dusun |= {(p.desa_code, p.name): p for p in session.scalars(
            select(DusunPoint).where(DusunPoint.desa_code.in_(part)))}
        desa |= {code: (lat, lng) for code, lat, lng in session.execute(
            select(Region.code, Region.latitude, Region.longitude).where(Region.code.in_(part)))}
    found: dict[int, KnownPoint] = {}
    for r in residents:
        mine = own.get(r.id)
        hamlet = dusun.get((r.desa_code, dusun_key(r.dusun or "")))
        lat, lng = desa.get(r.desa_code, (None, None))
        if mine is not None:
            found[r.id] = KnownPoint(Point(mine.lat, mine.lng), PointSource.OWN, mine.source,
                                     _rank(mine)[1])
        elif r.latitude is not None and r.longitude is not None:
            found[r.id] = KnownPoint(Point(r.latitude, r.longitude), PointSource.OWN,
                                     PointOrigin.DESA_DATA.value)
        elif hamlet is not None:
            found[r.id] = KnownPoint(Point(hamlet.lat, hamlet.lng), PointSource.DUSUN,
                                     PointSource.DUSUN.value)
        elif lat is not None and lng is not None:
            found[r.id] = KnownPoint(Point(lat, lng), PointSource.DESA, PointSource.DESA.value)
    return found


def point_for(*, session: Session, user: User, resident_id: int) -> KnownPoint:
    """Return the best known point of one resident and where it comes from."""
    found = points_for(session=session, user=user, resident_ids=[resident_id]).get(resident_id)
    if found is None:
        raise NotFound(resident_id)
    return found


def add_resident_point(*, session: Session, resident_id: int, lat: float, lng: float,
                       origin: PointOrigin, captured_at: datetime) -> ResidentPoint:
    """Record one own point of a resident (the caller has checked scope and values)."""
    point = ResidentPoint(resident_id=resident_id, lat=lat, lng=lng, source=origin.value,
                          captured_at=captured_at)
    session.add(point)
    return point


class ResidentPointFileError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} masalah")
        self.problems = problems


def import_resident_points(*, session: Session, path: Path) -> int:
    """Load `nik,lat,lng,source,captured_at` rows (the demo's visits), all or none."""
    problems: list[Problem] = []
    rows: list[tuple[str, float, float, PointOrigin, datetime, int]] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                lat, lng = float(row["lat"]), float(row["lng"])
                if not (-90 <= lat <= 90 and -180 <= lng <= 180):
                    raise ValueError
            except ValueError:
                problems.append(Problem(line, "lat,lng", f"{row['lat']},{row['lng']}",
                                        "koordinat tidak sah"))
                continue
            try:
                origin = PointOrigin(row["source"])
            except ValueError:
                problems.append(Problem(line, "source", row["source"],
                                        "sumber harus data_desa atau kunjungan"))
                continue
            try:
                captured = datetime.fromisoformat(row["captured_at"])
                if captured.tzinfo is None:
                    raise ValueError
            except ValueError:
                problems.append(Problem(line, "captured_at", row["captured_at"],
                                        "waktu harus ISO 8601 dengan zona waktu"))
                continue
            rows.append((row["nik"], lat, lng, origin, captured, line))
    ids: dict[str, int] = {}
    niks = sorted({row[0] for row in rows})
    for start in range(0, len(niks), CHUNK):
        ids |= dict(session.execute(select(Resident.nik, Resident.id).where(
            Resident.nik.in_(niks[start:start + CHUNK]))).all())
    for nik, *_rest, line in rows:
        if nik not in ids:
            problems.append(Problem(line, "nik", nik, "NIK tidak ada di registri"))
    if problems:
        raise ResidentPointFileError(problems)
    for nik, lat, lng, origin, captured, _line in rows:
        add_resident_point(session=session, resident_id=ids[nik], lat=lat, lng=lng,
                           origin=origin, captured_at=captured)
    session.flush()
    return len(rows)


def outlines_for(*, session: Session, codes: Iterable[str]) -> list[dict[str, Any]]:
    """Return the stored outlines of these regions as GeoJSON features (name, source)."""
    wanted = sorted(set(codes))
    features = []
    for start in range(0, len(wanted), CHUNK):
        for outline, name in session.execute(
            select(RegionOutline, Region.name).join(
                Region, Region.code == RegionOutline.region_code)
            .where(RegionOutline.region_code.in_(wanted[start:start + CHUNK]))
            .order_by(RegionOutline.region_code)
        ):
            features.append({"type": "Feature", "geometry": json.loads(outline.geometry),
                             "properties": {"code": outline.region_code, "name": name,
                                            "source": outline.source}})
    return features


def dusun_points(*, session: Session, desa_code: str) -> list[DusunPoint]:
    """Return the dusun points of one desa, by name."""
    return list(session.scalars(
        select(DusunPoint).where(DusunPoint.desa_code == desa_code).order_by(DusunPoint.name)))
