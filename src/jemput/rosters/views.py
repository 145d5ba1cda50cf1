"""The rosters page (/daftar) and its JSON twin: loaded lists, upload, recent uploads."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from jemput.auth.dependencies import CurrentUser, DbSession, client_ip
from jemput.jobs import service as jobs
from jemput.residents import import_jobs, import_scope
from jemput.residents.uploads import UploadRefused, discard_upload, save_upload
from jemput.residents.views import DESA_CODE, SizedUpload, _max_bytes, _settings, _wake_worker
from jemput.rosters import service
from jemput.rosters.jobs import ROSTER_JOB, queue_roster_import, recent_roster_jobs
from jemput.rosters.models import RosterKind
from jemput.templating import render

router = APIRouter()
NPSN = 12  # schools.npsn length


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _options(form: FormData) -> dict[str, Any]:
    kind = _text(form, "jenis")
    if kind not in RosterKind.ALL:
        raise UploadRefused("Pilih jenis daftar: dapodik, pesantren atau dpt.")
    raw_date = _text(form, "tanggal_data")
    try:
        data_date = date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        raise UploadRefused(f"Tanggal data '{raw_date[:20]}' bukan tanggal (YYYY-MM-DD).") from None
    desa_code = _text(form, "kode_desa")
    if desa_code and not DESA_CODE.fullmatch(desa_code):
        raise UploadRefused("Kode desa harus berbentuk 33.06.01.2001.")
    npsn = _text(form, "npsn")
    if len(npsn) > NPSN or (not npsn.isalnum() and npsn):
        raise UploadRefused("NPSN harus berupa huruf/angka, paling panjang 12.")
    return {"kind": kind, "npsn": npsn or None, "desa_code": desa_code or None,
            "data_date": data_date,
            "accept_valid": _text(form, "terima_valid") in {"1", "on", "true", "ya"}}


async def _queue(request: Request, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    async with request.form(max_files=1, max_fields=20) as form:
        import_scope.require_importer(user)
        upload = form.get("berkas")
        if not isinstance(upload, UploadFile):
            raise UploadRefused("Pilih berkas daftar untuk diunggah.")
        options = _options(form)
        saved = await run_in_threadpool(
            save_upload, source=upload.file, file_name=upload.filename or "",
            directory=_settings(request).data_dir / "unggahan", max_bytes=_max_bytes(request),
        )
    try:
        job = await run_in_threadpool(
            queue_roster_import, session=session, user=user, upload=saved,
            ip=client_ip(request), **options,
        )
    except import_scope.ScopeRefused as error:
        discard_upload(saved.path)
        raise UploadRefused(f"Impor ditolak: {error}.", 403) from None
    except jobs.DuplicateJob as duplicate:
        discard_upload(saved.path)
        which = f" (pekerjaan #{duplicate.job_id})" if duplicate.job_id else ""
        raise UploadRefused(f"Berkas yang sama sedang menunggu atau diimpor{which}. Tunggu "
                            "sampai selesai sebelum mengunggahnya lagi.", 409) from None
    return import_jobs.describe_job(job).model_dump(mode="json") | {"report_url": None,
                                                                   "disappeared_url": None}


def _context(session: DbSession, user: CurrentUser) -> dict[str, Any]:
    import_scope.require_importer(user)
    rosters = service.list_rosters(session=session, user=user)
    recent = recent_roster_jobs(session=session, user=user)
    return {
        "rosters": [r.__dict__ for r in rosters],
        "jobs": [import_jobs.describe_job(job).model_dump(mode="json")
                 | {"report_url": None, "disappeared_url": None} for job in recent],
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
    try:
        job = await _queue(request, session, user)
    except UploadRefused as refused:
        return JSONResponse({"detail": refused.message}, status_code=refused.status)
    return JSONResponse(job, status_code=202, background=_wake_worker(request))


def _page(request: Request, session: DbSession, user: CurrentUser, error: str | None = None,
          status: int = 200) -> Response:
    context = _context(session, user) | {"error": error,
                                         "max_mb": _settings(request).max_upload_mb}
    return render(request, "rosters/daftar.html", context, status)


@router.get("/daftar", include_in_schema=False)
def rosters_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return _page(request, session, user)


@router.post("/daftar", include_in_schema=False)
async def upload_page(request: Request, _sized: SizedUpload, session: DbSession,
                      user: CurrentUser) -> Response:
    try:
        await _queue(request, session, user)
    except UploadRefused as refused:
        return await run_in_threadpool(_page, request, session, user, refused.message,
                                       refused.status)
    return RedirectResponse("/daftar", status_code=303, background=_wake_worker(request))
