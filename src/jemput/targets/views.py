"""Target-list pages (/sasaran) and their JSON twins (/api/sasaran), built from one context."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from jemput.auth.dependencies import CurrentUser, DbSession, RowId, client_ip
from jemput.auth.models import Role, User
from jemput.downloads import attachment
from jemput.i18n import DEFAULT_LOCALE
from jemput.spreadsheets import XLSX_MEDIA_TYPE
from jemput.targets import exports, members, quick, service, states
from jemput.targets import rules as rule_registry
from jemput.targets import strings as _strings  # noqa: F401 - registers the page strings
from jemput.targets.schemas import (
    PRINTABLE,
    Assignment,
    ListCreate,
    Move,
    OneClick,
    RowNumber,
)
from jemput.templating import render

router = APIRouter()
Text = Annotated[str | None, Query(max_length=80, pattern=PRINTABLE)]
Page = Annotated[int, Query(ge=1, le=1_000_000)]
PerPage = Annotated[int, Query(ge=1, le=members.MAX_PER_PAGE)]
Direction = Annotated[str | None, Query(alias="dir", max_length=4)]
FormText = Annotated[str | None, Form(max_length=120, pattern=PRINTABLE)]
# Errors a user can make and read: an unknown rule, a move not allowed, a bad assignment.
USER_ERRORS = (rule_registry.RuleError, states.InvalidMove, members.AssignError)


def _locale(request: Request) -> str:
    viewer = getattr(request.state, "viewer", None)
    return viewer.locale if viewer else DEFAULT_LOCALE


def _refused(request: Request, error: Exception) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": str(error)}, status_code=400)
    return render(request, "auth/error.html", {"message": str(error), "status": 400}, 400)


def _query(state: str | None, desa: str | None, dusun: str | None, rt: str | None,
           q: str | None, sort: str | None, direction: str | None, page: int = 1,
           per_page: int = members.PER_PAGE) -> members.MemberQuery:
    return members.parse_query(state=state, desa=desa, dusun=dusun, rt=rt, q=q, sort=sort,
                               direction=direction, page=page, per_page=per_page)


# --- lists ------------------------------------------------------------------------------


@router.get("/api/sasaran")
def api_lists(request: Request, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    return members.lists_context(session=session, user=user, locale=_locale(request))


@router.get("/sasaran", include_in_schema=False)
def lists_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    data = members.lists_context(session=session, user=user, locale=_locale(request))
    return render(request, "targets/lists.html", {"data": data, "states": states})


@router.post("/api/sasaran", status_code=201, response_model=None)
def api_create(request: Request, body: ListCreate, session: DbSession,
               user: CurrentUser) -> dict[str, Any] | Response:
    try:
        target = service.create_list(session=session, user=user, name=body.name,
                                     rule=body.rule, params=body.params,
                                     area_code=body.area_code,
                                     institution_npsn=body.institution_npsn)
    except rule_registry.RuleError as error:
        return _refused(request, error)
    return members.summary(target, counts=members.state_counts(
        session=session, user=user, target=target), locale=_locale(request))


@router.post("/sasaran", include_in_schema=False)
def create_form(
    request: Request, session: DbSession, user: CurrentUser,
    name: Annotated[str, Form(max_length=120, pattern=PRINTABLE)] = "", rule: FormText = None,
    area_code: FormText = None, institution_npsn: FormText = None, before: FormText = None,
    on: Annotated[str | None, Form(alias="date", max_length=40, pattern=PRINTABLE)] = None,
    tps: FormText = None, kind: FormText = None,
) -> Response:
    params = _form_params(rule, before=before, date=on, tps=tps, kind=kind)
    try:
        target = service.create_list(session=session, user=user, name=name, rule=rule or "",
                                     params=params, area_code=area_code or "",
                                     institution_npsn=institution_npsn or None)
    except rule_registry.RuleError as error:
        return _refused(request, error)
    return RedirectResponse(f"/sasaran/{target.id}", status_code=303)


def _form_params(rule: str | None, **given: str | None) -> dict[str, str]:
    # A form sends every field; the rule takes only its own (an empty one is left out).
    chosen = rule_registry.RULES.get(rule or "")
    taken = chosen.params if chosen else {}
    return {key: value for key, value in given.items() if key in taken and value}


@router.post("/api/sasaran/cepat", status_code=201, response_model=None)
def api_one_click(request: Request, body: OneClick, session: DbSession,
                  user: CurrentUser) -> dict[str, Any] | Response:
    try:
        target = quick.create_with_one_click(
            session=session, user=user, rule=body.rule, params=body.params,
            area_code=body.area_code, institution_npsn=body.institution_npsn)
    except rule_registry.RuleError as error:
        return _refused(request, error)
    return members.summary(target, counts=members.state_counts(
        session=session, user=user, target=target), locale=_locale(request))


@router.post("/sasaran/cepat", include_in_schema=False)
def one_click_form(
    request: Request, session: DbSession, user: CurrentUser, rule: FormText = None,
    area_code: FormText = None, institution_npsn: FormText = None, before: FormText = None,
    on: Annotated[str | None, Form(alias="date", max_length=40, pattern=PRINTABLE)] = None,
    tps: FormText = None, kind: FormText = None,
) -> Response:
    params = _form_params(rule, before=before, date=on, tps=tps, kind=kind)
    try:
        target = quick.create_with_one_click(
            session=session, user=user, rule=rule or "", params=params,
            area_code=area_code or "", institution_npsn=institution_npsn or None)
    except rule_registry.RuleError as error:
        return _refused(request, error)
    return RedirectResponse(f"/sasaran/{target.id}", status_code=303)


# --- one list ---------------------------------------------------------------------------


@router.get("/api/sasaran/{list_id}")
def api_members(
    request: Request, list_id: RowId, session: DbSession, user: CurrentUser,
    state: Text = None, desa: Text = None, dusun: Text = None, rt: Text = None, q: Text = None,
    sort: Text = None, direction: Direction = None, page: Page = 1,
    per_page: PerPage = members.PER_PAGE,
) -> dict[str, Any]:
    query = _query(state, desa, dusun, rt, q, sort, direction, page, per_page)
    return members.members_context(session=session, user=user, list_id=list_id, query=query,
                                   ip=client_ip(request), locale=_locale(request))


@router.get("/sasaran/{list_id}", include_in_schema=False)
def members_page(
    request: Request, list_id: RowId, session: DbSession, user: CurrentUser,
    state: Text = None, desa: Text = None, dusun: Text = None, rt: Text = None, q: Text = None,
    sort: Text = None, direction: Direction = None, page: Page = 1,
) -> Response:
    query = _query(state, desa, dusun, rt, q, sort, direction, page)
    data = members.members_context(session=session, user=user, list_id=list_id, query=query,
                                   ip=client_ip(request), locale=_locale(request))
    base = f"/sasaran/{list_id}"

    def link(**changes: Any) -> str:
        return f"{base}?{urlencode(query.params(**changes))}"

    def sort_link(column: str) -> str:
        flip = query.sort == column and not query.descending
        return link(sort=column, dir="desc" if flip else "asc", page=1)

    filters = urlencode(query.params(page=None))
    context = {"data": data, "link": link, "sort_link": sort_link, "states": states,
               "xlsx_href": f"{base}/xlsx?{filters}", "pdf_href": f"{base}/pdf?{filters}"}
    return render(request, "targets/members.html", context)


def _download(result: exports.Export, media_type: str) -> Response:
    return attachment(result.content, result.file_name, media_type)


@router.get("/sasaran/{list_id}/xlsx", include_in_schema=False)
def export_xlsx(
    request: Request, list_id: RowId, session: DbSession, user: CurrentUser,
    state: Text = None, desa: Text = None, dusun: Text = None, rt: Text = None, q: Text = None,
    sort: Text = None, direction: Direction = None,
) -> Response:
    query = _query(state, desa, dusun, rt, q, sort, direction)
    result = exports.export_xlsx(session=session, user=user, list_id=list_id, query=query,
                                 ip=client_ip(request))
    return _download(result, XLSX_MEDIA_TYPE)


@router.get("/sasaran/{list_id}/pdf", include_in_schema=False)
def export_pdf(
    request: Request, list_id: RowId, session: DbSession, user: CurrentUser,
    state: Text = None, desa: Text = None, dusun: Text = None, rt: Text = None, q: Text = None,
    sort: Text = None, direction: Direction = None,
) -> Response:
    query = _query(state, desa, dusun, rt, q, sort, direction)
    result = exports.export_pdf(session=session, user=user, list_id=list_id, query=query,
                                ip=client_ip(request))
    return _download(result, "application/pdf")


@router.post("/api/sasaran/{list_id}/perbarui")
def api_refresh(list_id: RowId, session: DbSession, user: CurrentUser) -> dict[str, int]:
    result = service.refresh_by_user(session=session, user=user, list_id=list_id)
    return {"joined": result.joined, "left": result.left, "rejoined": result.rejoined}


@router.post("/sasaran/{list_id}/perbarui", include_in_schema=False)
def refresh_form(list_id: RowId, session: DbSession, user: CurrentUser) -> Response:
    service.refresh_by_user(session=session, user=user, list_id=list_id)
    return RedirectResponse(f"/sasaran/{list_id}", status_code=303)


def _assign(request: Request, session: Any, user: User, list_id: int,
            body: Assignment) -> int | Response:
    try:
        return members.assign(session=session, user=user, list_id=list_id,
                              member_ids=body.member_ids, desa=body.desa, dusun=body.dusun,
                              rt=body.rt, username=body.username, team=body.team)
    except members.AssignError as error:
        return _refused(request, error)


@router.post("/api/sasaran/{list_id}/tugaskan", response_model=None)
def api_assign(request: Request, list_id: RowId, body: Assignment, session: DbSession,
               user: CurrentUser) -> dict[str, int] | Response:
    given = _assign(request, session, user, list_id, body)
    return given if isinstance(given, Response) else {"assigned": given}


@router.post("/sasaran/{list_id}/tugaskan", include_in_schema=False)
def assign_form(
    request: Request, list_id: RowId, session: DbSession, user: CurrentUser,
    member_ids: Annotated[list[RowNumber] | None, Form()] = None, desa: FormText = None,
    dusun: FormText = None, rt: FormText = None, username: FormText = None,
    team: FormText = None,
) -> Response:
    body = Assignment(member_ids=member_ids or None, desa=desa, dusun=dusun, rt=rt,
                      username=username, team=team)
    given = _assign(request, session, user, list_id, body)
    if isinstance(given, Response):
        return given
    return RedirectResponse(f"/sasaran/{list_id}", status_code=303)


@router.get("/api/sasaran/{list_id}/anggota/{member_id}")
def api_member_history(list_id: RowId, member_id: RowId, session: DbSession,
                       user: CurrentUser) -> dict[str, Any]:
    return {"history": members.history(session=session, user=user, list_id=list_id,
                                       member_id=member_id)}


@router.post("/api/sasaran/{list_id}/anggota/{member_id}/status", response_model=None)
def api_move(request: Request, list_id: RowId, member_id: RowId, body: Move,
             session: DbSession, user: CurrentUser) -> dict[str, Any] | Response:
    try:
        member = members.move_member(session=session, user=user, list_id=list_id,
                                     member_id=member_id, state=body.state,
                                     outcome=body.outcome, note=body.note)
    except states.InvalidMove as error:
        return _refused(request, error)
    return {"id": member.id, "state": member.state, "outcome": member.outcome}


@router.post("/sasaran/{list_id}/anggota/{member_id}/status", include_in_schema=False)
def move_form(
    request: Request, list_id: RowId, member_id: RowId, session: DbSession,
    user: CurrentUser, state: FormText = None, outcome: FormText = None, note: FormText = None,
    back: FormText = None,
) -> Response:
    try:
        members.move_member(session=session, user=user, list_id=list_id, member_id=member_id,
                            state=state or "", outcome=outcome, note=note)
    except states.InvalidMove as error:
        return _refused(request, error)
    # Back to where the form was (the landing page or the list), never off-site.
    target = back if back in ("/",) else f"/sasaran/{list_id}"
    return RedirectResponse(target, status_code=303)


# --- a worker's landing page ------------------------------------------------------------


def worker_home(request: Request, session: DbSession, user: User,
                routes: dict[str, Any] | None = None, plan: str | None = None) -> Response:
    """The landing page of desa, sekolah, mitra and petugas users: the work given to them.

    `routes` is a petugas' team work from outreach (their approved routes and day sheets);
    `plan` names a role whose own pages are still partly to come (reports/minimal.html).
    """
    locale = _locale(request)
    data = members.lists_context(session=session, user=user, locale=locale)
    work = []
    for item in data["lists"]:
        query = members.parse_query(per_page=members.MAX_PER_PAGE)
        work.append(members.members_context(session=session, user=user, list_id=item["id"],
                                            query=query, ip=client_ip(request),
                                            locale=locale))
    # A village official also has their desa's figures: one link away.
    desa_href = (f"/wilayah/{user.scope_region}"
                 if user.role == Role.DESA and user.scope_region else None)
    return render(request, "targets/home.html",
                  {"work": work, "states": states, "desa_href": desa_href, "routes": routes,
                   "plan": plan})
