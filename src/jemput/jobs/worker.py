"""Run queued jobs: `run_once` for one job, `Worker` as a thread in the web app's lifespan.

Each job runs in a child process of its own (child.py) with a hard memory limit, so a
hostile upload can exhaust only its job, never the web server that queued it.

The worker is an edge like a request or a CLI command: it opens units of work and
commits them. A job's own work and its "done" mark commit together; progress goes in
separate short transactions so the page can show it while the work runs.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import IO, Any, Protocol

from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.orm import Session

from jemput import domains
from jemput.config import Settings, get_settings
from jemput.db import unit_of_work
from jemput.jobs import service
from jemput.jobs.models import Job, JobStatus
from jemput.jobs.service import JobError, ProgressCallback

log = logging.getLogger(__name__)


class Handler(Protocol):
    def __call__(
        self, *, session: Session, job: Job, settings: Settings, progress: ProgressCallback
    ) -> tuple[dict[str, Any], str | None]: ...


def _handlers() -> dict[str, Handler]:
    # Imported here: domains import jobs.service, and the worker imports the domains.
    from jemput.outreach.plan_jobs import PLAN_JOB, run_plan_job
    from jemput.residents.import_jobs import IMPORT_JOB, run_import_job
    from jemput.rosters.jobs import ROSTER_JOB, run_roster_job

    domains.connect()  # an import job announces what it did; reports follow it
    return {IMPORT_JOB: run_import_job, ROSTER_JOB: run_roster_job, PLAN_JOB: run_plan_job}


def _cleanups() -> dict[str, Callable[[Job], None]]:
    # What a job leaves behind if its process dies before its handler's own cleanup.
    from jemput.residents.import_jobs import IMPORT_JOB, discard_job_upload
    from jemput.rosters.jobs import ROSTER_JOB

    return {IMPORT_JOB: discard_job_upload, ROSTER_JOB: discard_job_upload}


def _retry_hints() -> dict[str, str]:
    # What to do after a job died with its server: in the words of each kind's page.
    from jemput.outreach.plan_jobs import PLAN_JOB
    from jemput.residents.import_jobs import IMPORT_JOB
    from jemput.rosters.jobs import ROSTER_JOB

    return {IMPORT_JOB: "Unggah berkasnya lagi di halaman Impor.",
            ROSTER_JOB: "Unggah daftarnya lagi di halaman Daftar siswa & pemilih.",
            PLAN_JOB: "Minta rencana lagi di halaman kampanyenya."}


class _Progress:
    """Remembers the latest progress and, where the engine allows, writes it to the row."""

    def __init__(self, settings: Settings, job_id: int) -> None:
        self.settings = settings
        self.job_id = job_id
        self.done = 0
        self.total = 0

    def __call__(self, done: int, total: int, message: str | None) -> None:
        # Its own short transaction: an import reads its file without holding the
        # registry's write lock (intake/staging.py), so this commits even on SQLite.
        self.done, self.total = done, total
        with unit_of_work(self.settings.database_url) as session:
            service.set_progress(session=session, job_id=self.job_id, done=done,
                                 total=total, message=message)


def memory_message(settings: Settings) -> str:
    """The failed job's message when its file needed more memory than a job may use."""
    return (f"Pekerjaan dihentikan: membaca berkas ini memerlukan lebih dari "
            f"{settings.job_memory_mb} MB memori, batas satu pekerjaan latar "
            "(JEMPUT_JOB_MEMORY_MB). Tidak ada yang diubah. Periksa berkasnya, atau bagi "
            "menjadi beberapa berkas yang lebih kecil.")


@contextmanager
def _mapping_failure_is_memory() -> Iterator[None]:
    """Report a library that could not be loaded under the memory limit as memory.

    The child's limit is on address space: a library first loaded while a file is read
    (a parser, a driver) fails with ImportError "failed to map segment" rather than a
    MemoryError, and the job would end with an unexplained error.
    """
    try:
        yield
    except ImportError as error:
        text = str(error)
        if "failed to map segment" in text or "annot allocate memory" in text:
            raise MemoryError(text) from error
        raise


def run_claimed(settings: Settings, job_id: int) -> None:
    """Run a job this process has claimed, and record how it ended (in the job's child)."""
    url = settings.database_url
    try:
        # Read the job in a transaction of its own: the job's work must begin with the
        # registry untouched, so that on SQLite it takes the write lock only to merge.
        with unit_of_work(url) as session:
            job = service.get_job(session=session, job_id=job_id)
            session.expunge(job)
        with _mapping_failure_is_memory():
            handler = _handlers().get(job.kind)
            if handler is None:
                raise JobError(f"jenis pekerjaan tidak dikenal: {job.kind}")
            progress = _Progress(settings, job_id)
            with unit_of_work(url) as session:
                result, message = handler(session=session, job=job, settings=settings,
                                          progress=progress)
                service.finish(session=session,
                               job=service.get_job(session=session, job_id=job_id),
                               result=result, message=message, done=progress.done,
                               total=progress.total)
    except JobError as error:
        with unit_of_work(url) as session:
            service.fail(session=session, job_id=job_id, message=str(error))
    except MemoryError:
        # The work's objects are gone with its frames: there is room again to record it.
        log.warning("job %s exceeded its memory limit of %s MB", job_id, settings.job_memory_mb)
        with unit_of_work(url) as session:
            service.fail(session=session, job_id=job_id, message=memory_message(settings))
            # The limit may strike before the handler's own clean-up could run (while it
            # loads a library, say): the upload holds personal data, so it goes here too.
            failed = service.get_job(session=session, job_id=job_id)
            cleanup = _cleanups().get(failed.kind)
            if cleanup is not None:
                cleanup(failed)
    except Exception:
        log.exception("job %s failed", job_id)
        with unit_of_work(url) as session:
            service.fail(session=session, job_id=job_id,
                         message="Terjadi galat tak terduga; hubungi admin (lihat log server).")


def _settings_for_child(settings: Settings) -> str:
    values: dict[str, Any] = {}
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        values[name] = value.get_secret_value() if isinstance(value, SecretStr) else value
    return json.dumps(values, default=str)


def run_in_child(settings: Settings, job_id: int) -> int:
    """Run a claimed job in a child process under the memory limit; return its exit code.

    The child records the job's end itself. If it dies before it can (killed, out of
    memory while recording), the job is failed here. Either way its upload is discarded.
    """
    from jemput.jobs.child import EXIT_MEMORY

    # Fewer malloc arenas: each reserves address space that the limit would count.
    # One BLAS thread: numpy (which openpyxl loads when it is installed) reserves address
    # space per thread, and the limit counts reservations, not use.
    env = os.environ | {"MALLOC_ARENA_MAX": "2", "OPENBLAS_NUM_THREADS": "1"}
    child = subprocess.run(  # noqa: S603 - our own interpreter and module, no user input
        [sys.executable, "-m", "jemput.jobs.child", str(job_id)],
        input=_settings_for_child(settings), text=True, env=env, check=False,
    )
    killed = child.returncode in (EXIT_MEMORY, -signal.SIGKILL)
    if child.returncode != 0:
        log.error("job %s: its process ended with exit code %s", job_id, child.returncode)
    with unit_of_work(settings.database_url) as session:
        job = service.get_job(session=session, job_id=job_id)
        if child.returncode != 0 and job.status == JobStatus.RUNNING.value:
            service.fail(session=session, job_id=job_id, message=memory_message(settings)
                         if killed else "Pekerjaan berhenti tak terduga; hubungi admin "
                         "(lihat log server). Tidak ada yang diubah.")
        # The upload holds personal data and is never needed after its job. The child
        # deletes it itself, but under its memory limit even that can fail quietly (the
        # file system answers ENOMEM, which rmtree's ignore_errors swallows): so here too.
        cleanup = _cleanups().get(job.kind)
        if cleanup is not None:  # the child has ended: its job runs no more
            cleanup(job)
    return child.returncode


def run_once(settings: Settings | None = None) -> int | None:
    """Claim the oldest queued job and run it in a child process; return its id, or None."""
    settings = settings or get_settings()
    with unit_of_work(settings.database_url) as session:
        candidates = service.queued_ids(session=session)
    for job_id in candidates:
        with unit_of_work(settings.database_url) as session:
            won = service.claim(session=session, job_id=job_id)
        if won:
            run_in_child(settings, job_id)
            return job_id
    return None


def fail_stale(settings: Settings | None = None) -> int:
    """Fail jobs abandoned by a dead worker; return how many."""
    settings = settings or get_settings()
    with unit_of_work(settings.database_url) as session:
        return service.fail_stale(session=session, retry_hints=_retry_hints())


LOCK_FILE = "jobs.lock"


def _take_jobs_lock(settings: Settings) -> IO[str] | None:
    """Hold the data folder's job lock, or return None if another worker holds it.

    `jemput serve --workers N` starts N processes, each with a Worker: the one holding
    the lock runs the jobs, one at a time as on a single worker. The kernel frees the
    lock when its holder dies, and another worker takes it at its next look.
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    handle = (settings.data_dir / LOCK_FILE).open("a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


class Worker:
    """A daemon thread that runs queued jobs one at a time, polling between them."""

    def __init__(self, settings: Settings, poll_seconds: float = 1.0) -> None:
        self.settings = settings
        self.poll_seconds = poll_seconds
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._lock: IO[str] | None = None
        self._thread = threading.Thread(target=self._loop, name="jemput-jobs", daemon=True)

    @property
    def runs_jobs(self) -> bool:
        """Whether this process's worker holds the job lock (the others stand by)."""
        return self._lock is not None

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """Look for work now instead of at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        # A running import is not interrupted; if it outlasts the timeout the daemon
        # thread dies with the process, its transaction rolls back, fail_stale cleans up.
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)
        if self._lock is not None and not self._thread.is_alive():
            self._lock.close()  # frees the lock for the next server
            self._lock = None

    def _loop(self) -> None:
        # In the thread, not in start(): a database that is not there yet (before
        # `jemput db upgrade`) must not stop the web app from starting.
        cleaned = False
        while not self._stop.is_set():
            if self._lock is None:
                try:
                    self._lock = _take_jobs_lock(self.settings)
                except OSError:
                    log.exception("job worker could not open its lock file")
                if self._lock is None:
                    self._wake.wait(self.poll_seconds)
                    self._wake.clear()
                    continue
            try:
                if not cleaned:
                    fail_stale(self.settings)
                    cleaned = True
                ran = run_once(self.settings)
            except Exception:
                log.exception("job worker could not poll the jobs table")
                ran = None
            if ran is None:
                self._wake.wait(self.poll_seconds)
                self._wake.clear()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run a Worker thread for the life of the web app (unless app.state.job_worker is False)."""
    worker = Worker(app.state.settings) if getattr(app.state, "job_worker", True) else None
    app.state.worker = worker
    if worker is not None:
        worker.start()
    try:
        yield
    finally:
        if worker is not None:
            # Bounded by the server's grace period: a stopping server must end.
            worker.stop(timeout=min(30.0, app.state.settings.shutdown_grace))
