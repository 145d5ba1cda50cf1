"""Uploaded exports imported as background jobs: queue the file, run it, find its reports."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from jemput.auth import audit
from jemput.auth.access import NotFound, may_reveal_nik, region_in_scope
from jemput.auth.models import User
from jemput.config import Settings, get_settings
from jemput.i18n import format_number
from jemput.jobs import service as jobs
from jemput.jobs.models import Job
from jemput.jobs.service import JobError, ProgressCallback
from jemput.residents import import_scope
from jemput.residents.import_scope import ScopeRefused, require_importer
from jemput.residents.job_reports import ReportDownload
from jemput.residents.models import ImportRun
from jemput.residents.schemas import ImportJobOut
from jemput.residents.uploads import SavedUpload, discard_upload

IMPORT_JOB = "impor"
# Who may import, and where, is import_scope's to say (require_importer, scope_of).


def sees_every_job(user: User) -> bool:
    """Whether the user's scope is the whole regency, so every import is inside it."""
    # A job records who queued it, not which desa its file touched: anyone narrower
    # sees only their own imports, whose rows their scope already bounds.
    return region_in_scope(user, get_settings().regency_code)


def access_import_job(*, session: Session, user: User, job_id: int) -> Job:
    """Return an import job the user may see; NotFound if missing or not theirs."""
    require_importer(user)
    try:
        job = jobs.get_job(session=session, job_id=job_id, kind=IMPORT_JOB)
    except jobs.JobNotFound:
        raise NotFound(job_id) from None
    if job.created_by != user.username and not sees_every_job(user):
        raise NotFound(job_id)
    return job


def recent_import_jobs(*, session: Session, user: User) -> list[Job]:
    """Return the newest import jobs the user may see."""
    require_importer(user)
    mine = None if sees_every_job(user) else user.username
    return jobs.list_jobs(session=session, kind=IMPORT_JOB, created_by=mine)


def queue_import(
    *,
    session: Session,
    user: User,
    upload: SavedUpload,
    accept_valid: bool,
    data_date: date | None,
    desa_code: str | None,
    covers: list[str] | None = None,
    ip: str | None = None,
) -> Job:
    """Queue an uploaded export for import; DuplicateJob if the same file is in the queue.

    ScopeRefused if the desa or declared coverage lies outside the user's scope (checked
    again when the job runs, with the user's scope as it is then).
    """
    require_importer(user)
    scope = import_scope.scope_of(user)
    if desa_code:
        import_scope.require_within(scope, option="kode desa", code=desa_code)
    for code in covers or []:
        import_scope.require_within(scope, option="cakupan", code=code)
    payload = {"path": str(upload.path), "file_name": upload.file_name, "size": upload.size,
               "sha256": upload.sha256, "accept_valid": accept_valid,
               "data_date": data_date.isoformat() if data_date else None,
               "desa_code": desa_code, "covers": list(covers or [])}
    job = jobs.enqueue(session=session, kind=IMPORT_JOB, payload=payload,
                       created_by=user.username, dedupe_key=upload.sha256)
    audit.record(session=session, actor=user, action="import.queued", object_type="job",
                 object_id=job.id, detail={"berkas": upload.file_name, "ukuran": upload.size,
                                           "sha256": upload.sha256,
                                           "cakupan": list(covers or [])}, ip=ip)
    return job


def run_import_job(
    *, session: Session, job: Job, settings: Settings, progress: ProgressCallback
) -> tuple[dict[str, Any], str | None]:
    """Import the job's uploaded file in the worker's transaction; return result and message."""
    # Imported here: the importer pulls in reports, which reads the residents service.
    from jemput.residents.importer import ImportRefused, import_file

    payload = job.payload
    path = Path(payload["path"])

    def on_progress(done: int, total: int, rows: int) -> None:
        progress(done, total, f"{format_number(rows)} baris dibaca")

    try:
        # The uploader's scope as it is now: a user narrowed or disabled since the upload
        # imports no more than they may today.
        scope = import_scope.scope_for_username(session=session, username=job.created_by)
        result = import_file(
            session=session, path=path, accept_valid=bool(payload.get("accept_valid")),
            data_date=date.fromisoformat(payload["data_date"]) if payload.get("data_date")
            else None,
            report_dir=settings.data_dir / "laporan-impor", desa_code=payload.get("desa_code"),
            imported_by=job.created_by, progress=on_progress, scope=scope,
            covers=payload.get("covers") or [],
        )
    except (ImportRefused, ScopeRefused) as error:
        raise JobError(f"Impor ditolak: {error}. Tidak ada yang diubah.") from None
    finally:
        discard_upload(path)
    counts = {key: getattr(result, key) for key in (
        "rows_read", "rows_rejected", "rows_warned", "inserted", "updated", "unchanged",
        "status_changes", "status_backwards", "disappeared")}
    summary = {
        "run_id": result.run_id, "outcome": result.outcome, "layout": result.layout, **counts,
        "coverage": result.coverage, "scope_region": result.scope_region,
        # Line, column and reason only: the values may be NIKs, and the report has them.
        "first_problems": [
            {"line": line, "column": p.column, "severity": p.severity, "reason": p.reason,
             "reason_en": getattr(p, "reason_en", None)}
            for line, p in result.first_problems[:10]
        ],
        "disappeared_report": str(result.disappeared_report_path)
        if result.disappeared_report_path else None,
    }
    if result.outcome == "applied":
        message = (f"Impor selesai: {format_number(result.inserted)} penduduk baru, "
                   f"{format_number(result.updated)} diperbarui.")
    else:
        message = (f"Impor dibatalkan: {format_number(result.rows_rejected)} dari "
                   f"{format_number(result.rows_read)} baris bermasalah. Tidak ada data "
                   "penduduk yang diubah.")
    return summary, message


def discard_job_upload(job: Job) -> None:
    """Delete an import job's upload (when its process died before doing so itself)."""
    path = job.payload.get("path")
    if path:
        discard_upload(Path(path))


STATUS_LABELS = {"queued": "Menunggu", "running": "Berjalan", "done": "Selesai",
                 "failed": "Gagal"}
REPORTS = {"laporan": "import.report_download", "tidak-ada-lagi": "import.missing_download"}


def describe_job(job: Job) -> ImportJobOut:
    """Build the import page's data for a job (no server paths)."""
    result = dict(job.result or {})
    disappeared = result.pop("disappeared_report", None)
    finished = job.status == "done"
    if finished:
        percent = 100
    elif job.progress_total:
        percent = min(99, job.progress_done * 100 // job.progress_total)
    else:
        percent = 0
    return ImportJobOut(
        id=job.id, kind=job.kind, status=job.status,
        status_label=STATUS_LABELS.get(job.status, job.status),
        file_name=job.payload.get("file_name"), progress_done=job.progress_done,
        progress_total=job.progress_total, percent=percent, message=job.message,
        result=result or None, created_by=job.created_by, created_at=job.created_at,
        claimed_at=job.claimed_at, finished_at=job.finished_at,
        report_url=f"/impor/{job.id}/laporan" if finished and "run_id" in result else None,
        disappeared_url=f"/impor/{job.id}/tidak-ada-lagi" if finished and disappeared else None,
    )


def open_report(
    *, session: Session, user: User, job_id: int, which: str, ip: str | None = None
) -> ReportDownload:
    """Return an import job's error report or missing list as the user may read it; log it."""
    job = access_import_job(session=session, user=user, job_id=job_id)
    result = job.result or {}
    if which == "laporan":
        # The path the import run recorded, never one taken from the request.
        run = session.get(ImportRun, result.get("run_id") or 0)
        recorded = run.report_path if run else None
    elif which == "tidak-ada-lagi":
        recorded = result.get("disappeared_report")
    else:
        raise NotFound(job_id)
    if not recorded or not Path(recorded).is_file():
        raise NotFound(job_id)
    download = ReportDownload(path=Path(recorded), which=which, user=user,
                              file_name=f"impor-{job.id}-{which}.csv")
    audit.record(session=session, actor=user, action=REPORTS[which], object_type="job",
                 object_id=job.id, ip=ip,
                 detail={"import_id": result.get("run_id"), "nik_full": may_reveal_nik(user)})
    return download
