"""The SIAK export upload (/impor) and the roster upload (/daftar) take a file one way.

Receiving the file, its size and content checks, storing it, queueing the job and
answering (JSON or a redirect) are written once (jemput.intake.upload_views); each
page adds only its own options. The same refusals therefore read the same on both.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from fastapi import FastAPI

import jemput
from jemput.config import Settings
from jemput.web import create_app
from tests.personas import page_csrf

SRC = Path(jemput.__file__).parent
UPLOAD_VIEWS = (SRC / "residents" / "views.py", SRC / "rosters" / "views.py")
# The steps of receiving an upload: written in the shared module, not in either view.
SHARED_STEPS = {"save_upload", "discard_upload", "BackgroundTask", "DuplicateJob"}


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    app = create_app(settings)
    app.state.job_worker = False
    return app


def names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return ({node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
            | {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)})


def test_neither_upload_view_repeats_the_receiving_steps():
    for path in UPLOAD_VIEWS:
        assert names_used(path) & SHARED_STEPS == set(), path
    rosters = (SRC / "rosters" / "views.py").read_text(encoding="utf-8")
    assert "jemput.residents.views" not in rosters


ROUTES = (("/api/impor", {}), ("/api/daftar", {"jenis": "dpt", "kode_desa": "33.06.01.2001"}))


@pytest.mark.parametrize(("path", "fields"), ROUTES)
def test_a_pdf_is_refused_the_same_way_on_both(path, fields, client_for):
    operator = client_for("operator")
    csrf = page_csrf(operator)
    response = operator.post(path, data={"csrf_token": csrf, **fields},
                             headers={"X-CSRF-Token": csrf},
                             files={"berkas": ("daftar.csv", b"%PDF-1.4 ...", "text/csv")})
    assert response.status_code == 415
    assert response.json()["detail"].startswith("Berkas ini PDF, bukan CSV/XLSX/XLS.")


@pytest.mark.parametrize(("path", "fields"), ROUTES)
def test_the_same_file_twice_is_refused_while_the_first_waits(path, fields, client_for):
    operator = client_for("operator")
    csrf = page_csrf(operator)
    body = b"NIK,NAMA\n" if path == "/api/impor" else (
        b"NKK,NIK,NAMA,TEMPAT_LAHIR,TANGGAL_LAHIR,JENIS_KELAMIN,STATUS_KAWIN,ALAMAT,RT,RW,TPS\n")

    def send():
        return operator.post(path, data={"csrf_token": csrf, **fields},
                             headers={"X-CSRF-Token": csrf},
                             files={"berkas": ("data.csv", body, "text/csv")})

    assert send().status_code == 202
    again = send()
    assert again.status_code == 409
    assert again.json()["detail"].startswith("Berkas yang sama sedang menunggu atau diimpor")


@pytest.mark.parametrize("path", ["/impor", "/daftar"])
def test_a_form_without_a_file_shows_the_page_again_with_the_reason(path, client_for):
    operator = client_for("operator")
    response = operator.post(path, data={"csrf_token": page_csrf(operator), "jenis": "dpt"})
    assert response.status_code == 400
    assert "Pilih berkas" in response.text
