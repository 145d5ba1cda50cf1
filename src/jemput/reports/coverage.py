"""Coverage of KTP-el recording per regency, kecamatan and desa (DOMAIN.md §8).

coverage = recorded ÷ wajib KTP. It may exceed 100%: 16-year-olds and people who
moved in are recorded without being in the denominator. One grouped query counts
every figure per desa; kecamatan and regency are sums of their desa, so the three
levels always add up. The per-desa counts are kept as the registry changes
(coverage_counts.py), so a view sums them instead of scanning residents. Every
condition is a rule from residents.eligibility, the same one the resident page and
the named lists use; none is restated here.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from jemput import clock
from jemput.regions.models import Region
from jemput.reports.coverage_counts import kept_counts
from jemput.reports.models import KEPT_COUNTS
from jemput.residents.models import ImportRun, StatusChange
from jemput.residents.service import latest_applied_import

# Counted per desa (coverage_counts.py); every figure below is built from these.
COUNTS = KEPT_COUNTS


@dataclass(frozen=True)
class Figure:
    """A figure with what it was computed from, so a reader can check it."""

    numerator: int
    denominator: int
    data_date: date

    @property
    def percent(self) -> float | None:
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 2)

    def as_dict(self) -> dict[str, Any]:
        return {"numerator": self.numerator, "denominator": self.denominator,
                "percent": self.percent, "data_date": self.data_date.isoformat()}


@dataclass
class AreaCoverage:
    code: str
    name: str
    level: str
    data_date: date
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    children: list[AreaCoverage] = field(default_factory=list)

    def add(self, other: dict[str, int]) -> None:
        for key in COUNTS:
            self.counts[key] += other[key]

    def _figure(self, numerator: str, denominator: str) -> Figure:
        return Figure(self.counts[numerator], self.counts[denominator], self.data_date)

    def figures(self) -> dict[str, Figure]:
        """Name every reported figure with its numerator and denominator."""
        c = self.counts
        not_recorded_other = (
            c["not_recorded"] - c["not_recorded_vulnerable"] - c["not_recorded_pemula"]
        )
        return {
            "wajib_ktp": self._figure("wajib_ktp", "population"),
            "coverage": self._figure("recorded", "wajib_ktp"),
            "recorded_wajib": self._figure("recorded_wajib", "wajib_ktp"),
            "print_ready_not_printed": self._figure("print_ready", "recorded"),
            "printed_not_issued": self._figure("printed", "recorded"),
            "issued": self._figure("issued", "recorded"),
            "not_recorded": self._figure("not_recorded", "wajib_ktp"),
            "not_recorded_vulnerable": self._figure("not_recorded_vulnerable", "not_recorded"),
            "not_recorded_pemula": self._figure("not_recorded_pemula", "not_recorded"),
            "not_recorded_other": Figure(not_recorded_other, c["not_recorded"], self.data_date),
            "status_unknown": self._figure("status_unknown", "wajib_ktp"),
            "due_for_deactivation": self._figure("due_for_deactivation", "aged_22"),
            # The pemula list's own figure: 16- and 17-year-olds who may record and have
            # not, of all pemula. Wider than not_recorded_pemula, a part of "belum rekam".
            "pemula_not_recorded": self._figure("pemula_not_recorded", "pemula"),
            "follow_up": self._figure("follow_up", "recorded"),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.name, "level": self.level,
            "data_date": self.data_date.isoformat(), "population": self.counts["population"],
            "figures": {k: f.as_dict() for k, f in self.figures().items()},
            "children": [child.as_dict() for child in self.children],
        }


def compute_coverage(*, session: Session, region_code: str, on: date | None = None) -> AreaCoverage:
    """Return coverage for a region and, nested, every kecamatan and desa under it.

    `on` is the reference date for ages; by default the data date of the latest import.
    """
    latest = latest_applied_import(session=session)
    data_date = latest.data_date if latest else clock.today()
    on = on or data_date
    root_region = session.get(Region, region_code)
    if root_region is None:
        raise LookupError(region_code)
    regions = {
        region.code: region
        for region in session.scalars(
            select(Region).where(
                or_(Region.code == region_code, Region.code.like(region_code + ".%"))
            )
        )
    }
    by_desa = kept_counts(session=session, prefix=region_code, on=on)
    nodes = {
        code: AreaCoverage(code=code, name=region.name, level=region.level, data_date=data_date)
        for code, region in regions.items()
    }
    # Children in code order; sums flow from each desa up to the root.
    for code in sorted(nodes):
        parent = regions[code].parent_code
        if code != region_code and parent in nodes:
            nodes[parent].children.append(nodes[code])
    for desa_code, counts in by_desa.items():
        current: str | None = desa_code
        while current is not None and current in nodes:
            nodes[current].add(counts)
            current = None if current == region_code else regions[current].parent_code
    return nodes[region_code]



# Coverage changes only when the registry does: an import, or a status change (which
# always writes a history row). Pages ask for it on every view, so the computed tree is
# kept per database and data version; a new import or status change makes a new key.
_CACHE: dict[tuple[str, str, date | None, tuple[Any, ...]], AreaCoverage] = {}
_CACHE_LOCK = threading.Lock()
_CACHE_SIZE = 32


def data_version(*, session: Session) -> tuple[Any, ...]:
    """Return what changes whenever coverage can: the latest import and status change.

    The import's start time is part of it because ids alone repeat after a database is
    restored or emptied; a timestamp to the microsecond does not.
    """
    latest_import = session.execute(
        select(ImportRun.id, ImportRun.started_at).order_by(ImportRun.id.desc()).limit(1)
    ).first()
    latest_change = session.scalar(select(func.max(StatusChange.id))) or 0
    return (*(latest_import or (0, None)), latest_change)


def cached_coverage(
    *, session: Session, region_code: str, on: date | None = None
) -> AreaCoverage:
    """Like compute_coverage, but computed once per data version; treat it as read-only."""
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    key = (url, region_code, on, data_version(session=session))
    # One lock for lookup and computation: twenty clients arriving together after an
    # import compute it once, not twenty times.
    with _CACHE_LOCK:
        area = _CACHE.get(key)
        if area is None:
            area = compute_coverage(session=session, region_code=region_code, on=on)
            if len(_CACHE) >= _CACHE_SIZE:
                _CACHE.pop(next(iter(_CACHE)))
            _CACHE[key] = area
    return area
