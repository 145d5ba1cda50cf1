"""The list pages, the XLSX and the printable PDF: scoped, audited, and safe to open."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select
from typer.testing import CliRunner

from jemput.auth.models import AuditEntry
from jemput.cli import app
from jemput.db import unit_of_work
from tests.personas import page_csrf
from tests.targets.conftest import FORMULA_NAME, people
from tests.targets.helpers import create, member_id, post_json


def _audit(action: str) -> list[AuditEntry]:
    with unit_of_work() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_every_view_of_a_list_is_audited(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "belum-rekam")
    operator.get(f"/sasaran/{list_id}")
    operator.get(f"/api/sasaran/{list_id}", params={"page": 1})
    entries = _audit("sasaran.daftar")
    assert len(entries) == 2
    assert {entry.object_id for entry in entries} == {str(list_id)}


def test_the_operator_builds_and_assigns_a_list_through_the_pages(regency, client_for):
    operator = client_for("operator")
    lists_page = operator.get("/sasaran")
    assert lists_page.status_code == 200 and 'name="rule"' in lists_page.text
    response = operator.post("/sasaran", data={
        "csrf_token": page_csrf(operator), "name": "Pemilu 2029", "rule": "pemula-sebelum",
        "area_code": "33.06.01", "before": "2027-01-01"}, follow_redirects=False)
    assert response.status_code == 303
    href = response.headers["location"]
    list_id = int(href.rsplit("/", 1)[1])
    page = operator.get(href)
    assert "RINI" in page.text and "Pemula belum rekam" in page.text
    rini = member_id(operator, list_id, "RINI")
    assigned = operator.post(f"/sasaran/{list_id}/tugaskan", data={
        "csrf_token": page_csrf(operator), "member_ids": [str(rini)], "username": "sekolah"},
        follow_redirects=False)
    assert assigned.status_code == 303
    assert "RINI" in client_for("sekolah").get("/").text
    assert "Pemilu 2029" in operator.get("/sasaran").text


def test_the_members_page_sorts_filters_and_pages(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "rekam-16")
    by_age = operator.get(f"/api/sasaran/{list_id}", params={"sort": "age", "dir": "asc"})
    ages = [row["age"] for row in by_age.json()["rows"]]
    assert ages == sorted(ages)
    in_rt = operator.get(f"/api/sasaran/{list_id}", params={"dusun": "Sidorejo", "rt": "003"})
    assert {row["name"] for row in in_rt.json()["rows"]} == {"ADI", "RINI"}
    paged = operator.get(f"/api/sasaran/{list_id}", params={"per_page": 3, "page": 2}).json()
    assert (paged["total"], paged["pages"], len(paged["rows"])) == (8, 3, 3)
    page = operator.get(f"/sasaran/{list_id}", params={"q": "rini"})
    assert "RINI" in page.text and "WARSINI" not in page.text


def test_nik_is_masked_on_the_page_and_json(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "belum-rekam")
    adi = next(p for p in people() if p.name == "ADI")
    assert adi.nik not in operator.get(f"/sasaran/{list_id}").text
    assert adi.nik not in operator.get(f"/api/sasaran/{list_id}").text


def test_the_xlsx_has_no_formulas_even_for_a_name_that_looks_like_one(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "belum-rekam")
    response = operator.get(f"/sasaran/{list_id}/xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert not any(str(cell.value).startswith("=") for cell in cells)
    assert "'" + FORMULA_NAME in {cell.value for cell in cells}
    assert len(_audit("sasaran.xlsx")) == 1


def test_the_xlsx_of_a_desa_official_holds_only_their_part(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "belum-rekam")
    post_json(operator, f"/api/sasaran/{list_id}/tugaskan",
              {"member_ids": [member_id(operator, list_id, "ADI")], "username": "desa"})
    sheet = load_workbook(io.BytesIO(client_for("desa").get(
        f"/sasaran/{list_id}/xlsx").content)).active
    names = {row[2] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert names == {"ADI"}


def test_the_printable_list_is_a_real_pdf_with_the_names_and_masked_niks(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "kunjungan-rumah")
    post_json(operator, f"/api/sasaran/{list_id}/tugaskan", {"username": "desa"})
    desa = client_for("desa")
    response = desa.get(f"/sasaran/{list_id}/pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pages = PdfReader(io.BytesIO(response.content)).pages
    # Words only: the table wraps long reasons over lines.
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "WARSINI" in text and "MBAH KARTO" in text
    assert "terbaring di tempat tidur" in text and "Catatan" in text
    warsini = next(p for p in people() if p.name == "WARSINI")
    # Even for a role that may reveal NIKs: paper leaves the office.
    assert warsini.nik not in text and warsini.nik[-4:] in text
    entries = _audit("sasaran.pdf")
    assert len(entries) == 1 and json.loads(entries[0].detail)["rows"] == 2


def test_the_pdf_of_a_list_not_yours_is_not_found(regency, client_for):
    list_id = create(client_for("operator"), "kunjungan-rumah")
    for persona in ("desa", "sekolah", "mitra", "petugas"):
        assert client_for(persona).get(f"/sasaran/{list_id}/pdf").status_code == 404


def test_cli_creates_lists_and_lists_them(regency, client_for):
    client_for("operator")  # the personas exist
    runner = CliRunner()
    created = runner.invoke(app, ["targets", "create", "--rule", "pemula-sebelum", "--area",
                                  "33.06.01", "--name", "Pemilu", "--owner", "operator",
                                  "--before", "2027-01-01"])
    assert created.exit_code == 0, created.output
    assert "2 orang" in created.output
    shown = runner.invoke(app, ["targets", "list"])
    assert shown.exit_code == 0
    assert "Pemilu" in shown.output and "Terbuka 2" in shown.output


def test_cli_refuses_an_owner_who_is_not_an_operator_of_the_area(regency, client_for):
    client_for("operator")
    result = CliRunner().invoke(app, ["targets", "create", "--rule", "belum-rekam", "--area",
                                      "33.06.02", "--name", "X", "--owner",
                                      "operator-grabag"])
    assert result.exit_code == 1
    assert "di luar wilayahnya" in result.output


def test_cli_refuses_a_rule_it_does_not_know(regency, client_for):
    client_for("operator")
    result = CliRunner().invoke(app, ["targets", "create", "--rule", "semua", "--area",
                                      "33.06", "--name", "X", "--owner", "operator"])
    assert result.exit_code == 1
    assert "aturan tidak dikenal" in result.output
