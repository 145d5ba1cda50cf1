"""A file speaks only for the areas it covers, and a header alone is not an import."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from typer.testing import CliRunner

from jemput.cli import app as cli
from jemput.config import Settings
from jemput.db import unit_of_work
from jemput.jobs.worker import run_once
from jemput.residents.models import ImportRun, Resident
from jemput.web import create_app
from tests.personas import page_csrf
from tests.residents.siak_files import SIAK_HEADER, Person, write_siak

runner = CliRunner()
HARJOBINANGUN, PATUTREJO = "33.06.01.2001", "33.06.01.2002"  # two desas of Kecamatan Grabag
OPENSID_HEADER = ["nama", "no_kk", "nik", "sex", "tempatlahir", "tanggallahir", "status_kawin",
                  "kk_level", "rt", "rw", "status_rekam", "status_dasar"]


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    # No worker thread: each test runs the job itself with run_once, deterministically.
    app = create_app(settings)
    app.state.job_worker = False
    return app


def people() -> list[Person]:
    return [
        Person("SUPARMI", date(1980, 3, 4), 2, 1, desa=HARJOBINANGUN),
        Person("WAGIMAN", date(1975, 6, 7), 1, 2, desa=HARJOBINANGUN),
        Person("TUMINAH", date(1990, 9, 10), 2, 3, desa=PATUTREJO),
        Person("SLAMET", date(1966, 11, 12), 1, 4, desa=PATUTREJO),
    ]


def write_opensid(path: Path, persons: list[Person]) -> Path:
    """Write OpenSID's population template (the columns Jemput reads) as a CSV."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(OPENSID_HEADER)
        for p in persons:
            writer.writerow([p.name, p.kk, p.nik, p.sex, "PURWOREJO", p.born.isoformat(),
                             p.marital, 4, 1, 2, "", 1])
    return path


def run_import(*args: str):
    return runner.invoke(cli, ["residents", "import", *args])


def load_both_desas(tmp_path: Path) -> None:
    result = run_import(str(write_siak(tmp_path / "awal.csv", people())), "--data-date",
                        "2026-06-30")
    assert result.exit_code == 0, result.output


def flagged() -> set[str]:
    with unit_of_work() as session:
        return set(session.scalars(
            select(Resident.name).where(Resident.missing_since_import_id.is_not(None))
        ))


def latest_run() -> ImportRun:
    with unit_of_work() as session:
        run = session.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
        assert run is not None
        session.expunge(run)
        return run


def test_opensid_file_of_one_desa_flags_no_one_in_the_neighbouring_desa(tmp_path):
    load_both_desas(tmp_path)
    suparmi = people()[0]
    path = write_opensid(tmp_path / "opensid.csv", [suparmi])
    result = run_import(str(path), "--desa", HARJOBINANGUN)
    assert result.exit_code == 0, result.output
    # Only Wagiman, of the same desa, is no longer in the desa's own export.
    assert flagged() == {"WAGIMAN"}
    assert latest_run().coverage == HARJOBINANGUN
    assert f"Cakupan berkas: {HARJOBINANGUN} Harjobinangun" in result.output


def test_siak_file_speaks_only_for_the_desas_of_its_rows(tmp_path):
    load_both_desas(tmp_path)
    only_harjobinangun = [p for p in people() if p.desa == HARJOBINANGUN][:1]
    result = run_import(str(write_siak(tmp_path / "desa.csv", only_harjobinangun)))
    assert result.exit_code == 0, result.output
    assert flagged() == {"WAGIMAN"}
    assert latest_run().coverage == HARJOBINANGUN


def test_covers_declares_a_desa_without_rows_complete(tmp_path):
    load_both_desas(tmp_path)
    harjobinangun = [p for p in people() if p.desa == HARJOBINANGUN]
    result = run_import(str(write_siak(tmp_path / "desa.csv", harjobinangun)),
                        "--covers", PATUTREJO)
    assert result.exit_code == 0, result.output
    # Patutrejo has no rows, but the office says the file is complete for it.
    assert flagged() == {"TUMINAH", "SLAMET"}
    assert latest_run().coverage == f"{HARJOBINANGUN},{PATUTREJO}"
    assert f"{HARJOBINANGUN} Harjobinangun, {PATUTREJO} Patutrejo" in result.output


def test_covers_a_whole_kecamatan_is_shown_as_the_kecamatan(tmp_path):
    load_both_desas(tmp_path)
    result = run_import(str(write_siak(tmp_path / "desa.csv", people()[:1])),
                        "--covers", "33.06.01")
    assert result.exit_code == 0, result.output
    assert flagged() == {"WAGIMAN", "TUMINAH", "SLAMET"}
    assert latest_run().coverage == "33.06.01"
    assert "Cakupan berkas: 33.06.01 Grabag" in result.output


@pytest.mark.parametrize(("covers", "reason"), [
    ("33.06.99", "tidak dikenal"),
    ("33.06.01.20", "harus kode kecamatan"),
])
def test_covers_with_an_unknown_area_is_refused_and_changes_nothing(tmp_path, covers, reason):
    load_both_desas(tmp_path)
    result = run_import(str(write_siak(tmp_path / "desa.csv", people()[:1])),
                        "--covers", covers)
    assert result.exit_code == 2
    said = " ".join(result.output.split())  # the console wraps long lines
    assert reason in said and "Tidak ada yang diubah" in said
    assert flagged() == set()


def test_coverage_is_in_the_job_result_and_on_the_import_page(tmp_path, client_for):
    load_both_desas(tmp_path)
    operator = client_for("operator")
    path = write_siak(tmp_path / "desa.csv", people()[:1])
    response = operator.post(
        "/api/impor", data={"cakupan": PATUTREJO},
        files={"berkas": ("desa.csv", path.read_bytes(), "text/csv")},
        headers={"X-CSRF-Token": page_csrf(operator)},
    )
    assert response.status_code == 202, response.text
    job_id = response.json()["id"]
    assert run_once() == job_id
    job = operator.get(f"/api/impor/{job_id}").json()
    assert job["result"]["coverage"] == [
        {"code": HARJOBINANGUN, "name": "Harjobinangun"},
        {"code": PATUTREJO, "name": "Patutrejo"},
    ]
    assert job["result"]["scope_region"] == "33.06"
    assert job["result"]["disappeared"] == 3
    page = operator.get(f"/impor/{job_id}").text
    assert "Cakupan berkas" in page and "33.06.01.2002 Patutrejo" in page
    assert f"{HARJOBINANGUN}, {PATUTREJO}" in operator.get("/impor").text


def count_runs() -> int:
    with unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(ImportRun)) or 0


def test_header_only_file_is_refused_and_is_not_the_latest_import(tmp_path, client_for):
    load_both_desas(tmp_path)
    kepala = client_for("kepala")
    dashboard = kepala.get("/api/dasbor").json()
    empty = tmp_path / "kosong.csv"
    empty.write_text(",".join(SIAK_HEADER) + "\n", encoding="utf-8")
    result = run_import(str(empty), "--data-date", "2026-07-31")
    assert result.exit_code == 2
    assert "tidak ada baris data" in " ".join(result.output.split())
    assert count_runs() == 1
    assert flagged() == set()
    # The dashboard still speaks of the last real export, dated 2026-06-30.
    assert kepala.get("/api/dasbor").json() == dashboard
    assert not list((tmp_path / "var" / "laporan-impor").glob("*kosong*"))


def test_header_only_upload_fails_its_job_and_records_no_import(tmp_path, client_for):
    load_both_desas(tmp_path)
    operator = client_for("operator")
    response = operator.post(
        "/api/impor", files={"berkas": ("kosong.csv", ",".join(SIAK_HEADER).encode() + b"\n",
                                        "text/csv")},
        headers={"X-CSRF-Token": page_csrf(operator)},
    )
    assert response.status_code == 202, response.text
    run_once()
    job = operator.get(f"/api/impor/{response.json()['id']}").json()
    assert job["status"] == "failed"
    assert "tidak ada baris data" in job["message"]
    assert count_runs() == 1


def test_a_file_with_no_loadable_row_is_no_import_even_with_accept_valid(tmp_path, client_for):
    load_both_desas(tmp_path)
    kepala = client_for("kepala")
    dashboard = kepala.get("/api/dasbor").json()
    bad = people()[0].row() | {"TGL_LHR": "kemarin"}
    path = write_siak(tmp_path / "rusak.csv", [], rows=[bad])
    result = run_import(str(path), "--accept-valid", "--data-date", "2026-07-31")
    assert result.exit_code == 1
    assert "Tidak ada data penduduk yang diubah" in result.output
    assert latest_run().outcome == "rejected"
    # No one is flagged as gone on the strength of it, and the dashboard's date stays.
    assert flagged() == set()
    assert kepala.get("/api/dasbor").json() == dashboard
