"""Page contexts of the office reports: dashboard, map, area pages and named lists.

Each context is a plain, JSON-ready dict: the API returns it as it is and the page
renders it, so the two cannot disagree. Scope is checked here, not in templates:
an area outside the user's scope is the same NotFound as one that does not exist.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput import clock
from jemput.auth import audit
from jemput.auth.access import NotFound, has_role, region_in_scope, require_role
from jemput.auth.models import Role, User
from jemput.regions.models import Region
from jemput.regions.service import RegionLevel
from jemput.reports import lists
from jemput.reports.bands import BANDS, coverage_band
from jemput.reports.coverage import AreaCoverage, Figure, cached_coverage
from jemput.reports.snapshots import list_snapshots
from jemput.residents import data_dates
from jemput.residents import service as residents
from jemput.residents.codes import KTP_STATUS_LABELS_ID
from jemput.residents.eligibility import age_on
from jemput.residents.nik import mask_nik
from jemput.residents.service import latest_applied_import

# Aggregate figures carry no personal data; the named lists do, so fewer roles see them.
# admin manages accounts, not people; mitra, sekolah and petugas work from their own
# requests, rosters and visits (ARCHITECTURE.md, Users).
FIGURE_ROLES = (Role.ADMIN, Role.KEPALA, Role.OPERATOR, Role.DESA, Role.AUDITOR)
LIST_ROLES = (Role.KEPALA, Role.OPERATOR, Role.DESA, Role.AUDITOR)
AREA_LEVELS = frozenset({RegionLevel.REGENCY, RegionLevel.DISTRICT, RegionLevel.VILLAGE})
PIPELINE = ("wajib_ktp", "recorded", "print_ready", "printed", "issued")
# Every named list and the figure that counts it: the same rule, so the same number.
LIST_FIGURES = {"belum-rekam": "not_recorded", "rentan": "not_recorded_vulnerable",
                "pemula": "pemula_not_recorded", "siap-cetak": "print_ready_not_printed",
                "tindak-lanjut": "follow_up"}


def sees_figures(user: User) -> bool:
    """Whether the user's role has area dashboards at all."""
    return has_role(user, *FIGURE_ROLES) and bool(user.scope_region)


def sees_lists(user: User) -> bool:
    """Whether the user's role may read the named lists (personal data)."""
    return has_role(user, *LIST_ROLES)


def access_area(*, session: Session, user: User, code: str) -> Region:
    """Return the area if the user may see its figures; NotFound if missing or not theirs."""
    require_role(user, *FIGURE_ROLES)
    region = session.get(Region, code)
    if region is None:
        raise NotFound(code)
    if region.level not in AREA_LEVELS:
        raise NotFound(code)
    if not region_in_scope(user, code):
        raise NotFound(code)
    return region


def home_region(*, user: User, regency_code: str) -> str:
    """Return the code the user's dashboard is rooted at: their scope, at most the regency."""
    require_role(user, *FIGURE_ROLES)
    if region_in_scope(user, regency_code):
        return regency_code
    if not user.scope_region:
        raise NotFound("scope")
    return user.scope_region


def href(region_code: str) -> str:
    return f"/wilayah/{region_code}"


def _figures(area: AreaCoverage) -> dict[str, dict[str, Any]]:
    return {key: figure.as_dict() for key, figure in area.figures().items()}


def _summary(area: AreaCoverage) -> dict[str, Any]:
    return {"code": area.code, "name": area.name, "level": area.level, "href": href(area.code),
            "data_date": area.data_date.isoformat(), "population": area.counts["population"],
            "figures": _figures(area)}


def _with_data_dates(
    *, session: Session, area: dict[str, Any], children: list[dict[str, Any]]
) -> None:
    """Add to each summary the range of its desas' data dates: they may differ per desa."""
    ranges = data_dates.data_date_ranges(
        session=session, codes=[area["code"], *(child["code"] for child in children)]
    )
    for summary in (area, *children):
        summary["data_dates"] = ranges[summary["code"]]


def _pipeline(area: AreaCoverage) -> list[dict[str, Any]]:
    """Reaching each stage is cumulative: a handed-over card was once print-ready."""
    c, on = area.counts, area.data_date
    reached = {
        "wajib_ktp": (Figure(c["wajib_ktp"], c["population"], on), None),
        "recorded": (Figure(c["recorded"], c["wajib_ktp"], on), None),
        "print_ready": (Figure(c["print_ready"] + c["printed"] + c["issued"], c["recorded"], on),
                        c["print_ready"]),
        "printed": (Figure(c["printed"] + c["issued"], c["recorded"], on), c["printed"]),
        "issued": (Figure(c["issued"], c["recorded"], on), None),
    }
    return [{"stage": stage, **reached[stage][0].as_dict(), "waiting": reached[stage][1]}
            for stage in PIPELINE]


def _trend(*, session: Session, area: AreaCoverage) -> list[dict[str, Any]]:
    points = []
    for snap in list_snapshots(session=session, region_code=area.code):
        figure = Figure(snap.recorded, snap.wajib_ktp, snap.data_date)
        points.append({"import_id": snap.import_id, **figure.as_dict(),
                       "not_recorded": snap.not_recorded,
                       "due_for_deactivation": snap.due_for_deactivation})
    return points


def _named_lists(*, user: User, area: AreaCoverage) -> list[dict[str, Any]]:
    """Return the named lists behind the area's figures, for the roles that may read them."""
    if not sees_lists(user):
        return []
    figures = area.figures()
    return [{"list": name, "count": figures[figure].numerator, "figure": figure,
             "href": f"{href(area.code)}/daftar/{name}"}
            for name, figure in LIST_FIGURES.items()]


# The parts of "belum rekam" that have no list of their own: the list filtered by reason.
REASON_FIGURES = {"not_recorded_pemula": "pemula", "not_recorded_other": "lainnya"}


def _figure_links(named: list[dict[str, Any]]) -> dict[str, str]:
    """Map each figure to the list that names its people (none for roles without lists)."""
    links = {item["figure"]: item["href"] for item in named}
    if "not_recorded" in links:
        for figure, reason in REASON_FIGURES.items():
            links[figure] = f"{links['not_recorded']}?reason={reason}"
    return links


def dashboard_context(*, session: Session, user: User, regency_code: str) -> dict[str, Any]:
    """Return the dashboard of the user's whole scope, from one coverage computation."""
    code = home_region(user=user, regency_code=regency_code)
    area = cached_coverage(session=session, region_code=access_area(
        session=session, user=user, code=code).code)
    named = _named_lists(user=user, area=area)
    context: dict[str, Any] = {
        "area": _summary(area),
        "pipeline": _pipeline(area),
        "children": [_summary(child) for child in area.children],
        "trend": _trend(session=session, area=area),
        "lists": named,
        "figure_links": _figure_links(named),
    }
    _with_data_dates(session=session, area=context["area"], children=context["children"])
    return context


def _desa_nodes(area: AreaCoverage) -> list[AreaCoverage]:
    if area.level == RegionLevel.VILLAGE:
        return [area]
    return [desa for child in area.children for desa in _desa_nodes(child)]


def map_context(*, session: Session, user: User, regency_code: str) -> dict[str, Any]:
    """Return every desa of the user's scope with its centre, coverage band and gap."""
    code = home_region(user=user, regency_code=regency_code)
    area = cached_coverage(session=session, region_code=access_area(
        session=session, user=user, code=code).code)
    desa = _desa_nodes(area)
    centres = {
        row.code: (row.latitude, row.longitude, row.parent_code)
        for row in session.execute(
            select(Region.code, Region.latitude, Region.longitude, Region.parent_code)
            .where(Region.code.in_([d.code for d in desa]))
        )
    }
    points = []
    for node in desa:
        latitude, longitude, parent = centres[node.code]
        coverage = node.figures()["coverage"]
        points.append({
            "code": node.code, "name": node.name, "kecamatan_code": parent,
            "href": href(node.code), "latitude": latitude, "longitude": longitude,
            "coverage": coverage.as_dict(), "band": coverage_band(coverage.percent),
            "missing": node.counts["not_recorded"],
        })
    return {"area": {"code": area.code, "name": area.name, "level": area.level,
                     "href": href(area.code), "data_date": area.data_date.isoformat()},
            "bands": list(BANDS), "desa": points}


def _trail(*, session: Session, user: User, region: Region) -> list[dict[str, Any]]:
    """Name the areas above `region` that the user may open, from the regency down."""
    trail: list[dict[str, Any]] = []
    code = region.parent_code
    while code and region_in_scope(user, code):
        above = session.get(Region, code)
        if above is None or above.level not in AREA_LEVELS:
            break
        trail.insert(0, {"code": above.code, "name": above.name, "level": above.level,
                         "href": href(above.code)})
        code = above.parent_code
    return trail


def area_context(*, session: Session, user: User, code: str) -> dict[str, Any]:
    """Return an area's figures, its children and the named lists behind the figures."""
    region = access_area(session=session, user=user, code=code)
    area = cached_coverage(session=session, region_code=region.code)
    trail = _trail(session=session, user=user, region=region)
    parent = trail[-1] if trail else None
    named = _named_lists(user=user, area=area)
    context: dict[str, Any] = {
        "area": _summary(area),
        "parent": parent,
        "trail": trail,
        "pipeline": _pipeline(area),
        "children": [_summary(child) for child in area.children],
        "trend": _trend(session=session, area=area) if area.level != RegionLevel.VILLAGE else [],
        "lists": named,
        "figure_links": _figure_links(named),
    }
    _with_data_dates(session=session, area=context["area"], children=context["children"])
    return context


def desa_under(*, session: Session, region: Region) -> dict[str, str]:
    """Map code -> name of every desa in a regency, kecamatan or desa."""
    if region.level == RegionLevel.VILLAGE:
        return {region.code: region.name}
    parents = [region.code]
    if region.level == RegionLevel.REGENCY:
        parents = list(
            session.scalars(select(Region.code).where(Region.parent_code == region.code))
        )
    rows = session.execute(
        select(Region.code, Region.name)
        .where(Region.parent_code.in_(parents))
        .order_by(Region.code)
    )
    return {row.code: row.name for row in rows}


def data_date(*, session: Session) -> date:
    """Return the data date of the latest applied import (today before the first)."""
    latest = latest_applied_import(session=session)
    return latest.data_date if latest else clock.today()


def list_row(
    row: Any, *, desa_names: dict[str, str], on: date, reveal: bool, link: bool = True
) -> dict[str, Any]:
    conditions = [key for key, present in (
        ("disability", row.disability is not None), ("bedridden", bool(row.bedridden)),
        ("odgj", bool(row.odgj)), ("lansia", bool(row.lansia)),
    ) if present]
    return {
        "id": row.id, "href": f"/penduduk/{row.id}" if link else None,
        "nik": row.nik if reveal else mask_nik(row.nik), "name": row.name,
        "sex": "L" if row.sex == 1 else "P", "age": age_on(row.birth_date, on),
        "desa_code": row.desa_code, "desa_name": desa_names.get(row.desa_code, ""),
        "dusun": row.dusun, "rt": row.rt, "rw": row.rw, "ktp_status": row.ktp_status,
        "status_label": KTP_STATUS_LABELS_ID.get(row.ktp_status or "", "-"),
        "reason": row.reason, "conditions": conditions,
        "wajib": bool(row.wajib), "may_record": bool(row.may_record),
    }


def list_context(
    *, session: Session, user: User, code: str, query: lists.ListQuery, ip: str | None = None
) -> dict[str, Any]:
    """Return one page of a named list, NIK masked, and log that it was read."""
    region = access_area(session=session, user=user, code=code)
    require_role(user, *LIST_ROLES)
    desa_names = desa_under(session=session, region=region)
    on = data_date(session=session)
    total = lists.count_rows(session=session, user=user, query=query,
                             desa_codes=list(desa_names), on=on)
    pages = max(1, -(-total // query.per_page))
    rows = lists.fetch_rows(session=session, user=user, query=query, desa_codes=list(desa_names),
                            on=on, limit=query.per_page, offset=(query.page - 1) * query.per_page)
    # An auditor reads the lists but not the registry: no link to a page they cannot open.
    link = residents.reads_registry(user)
    result = [list_row(row, desa_names=desa_names, on=on, reveal=False, link=link)
              for row in rows]
    # Named lists are personal data: every read is on the audit log (ARCHITECTURE.md).
    audit.record(session=session, actor=user, action="wilayah.daftar", object_type="wilayah",
                 object_id=code, detail={"list": query.name, "page": query.page,
                                         "rows": len(result)}, ip=ip)
    return {
        "area": {"code": region.code, "name": region.name, "level": region.level,
                 "href": href(region.code)},
        "list": query.name, "data_date": on.isoformat(),
        "filters": {"reason": query.reason, "desa": query.desa, "q": query.q,
                    "sort": query.sort, "dir": "desc" if query.descending else "asc"},
        "page": query.page, "per_page": query.per_page, "pages": pages, "total": total,
        "desa_options": [{"code": c, "name": n} for c, n in desa_names.items()]
        if len(desa_names) > 1 else [],
        "rows": result,
    }
