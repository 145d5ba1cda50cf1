"""The streamed XLSX writer gives back, through openpyxl, every value it was given."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from jemput.spreadsheets import xlsx_bytes

# Spreadsheet dates have no time zone: what goes in and comes out is naive.
MORNING = datetime(2026, 6, 30, 8, 30)  # noqa: DTZ001
MIDNIGHT = datetime(2026, 6, 30)  # noqa: DTZ001


def test_every_cell_type_reads_back_in_its_place_and_formulas_stay_text():
    row = ["Siti <&> \"Aminah\"", 7, 2.5, None, True, date(2026, 6, 30),
           MORNING, '=HYPERLINK("http://evil","x")', "a\x01b", "-12"]
    content = xlsx_bytes([("belum-rekam", [row, [None, 0]]), ("kedua", [[1], [2]])])
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["belum-rekam", "kedua"]
    first = [[cell.value for cell in line] for line in book["belum-rekam"].iter_rows()]
    assert first[0] == [
        "Siti <&> \"Aminah\"", 7, 2.5, None, True, MIDNIGHT,
        MORNING, '\'=HYPERLINK("http://evil","x")', "ab", "-12"]
    assert first[1][:2] == [None, 0]
    assert book["belum-rekam"]["F1"].number_format == "yyyy-mm-dd"
    assert [[cell.value for cell in line] for line in book["kedua"].iter_rows()] == [[1], [2]]


def test_a_datetime_with_a_time_zone_is_refused():
    with pytest.raises(TypeError):
        xlsx_bytes([("x", [[datetime.now().astimezone()]])])
