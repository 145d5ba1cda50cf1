"""Uploading an export on the import page: refusals, the background job, its reports."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from jemput.auth.models import AuditEntry
from jemput.config import Settings
from jemput.db import unit_of_work
from jemput.jobs import service as jobs
from jemput.jobs.cli import app as jobs_cli
from jemput.jobs.models import Job
from jemput.jobs.worker import run_once
from jemput.residents.models import Resident
from jemput.web import create_app
from tests.personas import page_csrf, sign_in
from tests.residents.siak_files import Person, family, write_siak

BAD_ROW = Person("SALAH NIK", date(1990, 1, 1), 1, 4).row() | {"NIK": "33060112345"}


@pytest.fixture
def settings(migrated_database: str) -> Settings:
    # A 1 MB limit keeps the oversized files small.
    return Settings(database_url=migrated_database, environment="development", max_upload_mb=1)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    # No worker thread: each test runs the job itself with run_once, deterministically.
    app = create_app(settings)
    app.state.job_worker = False
    return app


def siak_bytes(tmp_path: Path, people: list[Person], rows: list[dict[str, str]] | None = None,
               name: str = "siak.csv") -> bytes:
    return write_siak(tmp_path / name, people, rows=rows).read_bytes()


def upload(client: TestClient, content: bytes, *, name: str = "siak.csv", **fields: str):
    data = {"csrf_token": page_csrf(client)} | fields
    return client.post("/impor", data=data, files={"berkas": (name, content, "text/csv")},
                       follow_redirects=False)


def job_id_of(response) -> int:
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def uploads_left(settings: Settings) -> list[Path]:
    folder = settings.data_dir / "unggahan"
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def count(model) -> int:
    with unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_file_with_mistakes_is_rejected_and_its_report_downloadable(tmp_path, client_for,
                                                                    settings):
    operator = client_for("operator")
    job_id = job_id_of(upload(operator, siak_bytes(tmp_path, family(), rows=[BAD_ROW])))
    page = operator.get(f"/impor/{job_id}")
    assert page.status_code == 200 and "Menunggu" in page.text and "/static/impor.js" in page.text
    assert operator.get(f"/api/impor/{job_id}").json()["status"] == "queued"

    assert run_once() == job_id
    job = operator.get(f"/api/impor/{job_id}").json()
    assert job["status"] == "done" and job["percent"] == 100
    assert job["result"]["outcome"] == "rejected"
    assert job["result"]["rows_rejected"] == 1 and job["result"]["inserted"] == 0
    assert job["report_url"] == f"/impor/{job_id}/laporan" and job["disappeared_url"] is None
    assert "dibatalkan" in job["message"]
    assert count(Resident) == 0
    # The upload is gone once imported: it is a list of people.
    assert uploads_left(settings) == []

    page = operator.get(f"/impor/{job_id}")
    assert "Impor dibatalkan" in page.text and "Unduh laporan galat" in page.text
    report = operator.get(f"/impor/{job_id}/laporan")
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert any(row["kolom"] == "NIK" and row["tingkat"] == "galat" for row in rows), rows
    with unit_of_work() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert "import.queued" in actions and "import.report_download" in actions


def test_accepted_import_loads_residents_and_lists_the_missing(tmp_path, client_for):
    operator = client_for("operator")
    job_id_of(upload(operator, siak_bytes(tmp_path, family()), tanggal_data="2025-12-31"))
    run_once()
    second = siak_bytes(tmp_path, family()[:4], rows=[BAD_ROW], name="b.csv")
    job_id = job_id_of(upload(operator, second, terima_valid="1", tanggal_data="2026-01-31"))
    run_once()
    job = operator.get(f"/api/impor/{job_id}").json()
    assert job["result"]["outcome"] == "applied"
    assert job["result"]["rows_rejected"] == 1 and job["result"]["disappeared"] == 1
    assert job["progress_total"] == len(second) == job["progress_done"]
    missing = operator.get(job["disappeared_url"])
    assert missing.status_code == 200 and "DEWI LESTARI" in missing.text
    # Imported names are searchable at once.
    found = operator.get("/api/penduduk", params={"q": "Mbah Karto"}).json()["results"]
    assert [hit["name"] for hit in found] == ["MBAH KARTO"]


def test_duplicate_upload_is_refused_while_the_first_waits(tmp_path, client_for, settings):
    operator = client_for("operator")
    content = siak_bytes(tmp_path, family())
    first = job_id_of(upload(operator, content))
    again = upload(operator, content, name="copy.csv")
    assert again.status_code == 409
    assert f"sedang menunggu atau diimpor (pekerjaan #{first})" in again.text
    assert len(uploads_left(settings)) == 1
    run_once()
    assert job_id_of(upload(operator, content)) != first


def test_oversized_upload_is_refused_before_it_is_read(client_for, settings):
    operator = client_for("operator")
    response = upload(operator, b"NIK,NAMA\n" + b"x" * (2 << 20))
    assert response.status_code == 413
    assert response.json()["detail"] == "Berkas terlalu besar: batasnya 1 MB."
    assert count(Job) == 0 and uploads_left(settings) == []


def test_upload_just_past_the_limit_is_cut_off_while_copied(client_for, settings):
    operator = client_for("operator")
    # Within the allowance for multipart framing, so only the copy can catch it.
    response = upload(operator, b"NIK,NAMA\n" + b"x" * ((1 << 20) + 1000))
    assert response.status_code == 413
    assert "Berkas terlalu besar: batasnya 1 MB." in response.text
    assert count(Job) == 0 and uploads_left(settings) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "Berkas ini gambar PNG"),
        (b"%PDF-1.7\n", "Berkas ini PDF"),
        (b"<!DOCTYPE html><table><tr><td>NIK</td></tr></table>", "halaman HTML"),
        (b"NIK,NAMA\x00\x01\x02", "bukan CSV/XLSX/XLS"),
        (b"", "Berkas kosong"),
    ],
)
def test_wrong_or_empty_files_are_refused_by_their_content(content, message, client_for,
                                                           settings):
    # Named .csv every time: the name proves nothing.
    response = upload(client_for("operator"), content, name="penduduk.csv")
    assert response.status_code in (400, 415)
    assert message in response.text
    assert count(Job) == 0 and uploads_left(settings) == []


def test_a_zip_that_is_not_a_workbook_is_refused(client_for):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "NIK,NAMA\n")
    response = upload(client_for("operator"), buffer.getvalue(), name="data.xlsx")
    assert response.status_code == 415 and "arsip ZIP, bukan XLSX" in response.text


def test_bad_options_are_refused_with_a_reason(tmp_path, client_for):
    operator = client_for("operator")
    content = siak_bytes(tmp_path, family())
    assert "bukan tanggal" in upload(operator, content, tanggal_data="31-01-2026").text
    assert "masa depan" in upload(operator, content, tanggal_data="2999-01-01").text
    assert "Kode desa" in upload(operator, content, kode_desa="3306012001").text
    assert count(Job) == 0


def test_unreadable_layout_fails_the_job_with_a_message(client_for):
    operator = client_for("operator")
    job_id = job_id_of(upload(operator, b"nama;umur\nBUDI;40\n"))
    run_once()
    job = operator.get(f"/api/impor/{job_id}").json()
    assert job["status"] == "failed" and job["message"].startswith("Impor ditolak")
    assert job["report_url"] is None
    assert operator.get(f"/impor/{job_id}/laporan").status_code == 404


def test_api_upload_with_a_token_header_queues_a_job(tmp_path, client_for):
    operator = client_for("operator")
    response = operator.post(
        "/api/impor", headers={"X-CSRF-Token": page_csrf(operator)},
        files={"berkas": ("siak.csv", siak_bytes(tmp_path, family()), "text/csv")},
    )
    assert response.status_code == 202, response.text
    assert response.json()["status"] == "queued"
    listed = operator.get("/api/impor").json()["jobs"]
    assert [job["id"] for job in listed] == [response.json()["id"]]
    assert "path" not in str(listed)


def test_only_operator_and_admin_import(tmp_path, client_for):
    operator = client_for("operator")
    job_id = job_id_of(upload(operator, siak_bytes(tmp_path, family(), rows=[BAD_ROW])))
    run_once()
    # One finished job, then every other role in turn (a job run per role cost seconds).
    let_in = []
    for role in ["desa", "kepala", "auditor", "mitra", "petugas", "sekolah"]:
        other = client_for(role)
        statuses = [
            other.get("/impor").status_code,
            upload(other, siak_bytes(tmp_path, family(), name="x.csv")).status_code,
            other.get(f"/api/impor/{job_id}").status_code,
            other.get(f"/impor/{job_id}/laporan").status_code,
        ]
        if statuses != [403] * 4:
            let_in.append((role, statuses))
    assert let_in == []
    assert count(Job) == 1


def test_admin_may_import_and_read_reports(tmp_path, client_for):
    admin = client_for("admin")
    job_id = job_id_of(upload(admin, siak_bytes(tmp_path, family(), rows=[BAD_ROW])))
    run_once()
    assert admin.get(f"/impor/{job_id}/laporan").status_code == 200


def test_import_needs_a_signed_in_user(anonymous):
    response = anonymous.post("/api/impor", files={"berkas": ("a.csv", b"NIK\n", "text/csv")})
    assert response.status_code == 401
    assert anonymous.get("/api/impor/1").status_code == 401


def test_a_job_is_claimed_once(tmp_path):
    with unit_of_work() as session:
        job = jobs.enqueue(session=session, kind="impor", payload={}, created_by="operator")
        job_id = job.id
    with unit_of_work() as first_session:
        first = jobs.claim(session=first_session, job_id=job_id)
    with unit_of_work() as second_session:
        second = jobs.claim(session=second_session, job_id=job_id)
    assert (first, second) == (True, False)
    # A claimed job is nobody's to run again.
    assert run_once() is None


def test_cli_worker_runs_one_queued_job(tmp_path, client_for):
    operator = client_for("operator")
    job_id = job_id_of(upload(operator, siak_bytes(tmp_path, family())))
    result = CliRunner().invoke(jobs_cli, ["work", "--once"])
    assert result.exit_code == 0, result.output
    assert f"Pekerjaan #{job_id} (impor): done" in result.output
    assert count(Resident) == 5
    again = CliRunner().invoke(jobs_cli, ["work", "--once"])
    assert "Tidak ada pekerjaan yang menunggu" in again.output


def test_lifespan_worker_runs_an_uploaded_import(tmp_path, personas, settings):
    app = create_app(settings)  # job_worker left on: the thread of a real server
    with TestClient(app) as client:
        sign_in(client, "operator", personas["operator"].password)
        job_id = job_id_of(upload(client, siak_bytes(tmp_path, family())))
        # Bounded wait for the thread, not a timing assertion.
        for _ in range(600):
            job = client.get(f"/api/impor/{job_id}").json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.05)
    assert job["status"] == "done", job
    assert job["result"]["inserted"] == 5
