"""The rosters page (/daftar) and its JSON twin: loaded lists, upload, recent uploads."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import FormData

from jemput.auth.dependencies import CurrentUser, DbSession
from jemput.intake.upload_views import (
    DESA_CODE,
    SizedUpload,
    UploadKind,
    answer_api,
    answer_page,
    form_text,
    settings_of,
)
from jemput.jobs.models import Job
from jemput.residents import import_jobs, import_scope
from jemput.residents.uploads import UploadRefused
from jemput.rosters import service
from jemput.rosters.jobs import ROSTER_JOB, queue_roster_import, recent_roster_jobs
from jemput.rosters.models import RosterKind
from jemput.templating import render

router = APIRouter()
NPSN = 12  # schools.npsn length


def _options(form: FormData) -> dict[str, Any]:
    kind = form_text(form, "jenis")
    if kind not in RosterKind.ALL:
        raise UploadRefused("Pilih jenis daftar: dapodik, pesantren atau dpt.")
    raw_date = form_text(form, "tanggal_data")
    try:
        data_date = date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        raise UploadRefused(f"Tanggal data '{raw_date[:20]}' bukan tanggal (YYYY-MM-DD).") from None
    desa_code = form_text(form, "kode_desa")
    if desa_code and not DESA_CODE.fullmatch(desa_code):
        raise UploadRefused("Kode desa harus berbentuk 33.06.01.2001.")
    npsn = form_text(form, "npsn")
    if len(npsn) > NPSN or (not npsn.isalnum() and npsn):
        raise UploadRefused("NPSN harus berupa huruf/angka, paling panjang 12.")
    return {"kind": kind, "npsn": npsn or None, "desa_code": desa_code or None,
            "data_date": data_date,
            "accept_valid": form_text(form, "terima_valid") in {"1", "on", "true", "ya"}}


# A school, pesantren or voter list; the shared steps are in intake.upload_views.
ROSTER_UPLOAD = UploadKind(require=import_scope.require_importer, options=_options,
                           queue=queue_roster_import,
                           missing_file="Pilih berkas daftar untuk diunggah.")


def _described(job: Job) -> dict[str, Any]:
    # Roster jobs have no SIAK problem report nor "no longer in the export" list.
    return import_jobs.describe_job(job).model_dump(mode="json") | {"report_url": None,
                                                                   "disappeared_url": None}


def _context(session: DbSession, user: CurrentUser) -> dict[str, Any]:
    import_scope.require_importer(user)
    rosters = service.list_rosters(session=session, user=user)
    recent = recent_roster_jobs(session=session, user=user)
    return {
        "rosters": [r.__dict__ for r in rosters],
        "jobs": [_described(job) for job in recent],
        "kinds": list(RosterKind.ALL),
    }


@router.get("/api/daftar")
def api_rosters(session: DbSession, user: CurrentUser) -> JSONResponse:
    context = _context(session, user)
    return JSONResponse({"rosters": [r | {"data_date": r["data_date"].isoformat(),
                                          "imported_at": r["imported_at"].isoformat()}
                                     for r in context["rosters"]],
                         "jobs": context["jobs"], "job_kind": ROSTER_JOB})


@router.post("/api/daftar", status_code=202)
async def api_upload(request: Request, _sized: SizedUpload, session: DbSession,
                     user: CurrentUser) -> JSONResponse:
    return await answer_api(ROSTER_UPLOAD, request, session, user, _described)


def _page(request: Request, session: DbSession, user: CurrentUser, error: str | None = None,
          status: int = 200) -> Response:
    context = _context(session, user) | {"error": error,
                                         "max_mb": settings_of(request).max_upload_mb}
    return render(request, "rosters/daftar.html", context, status)


@router.get("/daftar", include_in_schema=False)
def rosters_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return _page(request, session, user)


@router.post("/daftar", include_in_schema=False)
async def upload_page(request: Request, _sized: SizedUpload, session: DbSession,
                      user: CurrentUser) -> Response:
    return await answer_page(ROSTER_UPLOAD, request, session, user, then=lambda job: "/daftar",
                             page=_page)
