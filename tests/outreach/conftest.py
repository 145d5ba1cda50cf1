"""A small kecamatan for the campaign tests: residents, a target list, the demo settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jemput.cli import app as cli_app
from jemput.config import Settings, get_settings
from jemput.db import unit_of_work
from jemput.jobs import service as jobs
from jemput.jobs.worker import run_claimed, run_once
from jemput.outreach.settings_file import DEMO_FILE
from jemput.web import create_app
from tests.personas import page_csrf
from tests.residents.siak_files import Person, write_siak

DATA_DATE = "2026-11-02"
# A Friday and the week after: door to door runs Friday-Saturday, the mobile unit Mon-Fri.
STARTS, ENDS = date(2026, 12, 4), date(2026, 12, 12)
GRABAG = "33.06.01"
ITERATIONS = 300  # the solver's iteration limit in tests: the same seed, the same plan


def people() -> list[Person]:
    """Not-recorded residents of two Grabag desa, some who cannot come to a session."""
    crowd = [Person(f"WARGA {i}", date(1990, 1, 1 + i), 1, 100 + i, status="UNREGISTERED")
             for i in range(1, 9)]
    return crowd + [
        Person("MBAH SURIP", date(1940, 2, 2), 1, 201, status="UNREGISTERED",
               extra={"TIRAH_BARING": "1"}),
        Person("DARMI", date(1988, 3, 3), 2, 202, status="UNREGISTERED",
               extra={"ODGJ": "1", "LAT": "-7.8050", "LNG": "109.8790"}),
        Person("TETANGGA", date(1985, 4, 4), 1, 203, desa="33.06.01.2002",
               status="UNREGISTERED"),
        Person("JAUH", date(1981, 5, 5), 1, 204, desa="33.06.02.2001", status="UNREGISTERED"),
    ]


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    # No worker thread: a test runs the queued plan job itself (run_jobs), in its child.
    app = create_app(settings)
    app.state.job_worker = False
    return app


def run_jobs(*, in_child: bool = False) -> list[int]:
    """Run every queued job as the worker does: claim it, then run_claimed.

    The worker runs each job in a child process (`in_child`: exactly that, run_once);
    the other tests run the same run_claimed in this process, sparing a Python start and
    PyVRP's import per plan.
    """
    done = []
    while True:
        if in_child:
            job_id = run_once()
        else:
            with unit_of_work() as session:
                queued = jobs.queued_ids(session=session, limit=1)
                job_id = queued[0] if queued and jobs.claim(session=session,
                                                            job_id=queued[0]) else None
            if job_id is not None:
                run_claimed(get_settings(), job_id)
        if job_id is None:
            return done
        done.append(job_id)


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(cli_app, list(args))
    return result


@pytest.fixture
def kecamatan(tmp_path: Path, personas) -> dict[str, Any]:
    """Residents imported, the demo settings loaded, as the office would through the CLI."""
    result = invoke("residents", "import", str(write_siak(tmp_path / "siak.csv", people())),
                    "--data-date", DATA_DATE)
    assert result.exit_code == 0, result.output
    result = invoke("campaigns", "load-settings", str(DEMO_FILE), "--as", "operator")
    assert result.exit_code == 0, result.output
    result = invoke("targets", "create", "--rule", "belum-rekam", "--area", GRABAG,
                    "--name", "Belum rekam Grabag", "--owner", "operator")
    assert result.exit_code == 0, result.output
    return {"list_id": int(result.output.split("#")[1].split()[0])}


def post_json(client: TestClient, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, json=body or {}, headers={"X-CSRF-Token": page_csrf(client)})


def plan(client: TestClient, campaign_id: int, **body: Any) -> Any:
    """Ask for a plan as the page does, run its job, and answer with the campaign as read
    afterwards (200); a refusal at the request (400, 404, 409) is answered as it came."""
    response = post_json(client, f"/api/kampanye/{campaign_id}/rencana",
                         {"iterations": ITERATIONS, "seed": 1} | body)
    if response.status_code != 202:
        return response
    run_jobs()
    return client.get(f"/api/kampanye/{campaign_id}")


def post_form(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data={"csrf_token": page_csrf(client), **data},
                       follow_redirects=False)


def resources_of(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/kampanye/sumber-daya")
    assert response.status_code == 200, response.text
    return dict(response.json())


def ids_by_name(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {row["name"]: row["id"] for row in rows}


def create_campaign(client: TestClient, list_id: int, **changes: Any) -> Any:
    data = resources_of(client)
    programmes, teams = ids_by_name(data["programmes"]), ids_by_name(data["teams"])
    body = {"name": "Grabag Desember", "area_code": GRABAG, "starts": STARTS.isoformat(),
            "ends": ENDS.isoformat(),
            "programme_ids": [programmes["Door to door penduduk rentan"],
                              programmes["Mobil keliling: sesi balai desa lalu rumah"]],
            "team_ids": [teams["Tim 1"], teams["Tim Grabag"]], "list_ids": [list_id]} | changes
    return post_json(client, "/api/kampanye", body)
