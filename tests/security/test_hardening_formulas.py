"""No spreadsheet the app writes carries a formula, whatever the imported file held."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from jemput.jobs.worker import run_once
from jemput.spreadsheets import safe_cell
from tests.personas import page_csrf
from tests.residents.siak_files import DESA, Person, family, write_siak

EVIL_NAME = '=HYPERLINK("http://evil","x")'
EVIL_CELL = '=cmd|"/c calc"!A1'
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
EVIL = Person(EVIL_NAME, date(1990, 3, 3), 1, 7, status="UNREGISTERED")


def _upload(client, tmp_path, people, rows=(), name="siak.csv") -> int:
    content = write_siak(tmp_path / name, people, rows=list(rows)).read_bytes()
    response = client.post(
        "/impor", files={"berkas": (name, content, "text/csv")}, follow_redirects=False,
        data={"csrf_token": page_csrf(client), "terima_valid": "1"},
    )
    assert response.status_code == 303, response.text
    job_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert run_once() == job_id
    return job_id


def _csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def _assert_no_formula_text(cells: list[str], where: str) -> None:
    for cell in cells:
        assert not (isinstance(cell, str) and cell.startswith(DANGEROUS)), (where, cell)


def test_imported_formulas_reach_no_export_or_report_as_formulas(tmp_path, client_for):
    operator = client_for("operator")
    bad_row = Person("BARIS RUSAK", date(1990, 1, 1), 1, 9).row() | {
        "NIK": EVIL_CELL, "TGL_LHR": "+1+cmd|' /C notepad'!A0", "DUSUN": "@SUM(1+1)*cmd|x"}
    first = _upload(operator, tmp_path, [*family(), EVIL], rows=[bad_row])

    report = operator.get(f"/impor/{first}/laporan")
    assert report.status_code == 200
    cells = _csv_cells(report.content)
    _assert_no_formula_text(cells, "laporan")
    assert "'" + EVIL_CELL in cells  # still there for the office to read, as text

    export = operator.get(f"/wilayah/{DESA}/daftar/belum-rekam.xlsx")
    assert export.status_code == 200
    workbook = load_workbook(io.BytesIO(export.content))
    values = []
    for row in workbook.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            values.append(cell.value)
    _assert_no_formula_text(values, "xlsx")
    assert "'" + EVIL_NAME in values

    # The next export no longer holds the resident: the "tidak ada lagi" list names them.
    second = _upload(operator, tmp_path, family(), name="b.csv")
    missing = operator.get(f"/impor/{second}/tidak-ada-lagi")
    assert missing.status_code == 200
    cells = _csv_cells(missing.content)
    _assert_no_formula_text(cells, "tidak-ada-lagi")
    assert "'" + EVIL_NAME in cells


@pytest.mark.parametrize("start", DANGEROUS)
def test_every_formula_start_is_neutralised(start):
    assert safe_cell(start + "1+1|cmd") == "'" + start + "1+1|cmd"


@pytest.mark.parametrize("value", [-12, -3.5, "-12", "-3,5", "+62", "SUMARNO", "", None, 7])
def test_numbers_and_plain_text_are_left_alone(value):
    assert safe_cell(value) == value
