"""Campaign pages (/kampanye) and their JSON twins (/api/kampanye), built from one context.

Every write handler checks the role before it reads a field, so a persona who may not
write is refused (403/404) whatever it sends; a manager's mistakes are a 400 that says
what and where, and nothing of the request is kept (the session is rolled back).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from jemput.auth.access import require_role
from jemput.auth.dependencies import AppSettings, CurrentUser, DbSession, RowId, client_ip
from jemput.auth.models import User
from jemput.downloads import attachment
from jemput.i18n import DEFAULT_LOCALE
from jemput.intake.upload_views import wake_worker
from jemput.outreach import (
    availability,
    campaigns,
    contacts,
    plan_jobs,
    plan_map,
    plans,
    resources,
    sheets,
)
from jemput.outreach import strings as _strings  # noqa: F401 - registers the page strings
from jemput.outreach.context import campaigns_context, resources_context
from jemput.outreach.resources import ResourceError, parse_time
from jemput.outreach.schemas import CampaignCreate, OutcomeIn, PlanRequest
from jemput.reports.views import LEAFLET
from jemput.spreadsheets import XLSX_MEDIA_TYPE
from jemput.targets.states import InvalidMove
from jemput.templating import render

router = APIRouter()
USER_ERRORS = (ResourceError, InvalidMove)
FormText = Annotated[str, Form(max_length=4000, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$")]


def _locale(request: Request) -> str:
    viewer = getattr(request.state, "viewer", None)
    return viewer.locale if viewer else DEFAULT_LOCALE


def _refused(request: Request, session: Session, error: Exception,
             status: int = 400) -> Response:
    session.rollback()  # nothing half-written: the edge would otherwise commit
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": str(error)}, status_code=status)
    return render(request, "auth/error.html", {"message": str(error), "status": status},
                  status)


def _int(value: str, what: str, default: int | None = None) -> int:
    value = (value or "").strip()
    if not value and default is not None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ResourceError(f"{what}: bukan angka {value[:20]!r}") from None


def _float(value: str, what: str) -> float | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ResourceError(f"{what}: bukan angka {value[:20]!r}") from None


def _date(value: str, what: str) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise ResourceError(f"{what}: tanggal tidak sah {value[:20]!r} (YYYY-MM-DD)") from None


def _ints(value: str, what: str) -> list[int]:
    return [_int(v, what) for v in (value or "").replace(" ", "").split(",") if v]


def _manager(user: User) -> None:
    require_role(user, *resources.MANAGERS)


# --- resources --------------------------------------------------------------------------


@router.get("/api/kampanye/sumber-daya")
def api_resources(session: DbSession, user: CurrentUser) -> dict[str, Any]:
    return resources_context(session=session, user=user)


@router.get("/kampanye/sumber-daya", include_in_schema=False)
def resources_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return render(request, "outreach/resources.html",
                  {"data": resources_context(session=session, user=user)})


def _back(anchor: str) -> Response:
    return RedirectResponse(f"/kampanye/sumber-daya#{anchor}", status_code=303)


@router.post("/kampanye/sumber-daya/program", include_in_schema=False)
def programme_form(
    request: Request, session: DbSession, user: CurrentUser, area_code: FormText = "",
    name: FormText = "", kind: FormText = "", weekdays: FormText = "",
    setup_minutes: FormText = "", minutes: FormText = "", programme_id: FormText = "",
) -> Response:
    _manager(user)
    try:
        given = {}
        for pair in (minutes or "").replace(" ", "").split(","):
            if pair:
                key, _, value = pair.partition("=")
                given[key] = _int(value, f"menit {key}")
        resources.save_programme(
            session=session, user=user, area_code=area_code, name=name, kind=kind,
            service_minutes=given, setup_minutes=_int(setup_minutes, "waktu persiapan", 10),
            weekdays=weekdays, programme_id=_int(programme_id, "program", 0) or None)
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return _back("program")


@router.post("/kampanye/sumber-daya/tim", include_in_schema=False)
def team_form(
    request: Request, session: DbSession, user: CurrentUser, area_code: FormText = "",
    name: FormText = "", members: FormText = "", skills: list[str] = Form([]),  # noqa: B008
    kits: FormText = "", vehicle: FormText = "", base_name: FormText = "",
    base_latitude: FormText = "", base_longitude: FormText = "", team_id: FormText = "",
) -> Response:
    _manager(user)
    try:
        resources.save_team(
            session=session, user=user, area_code=area_code, name=name,
            members=members.split(","), skills=[s[:40] for s in skills[:10]],
            kits=_int(kits, "alat rekam", 1), vehicle=vehicle, base_name=base_name,
            base_latitude=_float(base_latitude, "lintang"),
            base_longitude=_float(base_longitude, "bujur"),
            team_id=_int(team_id, "tim", 0) or None)
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return _back("tim")


@router.post("/kampanye/sumber-daya/tidak-tersedia", include_in_schema=False)
def absence_form(request: Request, session: DbSession, user: CurrentUser, team_id: FormText = "",
                 starts: FormText = "", ends: FormText = "", member: FormText = "",
                 reason: FormText = "") -> Response:
    """Mark a team (or one member) unavailable on a day or a span of days."""
    _manager(user)
    try:
        first = _date(starts, "tidak tersedia mulai")
        availability.mark_unavailable(
            session=session, user=user, team_id=_int(team_id, "tim"), starts=first,
            ends=_date(ends, "tidak tersedia sampai") if ends.strip() else first,
            member=member[:60], reason=reason)
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return _back("tidak-tersedia")


@router.post("/kampanye/sumber-daya/tidak-tersedia/hapus", include_in_schema=False)
def absence_remove_form(request: Request, session: DbSession, user: CurrentUser,
                        absence_id: FormText = "") -> Response:
    _manager(user)
    try:
        availability.remove_absence(session=session, user=user,
                                    absence_id=_int(absence_id, "tidak tersedia"))
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return _back("tidak-tersedia")


@router.post("/kampanye/sumber-daya/kontak", include_in_schema=False)
def contact_form(request: Request, session: DbSession, user: CurrentUser,
                 site_key: FormText = "", name: FormText = "", phone: FormText = "") -> Response:
    """Set (or, with an empty name, remove) the contact person of a balai desa or school."""
    _manager(user)
    try:
        contacts.save_contact(session=session, user=user, site_key=site_key[:40],
                              name=name, phone=phone[:30])
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return _back("kontak")


@router.post("/kampanye/sumber-daya/kalender", include_in_schema=False)
def calendar_form(
    request: Request, session: DbSession, user: CurrentUser, area_code: FormText = "",
    office_opens: FormText = "08:00", office_closes: FormText = "15:00",
    school_opens: FormText = "07:30", school_closes: FormText = "13:00",
    friday_break_starts: FormText = "11:30", friday_break_ends: FormText = "13:00",
    kits: FormText = "1", queue_threshold: FormText = "", queue_weeks: FormText = "8",
    ramadan_starts: FormText = "", ramadan_ends: FormText = "",
    ramadan_friday_ends: FormText = "",
) -> Response:
    _manager(user)
    try:
        resources.save_calendar(
            session=session, user=user, area_code=area_code,
            office_opens=parse_time(office_opens, "jam buka kantor"),
            office_closes=parse_time(office_closes, "jam tutup kantor"),
            school_opens=parse_time(school_opens, "jam masuk sekolah"),
            school_closes=parse_time(school_closes, "jam pulang sekolah"),
            friday_break_starts=parse_time(friday_break_starts, "istirahat Jumat"),
            friday_break_ends=parse_time(friday_break_ends, "istirahat Jumat"),
            kits=_int(kits, "alat rekam kantor", 1),
            queue_threshold=_int(queue_threshold, "ambang antrean") if queue_threshold.strip()
            else None,
            queue_weeks=_int(queue_weeks, "minggu pembanding", 8),
            ramadan_starts=_date(ramadan_starts, "awal Ramadan") if ramadan_starts.strip()
            else None,
            ramadan_ends=_date(ramadan_ends, "akhir Ramadan") if ramadan_ends.strip() else None,
            ramadan_friday_ends=parse_time(ramadan_friday_ends, "Jumat Ramadan")
            if ramadan_friday_ends.strip() else None)
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return _back("kalender")


@router.post("/kampanye/sumber-daya/libur", include_in_schema=False)
def holiday_form(request: Request, session: DbSession, user: CurrentUser,
                 area_code: FormText = "", day: FormText = "", name: FormText = "") -> Response:
    _manager(user)
    try:
        resources.add_holiday(session=session, user=user, area_code=area_code,
                              day=_date(day, "hari libur"), name=name)
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return _back("libur")


@router.post("/kampanye/sumber-daya/antrean", include_in_schema=False)
def counts_form(request: Request, session: DbSession, user: CurrentUser,
                area_code: FormText = "", counts: Annotated[str, Form(max_length=400_000)] = ""
                ) -> Response:
    _manager(user)
    try:
        resources.import_counts(session=session, user=user, area_code=area_code, text=counts)
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return _back("antrean")


# --- campaigns --------------------------------------------------------------------------


@router.get("/api/kampanye")
def api_campaigns(request: Request, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    return campaigns_context(session=session, user=user, locale=_locale(request))


@router.get("/kampanye", include_in_schema=False)
def campaigns_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return render(request, "outreach/campaigns.html",
                  {"data": campaigns_context(session=session, user=user,
                                             locale=_locale(request))})


@router.post("/api/kampanye", status_code=201, response_model=None)
def api_create(request: Request, body: CampaignCreate, session: DbSession,
               user: CurrentUser) -> dict[str, Any] | Response:
    _manager(user)
    try:
        campaign = campaigns.create_campaign(
            session=session, user=user, name=body.name, area_code=body.area_code,
            starts=body.starts, ends=body.ends, programme_ids=body.programme_ids,
            team_ids=body.team_ids, list_ids=body.list_ids, weights=body.weights)
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return plans.campaign_summary(campaign)


@router.post("/kampanye", include_in_schema=False)
def create_form(request: Request, session: DbSession, user: CurrentUser, name: FormText = "",
                area_code: FormText = "", starts: FormText = "", ends: FormText = "",
                programme_ids: list[str] = Form([]), team_ids: list[str] = Form([]),  # noqa: B008
                list_ids: list[str] = Form([])) -> Response:  # noqa: B008
    _manager(user)
    try:
        campaign = campaigns.create_campaign(
            session=session, user=user, name=name, area_code=area_code,
            starts=_date(starts, "mulai"), ends=_date(ends, "selesai"),
            programme_ids=[_int(v[:12], "program") for v in programme_ids[:20]],
            team_ids=[_int(v[:12], "tim") for v in team_ids[:50]],
            list_ids=[_int(v[:12], "daftar") for v in list_ids[:20]])
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return RedirectResponse(f"/kampanye/{campaign.id}", status_code=303)


def _campaign_context(request: Request, session: Session, user: User,
                      campaign_id: int) -> dict[str, Any]:
    data = plans.plan_context(session=session, user=user, campaign_id=campaign_id,
                              locale=_locale(request))
    campaign = campaigns.access_campaign(session=session, user=user, campaign_id=campaign_id)
    data["job"] = plan_jobs.job_for_page(session=session, campaign=campaign)
    return data


@router.get("/api/kampanye/{campaign_id}")
def api_campaign(request: Request, campaign_id: RowId, session: DbSession,
                 user: CurrentUser) -> dict[str, Any]:
    return _campaign_context(request, session, user, campaign_id)


@router.get("/api/kampanye/{campaign_id}/peta", response_model=None)
def api_plan_map(request: Request, campaign_id: RowId, session: DbSession, user: CurrentUser,
                 hari: Annotated[str, Query(max_length=20)] = "",
                 tim: Annotated[str, Query(max_length=12)] = "") -> dict[str, Any] | Response:
    """The current plan's routes, stops, desa and outlines for static/map.js."""
    try:
        day = _date(hari, "hari") if hari.strip() else None
        team = _int(tim, "tim") if tim.strip() else None
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return plan_map.plan_layers(session=session, user=user, campaign_id=campaign_id,
                                locale=_locale(request), day=day, team_id=team)


@router.get("/kampanye/{campaign_id}", include_in_schema=False)
def campaign_page(request: Request, campaign_id: RowId, session: DbSession,
                  user: CurrentUser, settings: AppSettings,
                  hari: Annotated[str, Query(max_length=20)] = "",
                  tim: Annotated[str, Query(max_length=12)] = "") -> Response:
    data = _campaign_context(request, session, user, campaign_id)
    # The map draws what the filter asks; the endpoint checks the values again.
    shown = {key: value.strip() for key, value in (("hari", hari), ("tim", tim))
             if value.strip()}
    source = f"/api/kampanye/{campaign_id}/peta" + (f"?{urlencode(shown)}" if shown else "")
    context = {"data": data, "map_source": source, "shown": shown,
               "tile_url": settings.map_tile_url,
               "tile_attribution": settings.map_tile_attribution,
               "leaflet_ready": LEAFLET.exists()}
    return render(request, "outreach/campaign.html", context)


@router.post("/api/kampanye/{campaign_id}/rencana", response_model=None)
def api_plan(request: Request, campaign_id: RowId, body: PlanRequest, session: DbSession,
             user: CurrentUser) -> Response:
    """Queue the plan (202 with the job); 409 while one for this campaign is under way."""
    campaigns.access_managed_campaign(session=session, user=user, campaign_id=campaign_id)
    try:
        job = plan_jobs.queue_plan(session=session, user=user, campaign_id=campaign_id,
                                   replan=body.replan, seed=body.seed,
                                   iterations=body.iterations)
    except plan_jobs.PlanJobRunning as running:
        return _refused(request, session, running, 409)
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return JSONResponse(plan_jobs.describe(job), status_code=202,
                        background=wake_worker(request))


@router.post("/kampanye/{campaign_id}/rencana", include_in_schema=False)
def plan_form(request: Request, campaign_id: RowId, session: DbSession, user: CurrentUser,
              replan: FormText = "", seed: FormText = "1") -> Response:
    campaigns.access_managed_campaign(session=session, user=user, campaign_id=campaign_id)
    try:
        plan_jobs.queue_plan(session=session, user=user, campaign_id=campaign_id,
                             replan=bool(replan), seed=_int(seed, "seed", 1))
    except plan_jobs.PlanJobRunning as running:
        return _refused(request, session, running, 409)
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return RedirectResponse(f"/kampanye/{campaign_id}#pekerjaan", status_code=303,
                            background=wake_worker(request))


@router.get("/api/kampanye/{campaign_id}/pekerjaan")
def api_plan_job(campaign_id: RowId, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    """The campaign's newest plan job (the page polls it while one is under way)."""
    campaign = campaigns.access_campaign(session=session, user=user, campaign_id=campaign_id)
    job = plan_jobs.latest_plan_job(session=session, campaign=campaign)
    return {"job": plan_jobs.describe(job) if job is not None else None}


@router.post("/api/kampanye/{campaign_id}/hasil", response_model=None)
def api_outcome(request: Request, campaign_id: RowId, body: OutcomeIn, session: DbSession,
                user: CurrentUser) -> dict[str, Any] | Response:
    campaigns.access_managed_campaign(session=session, user=user, campaign_id=campaign_id)
    try:
        entry = plans.record_outcome(session=session, user=user, campaign_id=campaign_id,
                                     entry_id=body.entry_id, outcome=body.outcome,
                                     note=body.note)
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return {"id": entry.id, "member_id": entry.member_id, "outcome": entry.outcome}


@router.post("/kampanye/{campaign_id}/hasil", include_in_schema=False)
def outcome_form(request: Request, campaign_id: RowId, session: DbSession, user: CurrentUser,
                 entry_id: FormText = "", outcome: FormText = "", note: FormText = "") -> Response:
    campaigns.access_managed_campaign(session=session, user=user, campaign_id=campaign_id)
    try:
        plans.record_outcome(session=session, user=user, campaign_id=campaign_id,
                             entry_id=_int(entry_id, "orang"), outcome=outcome, note=note)
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return RedirectResponse(f"/kampanye/{campaign_id}#orang-{entry_id}", status_code=303)


@router.post("/api/kampanye/{campaign_id}/setujui", response_model=None)
def api_approve(request: Request, campaign_id: RowId, session: DbSession,
                user: CurrentUser) -> dict[str, Any] | Response:
    try:
        campaign = plans.approve(session=session, user=user, campaign_id=campaign_id)
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return plans.campaign_summary(campaign)


@router.post("/kampanye/{campaign_id}/setujui", include_in_schema=False)
def approve_form(request: Request, campaign_id: RowId, session: DbSession,
                 user: CurrentUser) -> Response:
    try:
        plans.approve(session=session, user=user, campaign_id=campaign_id)
    except USER_ERRORS as error:
        return _refused(request, session, error)
    return RedirectResponse(f"/kampanye/{campaign_id}", status_code=303)


# --- outputs: day sheets, the plan as XLSX, a team's own routes ------------------------


@router.get("/kampanye/{campaign_id}/lembar.pdf", include_in_schema=False)
def day_sheets(request: Request, campaign_id: RowId, session: DbSession, user: CurrentUser,
               hari: Annotated[str | None, Query(max_length=20)] = None,
               tim: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> Response:
    """Day sheets: one team's day (hari, tim), a whole day (hari), or the whole plan."""
    try:
        day = _date(hari, "hari") if hari else None
    except ResourceError as error:
        return _refused(request, session, error)
    result = sheets.day_sheets_pdf(session=session, user=user, campaign_id=campaign_id,
                                   day=day, team_id=tim, ip=client_ip(request))
    return attachment(result.content, result.file_name, "application/pdf")


@router.get("/kampanye/{campaign_id}/rencana.xlsx", include_in_schema=False)
def plan_xlsx(request: Request, campaign_id: RowId, session: DbSession,
              user: CurrentUser) -> Response:
    result = sheets.plan_xlsx(session=session, user=user, campaign_id=campaign_id,
                              ip=client_ip(request))
    return attachment(result.content, result.file_name, XLSX_MEDIA_TYPE)


@router.get("/api/tugas")
def api_team_work(session: DbSession, user: CurrentUser) -> dict[str, Any]:
    """A petugas' routes in approved plans (the landing page shows the same)."""
    return sheets.team_work(session=session, user=user)
