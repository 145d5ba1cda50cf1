"""Uploading a roster on /daftar: a background job, within the uploader's scope."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from jemput.config import Settings
from jemput.db import unit_of_work
from jemput.rosters.models import Roster, RosterRow
from jemput.web import create_app
from tests.personas import page_csrf
from tests.rosters.roster_files import (
    DPT_HEADER,
    DPT_ROWS,
    GRABAG_DESA,
    OTHER_KECAMATAN_DESA,
    WEB_SERVICE_HEADER,
    WEB_SERVICE_ROWS,
    load_schools,
    write,
)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    # No worker thread: the test runs the upload's job itself with run_once.
    app = create_app(settings)
    app.state.job_worker = False
    return app


@pytest.fixture(autouse=True)
def schools(tmp_path: Path, jemput_env: str) -> None:
    load_schools(tmp_path)


def upload(client, path: Path, **fields: str):
    csrf = page_csrf(client)
    return client.post("/api/daftar", data={"csrf_token": csrf, **fields},
                       headers={"X-CSRF-Token": csrf},
                       files={"berkas": (path.name, path.read_bytes(), "text/csv")})


def rosters() -> list[Roster]:
    with unit_of_work() as session:
        return list(session.scalars(select(Roster)))


def test_an_operator_uploads_a_voter_list_and_the_job_loads_it(tmp_path, client_for):
    from jemput.jobs.worker import run_once

    operator = client_for("operator")
    response = upload(operator, write(tmp_path / "dpt.csv", DPT_HEADER, DPT_ROWS),
                      jenis="dpt", kode_desa=GRABAG_DESA, tanggal_data="2026-01-15")
    assert response.status_code == 202, response.text
    assert run_once() is not None
    (roster,) = rosters()
    assert (roster.kind, roster.desa_code, roster.imported_by) == ("dpt", GRABAG_DESA,
                                                                    "operator")
    with unit_of_work() as session:
        assert len(session.scalars(select(RosterRow)).all()) == 3
    listed = operator.get("/api/daftar").json()
    assert listed["rosters"][0]["owner"] == GRABAG_DESA
    assert listed["jobs"][0]["status"] == "done"
    page = operator.get("/daftar")
    assert page.status_code == 200 and "dpt.csv" in page.text


def test_the_upload_job_links_the_list_and_sends_doubtful_rows_to_review(tmp_path, client_for):
    from datetime import date

    from jemput.jobs.worker import run_once
    from tests.residents.siak_files import Person, write_siak
    from tests.rosters.roster_files import runner

    # Suparman and Sumiyati are residents; Wagimin (no NIK, from Kebumen) is not. The list
    # gives Sumiyati no NIK, a birth year one off and the next desa: a pair for a person.
    registry = [Person("SUPARMAN", date(1980, 3, 12), 1, 1),
                Person("SUMIYATI", date(1985, 6, 15), 2, 2, desa="33.06.01.2002")]
    imported = runner.invoke(app_cli(), ["residents", "import",
                                         str(write_siak(tmp_path / "siak.csv", registry)),
                                         "--data-date", "2026-06-30"])
    assert imported.exit_code == 0, imported.output
    rows = [DPT_ROWS[0], [DPT_ROWS[1][0], "", "SUMIYATI", DPT_ROWS[1][3], "15-06-1986",
                          *DPT_ROWS[1][5:]], DPT_ROWS[2]]
    operator = client_for("operator")
    response = upload(operator, write(tmp_path / "dpt.csv", DPT_HEADER, rows),
                      jenis="dpt", kode_desa=GRABAG_DESA, tanggal_data="2026-01-15")
    assert response.status_code == 202, response.text
    assert run_once() is not None
    job = operator.get("/api/daftar").json()["jobs"][0]
    assert job["status"] == "done", job
    (roster,) = rosters()
    assert job["result"]["links"] == {"auto": 1, "review": 1, "none": 1}
    assert "1 tertaut otomatis" in job["message"] and "1 perlu diperiksa" in job["message"]
    review = operator.get("/api/daftar/tinjau").json()["pairs"]
    assert [(pair["roster_id"], pair["line"]) for pair in review] == [(roster.id, 3)]
    page = operator.get("/daftar")
    assert "1 perlu diperiksa" in page.text and 'href="/daftar/tinjau"' in page.text


def app_cli():
    from jemput.cli import app as cli

    return cli


def test_a_voter_list_of_a_desa_outside_the_uploaders_scope_is_refused(tmp_path, client_for):
    narrow = client_for("kecamatan_operator")
    response = upload(narrow, write(tmp_path / "dpt.csv", DPT_HEADER, DPT_ROWS),
                      jenis="dpt", kode_desa=OTHER_KECAMATAN_DESA)
    assert response.status_code == 403
    assert "di luar wilayah Anda" in response.json()["detail"]
    assert rosters() == []


def test_a_school_roster_outside_the_uploaders_scope_fails_in_the_job(tmp_path, client_for):
    from jemput.jobs.worker import run_once

    narrow = client_for("kecamatan_operator")
    # The school is named only inside the file: the job finds it outside the scope.
    response = upload(narrow, write(tmp_path / "ws.csv", WEB_SERVICE_HEADER, WEB_SERVICE_ROWS),
                      jenis="dapodik")
    assert response.status_code == 202, response.text
    assert run_once() is not None
    job = narrow.get("/api/daftar").json()["jobs"][0]
    assert job["status"] == "failed" and "di luar wilayah Anda" in job["message"]
    assert rosters() == []


def test_a_malformed_upload_fails_with_its_line_and_reason(tmp_path, client_for):
    from jemput.jobs.worker import run_once

    operator = client_for("operator")
    bad = [DPT_ROWS[0], [*DPT_ROWS[1][:4], "31-31-1985", *DPT_ROWS[1][5:]]]
    response = upload(operator, write(tmp_path / "dpt.csv", DPT_HEADER, bad), jenis="dpt",
                      kode_desa=GRABAG_DESA)
    assert response.status_code == 202, response.text
    assert run_once() is not None
    job = operator.get("/api/daftar").json()["jobs"][0]
    assert job["result"]["outcome"] == "rejected"
    (problem,) = job["result"]["first_problems"]
    assert problem["line"] == 3 and problem["column"] == "TANGGAL_LAHIR"
    assert "tanggal" in problem["reason"]
    assert rosters() == []


@pytest.mark.parametrize("persona", ["desa", "sekolah", "kepala", "petugas", "mitra"])
def test_who_may_not_import_cannot_see_or_upload_rosters(persona, tmp_path, client_for):
    client = client_for(persona)
    assert client.get("/api/daftar").status_code in (403, 404)
    response = upload(client, write(tmp_path / "dpt.csv", DPT_HEADER, DPT_ROWS), jenis="dpt",
                      kode_desa=GRABAG_DESA)
    assert response.status_code in (403, 404)
