"""Taking an export or a roster from a web form and queueing its import: written once.

The SIAK import page (/impor) and the roster page (/daftar) differ only in their form's
options, the job they queue and where they send the browser; receiving the file, its
size and content checks, storing it, refusing what cannot be queued and answering
(JSON 202 or a redirect, with the worker woken after the commit) are the same, here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from starlette.datastructures import FormData, UploadFile

from jemput.auth.dependencies import client_ip
from jemput.auth.models import User
from jemput.config import Settings
from jemput.jobs import service as jobs
from jemput.jobs.models import Job
from jemput.residents import import_scope
from jemput.residents.uploads import UploadRefused, discard_upload, save_upload, too_large_message

# Room for the multipart framing and the small option fields around the file.
MULTIPART_SLACK = 64 * 1024
DESA_CODE = re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}")
# The form holds one file and a few options; more is not a form of ours.
MAX_FILES, MAX_FIELDS = 1, 20


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def max_bytes(request: Request) -> int:
    return settings_of(request).max_upload_mb * 1024 * 1024


def limit_upload_size(request: Request) -> None:
    """Refuse an upload by its declared length, before anything reads the body."""
    # Declared ahead of the user dependency: its CSRF check reads the form, and
    # Starlette would spool the whole body to a temporary file doing so.
    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit():
        raise HTTPException(411, "Unggahan harus menyebut ukurannya (Content-Length).")
    if int(declared) > max_bytes(request) + MULTIPART_SLACK:
        raise HTTPException(413, too_large_message(max_bytes(request)))


SizedUpload = Annotated[None, Depends(limit_upload_size)]


def form_text(form: FormData, name: str) -> str:
    """Return a form field's text, stripped; empty when missing or a file."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def wake_worker(request: Request) -> BackgroundTask | None:
    # Runs after the response, so after the commit: the worker then sees the new job.
    worker = getattr(request.app.state, "worker", None)
    return BackgroundTask(worker.wake) if worker is not None else None


@dataclass(frozen=True)
class UploadKind:
    """What one upload page adds to the shared steps."""

    # Refuses a user who may not upload this kind (raises Forbidden).
    require: Callable[[User], object]
    # Reads and checks the form's options; raises UploadRefused with the reason.
    options: Callable[[FormData], dict[str, Any]]
    # Queues the job: queue(session=, user=, upload=, ip=, **options) -> Job.
    queue: Callable[..., Job]
    # What to say when the form carries no file.
    missing_file: str


async def receive(kind: UploadKind, request: Request, session: Session, user: User) -> Job:
    """Store the form's file and queue its job; UploadRefused (and nothing kept) otherwise."""
    # The context closes the spooled upload, which the CSRF check may have parsed already.
    async with request.form(max_files=MAX_FILES, max_fields=MAX_FIELDS) as form:
        kind.require(user)
        upload = form.get("berkas")
        if not isinstance(upload, UploadFile):
            raise UploadRefused(kind.missing_file)
        options = kind.options(form)
        saved = await run_in_threadpool(
            save_upload, source=upload.file, file_name=upload.filename or "",
            directory=settings_of(request).data_dir / "unggahan", max_bytes=max_bytes(request),
        )
    try:
        return await run_in_threadpool(kind.queue, session=session, user=user, upload=saved,
                                       ip=client_ip(request), **options)
    except import_scope.ScopeRefused as error:
        discard_upload(saved.path)
        raise UploadRefused(f"Impor ditolak: {error}.", 403) from None
    except jobs.DuplicateJob as duplicate:
        discard_upload(saved.path)
        which = f" (pekerjaan #{duplicate.job_id})" if duplicate.job_id else ""
        raise UploadRefused(f"Berkas yang sama sedang menunggu atau diimpor{which}. Tunggu "
                            "sampai selesai sebelum mengunggahnya lagi.", 409) from None


async def answer_api(kind: UploadKind, request: Request, session: Session, user: User,
                     describe: Callable[[Job], dict[str, Any]]) -> JSONResponse:
    """The JSON twin: 202 with the job as `describe` writes it, or the refusal's status."""
    try:
        job = await receive(kind, request, session, user)
    except UploadRefused as refused:
        return JSONResponse({"detail": refused.message}, status_code=refused.status)
    return JSONResponse(describe(job), status_code=202, background=wake_worker(request))


# The page a refused upload is shown on: page(request, session, user, error, status).
ErrorPage = Callable[[Request, Session, User, str, int], Response]


async def answer_page(kind: UploadKind, request: Request, session: Session, user: User, *,
                      then: Callable[[Job], str], page: ErrorPage) -> Response:
    """The form's answer: to `then(job)` once queued, or the page again with the reason."""
    try:
        job = await receive(kind, request, session, user)
    except UploadRefused as refused:
        return await run_in_threadpool(page, request, session, user, refused.message,
                                       refused.status)
    return RedirectResponse(then(job), status_code=303, background=wake_worker(request))
