"""Roster pages: the review of uncertain links (and its writes), and what rosters answer."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from jemput import clock
from jemput.auth.dependencies import CurrentUser, DbSession, client_ip
from jemput.downloads import attachment
from jemput.i18n import DEFAULT_LOCALE, format_number, translate
from jemput.linkage import answers, exports, review
from jemput.linkage import strings as _strings  # noqa: F401 - registers the page strings
from jemput.linkage.service import Verdict
from jemput.targets import quick as target_lists
from jemput.templating import render

router = APIRouter()
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]
ACTIONS = {"terima": Verdict.ACCEPTED, "tolak": Verdict.REJECTED}


Page = Annotated[int, Query(ge=1, le=1_000_000, description="Halaman.")]
PerPage = Annotated[int, Query(ge=1, le=review.MAX_PAGE_SIZE, description="Pasangan per halaman.")]


@router.get("/api/daftar/tinjau")
def api_review_queue(session: DbSession, user: CurrentUser, page: Page = 1,
                     per_page: PerPage = review.PAGE_SIZE) -> dict[str, Any]:
    return review.review_queue(session=session, user=user, page=page, per_page=per_page)


def _queue_href(page: int, per_page: int) -> str:
    # Only what differs from the defaults, so the plain address stays /daftar/tinjau.
    params = {key: value for key, value, default in (("page", page, 1),
                                                     ("per_page", per_page, review.PAGE_SIZE))
              if value != default}
    return f"/daftar/tinjau?{urlencode(params)}" if params else "/daftar/tinjau"


@router.get("/daftar/tinjau", include_in_schema=False)
def review_page(request: Request, session: DbSession, user: CurrentUser, page: Page = 1,
                per_page: PerPage = review.PAGE_SIZE) -> Response:
    data = review.review_queue(session=session, user=user, page=page, per_page=per_page)

    def link(page: int) -> str:
        return _queue_href(page, data["per_page"])

    # A decision comes back to the page it was made on (the form's action carries it).
    back = link(data["page"]).removeprefix("/daftar/tinjau")
    return render(request, "linkage/tinjau.html", {"data": data, "link": link, "back": back})


def _decide(request: Request, session: DbSession, user: CurrentUser, roster_row_id: int,
            verdict: str) -> dict[str, Any]:
    link = review.decide(session=session, user=user, roster_row_id=roster_row_id,
                         verdict=verdict, ip=client_ip(request))
    return {"roster_row_id": link.roster_row_id, "resident_id": link.resident_id,
            "decision": link.decision, "decided_by": link.decided_by}


@router.post("/api/daftar/tinjau/{roster_row_id}/terima")
def api_accept(request: Request, session: DbSession, user: CurrentUser,
               roster_row_id: RowId) -> dict[str, Any]:
    return _decide(request, session, user, roster_row_id, Verdict.ACCEPTED)


@router.post("/api/daftar/tinjau/{roster_row_id}/tolak")
def api_reject(request: Request, session: DbSession, user: CurrentUser,
               roster_row_id: RowId) -> dict[str, Any]:
    return _decide(request, session, user, roster_row_id, Verdict.REJECTED)


@router.post("/daftar/tinjau/{roster_row_id}/terima", include_in_schema=False)
def accept_page(request: Request, session: DbSession, user: CurrentUser,
                roster_row_id: RowId, page: Page = 1,
                per_page: PerPage = review.PAGE_SIZE) -> Response:
    _decide(request, session, user, roster_row_id, Verdict.ACCEPTED)
    return RedirectResponse(_queue_href(page, per_page), status_code=303)


@router.post("/daftar/tinjau/{roster_row_id}/tolak", include_in_schema=False)
def reject_page(request: Request, session: DbSession, user: CurrentUser,
                roster_row_id: RowId, page: Page = 1,
                per_page: PerPage = review.PAGE_SIZE) -> Response:
    _decide(request, session, user, roster_row_id, Verdict.REJECTED)
    return RedirectResponse(_queue_href(page, per_page), status_code=303)


# --- what the rosters answer ------------------------------------------------------------

SessionDate = Annotated[date | None, Query(alias="tanggal", description="Tanggal sesi.")]
# Ages are counted back 18 years from the date: keep it where a calendar can.
EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)


def _session_date(on: date | None) -> date:
    if on is None:
        return clock.today()
    if not EARLIEST <= on <= LATEST:
        raise HTTPException(422, f"Tanggal sesi {on.isoformat()} di luar rentang "
                                 f"{EARLIEST.year}-{LATEST.year}.")
    return on
Minutes = Annotated[int, Query(alias="menit", ge=1, le=120,
                               description="Menit per orang.")]


def _schools(session: DbSession, user: CurrentUser, on: date | None,
             minutes: int) -> dict[str, Any]:
    return answers.schools(session=session, user=user, on=_session_date(on),
                           minutes_per_person=minutes)


@router.get("/api/daftar/sekolah")
def api_schools(session: DbSession, user: CurrentUser, on: SessionDate = None,
                minutes: Minutes = answers.MINUTES_PER_PERSON) -> dict[str, Any]:
    return _schools(session, user, on, minutes)


@router.get("/daftar/sekolah", include_in_schema=False)
def schools_page(request: Request, session: DbSession, user: CurrentUser,
                 on: SessionDate = None,
                 minutes: Minutes = answers.MINUTES_PER_PERSON) -> Response:
    data = _schools(session, user, on, minutes)
    export = f"/daftar/sekolah.xlsx?{urlencode({'tanggal': data['on'], 'menit': minutes})}"
    return render(request, "linkage/sekolah.html",
                  {"data": data, "export_href": export, **_one_click(user)})


@router.get("/api/daftar/pemilih")
def api_voters(session: DbSession, user: CurrentUser) -> dict[str, Any]:
    return answers.voters(session=session, user=user)


@router.get("/daftar/pemilih", include_in_schema=False)
def voters_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return render(request, "linkage/pemilih.html",
                  {"data": answers.voters(session=session, user=user),
                   "export_href": "/daftar/pemilih.xlsx", **_one_click(user)})


@router.get("/api/daftar/luar-sekolah")
def api_out_of_school(session: DbSession, user: CurrentUser,
                      on: SessionDate = None) -> dict[str, Any]:
    return answers.out_of_school(session=session, user=user, on=_session_date(on))


@router.get("/daftar/luar-sekolah", include_in_schema=False)
def out_of_school_page(request: Request, session: DbSession, user: CurrentUser,
                       on: SessionDate = None) -> Response:
    data = answers.out_of_school(session=session, user=user, on=_session_date(on))
    export = f"/daftar/luar-sekolah.xlsx?{urlencode({'tanggal': data['on']})}"
    return render(request, "linkage/luar_sekolah.html",
                  {"data": data, "export_href": export, **_one_click(user)})


# --- the same figures as XLSX -----------------------------------------------------------


def _too_large(request: Request, error: exports.ExportTooLarge) -> Response:
    viewer = getattr(request.state, "viewer", None)
    locale = viewer.locale if viewer else DEFAULT_LOCALE
    message = (f"{translate('answers.too_large', locale)} ({format_number(error.rows, locale)}"
               f" > {format_number(exports.MAX_EXPORT_ROWS, locale)})")
    return render(request, "auth/error.html", {"message": message, "status": 400}, 400)


@router.get("/daftar/sekolah.xlsx", include_in_schema=False)
def export_schools(request: Request, session: DbSession, user: CurrentUser,
                   on: SessionDate = None,
                   minutes: Minutes = answers.MINUTES_PER_PERSON) -> Response:
    try:
        result = exports.export_schools(session=session, user=user, on=_session_date(on),
                                        minutes_per_person=minutes, ip=client_ip(request))
    except exports.ExportTooLarge as error:
        return _too_large(request, error)
    return attachment(result.content, result.file_name)


@router.get("/daftar/pemilih.xlsx", include_in_schema=False)
def export_voters(request: Request, session: DbSession, user: CurrentUser) -> Response:
    result = exports.export_voters(session=session, user=user, ip=client_ip(request))
    return attachment(result.content, result.file_name)


@router.get("/daftar/luar-sekolah.xlsx", include_in_schema=False)
def export_out_of_school(request: Request, session: DbSession, user: CurrentUser,
                         on: SessionDate = None) -> Response:
    try:
        result = exports.export_out_of_school(session=session, user=user,
                                              on=_session_date(on), ip=client_ip(request))
    except exports.ExportTooLarge as error:
        return _too_large(request, error)
    return attachment(result.content, result.file_name)


def _one_click(user: CurrentUser) -> dict[str, Any]:
    # Each figure is a target list one click away, for those who may build lists; the
    # out-of-school list covers the user's own area.
    return {"one_click": target_lists.may_build(user), "list_area": user.scope_region}
