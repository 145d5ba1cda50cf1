"""Queue, claim, finish and read jobs. The worker (worker.py) is the edge that commits."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jemput.auth.models import now_utc
from jemput.jobs.models import Job, JobStatus

# A job still "running" this long after its claim lost its worker (a killed process);
# no import of even the largest regency takes this long.
STALE_AFTER = timedelta(hours=6)
ProgressCallback = Callable[[int, int, str | None], None]  # (done, total, message)
ACTIVE_STATUSES = (JobStatus.QUEUED.value, JobStatus.RUNNING.value)


class JobError(Exception):
    """A job failed for a reason its owner can act on; the message is shown to them."""


class JobNotFound(LookupError):
    """No job with that id (or of that kind)."""


class DuplicateJob(ValueError):
    """The same work is already queued or running; `job_id` is that job."""

    def __init__(self, job_id: int | None) -> None:
        super().__init__(job_id)
        self.job_id = job_id


def active_duplicate(*, session: Session, dedupe_key: str) -> Job | None:
    """Return the queued or running job with this dedupe key, if any."""
    return session.scalar(
        select(Job).where(Job.dedupe_key == dedupe_key, Job.status.in_(ACTIVE_STATUSES))
    )


def enqueue(
    *,
    session: Session,
    kind: str,
    payload: dict[str, Any],
    created_by: str,
    dedupe_key: str | None = None,
) -> Job:
    """Queue a job; raise DuplicateJob if one with the same dedupe key is still active."""
    if dedupe_key is not None:
        existing = active_duplicate(session=session, dedupe_key=dedupe_key)
        if existing is not None:
            raise DuplicateJob(existing.id)
    job = Job(kind=kind, payload=payload, status=JobStatus.QUEUED.value, progress_done=0,
              progress_total=0, dedupe_key=dedupe_key, created_by=created_by[:80],
              created_at=now_utc())
    try:
        # A savepoint: on PostgreSQL two racing uploads both pass the check above, and
        # the partial unique index turns the loser away without spoiling the request.
        with session.begin_nested():
            session.add(job)
            session.flush()
    except IntegrityError:
        raise DuplicateJob(None) from None
    return job


def get_job(*, session: Session, job_id: int, kind: str | None = None) -> Job:
    """Return the job with this id (and kind), or raise JobNotFound."""
    job = session.get(Job, job_id)
    if job is None or (kind is not None and job.kind != kind):
        raise JobNotFound(job_id)
    return job


def list_jobs(
    *, session: Session, kind: str, created_by: str | None = None, limit: int = 20
) -> list[Job]:
    """Return the newest jobs of a kind (only those `created_by` queued, if given)."""
    query = select(Job).where(Job.kind == kind)
    if created_by is not None:
        query = query.where(Job.created_by == created_by)
    return list(session.scalars(query.order_by(Job.id.desc()).limit(limit)))


def queued_ids(*, session: Session, limit: int = 10) -> list[int]:
    """Return the ids of the oldest unclaimed jobs."""
    return list(
        session.scalars(
            select(Job.id)
            .where(Job.status == JobStatus.QUEUED.value, Job.claimed_at.is_(None))
            .order_by(Job.id)
            .limit(limit)
        )
    )


def claim(*, session: Session, job_id: int, now: datetime | None = None) -> bool:
    """Mark the job running if nobody has claimed it yet; return whether we won it."""
    # The conditional UPDATE is the lock: whichever worker's statement runs first sets
    # claimed_at, and the other's WHERE no longer matches. Same on SQLite and PostgreSQL.
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, Job.claimed_at.is_(None),
               Job.status == JobStatus.QUEUED.value)
        .values(status=JobStatus.RUNNING.value, claimed_at=now or now_utc())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def set_progress(
    *, session: Session, job_id: int, done: int, total: int, message: str | None = None
) -> None:
    """Record how far a running job has got."""
    session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.RUNNING.value)
        .values(progress_done=done, progress_total=total, message=message)
        .execution_options(synchronize_session=False)
    )


def finish(
    *, session: Session, job: Job, result: dict[str, Any], message: str | None, done: int,
    total: int,
) -> None:
    """Mark a job done with its result and final progress, in the caller's transaction."""
    job.status = JobStatus.DONE.value
    job.result = result
    job.message = message
    job.progress_done = done
    job.progress_total = total
    job.finished_at = now_utc()
    session.flush()


def fail(*, session: Session, job_id: int, message: str) -> None:
    """Mark a job failed with a message for the person who queued it."""
    session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(status=JobStatus.FAILED.value, message=message[:2000], finished_at=now_utc())
        .execution_options(synchronize_session=False)
    )


STALE_MESSAGE = "Pekerjaan terhenti (server dimatikan saat berjalan). Tidak ada yang diubah."
# What the person who asked should do next, per job kind; the worker passes the domains'.
DEFAULT_RETRY_HINT = "Ulangi permintaannya."


def fail_stale(
    *, session: Session, now: datetime | None = None,
    retry_hints: Mapping[str, str] | None = None,
) -> int:
    """Fail jobs whose worker died long ago, so their work can be asked for again.

    The message says what to do next in the words of the job's kind: an import is
    uploaded again, a plan is asked for again from its campaign's page.
    """
    now = now or now_utc()
    hints = retry_hints or {}
    stale = Job.status == JobStatus.RUNNING.value, Job.claimed_at < now - STALE_AFTER
    kinds = session.scalars(select(Job.kind).where(*stale).distinct()).all()
    failed = 0
    for kind in kinds:
        result = session.execute(
            update(Job)
            .where(*stale, Job.kind == kind)
            .values(status=JobStatus.FAILED.value, finished_at=now,
                    message=f"{STALE_MESSAGE} {hints.get(kind, DEFAULT_RETRY_HINT)}")
            .execution_options(synchronize_session=False)
        )
        failed += int(result.rowcount)  # type: ignore[attr-defined]
    return failed
