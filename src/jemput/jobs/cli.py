"""`jemput jobs`: run queued background work (imports uploaded on the web page)."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from jemput.db import unit_of_work
from jemput.jobs import service
from jemput.jobs.worker import fail_stale, run_once

app = typer.Typer(help="Pekerjaan latar: impor yang diunggah lewat halaman web.",
                  no_args_is_help=True)


@app.callback()
def jobs_callback() -> None:
    """Pekerjaan latar: impor yang diunggah lewat halaman web."""
    # A callback keeps `work` a sub-command even while it is the only one.


def _describe(job_id: int) -> str:
    with unit_of_work() as session:
        job = service.get_job(session=session, job_id=job_id)
        return f"Pekerjaan #{job.id} ({job.kind}): {job.status}. {job.message or ''}".strip()


@app.command("work")
def work_command(
    once: Annotated[bool, typer.Option(
        "--once", help="Jalankan satu pekerjaan yang menunggu, lalu berhenti."
    )] = False,
    poll: Annotated[float, typer.Option(
        "--poll", min=0.2, help="Detik antara pemeriksaan antrean."
    )] = 1.0,
) -> None:
    """Jalankan pekerjaan yang menunggu di antrean (Ctrl-C untuk berhenti)."""
    fail_stale()
    while True:
        job_id = run_once()
        if job_id is not None:
            typer.echo(_describe(job_id))
        elif once:
            typer.echo("Tidak ada pekerjaan yang menunggu.")
        if once:
            return
        if job_id is None:
            time.sleep(poll)
