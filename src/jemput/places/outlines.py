"""Region outlines: `jemput regions import-outlines FILE.geojson`, and synthetic ones.

Jemput ships no boundary polygons: the official ones (BIG's Batas Wilayah) come with
terms an office must accept itself. An office loads its own GeoJSON, one feature per
kecamatan (or desa) whose `properties.code` is the Kemendagri code. The demo instead
draws a synthetic outline around each kecamatan's desa points (`synthetic_outlines`);
the map says so wherever it shows them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.auth.access import within_region
from jemput.places.models import RegionOutline
from jemput.places.points import (
    FAR_KM,
    KM_PER_DEGREE,
    Box,
    Problem,
    box_around,
    inside,
    regency_desa_points,
)
from jemput.regions.models import Region

SYNTHETIC_SOURCE = ("sintetis: selubung titik desa data contoh, bukan batas resmi / "
                    "synthetic: hull of the demo desa points, not an official boundary")
# Many vertices are a sign of a mistaken file (a whole province's detail), and each
# vertex is sent to every browser that opens the map.
MAX_VERTICES = 20_000
_KINDS = {"Polygon": 1, "MultiPolygon": 2}


class OutlineFileError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} masalah")
        self.problems = problems


def _rings(geometry: dict[str, Any]) -> list[list[Any]]:
    coordinates = geometry.get("coordinates")
    if geometry.get("type") == "Polygon" and isinstance(coordinates, list):
        return coordinates
    if geometry.get("type") == "MultiPolygon" and isinstance(coordinates, list):
        return [ring for polygon in coordinates if isinstance(polygon, list) for ring in polygon]
    return []


def _check_feature(feature: Any, number: int, *, regions: dict[str, str], regency_code: str,
                   box: Box | None) -> list[Problem]:
    if not isinstance(feature, dict):
        return [Problem(number, "feature", str(feature)[:40], "bukan fitur GeoJSON")]
    properties = feature.get("properties") or {}
    code = str(properties.get("code", "")).strip()
    geometry = feature.get("geometry") or {}
    problems = []
    if regions.get(code) not in ("kecamatan", "desa"):
        problems.append(Problem(number, "properties.code", code,
                                "kode kecamatan atau desa tidak dikenal"))
    elif not within_region(regency_code, code):
        problems.append(Problem(number, "properties.code", code,
                                f"wilayah di luar kabupaten {regency_code}"))
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind not in _KINDS:
        return [*problems, Problem(number, "geometry.type", str(kind),
                                   "harus Polygon atau MultiPolygon")]
    rings = _rings(geometry)
    vertices = [v for ring in rings if isinstance(ring, list) for v in ring]
    if not rings or any(not isinstance(r, list) or len(r) < 4 for r in rings):
        problems.append(Problem(number, "geometry.coordinates", "",
                                "cincin poligon kurang dari 4 titik"))
    for vertex in vertices:
        if not (isinstance(vertex, list) and len(vertex) >= 2
                and all(isinstance(c, int | float) and math.isfinite(c) for c in vertex[:2])
                and -180 <= vertex[0] <= 180 and -90 <= vertex[1] <= 90):
            problems.append(Problem(number, "geometry.coordinates", str(vertex)[:40],
                                    "koordinat di luar rentang (urutan GeoJSON: bujur, lintang)"))
            break
        if box and not inside(box, vertex[1], vertex[0]):
            problems.append(Problem(number, "geometry.coordinates", str(vertex)[:40],
                                    f"titik lebih dari {FAR_KM:g} km di luar kabupaten "
                                    f"{regency_code}"))
            break
    return problems


def import_outlines(*, session: Session, path: Path, regency_code: str,
                    source: str = "") -> int:
    """Store one outline per feature of a GeoJSON FeatureCollection, all or none."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as error:
        raise OutlineFileError([Problem(1, "berkas", path.name,
                                        f"bukan JSON yang sah ({error})")]) from None
    features = document.get("features") if isinstance(document, dict) else None
    if not isinstance(features, list):
        raise OutlineFileError([Problem(1, "type", str(document)[:40],
                                        "harus FeatureCollection dengan daftar features")])
    regions = dict(session.execute(select(Region.code, Region.level)).all())
    known = regency_desa_points(session=session, regency_code=regency_code)
    box = box_around(known, FAR_KM) if known else None
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    total = 0
    for number, feature in enumerate(features, start=1):
        problems += _check_feature(feature, number, regions=regions, regency_code=regency_code,
                                   box=box)
        if isinstance(feature, dict):
            code = str((feature.get("properties") or {}).get("code", "")).strip()
            if code in seen:
                problems.append(Problem(number, "properties.code", code,
                                        f"kode sudah ada di fitur {seen[code]}"))
            seen.setdefault(code, number)
            total += len([v for r in _rings(feature.get("geometry") or {}) for v in r])
    if total > MAX_VERTICES:
        problems.append(Problem(len(features), "geometry.coordinates", str(total),
                                f"lebih dari {MAX_VERTICES} titik: sederhanakan dulu"))
    if problems:
        # "baris" here is the feature's number: say so in the problems' column name.
        raise OutlineFileError([Problem(p.line, f"fitur {p.line}: {p.column}", p.value, p.reason)
                                for p in problems])
    label = (source or path.name)[:200]
    for feature in features:
        code = str(feature["properties"]["code"]).strip()
        outline = session.get(RegionOutline, code) or RegionOutline(region_code=code)
        outline.geometry = json.dumps(feature["geometry"], separators=(",", ":"))
        outline.source = label
        session.add(outline)
    session.flush()
    return len(features)


# --- synthetic outlines for the demo ------------------------------------------------------


def _hull(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Andrew's monotone chain: the convex hull, counter-clockwise, of (x, y) points."""
    unique = sorted(set(points))
    if len(unique) < 3:
        return unique

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in unique:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(unique):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _padded_hull(points: list[tuple[float, float]], pad_m: float) -> list[list[float]]:
    """The hull of small circles around each point: a convex outline `pad_m` outside."""
    lat0 = sum(lat for _, lat in points) / len(points)
    dlat = pad_m / (KM_PER_DEGREE * 1000)
    dlng = dlat / math.cos(math.radians(lat0))
    ring = [(lng + dlng * math.cos(a), lat + dlat * math.sin(a))
            for lng, lat in points for a in (i * math.pi / 6 for i in range(12))]
    hull = _hull(ring)
    closed = [*hull, hull[0]]
    return [[round(x, 5), round(y, 5)] for x, y in closed]


def synthetic_outlines(desa: list[tuple[str, str, float, float]],
                       pad_m: float = 700.0) -> dict[str, Any]:
    """Draw a FeatureCollection of kecamatan outlines from (kecamatan, desa, lat, lng) rows.

    Each outline is the convex hull of its desa points, `pad_m` metres outside them.
    Neighbouring hulls may overlap or leave gaps: they show where a kecamatan's desa
    are, not its boundary.
    """
    groups: dict[str, list[tuple[float, float]]] = {}
    for kecamatan, _desa, lat, lng in desa:
        groups.setdefault(kecamatan, []).append((lng, lat))
    features = [{"type": "Feature", "properties": {"code": code},
                 "geometry": {"type": "Polygon", "coordinates": [_padded_hull(points, pad_m)]}}
                for code, points in sorted(groups.items())]
    return {"type": "FeatureCollection", "features": features}
