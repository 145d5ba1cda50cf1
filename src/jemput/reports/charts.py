"""Server-side SVG charts: they work offline, print, and carry their numbers as text.

Every function takes the data of a page context and returns markup; every name is
escaped, and every mark has a <title> so a reader can hover or a screen reader can
speak it.
"""

from __future__ import annotations

import math
from typing import Any

from markupsafe import Markup, escape

from jemput.i18n import STRINGS, format_date, format_number, format_percent, translate
from jemput.reports import bands

BAND_COLOURS = bands.COLOURS
STRINGS.update({
    "chart.axis_from": {"id": "Skala mulai {floor}, bukan 0%",
                        "en": "Scale starts at {floor}, not 0%"},
    "chart.target": {"id": "target {target}", "en": "target {target}"},
    "chart.sorted": {"id": "urut dari cakupan terendah", "en": "lowest coverage first"},
})


def _percent(value: float | None, locale: str) -> str:
    return format_percent(value, locale)


def _svg(width: float, height: float, label: str, body: list[str], kind: str = "") -> Markup:
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
            f'role="img" aria-label="{escape(label)}" class="chart {kind}">')
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every value escaped above


def _axis(percents: list[float]) -> tuple[float, float, float]:
    """Return (floor, ceiling, tick step) so that 94% and 98% look different.

    The axis starts a little below the lowest bar, on a multiple of 5; when that is
    under 50% the differences are wide anyway and the axis starts honestly at 0.
    """
    ceiling = max([100.0] + [min(p, 150.0) for p in percents])
    floor = 5.0 * math.floor((min(percents) - 2) / 5) if percents else 0.0
    floor = floor if floor >= 50 else 0.0
    span = ceiling - floor
    step = 2.0 if span <= 12 else 5.0 if span <= 30 else 10.0 if span <= 60 else 20.0
    return floor, ceiling, step


def _bar_order(row: dict[str, Any]) -> tuple[bool, float, str]:
    percent = row["figures"]["coverage"]["percent"]
    return (percent is None, percent if percent is not None else 0.0, row["name"])


def coverage_bars(rows: list[dict[str, Any]], *, locale: str, title: str) -> Markup:
    """Draw one horizontal bar per area, worst coverage first, on an axis that shows gaps.

    Each bar carries coverage %, recorded / wajib KTP, and is coloured by its band
    (reports.bands). The axis is cut below the lowest bar and says so in the chart.
    """
    label_w, bar_w, value_w, row_h, top, bottom = 170, 330, 200, 26, 40, 22
    ordered = sorted(rows, key=_bar_order)
    percents = [r["figures"]["coverage"]["percent"] for r in ordered
                if r["figures"]["coverage"]["percent"] is not None]
    floor, ceiling, step = _axis(percents)
    width = label_w + bar_w + value_w
    height = top + row_h * len(ordered) + bottom

    def x_of(percent: float) -> float:
        share = (min(max(percent, floor), ceiling) - floor) / (ceiling - floor)
        return label_w + bar_w * share

    floor_text = _percent(floor, locale).replace(",00", "").replace(".00", "")
    body = [f'<g class="axis-meta" data-axis-from="{floor:g}" data-axis-to="{ceiling:g}">']
    if floor > 0:
        note = translate("chart.axis_from", locale).format(floor=floor_text)
        base = height - bottom
        body.append(f'<text x="{label_w}" y="12" class="axis-note">{escape(note)}</text>'
                    f'<line x1="{label_w}" y1="{top - 6}" x2="{label_w}" y2="{base}" '
                    'class="axis-line"/>'
                    # The usual "cut" mark at the foot of an axis that leaves out 0 to floor.
                    f'<path d="M{label_w - 7},{base + 7} l5,-9 m3,9 l5,-9" class="axis-cut"/>')
    tick = floor
    while tick <= ceiling + 1e-9:
        x = x_of(tick)
        label = f"{format_number(round(tick), locale)}%"
        body.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - bottom}" '
                    f'class="{"guide" if tick == 100 else "grid"}"/>'
                    f'<text x="{x:.1f}" y="{top - 10}" text-anchor="middle" class="axis">'
                    f"{label}</text>")
        tick += step
    if floor < bands.TARGET_PERCENT <= ceiling:
        x = x_of(bands.TARGET_PERCENT)
        target = translate("chart.target", locale).format(
            target=f"{format_number(round(bands.TARGET_PERCENT), locale)}%")
        body.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - bottom + 4}" '
                    'class="target"/>'
                    f'<text x="{x:.1f}" y="{height - 4}" text-anchor="middle" class="axis">'
                    f"{escape(target)}</text>")
    body.append("</g>")
    for i, row in enumerate(ordered):
        figure = row["figures"]["coverage"]
        percent = figure["percent"]
        y = top + i * row_h
        length = 0.0 if percent is None else x_of(percent) - label_w
        value = (f"{_percent(percent, locale)}  "
                 f"({format_number(figure['numerator'], locale)}"
                 f"/{format_number(figure['denominator'], locale)})")
        band = bands.coverage_band(percent)
        body.append(
            f'<a href="{escape(row["href"])}"><g class="bar-row" data-code="{escape(row["code"])}" '
            f'data-percent="{"" if percent is None else percent}" data-band="{band}">'
            f"<title>{escape(row['name'])}: {escape(value)} — "
            f"{escape(bands.band_label(band, locale))}</title>"
            f'<text x="{label_w - 6}" y="{y + 17}" text-anchor="end">{escape(row["name"])}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row_h - 8}" '
            f'fill="{BAND_COLOURS[band]}"/>'
            f'<text x="{label_w + bar_w + 6}" y="{y + 17}" class="value">{escape(value)}</text>'
            "</g></a>"
        )
    return _svg(width, height, title, body, "bars")


def trend_line(points: list[dict[str, Any]], *, locale: str, title: str) -> Markup:
    """Draw coverage % per import as a line with labelled points."""
    width, height, left, right, top, bottom = 720, 240, 48, 20, 16, 40
    values = [p["percent"] or 0 for p in points]
    high = max([100.0, *values])
    low = min([0.0, *values]) if values and min(values) < 50 else 50.0
    plot_w, plot_h = width - left - right, height - top - bottom

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    def x_of(i: int) -> float:
        return left + (plot_w / 2 if len(points) == 1 else plot_w * i / (len(points) - 1))

    body = []
    for tick in sorted({low, (low + 100) / 2, 100.0, high}):
        body.append(f'<line x1="{left}" x2="{width - right}" y1="{y_of(tick):.1f}" '
                    f'y2="{y_of(tick):.1f}" class="grid"/>'
                    f'<text x="{left - 6}" y="{y_of(tick) + 4:.1f}" text-anchor="end" '
                    f'class="axis">{format_number(round(tick), locale)}%</text>')
    coords = [(x_of(i), y_of(v)) for i, v in enumerate(values)]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        body.append(f'<polyline points="{path}" class="trend"/>')
    step = max(1, math.ceil(len(points) / 8))
    for i, (point, (x, y)) in enumerate(zip(points, coords, strict=True)):
        text = (f"{format_date(point['data_date'], locale)} (impor #{point['import_id']}): "
                f"{_percent(point['percent'], locale)} = "
                f"{format_number(point['numerator'], locale)}"
                f"/{format_number(point['denominator'], locale)}")
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" class="point">'
                    f"<title>{escape(text)}</title></circle>")
        if i % step == 0 or i == len(points) - 1:
            body.append(f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
                        f'class="axis">{escape(format_date(point["data_date"], locale))}</text>')
    return _svg(width, height, title, body)


def desa_map(desa: list[dict[str, Any]], *, locale: str, title: str) -> Markup:
    """Place each desa at its centre, coloured by coverage band, sized by who is missing."""
    placed = [d for d in desa if d["latitude"] is not None and d["longitude"] is not None]
    width, height, pad = 800.0, 640.0, 24.0
    if not placed:
        empty = escape(translate("common.none", locale))
        return _svg(width, 60, title, [f'<text x="10" y="30">{empty}</text>'])
    lats = [d["latitude"] for d in placed]
    lons = [d["longitude"] for d in placed]
    # Equirectangular with the longitude shrunk by cos(latitude): true enough for a regency.
    shrink = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - min(lons)) * shrink, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    height = span_y * scale + 2 * pad
    most = max([d["missing"] for d in placed] + [1])
    body = []
    # Big circles first, so small ones stay clickable on top of them.
    for d in sorted(placed, key=lambda d: -d["missing"]):
        x = pad + (d["longitude"] - min(lons)) * shrink * scale
        y = pad + (max(lats) - d["latitude"]) * scale
        radius = 3 + 11 * math.sqrt(d["missing"] / most)
        text = (f"{d['name']}: {_percent(d['coverage']['percent'], locale)} "
                f"({format_number(d['coverage']['numerator'], locale)}/"
                f"{format_number(d['coverage']['denominator'], locale)}), "
                f"{format_number(d['missing'], locale)} {translate('map.missing', locale)}")
        body.append(
            f'<a href="{escape(d["href"])}"><circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" '
            f'fill="{BAND_COLOURS[d["band"]]}" class="desa" data-code="{escape(d["code"])}">'
            f"<title>{escape(text)}</title></circle></a>"
        )
    return _svg(width, height, title, body)
