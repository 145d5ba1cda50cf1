"""Resident search, the resident page and the import page, each with its JSON twin."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.datastructures import FormData

from jemput.auth.dependencies import CurrentUser, DbSession, client_ip
from jemput.intake.upload_views import (
    DESA_CODE,
    SizedUpload,
    UploadKind,
    answer_api,
    answer_page,
    form_text,
    max_bytes,
    settings_of,
)
from jemput.jobs.models import Job
from jemput.residents import import_jobs, import_scope
from jemput.residents import service as residents
from jemput.residents import strings as _strings  # noqa: F401 - registers the page strings
from jemput.residents.schemas import (
    ImportJobOut,
    ImportJobsOut,
    NikOut,
    ResidentOut,
    SearchOut,
)
from jemput.residents.uploads import UploadRefused
from jemput.templating import render
from jemput.vulnerable import service as care

router = APIRouter()

MAX_ID = 2_147_483_647  # ids are INTEGER on both engines; larger ones exist nowhere
ResidentId = Annotated[int, Path(ge=1, le=MAX_ID)]
JobId = Annotated[int, Path(ge=1, le=MAX_ID)]
SearchText = Annotated[str, Query(max_length=100)]
NO_STORE = {"Cache-Control": "no-store"}


# --- search -----------------------------------------------------------------------------


def _search(request: Request, session: DbSession, user: CurrentUser, q: str) -> SearchOut:
    return residents.search_residents(session=session, user=user, text=q.strip(),
                                      ip=client_ip(request))


@router.get("/api/penduduk", response_model=SearchOut)
def api_search(request: Request, session: DbSession, user: CurrentUser,
               q: SearchText = "") -> SearchOut:
    return _search(request, session, user, q)


@router.get("/penduduk", include_in_schema=False)
def search_page(request: Request, session: DbSession, user: CurrentUser,
                q: SearchText = "") -> Response:
    return render(request, "residents/cari.html", {"data": _search(request, session, user, q)})


# --- one resident -----------------------------------------------------------------------


def _resident(
    request: Request, session: DbSession, user: CurrentUser, resident_id: int
) -> ResidentOut:
    resident = residents.access_resident(session=session, user=user, resident_id=resident_id)
    residents.record_view(session=session, user=user, resident=resident, ip=client_ip(request))
    return residents.describe_resident(session=session, user=user, resident=resident)


def _care(request: Request, session: DbSession, user: CurrentUser, resident_id: int) -> Any:
    # The "Perhatian" block (vulnerable/): only for readers of care notes, and audited.
    resident = residents.access_resident(session=session, user=user, resident_id=resident_id)
    return care.care_alert(session=session, user=user, resident=resident, ip=client_ip(request))


@router.get("/api/penduduk/{resident_id}", response_model=ResidentOut)
def api_resident(request: Request, session: DbSession, user: CurrentUser,
                 resident_id: ResidentId) -> ResidentOut:
    return _resident(request, session, user, resident_id)


@router.post("/api/penduduk/{resident_id}/nik", response_model=NikOut)
def api_reveal_nik(request: Request, session: DbSession, user: CurrentUser,
                   resident_id: ResidentId) -> JSONResponse:
    resident = residents.access_resident(session=session, user=user, resident_id=resident_id)
    nik = residents.reveal_nik(session=session, user=user, resident=resident,
                               ip=client_ip(request))
    return JSONResponse(NikOut(id=resident.id, nik=nik).model_dump(), headers=NO_STORE)


@router.get("/penduduk/{resident_id}", include_in_schema=False)
def resident_page(request: Request, session: DbSession, user: CurrentUser,
                  resident_id: ResidentId) -> Response:
    data = _resident(request, session, user, resident_id)
    return render(request, "residents/penduduk.html",
                  {"data": data, "nik": None, "care": _care(request, session, user, resident_id)})


@router.post("/penduduk/{resident_id}/nik", include_in_schema=False)
def reveal_nik_page(request: Request, session: DbSession, user: CurrentUser,
                    resident_id: ResidentId) -> Response:
    resident = residents.access_resident(session=session, user=user, resident_id=resident_id)
    nik = residents.reveal_nik(session=session, user=user, resident=resident,
                               ip=client_ip(request))
    data = _resident(request, session, user, resident_id)
    care_notes = _care(request, session, user, resident_id)
    response = render(request, "residents/penduduk.html",
                      {"data": data, "nik": nik, "care": care_notes})
    response.headers.update(NO_STORE)
    return response


# --- imports ----------------------------------------------------------------------------


def _options(form: FormData) -> dict[str, Any]:
    raw_date = form_text(form, "tanggal_data")
    try:
        data_date = date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        raise UploadRefused(f"Tanggal data '{raw_date[:20]}' bukan tanggal (YYYY-MM-DD).") from None
    if data_date is not None and data_date > residents.today():
        raise UploadRefused("Tanggal data tidak boleh di masa depan.")
    desa_code = form_text(form, "kode_desa")
    if desa_code and not DESA_CODE.fullmatch(desa_code):
        raise UploadRefused("Kode desa harus berbentuk 33.06.01.2001.")
    try:
        covers = import_scope.parse_area_codes(
            [v for v in form.getlist("cakupan") if isinstance(v, str)]
        )
    except import_scope.ScopeRefused as error:
        raise UploadRefused(f"Cakupan: {error}.") from None
    return {"accept_valid": form_text(form, "terima_valid") in {"1", "on", "true", "ya"},
            "data_date": data_date, "desa_code": desa_code or None, "covers": covers}


# A SIAK, OpenSID or Data Penduduk export; the shared steps are in intake.upload_views.
SIAK_UPLOAD = UploadKind(require=import_jobs.require_importer, options=_options,
                         queue=import_jobs.queue_import,
                         missing_file="Pilih berkas ekspor untuk diunggah.")


def _described(job: Job) -> dict[str, Any]:
    return import_jobs.describe_job(job).model_dump(mode="json")


IMPORT_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["berkas"], "properties": {
        "berkas": {"type": "string", "format": "binary"},
        "terima_valid": {"type": "boolean"},
        "tanggal_data": {"type": "string", "format": "date"},
        "kode_desa": {"type": "string"},
        # Areas the file is complete for, beyond its own rows: "33.06.01, 33.06.02.2001".
        "cakupan": {"type": "string"},
    }}}}}}


@router.post("/api/impor", response_model=ImportJobOut, status_code=202,
             openapi_extra=IMPORT_BODY)
async def api_upload(request: Request, _sized: SizedUpload, session: DbSession,
                     user: CurrentUser) -> JSONResponse:
    return await answer_api(SIAK_UPLOAD, request, session, user, _described)


@router.get("/api/impor", response_model=ImportJobsOut)
def api_imports(session: DbSession, user: CurrentUser) -> ImportJobsOut:
    recent = import_jobs.recent_import_jobs(session=session, user=user)
    return ImportJobsOut(jobs=[import_jobs.describe_job(job) for job in recent])


@router.get("/api/impor/{job_id}", response_model=ImportJobOut)
def api_import(session: DbSession, user: CurrentUser, job_id: JobId) -> ImportJobOut:
    job = import_jobs.access_import_job(session=session, user=user, job_id=job_id)
    return import_jobs.describe_job(job)


def _import_page(request: Request, session: DbSession, user: CurrentUser,
                 error: str | None = None, status: int = 200) -> Response:
    recent = import_jobs.recent_import_jobs(session=session, user=user)
    context = {"jobs": [import_jobs.describe_job(job) for job in recent], "error": error,
               "max_bytes": max_bytes(request), "max_mb": settings_of(request).max_upload_mb}
    return render(request, "residents/impor.html", context, status)


@router.get("/impor", include_in_schema=False)
def import_page(request: Request, session: DbSession, user: CurrentUser) -> Response:
    return _import_page(request, session, user)


@router.post("/impor", include_in_schema=False)
async def upload_page(request: Request, _sized: SizedUpload, session: DbSession,
                      user: CurrentUser) -> Response:
    return await answer_page(SIAK_UPLOAD, request, session, user,
                             then=lambda job: f"/impor/{job.id}", page=_import_page)


@router.get("/impor/{job_id}", include_in_schema=False)
def import_job_page(request: Request, session: DbSession, user: CurrentUser,
                    job_id: JobId) -> Response:
    job = import_jobs.access_import_job(session=session, user=user, job_id=job_id)
    return render(request, "residents/impor_job.html", {"job": import_jobs.describe_job(job)})


def _download(request: Request, session: DbSession, user: CurrentUser, job_id: int,
              which: str) -> StreamingResponse:
    report = import_jobs.open_report(session=session, user=user, job_id=job_id, which=which,
                                     ip=client_ip(request))
    disposition = f'attachment; filename="{report.file_name}"'
    return StreamingResponse(report.chunks(), media_type="text/csv; charset=utf-8",
                             headers=NO_STORE | {"Content-Disposition": disposition})


@router.get("/impor/{job_id}/laporan", include_in_schema=False)
def download_report(request: Request, session: DbSession, user: CurrentUser,
                    job_id: JobId) -> StreamingResponse:
    return _download(request, session, user, job_id, "laporan")


@router.get("/impor/{job_id}/tidak-ada-lagi", include_in_schema=False)
def download_missing(request: Request, session: DbSession, user: CurrentUser,
                     job_id: JobId) -> StreamingResponse:
    return _download(request, session, user, job_id, "tidak-ada-lagi")
