"""The coverage map as GeoJSON for the map component (static/map.js).

Built from the same context as /api/peta and the page, so the three never disagree:
one point per desa coloured by its coverage band and sized by who is still missing,
and the outlines of the kecamatan those desa lie in. `kecamatan_outlines` and
`desa_point` are also the base layers of a campaign's plan map (outreach/plan_map.py),
so every map draws areas and desa the same way.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy.orm import Session

from jemput.i18n import format_number, format_percent, translate
from jemput.places import service as places
from jemput.reports import bands

# Radius in pixels: the smallest desa stays clickable, the biggest gap stands out.
MIN_RADIUS, MAX_EXTRA_RADIUS = 4.0, 12.0
OUTLINE_COLOUR = "#44546a"
DESA_COLOUR = "#9aa5b1"  # a desa with nothing to say but where it is


def desa_point(*, code: str, name: str, latitude: float, longitude: float, href: str,
               lines: list[str], colour: str = DESA_COLOUR,
               radius: float = MIN_RADIUS) -> dict[str, Any]:
    """One desa as a map point: its popup links to the desa's page."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
        "properties": {"kind": "desa", "code": code, "name": name, "href": href,
                       "lines": lines, "colour": colour, "radius": radius},
    }


def kecamatan_outlines(*, session: Session, codes: set[str], locale: str) -> list[dict[str, Any]]:
    """The stored outlines of these kecamatan, styled as every map draws them."""
    outlines = places.outlines_for(session=session, codes=codes)
    for outline in outlines:
        outline["properties"] |= {"kind": "kecamatan", "colour": OUTLINE_COLOUR,
                                  "lines": [translate("map.kecamatan", locale)]}
    return outlines


def _desa_feature(desa: dict[str, Any], most: int, locale: str) -> dict[str, Any]:
    coverage = desa["coverage"]
    lines = [
        f"{translate('fig.coverage', locale)}: {format_percent(coverage['percent'], locale)} "
        f"({format_number(coverage['numerator'], locale)} {translate('report.of', locale)} "
        f"{format_number(coverage['denominator'], locale)})",
        f"{format_number(desa['missing'], locale)} {translate('map.missing', locale)}",
        bands.band_label(desa["band"], locale),
    ]
    feature = desa_point(
        code=desa["code"], name=desa["name"], latitude=desa["latitude"],
        longitude=desa["longitude"], href=desa["href"], lines=lines,
        colour=bands.COLOURS[desa["band"]],
        radius=round(MIN_RADIUS + MAX_EXTRA_RADIUS * math.sqrt(desa["missing"] / most), 1))
    feature["properties"]["band"] = desa["band"]
    return feature


def coverage_layers(*, session: Session, data: dict[str, Any], locale: str) -> dict[str, Any]:
    """Return the map context `data` (service.map_context) as a GeoJSON FeatureCollection."""
    placed = [d for d in data["desa"] if d["latitude"] is not None and d["longitude"] is not None]
    most = max([d["missing"] for d in placed] + [1])
    outlines = kecamatan_outlines(session=session,
                                  codes={d["kecamatan_code"] for d in data["desa"]},
                                  locale=locale)
    # Big circles first, so small ones stay clickable on top of them.
    points = [_desa_feature(d, most, locale) for d in sorted(placed, key=lambda d: -d["missing"])]
    return {
        "type": "FeatureCollection",
        "features": [*outlines, *points],
        "area": data["area"],
        "outline_sources": sorted({o["properties"]["source"] for o in outlines}),
        "unplaced": [d["code"] for d in data["desa"] if d not in placed],
    }
