"""Coverage bands: how good a coverage percentage is, measured against the target.

The national target is 99% (99.04% for 2024, DOMAIN.md §8) and Indonesia stood at
97-98.5% from 2018 on, so the old local grading (">90% very good") would paint nearly
every desa green. These bands grade against the target instead:

    below 90%            very poor         red
    90% up to under 95%  poor              orange
    95% up to under 98%  fair, below target yellow
    98% up to under 99%  near the target   light green
    99% up to 100%       target reached    green
    above 100%           check the data    blue (more recorded than wajib KTP)

Each band holds its lower bound and excludes its upper one, so every percentage lands
in exactly one band (100% itself is "target reached"; anything above it is "check").
"""

from __future__ import annotations

from dataclasses import dataclass

from jemput.i18n import DEFAULT_LOCALE, STRINGS, format_number, translate

TARGET_PERCENT = 99.0


@dataclass(frozen=True)
class Band:
    key: str
    low: float | None  # inclusive; None: no lower bound
    high: float | None  # exclusive (inclusive for the target band's 100); None: none
    colour: str
    # Whether a reader may take this band as good news: only these are drawn green.
    good: bool


# Ordered worst to best; "gt100" and "none" are set apart, not graded.
GRADED = (
    Band("lt90", None, 90.0, "#b2182b", good=False),
    Band("90_95", 90.0, 95.0, "#ef8a62", good=False),
    Band("95_98", 95.0, 98.0, "#e6c229", good=False),
    Band("98_99", 98.0, TARGET_PERCENT, "#a6d96a", good=True),
    Band("99_100", TARGET_PERCENT, 100.0, "#1a9850", good=True),
)
ABOVE_100 = Band("gt100", 100.0, None, "#2166ac", good=False)
NO_DATA = Band("none", None, None, "#9aa5b1", good=False)
ALL = (*GRADED, ABOVE_100, NO_DATA)
BY_KEY = {band.key: band for band in ALL}
BANDS = tuple(band.key for band in ALL)
COLOURS = {band.key: band.colour for band in ALL}


def coverage_band(percent: float | None) -> str:
    """Return the key of the band `percent` falls in ("none" when there is no figure)."""
    if percent is None:
        return NO_DATA.key
    if percent > 100:
        return ABOVE_100.key
    for band in GRADED[:-1]:
        if percent < (band.high or 0):
            return band.key
    return GRADED[-1].key


_NAMES = {
    "lt90": {"id": "sangat kurang", "en": "very poor"},
    "90_95": {"id": "kurang", "en": "poor"},
    "95_98": {"id": "cukup, di bawah target", "en": "fair, below target"},
    "98_99": {"id": "mendekati target", "en": "near the target"},
    "99_100": {"id": "mencapai target", "en": "target reached"},
    "gt100": {"id": "periksa data", "en": "check the data"},
    "none": {"id": "tanpa wajib KTP", "en": "no residents who must hold a KTP"},
}
STRINGS.update({f"band.{key}": names for key, names in _NAMES.items()})


def band_range(key: str, locale: str = DEFAULT_LOCALE) -> str:
    """Write a band's range as a reader checks it: "90% – < 95%", "99% – 100%"."""
    band = BY_KEY[key]

    def pct(value: float) -> str:
        return f"{format_number(round(value), locale)}%"

    if band.low is None and band.high is None:
        return "–"
    if band.low is None:
        return f"< {pct(band.high or 0)}"
    if band.high is None:
        return f"> {pct(band.low)}"
    if band.high == 100.0:
        return f"{pct(band.low)} – {pct(band.high)}"
    return f"{pct(band.low)} – < {pct(band.high)}"


def band_label(key: str, locale: str = DEFAULT_LOCALE) -> str:
    """Return the band's range and name, e.g. "90% – < 95%: kurang"."""
    name = translate(f"band.{key}", locale)
    if key == NO_DATA.key:
        return name[:1].upper() + name[1:]
    return f"{band_range(key, locale)}: {name}"


def legend(locale: str = DEFAULT_LOCALE) -> list[dict[str, str]]:
    """Every band with its colour and label, worst first, for a chart's or map's legend."""
    return [{"key": band.key, "colour": band.colour, "label": band_label(band.key, locale)}
            for band in ALL]
