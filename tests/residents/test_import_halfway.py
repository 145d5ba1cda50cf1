"""Files that break half-way: each is a refusal naming its line, and changes nothing."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from openpyxl import Workbook
from sqlalchemy import select
from typer.testing import CliRunner

from jemput.cli import app as cli
from jemput.config import Settings
from jemput.db import unit_of_work
from jemput.jobs.worker import run_once
from jemput.residents.models import Resident
from jemput.web import create_app
from tests.personas import page_csrf
from tests.residents.siak_files import SIAK_HEADER, Person, family, write_siak

runner = CliRunner()
REFUSED = 2  # the exit code of a refused import (residents/cli.py)


class Outcome:
    """The CLI's exit code and its output with the console's line wrapping undone."""

    def __init__(self, exit_code: int, output: str) -> None:
        self.exit_code = exit_code
        self.output = " ".join(output.split())


def run_import(*args: str) -> Outcome:
    result = runner.invoke(cli, ["residents", "import", *args])
    return Outcome(result.exit_code, result.output)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    # No worker thread: the test runs the job itself with run_once, deterministically.
    web = create_app(settings)
    web.state.job_worker = False
    return web


def stored() -> dict[str, Resident]:
    with unit_of_work() as session:
        return {r.nik: r for r in session.scalars(select(Resident))}


def many(count: int) -> list[Person]:
    return [Person(f"WARGA {i}", date(1980, 1, 1 + i // 9000), 1, 1 + i % 9000)
            for i in range(count)]


def loaded_before(tmp_path: Path) -> dict[str, tuple[str, str | None]]:
    """Load a first export, so that 'nothing changed' can be checked against it."""
    result = run_import(str(write_siak(tmp_path / "v1.csv", family())))
    assert result.exit_code == 0, result.output
    return {nik: (r.name, r.ktp_status) for nik, r in stored().items()}


def now(residents: dict[str, Resident]) -> dict[str, tuple[str, str | None]]:
    return {nik: (r.name, r.ktp_status) for nik, r in residents.items()}


def test_windows_encoding_with_the_first_accent_far_into_the_file_is_read(tmp_path):
    # 3,000 rows of plain ASCII (well past any sniffed head), then one accented name.
    people = many(3000) + [Person("JOSÉ MARÍA", date(1981, 2, 3), 1, 1)]
    path = write_siak(tmp_path / "ansi.csv", people)
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))

    result = run_import(str(path))

    assert result.exit_code == 0, result.output
    assert stored()[people[-1].nik].name == "JOSÉ MARÍA"


def test_a_byte_cp1252_does_not_define_far_into_the_file_is_read_as_latin_1(tmp_path):
    people = many(3000) + [Person("ANDRÉ", date(1981, 2, 3), 1, 1)]
    path = write_siak(tmp_path / "latin1.csv", people)
    text = path.read_text(encoding="utf-8")
    # \x81 is unassigned in cp1252 (a C1 control in Latin-1): a cp1252 read would fail.
    path.write_bytes(text.replace("ANDRÉ", "ANDRÉ X\x81").encode("latin-1"))

    result = run_import(str(path), "--accept-valid")

    assert result.exit_code == 0, result.output
    assert stored()[people[-1].nik].name.startswith("ANDRÉ")


def test_a_quote_never_closed_in_a_big_file_is_a_refusal_at_its_line(tmp_path):
    before = loaded_before(tmp_path)
    people = family() + many(20_000)
    path = write_siak(tmp_path / "kutip.csv", people)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1500] = lines[1500].replace(people[1499].name, '"' + people[1499].name, 1)
    path.write_text("".join(lines), encoding="utf-8")

    result = run_import(str(path))

    assert result.exit_code == REFUSED, result.output
    assert "Traceback" not in result.output
    assert "baris 1501" in result.output and "tanda kutip" in result.output
    assert now(stored()) == before


def test_a_quote_never_closed_at_the_end_is_a_refusal_not_a_swallowed_row(tmp_path):
    before = loaded_before(tmp_path)
    path = write_siak(tmp_path / "kutip.csv", family())
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[4] = lines[4].replace("MBAH KARTO", '"MBAH KARTO', 1)
    path.write_text("".join(lines), encoding="utf-8")

    result = run_import(str(path))

    assert result.exit_code == REFUSED, result.output
    assert "baris 5" in result.output and "tanda kutip" in result.output
    assert now(stored()) == before


def test_a_refusal_names_the_row_and_the_text_line_when_a_cell_spans_lines(tmp_path):
    people = family()
    path = write_siak(tmp_path / "alamat.csv", people)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # Row 2's address spans two text lines (allowed, quoted); row 4 then breaks.
    lines[1] = lines[1].replace("DUSUN KRAJAN", '"DUSUN KRAJAN\nRT 1"', 1)
    lines[3] = lines[3].replace(people[2].name, f'"{people[2].name}"X', 1)
    path.write_text("".join(lines), encoding="utf-8")

    result = run_import(str(path))

    assert result.exit_code == REFUSED, result.output
    assert "baris 4 (baris teks 5)" in result.output
    assert "setelah tanda kutip penutup" in result.output
    assert stored() == {}


def cut_sheet(path: Path, at_row: int) -> None:
    """Damage an XLSX the way an interrupted copy does: its sheet XML stops mid-row."""
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"]
    members["xl/worksheets/sheet1.xml"] = sheet[: sheet.index(f'<row r="{at_row}"'.encode())
                                                + 40]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members.items():
            target.writestr(name, content)
    path.write_bytes(buffer.getvalue())


def test_a_spreadsheet_cut_off_half_way_is_a_refusal_at_its_row(tmp_path):
    before = loaded_before(tmp_path)
    people = many(300)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(SIAK_HEADER)
    for person in people:
        row = person.row()
        sheet.append([row[column] for column in SIAK_HEADER])
    path = tmp_path / "terpotong.xlsx"
    workbook.save(path)
    cut_sheet(path, at_row=200)

    result = run_import(str(path))

    assert result.exit_code == REFUSED, result.output
    assert "Traceback" not in result.output
    assert "baris 200" in result.output and "lembar kerja rusak" in result.output
    assert now(stored()) == before


def test_a_spreadsheet_cut_off_in_its_header_row_is_refused(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(SIAK_HEADER)
    row = Person("SATU", date(1980, 1, 1)).row()
    sheet.append([row[column] for column in SIAK_HEADER])
    path = tmp_path / "terpotong.xlsx"
    workbook.save(path)
    cut_sheet(path, at_row=1)

    result = run_import(str(path))

    assert result.exit_code == REFUSED, result.output
    assert "Traceback" not in result.output and "XLSX rusak" in result.output


def test_an_uploaded_file_that_breaks_half_way_fails_its_job_with_the_line(tmp_path,
                                                                           client_for):
    operator = client_for("operator")
    path = write_siak(tmp_path / "kutip.csv", family() + many(2000))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[900] = lines[900].replace("PURWOREJO", '"PURWOREJO', 1)
    response = operator.post(
        "/impor", data={"csrf_token": page_csrf(operator)},
        files={"berkas": ("kutip.csv", "".join(lines).encode(), "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    job_id = int(response.headers["location"].rsplit("/", 1)[1])

    run_once()

    job = operator.get(f"/api/impor/{job_id}").json()
    assert job["status"] == "failed"
    assert job["message"].startswith("Impor ditolak")
    assert "baris 901" in job["message"] and "tanda kutip" in job["message"]
    assert stored() == {}
