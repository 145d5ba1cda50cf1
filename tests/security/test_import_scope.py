"""An import applies only inside the uploader's scope: API, page and CLI (issue 7, critical).

The cast: the regency's office loads residents of two kecamatan; an operator of one of
them (Grabag, 33.06.01) then tries to reach the other (Purworejo's 33.06.02) with files.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from jemput.cli import app as cli
from jemput.config import Settings
from jemput.db import unit_of_work
from jemput.jobs.worker import run_once
from jemput.residents.models import ImportRun, Resident
from jemput.web import create_app
from tests.personas import page_csrf
from tests.residents.siak_files import Person, write_siak

runner = CliRunner()
GRABAG_DESA = "33.06.01.2001"
NGENTAK = "33.06.02.2001"  # a desa of the neighbouring kecamatan, outside the scope
OUTSIDE = "di luar wilayah Anda"


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    # No worker thread: each test runs the job itself with run_once, deterministically.
    app = create_app(settings)
    app.state.job_worker = False
    return app


def grabag() -> list[Person]:
    return [Person("SUPARMI", date(1980, 3, 4), 2, 1, desa=GRABAG_DESA),
            Person("WAGIMAN", date(1975, 6, 7), 1, 2, desa=GRABAG_DESA)]


def ngentak() -> list[Person]:
    born = [date(1970, 1, 5), date(1985, 2, 6), date(1999, 3, 7)]
    return [Person(f"WARGA NGENTAK {i}", day, 1, 10 + i, desa=NGENTAK)
            for i, day in enumerate(born)]


@pytest.fixture
def registry(tmp_path: Path) -> None:
    """The office (the CLI, regency-wide) has loaded both kecamatan."""
    path = write_siak(tmp_path / "kabupaten.csv", grabag() + ngentak())
    result = runner.invoke(cli, ["residents", "import", str(path)])
    assert result.exit_code == 0, result.output


def residents() -> dict[str, Resident]:
    with unit_of_work() as session:
        found = {r.nik: r for r in session.scalars(select(Resident))}
        session.expunge_all()
        return found


def flagged() -> set[str]:
    return {r.name for r in residents().values() if r.missing_since_import_id is not None}


def upload(client: TestClient, tmp_path: Path, rows: list[Person], **fields: str) -> dict:
    """Upload a SIAK file through the API, run its job, and return the job as JSON."""
    content = write_siak(tmp_path / "unggah.csv", rows).read_bytes()
    response = client.post("/api/impor", data=fields,
                           files={"berkas": ("unggah.csv", content, "text/csv")},
                           headers={"X-CSRF-Token": page_csrf(client)})
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    assert run_once() == job_id
    job: dict = client.get(f"/api/impor/{job_id}").json()
    return job


@pytest.mark.parametrize("accept_valid", [False, True], ids=["strict", "accept-valid"])
def test_operator_cannot_import_a_desa_outside_their_kecamatan(
    tmp_path, registry, client_for, accept_valid
):
    operator = client_for("kecamatan_operator")
    newcomer = Person("PENDATANG", date(2001, 4, 8), 1, 77, desa=NGENTAK)
    fields = {"terima_valid": "1"} if accept_valid else {}
    job = upload(operator, tmp_path, [newcomer], **fields)
    result = job["result"]
    # Not a row left to load: no import, even with accept-valid (see the coverage tests).
    assert result["outcome"] == "rejected"
    assert result["rows_rejected"] == 1 and result["inserted"] == 0
    assert OUTSIDE in result["first_problems"][0]["reason"]
    assert result["first_problems"][0]["reason_en"].startswith(f"desa {NGENTAK} is outside")
    # Nobody of Ngentak is flagged, and there is no list of them to download.
    assert result["disappeared"] == 0 and flagged() == set()
    assert newcomer.nik not in residents()
    assert job["disappeared_url"] is None
    assert operator.get(f"/impor/{job['id']}/tidak-ada-lagi").status_code == 404
    report = operator.get(f"/impor/{job['id']}/laporan")
    rows = list(csv.DictReader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert [(r["baris"], r["tingkat"]) for r in rows] == [("2", "galat")]
    assert OUTSIDE in rows[0]["keterangan"]


@pytest.mark.parametrize("accept_valid", [False, True], ids=["strict", "accept-valid"])
def test_a_nik_of_a_resident_outside_scope_is_an_error_and_moves_no_one(
    tmp_path, registry, client_for, accept_valid
):
    operator = client_for("kecamatan_operator")
    # Someone of Ngentak, written into a Grabag desa: today this moved them into scope.
    claimed = ngentak()[0].but(desa=GRABAG_DESA, name="NAMA LAIN", status="CARD_ISSUED")
    fields = {"terima_valid": "1"} if accept_valid else {}
    job = upload(operator, tmp_path, [*grabag(), claimed], **fields)
    result = job["result"]
    assert result["rows_rejected"] == 1 and result["updated"] == 0
    problem = result["first_problems"][0]
    assert problem["line"] == 4 and problem["column"] == "NIK"
    assert OUTSIDE in problem["reason"]
    stored = residents()[claimed.nik]
    assert (stored.desa_code, stored.name) == (NGENTAK, "WARGA NGENTAK 0")
    # "Outside your area" is all it says: not which kecamatan, desa or name.
    report = operator.get(f"/impor/{job['id']}/laporan").content.decode("utf-8-sig")
    for said in (str(job), report):
        assert "33.06.02" not in said and "WARGA NGENTAK" not in said


def test_missing_is_decided_only_inside_scope_and_coverage(tmp_path, registry, client_for):
    operator = client_for("kecamatan_operator")
    # Grabag's desa file without Wagiman; Ngentak's residents are in no file of theirs.
    job = upload(operator, tmp_path, grabag()[:1])
    result = job["result"]
    assert result["outcome"] == "applied" and result["disappeared"] == 1
    assert result["coverage"] == [{"code": GRABAG_DESA, "name": "Harjobinangun"}]
    assert result["scope_region"] == "33.06.01"
    assert flagged() == {"WAGIMAN"}
    missing = operator.get(job["disappeared_url"])
    assert missing.status_code == 200
    listed = list(csv.DictReader(io.StringIO(missing.content.decode("utf-8-sig"))))
    assert [row["nama"] for row in listed] == ["WAGIMAN"]
    with unit_of_work() as session:
        run = session.get(ImportRun, result["run_id"])
        assert run is not None
        assert (run.imported_by, run.scope_region) == ("operator-grabag", "33.06.01")


@pytest.mark.parametrize(("field", "value"), [
    ("cakupan", "33.06.02"),
    ("cakupan", "33.06"),  # the whole regency is wider than one kecamatan
    ("kode_desa", NGENTAK),
])
def test_declaring_an_area_outside_scope_is_refused_at_upload(
    tmp_path, registry, client_for, settings, field, value
):
    operator = client_for("kecamatan_operator")
    content = write_siak(tmp_path / "unggah.csv", grabag()).read_bytes()
    response = operator.post("/api/impor", data={field: value},
                             files={"berkas": ("unggah.csv", content, "text/csv")},
                             headers={"X-CSRF-Token": page_csrf(operator)})
    assert response.status_code == 403
    assert OUTSIDE in response.json()["detail"]
    assert run_once() is None
    # The refused upload is not left on disk.
    assert not [p for p in (settings.data_dir / "unggahan").rglob("*") if p.is_file()]
    # The page says the same.
    page = operator.post("/impor", data={field: value, "csrf_token": page_csrf(operator)},
                         files={"berkas": ("unggah.csv", content, "text/csv")})
    assert page.status_code == 403 and OUTSIDE in page.text


def test_the_import_page_shows_the_scope_error_in_english(tmp_path, registry, client_for):
    operator = client_for("kecamatan_operator")
    operator.post("/akun/bahasa", data={"locale": "en", "csrf_token": page_csrf(operator)})
    job = upload(operator, tmp_path, [Person("PENDATANG", date(2001, 4, 8), 1, 77,
                                             desa=NGENTAK)])
    page = operator.get(f"/impor/{job['id']}").text
    assert "outside your area" in page and OUTSIDE not in page


def run_import(path: Path, *args: str):
    return runner.invoke(cli, ["residents", "import", str(path), *args])


def test_cli_acting_for_a_user_applies_their_scope(tmp_path, registry, personas):
    newcomer = Person("PENDATANG", date(2001, 4, 8), 1, 77, desa=NGENTAK)
    claimed = ngentak()[1].but(desa=GRABAG_DESA)
    path = write_siak(tmp_path / "cli.csv", [*grabag()[:1], newcomer, claimed])
    result = run_import(path, "--user", "operator-grabag", "--accept-valid")
    assert result.exit_code == 0, result.output
    assert "wilayah impor: 33.06.01" in result.output
    report = Path(result.output.split("Laporan lengkap: ", 1)[1].split()[0])
    with report.open(encoding="utf-8-sig") as handle:
        problems = {row["baris"]: row["keterangan"] for row in csv.DictReader(handle)}
    assert problems.keys() == {"3", "4"}
    assert all(OUTSIDE in reason for reason in problems.values())
    stored = residents()
    assert newcomer.nik not in stored and stored[claimed.nik].desa_code == NGENTAK
    # Only inside Grabag's desa is anyone concluded missing.
    assert flagged() == {"WAGIMAN"}
    with unit_of_work() as session:
        run = session.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
        assert run is not None and run.imported_by == "operator-grabag"


def test_cli_without_a_user_acts_for_the_whole_regency(tmp_path, registry):
    newcomer = Person("PENDATANG", date(2001, 4, 8), 1, 77, desa=NGENTAK)
    result = run_import(write_siak(tmp_path / "cli.csv", [newcomer]))
    assert result.exit_code == 0, result.output
    assert residents()[newcomer.nik].desa_code == NGENTAK


@pytest.mark.parametrize(("args", "reason"), [
    (["--user", "operator-grabag", "--covers", "33.06.02"], OUTSIDE),
    (["--user", "operator-grabag", "--desa", NGENTAK], OUTSIDE),
    (["--user", "tidak-ada"], "tidak ada"),
    (["--user", "desa"], "tidak berwenang mengimpor"),
])
def test_cli_refuses_what_the_user_may_not_do(tmp_path, registry, personas, args, reason):
    result = run_import(write_siak(tmp_path / "cli.csv", grabag()[:1]), *args)
    assert result.exit_code == 2
    assert reason in " ".join(result.output.split())
    assert flagged() == set()
