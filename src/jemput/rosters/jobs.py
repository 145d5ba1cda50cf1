"""Uploaded rosters imported as background jobs, like the registry's exports (/impor)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.auth import audit
from jemput.auth.models import User
from jemput.config import Settings
from jemput.i18n import format_number
from jemput.intake.errors import ImportRefused
from jemput.jobs import service as jobs
from jemput.jobs.models import Job
from jemput.jobs.service import JobError, ProgressCallback
from jemput.linkage.service import LinkSummary, link_roster
from jemput.residents import import_scope
from jemput.residents.import_scope import ScopeRefused, require_importer
from jemput.residents.uploads import SavedUpload, discard_upload
from jemput.rosters.models import RosterKind
from jemput.schools.models import School

ROSTER_JOB = "daftar"


def queue_roster_import(
    *,
    session: Session,
    user: User,
    upload: SavedUpload,
    kind: str,
    npsn: str | None,
    desa_code: str | None,
    data_date: date | None,
    accept_valid: bool,
    ip: str | None = None,
) -> Job:
    """Queue an uploaded roster; ScopeRefused if its desa or school lies outside the scope.

    Checked again when the job runs, with the user's scope as it is then.
    """
    require_importer(user)
    scope = import_scope.scope_of(user)
    if kind not in RosterKind.ALL:
        raise ScopeRefused(f"jenis daftar '{kind[:20]}' tidak dikenal")
    if desa_code:
        import_scope.require_within(scope, option="kode desa", code=desa_code)
    if npsn:
        school_desa = session.scalar(select(School.desa_code).where(School.npsn == npsn))
        if school_desa is not None:
            import_scope.require_within(scope, option="sekolah", code=school_desa)
    payload = {"path": str(upload.path), "file_name": upload.file_name, "size": upload.size,
               "sha256": upload.sha256, "kind": kind, "npsn": npsn, "desa_code": desa_code,
               "data_date": data_date.isoformat() if data_date else None,
               "accept_valid": accept_valid}
    job = jobs.enqueue(session=session, kind=ROSTER_JOB, payload=payload,
                       created_by=user.username, dedupe_key=upload.sha256)
    audit.record(session=session, actor=user, action="roster.queued", object_type="job",
                 object_id=job.id, detail={"berkas": upload.file_name, "ukuran": upload.size,
                                           "sha256": upload.sha256, "jenis": kind}, ip=ip)
    return job


def recent_roster_jobs(*, session: Session, user: User) -> list[Job]:
    """Return the newest roster jobs the user may see (their own, or all for the regency)."""
    from jemput.residents.import_jobs import sees_every_job

    require_importer(user)
    mine = None if sees_every_job(user) else user.username
    return jobs.list_jobs(session=session, kind=ROSTER_JOB, created_by=mine)


def run_roster_job(
    *, session: Session, job: Job, settings: Settings, progress: ProgressCallback
) -> tuple[dict[str, Any], str | None]:
    """Import the job's uploaded roster in the worker's transaction; return result, message."""
    from jemput.rosters.importer import import_roster

    payload = job.payload
    path = Path(payload["path"])

    def on_progress(done: int, total: int, rows: int) -> None:
        progress(done, total, f"{format_number(rows)} baris dibaca")

    try:
        scope = import_scope.scope_for_username(session=session, username=job.created_by)
        result = import_roster(
            session=session, path=path, kind=payload["kind"], npsn=payload.get("npsn"),
            desa_code=payload.get("desa_code"),
            data_date=date.fromisoformat(payload["data_date"]) if payload.get("data_date")
            else None,
            accept_valid=bool(payload.get("accept_valid")), scope=scope,
            imported_by=job.created_by, report_dir=settings.data_dir / "laporan-impor",
            progress=on_progress,
        )
    except (ImportRefused, ScopeRefused) as error:
        raise JobError(f"Impor ditolak: {error}. Tidak ada yang diubah.") from None
    finally:
        discard_upload(path)
    summary: dict[str, Any] = {
        "roster_id": result.roster_id, "outcome": result.outcome, "kind": result.kind,
        "layout": result.layout, "owner": result.owner, "replaced_id": result.replaced_id,
        "rows_read": result.rows_read, "rows_rejected": result.rows_rejected,
        "rows_warned": result.rows_warned, "rows_loaded": result.rows_loaded,
        # Line, column and reason only: the values may be NIKs, and the report has them.
        "first_problems": [{"line": line, "column": p.column, "severity": p.severity,
                            "reason": p.reason} for line, p in result.first_problems[:10]],
    }
    if result.outcome == "applied":
        message = f"Impor selesai: {format_number(result.rows_loaded)} baris dimuat."
        if result.roster_id is not None:
            links = _link_imported(session=session, roster_id=result.roster_id)
            summary["links"] = {"auto": links.auto, "review": links.review,
                                "none": links.none}
            message += (f" Tautan ke penduduk: {format_number(links.auto)} tertaut otomatis, "
                        f"{format_number(links.review)} perlu diperiksa, "
                        f"{format_number(links.none)} tidak tertaut.")
    else:
        message = (f"Impor dibatalkan: {format_number(result.rows_rejected)} dari "
                   f"{format_number(result.rows_read)} baris bermasalah. Tidak ada yang dimuat.")
    return summary, message


def _link_imported(*, session: Session, roster_id: int) -> LinkSummary:
    """Link the roster just imported, in the job's transaction: the operator who uploaded
    it sees its links and review queue at once, and an import is never left half-linked.

    No progress is written meanwhile: on SQLite the import's merge holds the write lock
    until the job commits, and a progress write from another connection would wait on it.
    """
    return link_roster(session=session, roster_id=roster_id)
