"""A job whose server died under it is failed on the next start, in its own words."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from typer.testing import CliRunner

from jemput.auth.models import now_utc
from jemput.cli import app
from jemput.db import unit_of_work
from jemput.jobs.models import Job, JobStatus
from jemput.jobs.service import STALE_AFTER


def _running(kind: str, claimed_ago: timedelta) -> int:
    with unit_of_work() as session:
        job = Job(kind=kind, payload={}, status=JobStatus.RUNNING.value, created_by="operator",
                  created_at=now_utc() - claimed_ago, claimed_at=now_utc() - claimed_ago)
        session.add(job)
        session.flush()
        return job.id


def test_each_stale_job_says_what_to_ask_for_again_and_a_live_one_is_left_alone():
    long_ago = STALE_AFTER + timedelta(minutes=5)
    plan = _running("rencana", long_ago)
    upload = _running("impor", long_ago)
    roster = _running("daftar", long_ago)
    live = _running("impor", timedelta(minutes=5))

    result = CliRunner().invoke(app, ["jobs", "work", "--once"])

    assert result.exit_code == 0, result.output
    with unit_of_work() as session:
        jobs = {job.id: job for job in session.scalars(select(Job))}
    assert {jobs[i].status for i in (plan, upload, roster)} == {JobStatus.FAILED.value}
    assert "Minta rencana lagi" in jobs[plan].message
    assert "Unggah" not in jobs[plan].message
    assert "Unggah berkasnya lagi" in jobs[upload].message
    assert "Unggah daftarnya lagi" in jobs[roster].message
    assert all("server dimatikan" in jobs[i].message for i in (plan, upload, roster))
    assert jobs[live].status == JobStatus.RUNNING.value and jobs[live].message is None
