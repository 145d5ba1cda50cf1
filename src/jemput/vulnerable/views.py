"""Care profile and referral pages, each with its JSON twin.

Every write resolves who may do it (and on whom) in a dependency, before the body is
read: a refused role or a resident out of scope gets 403/404, never a validation error
that would tell them the route exists for someone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRouter
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from jemput.auth.access import Forbidden, has_role
from jemput.auth.dependencies import CurrentUser, DbSession, RowId, client_ip
from jemput.auth.models import User
from jemput.residents.models import Resident
from jemput.templating import render
from jemput.vulnerable import access, codes, referrals, service
from jemput.vulnerable import strings as _strings  # noqa: F401 - registers the page strings
from jemput.vulnerable.models import Referral
from jemput.vulnerable.schemas import (
    AcceptIn,
    DeclineIn,
    IncidentIn,
    IncidentOut,
    ProfileIn,
    ProfileOut,
    ProfilesOut,
    ReferralCandidate,
    ReferralIn,
    ReferralOut,
    ReferralsOut,
)
from jemput.vulnerable.service import ProfileRefused

router = APIRouter()
RegionText = Annotated[str, Query(max_length=13, pattern=r"^[0-9.]*$")]
SearchText = Annotated[str, Query(max_length=100)]


class Refused(Exception):
    """A write the office would not store; shown on the page or as a 422."""


def _writable(session: DbSession, user: CurrentUser, resident_id: RowId) -> Resident:
    return service.access_care_resident(session=session, user=user, resident_id=resident_id,
                                        write=True)


def _referrer(user: CurrentUser) -> User:
    if not has_role(user, *access.REFERRERS):
        raise Forbidden(user.role)
    return user


def _reviewable(session: DbSession, user: CurrentUser, referral_id: RowId) -> Referral:
    return referrals.access_referral(session=session, user=user, referral_id=referral_id)


async def _form(request: Request) -> FormData:
    # Parsed once already by the CSRF check; Starlette hands back the cached form.
    return await request.form()


WritableResident = Annotated[Resident, Depends(_writable)]
Referrer = Annotated[User, Depends(_referrer)]
ReviewableReferral = Annotated[Referral, Depends(_reviewable)]
PostedForm = Annotated[FormData, Depends(_form)]


def _unprocessable(message: str) -> Response:
    return JSONResponse({"detail": message}, status_code=422)


def _problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    return f"{where}: {first.get('msg', '')}"


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _list(form: FormData, name: str) -> list[str]:
    return [value for value in form.getlist(name) if isinstance(value, str)]


def _date(form: FormData, name: str) -> date | None:
    raw = _text(form, name)
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        raise Refused(f"{name}: '{raw[:20] if raw else ''}' bukan tanggal (YYYY-MM-DD).") \
            from None


# --- the list -----------------------------------------------------------------------------


@router.get("/api/rentan", response_model=ProfilesOut)
def api_profiles(session: DbSession, user: CurrentUser, wilayah: RegionText = "") -> ProfilesOut:
    return service.list_profiles(session=session, user=user, region=wilayah or None)


@router.get("/rentan", include_in_schema=False)
def profiles_page(request: Request, session: DbSession, user: CurrentUser,
                  wilayah: RegionText = "") -> Response:
    data = service.list_profiles(session=session, user=user, region=wilayah or None)
    return render(request, "vulnerable/daftar.html", {"data": data, "wilayah": wilayah})


# --- one profile --------------------------------------------------------------------------


def _profile(request: Request, session: Session, user: User, resident_id: int) -> ProfileOut:
    resident = service.access_care_resident(session=session, user=user, resident_id=resident_id)
    return service.describe_profile(session=session, user=user, resident=resident,
                                    ip=client_ip(request))


def _profile_page(request: Request, session: Session, user: User, resident_id: int,
                  error: str | None = None, status: int = 200) -> Response:
    data = _profile(request, session, user, resident_id)
    context: dict[str, Any] = {"data": data, "error": error, "needs": codes.NEEDS,
                               "approaches": codes.APPROACHES, "consents": codes.CONSENT,
                               "saved": request.query_params.get("tersimpan") == "1"}
    return render(request, "vulnerable/profil.html", context, status)


@router.get("/api/rentan/{resident_id}", response_model=ProfileOut)
def api_profile(request: Request, session: DbSession, user: CurrentUser,
                resident_id: RowId) -> ProfileOut:
    return _profile(request, session, user, resident_id)


@router.get("/rentan/{resident_id}", include_in_schema=False)
def profile_page(request: Request, session: DbSession, user: CurrentUser,
                 resident_id: RowId) -> Response:
    return _profile_page(request, session, user, resident_id)


@router.put("/api/rentan/{resident_id}", response_model=ProfileOut)
def api_save_profile(request: Request, session: DbSession, user: CurrentUser,
                     resident: WritableResident, body: ProfileIn) -> Response | ProfileOut:
    try:
        service.save_profile(session=session, user=user, resident=resident, data=body,
                             ip=client_ip(request))
    except ProfileRefused as refused:
        return _unprocessable(str(refused))
    return service.describe_profile(session=session, user=user, resident=resident,
                                    ip=client_ip(request))


def _profile_from(form: FormData) -> ProfileIn:
    try:
        return ProfileIn(
            needs=_list(form, "needs"), approaches=_list(form, "approaches"),
            need_notes=_text(form, "need_notes"), approach_notes=_text(form, "approach_notes"),
            guardian_name=_text(form, "guardian_name"),
            guardian_relation=_text(form, "guardian_relation"),
            guardian_phone=_text(form, "guardian_phone"),
            consent=_text(form, "consent") or "belum_ditanya",
            consent_on=_date(form, "consent_on"), consent_by=_text(form, "consent_by"),
            safety_notes=_text(form, "safety_notes"),
        )
    except ValidationError as error:
        raise Refused(_problem(error)) from None


@router.post("/rentan/{resident_id}", include_in_schema=False)
def save_profile_page(request: Request, session: DbSession, user: CurrentUser,
                      resident: WritableResident, form: PostedForm) -> Response:
    try:
        service.save_profile(session=session, user=user, resident=resident,
                             data=_profile_from(form), ip=client_ip(request))
    except (Refused, ProfileRefused) as refused:
        session.rollback()
        return _profile_page(request, session, user, resident.id, str(refused), 400)
    return RedirectResponse(f"/rentan/{resident.id}?tersimpan=1", status_code=303)


@router.post("/api/rentan/{resident_id}/kejadian", response_model=IncidentOut,
             status_code=201)
def api_add_incident(request: Request, session: DbSession, user: CurrentUser,
                     resident: WritableResident, body: IncidentIn) -> Response | IncidentOut:
    try:
        incident = service.add_incident(session=session, user=user, resident=resident,
                                        data=body, ip=client_ip(request))
    except ProfileRefused as refused:
        return _unprocessable(str(refused))
    return IncidentOut.model_validate(incident, from_attributes=True)


@router.post("/rentan/{resident_id}/kejadian", include_in_schema=False)
def add_incident_page(request: Request, session: DbSession, user: CurrentUser,
                      resident: WritableResident, form: PostedForm) -> Response:
    try:
        happened_on = _date(form, "happened_on")
        if happened_on is None:
            raise Refused("Isi tanggal kejadian.")
        try:
            data = IncidentIn(happened_on=happened_on, what=_text(form, "what") or "",
                              who_present=_text(form, "who_present"),
                              follow_up=_text(form, "follow_up"))
        except ValidationError as error:
            raise Refused(_problem(error)) from None
        service.add_incident(session=session, user=user, resident=resident, data=data,
                             ip=client_ip(request))
    except (Refused, ProfileRefused) as refused:
        session.rollback()
        return _profile_page(request, session, user, resident.id, str(refused), 400)
    return RedirectResponse(f"/rentan/{resident.id}?tersimpan=1", status_code=303)


# --- referrals ----------------------------------------------------------------------------


@router.get("/api/rujukan", response_model=ReferralsOut)
def api_referrals(request: Request, session: DbSession, user: CurrentUser) -> ReferralsOut:
    return referrals.list_referrals(session=session, user=user, ip=client_ip(request))


@router.get("/api/rujukan/calon", response_model=list[ReferralCandidate])
def api_candidates(request: Request, session: DbSession, user: Referrer,
                   q: SearchText = "") -> list[ReferralCandidate]:
    return referrals.find_candidates(session=session, user=user, text=q, ip=client_ip(request))


def _referrals_page(request: Request, session: Session, user: User, q: str = "",
                    error: str | None = None, status: int = 200) -> Response:
    data = referrals.list_referrals(session=session, user=user, ip=client_ip(request))
    candidates = (referrals.find_candidates(session=session, user=user, text=q,
                                            ip=client_ip(request))
                  if q.strip() and data.view == "own" else [])
    context = {"data": data, "q": q, "candidates": candidates, "error": error,
               "needs": codes.NEEDS, "approaches": codes.APPROACHES,
               "sent": request.query_params.get("terkirim") == "1",
               "own_desa": user.scope_region if len(user.scope_region or "") == 13 else ""}
    return render(request, "vulnerable/rujukan.html", context, status)


@router.get("/rujukan", include_in_schema=False)
def referrals_page(request: Request, session: DbSession, user: CurrentUser,
                   q: SearchText = "") -> Response:
    return _referrals_page(request, session, user, q)


@router.post("/api/rujukan", response_model=ReferralOut, status_code=201)
def api_refer(request: Request, session: DbSession, user: Referrer,
              body: ReferralIn) -> Response | ReferralOut:
    try:
        referral = referrals.create_referral(session=session, user=user, data=body,
                                             ip=client_ip(request))
    except ProfileRefused as refused:
        return _unprocessable(str(refused))
    return referrals.describe_referral(session=session, referral=referral, locale=user.locale)


@router.post("/rujukan", include_in_schema=False)
def refer_page(request: Request, session: DbSession, user: Referrer,
               form: PostedForm) -> Response:
    try:
        raw_id = _text(form, "resident_id")
        try:
            data = ReferralIn(
                resident_id=int(raw_id) if raw_id and raw_id.isdigit() else None,
                person_name=_text(form, "person_name"),
                person_address=_text(form, "person_address"),
                person_phone=_text(form, "person_phone"), desa_code=_text(form, "desa_code"),
                needs=_list(form, "needs"), approaches=_list(form, "approaches"),
                notes=_text(form, "notes"),
            )
        except ValidationError as error:
            raise Refused(_problem(error)) from None
        referrals.create_referral(session=session, user=user, data=data, ip=client_ip(request))
    except (Refused, ProfileRefused) as refused:
        session.rollback()
        return _referrals_page(request, session, user, "", str(refused), 400)
    return RedirectResponse("/rujukan?terkirim=1", status_code=303)


# --- the office's decision on a referral -------------------------------------------------
# Accept and decline differ only in what they do; how each answers is written once.

Decide = Callable[[], object]


def _decided_api(session: Session, user: User, referral: Referral,
                 decide: Decide) -> Response | ReferralOut:
    try:
        decide()
    except ProfileRefused as refused:
        return _unprocessable(str(refused))
    return referrals.describe_referral(session=session, referral=referral, locale=user.locale)


def _decided_page(request: Request, session: Session, user: User, decide: Decide) -> Response:
    try:
        decide()
    except (Refused, ProfileRefused) as refused:
        session.rollback()
        return _referrals_page(request, session, user, "", str(refused), 400)
    return RedirectResponse("/rujukan", status_code=303)


def _resident_id(form: FormData) -> int | None:
    raw_id = _text(form, "resident_id")
    return int(raw_id) if raw_id and raw_id.isdigit() and len(raw_id) < 10 else None


def _reason(form: FormData) -> str:
    try:
        return DeclineIn(reason=_text(form, "reason") or "").reason
    except ValidationError:
        raise Refused("Tulis alasan penolakan (paling sedikit 3 huruf).") from None


@router.post("/api/rujukan/{referral_id}/terima", response_model=ReferralOut)
def api_accept(request: Request, session: DbSession, user: CurrentUser,
               referral: ReviewableReferral, body: AcceptIn) -> Response | ReferralOut:
    return _decided_api(session, user, referral, lambda: referrals.accept_referral(
        session=session, user=user, referral=referral, resident_id=body.resident_id,
        ip=client_ip(request)))


@router.post("/rujukan/{referral_id}/terima", include_in_schema=False)
def accept_page(request: Request, session: DbSession, user: CurrentUser,
                referral: ReviewableReferral, form: PostedForm) -> Response:
    return _decided_page(request, session, user, lambda: referrals.accept_referral(
        session=session, user=user, referral=referral, resident_id=_resident_id(form),
        ip=client_ip(request)))


@router.post("/api/rujukan/{referral_id}/tolak", response_model=ReferralOut)
def api_decline(request: Request, session: DbSession, user: CurrentUser,
                referral: ReviewableReferral, body: DeclineIn) -> Response | ReferralOut:
    return _decided_api(session, user, referral, lambda: referrals.decline_referral(
        session=session, user=user, referral=referral, reason=body.reason,
        ip=client_ip(request)))


@router.post("/rujukan/{referral_id}/tolak", include_in_schema=False)
def decline_page(request: Request, session: DbSession, user: CurrentUser,
                 referral: ReviewableReferral, form: PostedForm) -> Response:
    return _decided_page(request, session, user, lambda: referrals.decline_referral(
        session=session, user=user, referral=referral, reason=_reason(form),
        ip=client_ip(request)))
