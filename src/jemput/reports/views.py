"""Office report pages and their JSON twins: dashboard, map, area pages, named lists."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from jemput.auth.access import NotFound
from jemput.auth.dependencies import AppSettings, CurrentUser, DbSession, client_ip
from jemput.auth.models import Role
from jemput.downloads import attachment
from jemput.i18n import DEFAULT_LOCALE, format_number, format_percent, translate
from jemput.outreach import sheets as outreach_sheets
from jemput.reports import bands, charts, exports, lists, map_layers, service
from jemput.reports import strings as _strings  # noqa: F401 - registers the page strings
from jemput.targets import views as targets_views
from jemput.templating import STATIC_DIR, render

router = APIRouter()
# Copied in by `make vendor` (package-lock.json pins the version); not in git.
LEAFLET = STATIC_DIR / "vendor" / "leaflet" / "leaflet.js"
# Roles whose own pages do not exist yet (ARCHITECTURE.md, Users).
ROLES_TO_COME = frozenset({Role.PETUGAS})
# Roles whose landing page is the work given to them (target lists, targets/views.py).
WORKER_ROLES = frozenset({Role.DESA, Role.SEKOLAH, Role.MITRA, Role.PETUGAS})


def _locale(request: Request) -> str:
    viewer = getattr(request.state, "viewer", None)
    return viewer.locale if viewer else DEFAULT_LOCALE


def _helpers(request: Request) -> dict[str, Any]:
    locale = _locale(request)

    legend = {band["key"]: band for band in bands.legend(locale)}
    return {"fmt": lambda number: format_number(number, locale),
            "pct": lambda value: format_percent(value, locale),
            "band": lambda value: legend[bands.coverage_band(value)]}


def _charts(data: dict[str, Any], request: Request) -> dict[str, Any]:
    locale = _locale(request)
    title_key = "report.coverage_by_kecamatan" if data["area"]["level"] == "kabupaten" else (
        "report.coverage_by_desa")
    return {
        "bars": charts.coverage_bars(data["children"], locale=locale,
                                     title=translate(title_key, locale))
        if data["children"] else None,
        "legend": bands.legend(locale),
        "bars_title": title_key,
        "trend": charts.trend_line(data["trend"], locale=locale,
                                   title=translate("report.trend", locale))
        if data["trend"] else None,
    }


# --- dashboard --------------------------------------------------------------------------


@router.get("/api/dasbor")
def api_dashboard(session: DbSession, user: CurrentUser, settings: AppSettings) -> dict[str, Any]:
    return service.dashboard_context(session=session, user=user,
                                     regency_code=settings.regency_code)


@router.get("/", include_in_schema=False)
def dashboard(
    request: Request, session: DbSession, user: CurrentUser, settings: AppSettings
) -> Response:
    if user.role == Role.PETUGAS:
        # A field officer lands on their team's routes (approved plans) and the members
        # given to their team; the offline visit lists are still to come (the role plan).
        routes = outreach_sheets.team_work(session=session, user=user)
        return targets_views.worker_home(request, session, user, routes=routes,
                                         plan=user.role)
    if user.role in WORKER_ROLES:
        return targets_views.worker_home(request, session, user)
    if not service.sees_figures(user):
        # The landing page after sign-in: roles without an area get a page, not a 403;
        # those whose own features are still to come are told what Jemput will do for them.
        plan = user.role if user.role in ROLES_TO_COME else None
        return render(request, "reports/minimal.html", {"plan": plan})
    if user.role == Role.DESA:
        # A village official's whole scope is one desa: its page is their dashboard.
        return RedirectResponse(service.href(user.scope_region or ""), status_code=303)
    data = service.dashboard_context(session=session, user=user,
                                     regency_code=settings.regency_code)
    context = {"data": data, "charts": _charts(data, request), **_helpers(request)}
    return render(request, "reports/dasbor.html", context)


# --- map --------------------------------------------------------------------------------


@router.get("/api/peta")
def api_map(session: DbSession, user: CurrentUser, settings: AppSettings) -> dict[str, Any]:
    return service.map_context(session=session, user=user, regency_code=settings.regency_code)


@router.get("/api/peta/geojson")
def api_map_layers(
    request: Request, session: DbSession, user: CurrentUser, settings: AppSettings
) -> dict[str, Any]:
    """The coverage map's layers for static/map.js: kecamatan outlines and desa points."""
    data = service.map_context(session=session, user=user, regency_code=settings.regency_code)
    return map_layers.coverage_layers(session=session, data=data, locale=_locale(request))


@router.get("/peta", include_in_schema=False)
def map_page(
    request: Request, session: DbSession, user: CurrentUser, settings: AppSettings
) -> Response:
    data = service.map_context(session=session, user=user, regency_code=settings.regency_code)
    locale = _locale(request)
    layers = map_layers.coverage_layers(session=session, data=data, locale=locale)
    # Without JavaScript (or Leaflet) the server's own SVG still shows every desa.
    svg = charts.desa_map(data["desa"], locale=locale, title=translate("map.title", locale))
    context = {"data": data, "svg": svg, "legend": bands.legend(locale),
               "outline_sources": layers["outline_sources"], "unplaced": layers["unplaced"],
               "tile_url": settings.map_tile_url,
               "tile_attribution": settings.map_tile_attribution,
               "leaflet_ready": LEAFLET.exists(), **_helpers(request)}
    return render(request, "reports/peta.html", context)


# --- area pages -------------------------------------------------------------------------


@router.get("/api/wilayah/{code}")
def api_area(code: str, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    return service.area_context(session=session, user=user, code=code)


@router.get("/wilayah/{code}", include_in_schema=False)
def area_page(request: Request, code: str, session: DbSession, user: CurrentUser) -> Response:
    data = service.area_context(session=session, user=user, code=code)
    context = {"data": data, "charts": _charts(data, request), **_helpers(request)}
    return render(request, "reports/wilayah.html", context)


# --- named lists ------------------------------------------------------------------------


def _query(
    name: str, reason: str | None, desa: str | None, q: str | None, sort: str | None,
    direction: str | None, page: int, per_page: int = lists.PER_PAGE,
) -> lists.ListQuery:
    try:
        return lists.parse_query(name, reason=reason, desa=desa, q=q, sort=sort,
                                 direction=direction, page=page, per_page=per_page)
    except lists.UnknownList:
        raise NotFound(name) from None


Text = Annotated[str | None, Query(max_length=60)]
Page = Annotated[int, Query(ge=1, le=1_000_000)]
PerPage = Annotated[int, Query(ge=1, le=lists.MAX_PER_PAGE)]
# "dir" in the URL, as in sort=name&dir=desc; "dir" is a builtin in Python.
Direction = Annotated[str | None, Query(alias="dir", max_length=4)]


@router.get("/wilayah/{code}/daftar/{name}.xlsx", include_in_schema=False)
def export_xlsx(
    request: Request, code: str, name: str, session: DbSession, user: CurrentUser,
    reason: Text = None, desa: Text = None, q: Text = None, sort: Text = None,
    direction: Direction = None,
) -> Response:
    query = _query(name, reason, desa, q, sort, direction, 1)
    try:
        result = exports.export_list(session=session, user=user, code=code, query=query,
                                     ip=client_ip(request))
    except exports.ExportTooLarge as error:
        message = (f"{translate('export.too_large', _locale(request))} "
                   f"({format_number(error.rows, _locale(request))} > "
                   f"{format_number(exports.MAX_EXPORT_ROWS, _locale(request))})")
        return render(request, "auth/error.html", {"message": message, "status": 400}, 400)
    return attachment(result.content, result.file_name)


@router.get("/api/wilayah/{code}/daftar/{name}")
def api_list(
    request: Request, code: str, name: str, session: DbSession, user: CurrentUser,
    reason: Text = None, desa: Text = None, q: Text = None, sort: Text = None,
    direction: Direction = None, page: Page = 1, per_page: PerPage = lists.PER_PAGE,
) -> dict[str, Any]:
    query = _query(name, reason, desa, q, sort, direction, page, per_page)
    return service.list_context(session=session, user=user, code=code, query=query,
                                ip=client_ip(request))


@router.get("/wilayah/{code}/daftar/{name}", include_in_schema=False)
def list_page(
    request: Request, code: str, name: str, session: DbSession, user: CurrentUser,
    reason: Text = None, desa: Text = None, q: Text = None, sort: Text = None,
    direction: Direction = None, page: Page = 1,
) -> Response:
    query = _query(name, reason, desa, q, sort, direction, page)
    data = service.list_context(session=session, user=user, code=code, query=query,
                                ip=client_ip(request))
    base = f"{data['area']['href']}/daftar/{name}"

    def link(**changes: Any) -> str:
        return f"{base}?{urlencode(query.params(**changes))}"

    def sort_link(column: str) -> str:
        flip = query.sort == column and not query.descending
        return link(sort=column, dir="desc" if flip else "asc", page=1)

    export = f"{base}.xlsx?{urlencode(query.params(page=None))}"
    context = {"data": data, "link": link, "sort_link": sort_link, "export_href": export,
               "reasons": lists.REASONS, **_helpers(request)}
    return render(request, "reports/daftar.html", context)
