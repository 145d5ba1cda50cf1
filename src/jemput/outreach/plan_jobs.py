"""A campaign's plan solved as a background job: queue it, run it, show how far it got.

The page cannot hold a request open while a regency-wide campaign (thousands of people,
a minute of search) is solved, so "Susun rencana" and "Rancang ulang" queue a job and
the page follows it (static/kampanye.js). One campaign has at most one plan job waiting
or running: the dedupe key is the campaign, and the jobs table's partial unique index
refuses a second even when two clicks race. `jemput campaigns plan` stays synchronous.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.auth.access import NotFound
from jemput.auth.models import User
from jemput.config import Settings
from jemput.db import get_engine, read_only_session
from jemput.jobs import service as jobs
from jemput.jobs.models import Job, JobStatus
from jemput.jobs.service import JobError, ProgressCallback
from jemput.outreach import campaigns, plans
from jemput.outreach.models import Campaign
from jemput.outreach.resources import ResourceError
from jemput.targets.states import InvalidMove

PLAN_JOB = "rencana"
STEPS = ("menyiapkan data kampanye", "mencari rute", "menyimpan rencana")
STATUS_LABELS = {"queued": "Menunggu giliran", "running": "Sedang disusun",
                 "done": "Selesai", "failed": "Gagal"}


class PlanJobRunning(ValueError):
    """The campaign already has a plan job waiting or running; the message says which."""


def dedupe_key(campaign_id: int) -> str:
    return f"{PLAN_JOB}:{campaign_id}"


def queue_plan(*, session: Session, user: User, campaign_id: int, replan: bool = False,
               seed: int = 1, iterations: int | None = None) -> Job:
    """Queue solving the campaign (or replanning it); PlanJobRunning if one is under way."""
    campaign = campaigns.access_managed_campaign(session=session, user=user,
                                                 campaign_id=campaign_id)
    # The job checks again when it runs; refusing here answers at once.
    plans.check_request(session=session, campaign=campaign, replan=replan)
    payload = {"campaign_id": campaign.id, "replan": replan, "seed": seed,
               "iterations": iterations}
    try:
        return jobs.enqueue(session=session, kind=PLAN_JOB, payload=payload,
                            created_by=user.username, dedupe_key=dedupe_key(campaign.id))
    except jobs.DuplicateJob as duplicate:
        which = f" (pekerjaan #{duplicate.job_id})" if duplicate.job_id else ""
        raise PlanJobRunning(f"Rencana kampanye ini sedang disusun{which}. Tunggu sampai "
                             "selesai; rencananya akan tampil di halaman ini.") from None


def run_plan_job(*, session: Session, job: Job, settings: Settings,
                 progress: ProgressCallback) -> tuple[dict[str, Any], str | None]:
    """Solve the job's campaign with its creator's rights as they are now; store the plan."""
    payload = job.payload

    def step(index: int) -> None:
        progress(index, len(STEPS), STEPS[index])

    try:
        # Solved in a read-only session (no write lock on SQLite for a minute of search),
        # stored in the job's own, which commits with the job's "done" mark.
        with read_only_session(get_engine(settings.database_url)) as reader:
            solved = plans.solve_plan(
                session=reader, user=_creator(reader, job), campaign_id=int(
                    payload["campaign_id"]), again=bool(payload.get("replan")),
                seed=int(payload.get("seed") or 1), max_seconds=None,
                max_iterations=payload.get("iterations"), step=step)
        version = plans.store_plan(session=session, user=_creator(session, job), solved=solved)
    except (ResourceError, InvalidMove) as error:
        raise JobError(f"Rencana gagal disusun: {error}. Tidak ada yang diubah.") from None
    except NotFound:
        raise JobError("Rencana gagal disusun: kampanye tidak ada lagi atau di luar "
                       "wewenang akun yang memintanya. Tidak ada yang diubah.") from None
    # No progress after this: the plan is written, and on SQLite the job's transaction
    # holds the write lock until it commits with the job's "done" mark.
    return ({"plan_version": version.version, "served_weight": version.served_weight,
             "total_weight": version.total_weight},
            f"Rencana versi {version.version} selesai disusun.")


def _creator(session: Session, job: Job) -> User:
    """Who queued the job, with their rights as they are now."""
    user = session.scalar(select(User).where(User.username == job.created_by))
    if user is None or not user.is_active:
        raise JobError(f"Rencana gagal disusun: akun {job.created_by} tidak aktif lagi. "
                       "Tidak ada yang diubah.")
    return user


def latest_plan_job(*, session: Session, campaign: Campaign) -> Job | None:
    return session.scalar(select(Job).where(Job.dedupe_key == dedupe_key(campaign.id))
                          .order_by(Job.id.desc()).limit(1))


def describe(job: Job) -> dict[str, Any]:
    """The page's and the API's view of a plan job (no personal data: counts and reasons)."""
    if job.status == JobStatus.DONE.value:
        percent = 100
    elif job.progress_total:
        percent = min(99, job.progress_done * 100 // job.progress_total)
    else:
        percent = 0
    return {"id": job.id, "status": job.status,
            "status_label": STATUS_LABELS.get(job.status, job.status),
            "active": job.status in jobs.ACTIVE_STATUSES, "percent": percent,
            "message": job.message, "replan": bool(job.payload.get("replan")),
            "created_by": job.created_by, "created_at": job.created_at.isoformat(),
            "finished_at": job.finished_at.isoformat() if job.finished_at else None}


def job_for_page(*, session: Session, campaign: Campaign) -> dict[str, Any] | None:
    """The plan job the campaign page shows: one under way, or one that failed since the
    current plan was made (its message says why); None otherwise."""
    job = latest_plan_job(session=session, campaign=campaign)
    if job is None or job.status == JobStatus.DONE.value:
        return None
    if job.status == JobStatus.FAILED.value:
        plan = plans.current_plan(session=session, campaign=campaign)
        if plan is not None and plan.created_at >= job.created_at:
            return None
    return describe(job)
