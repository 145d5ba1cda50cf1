"""The column-wise reading of an import says and stores exactly what the row path does.

residents/columnar.py reads the rows it is sure of as polars expressions and sends the
rest through RowReader. For random small SIAK files full of what offices really send
(bad NIKs, dates in every spelling, codes as labels, blanks, odd spaces, duplicates),
both readings must give the same problem report, line for line, the same counts and
the same registry. Each example imports the file twice into an empty registry, once per
path, and rolls both back.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.db import get_engine
from jemput.residents.importer import import_file
from jemput.residents.layouts import FIELDS
from jemput.residents.models import Resident, StatusChange
from tests.residents.siak_files import Person, write_siak

# Cells the parsers accept, refuse or warn about, for each column a file may carry.
ODD_CELLS: dict[str, list[str]] = {
    "NIK": ["", "0", "123", "33060104058000012", "3306010405800000", "9906010405800001",
            " 3306010405800001", "3306010405800001 ", "'3306010405800001", "3.30601E+15",
            "3306014405800001", "3306010432800001", "0306010405800001", "3306000405800001",
            "33O6010405800001", "3306 0104 0580 0001"],
    "NO_KK": ["", "-", "0", "0306010101200001", "3306010101", " 3306010101200001", "x"],
    "NAMA_LGKP": ["", "  SITI  AMINAH ", "SITI\u00a0AMINAH", "SITI\tA", "A" * 121, "-",
                  "Nu'man é", "B" * 120],
    "TMPT_LHR": ["", "-", " PURWOREJO", "P" * 90, "KOTA  BARU"],
    "TGL_LHR": ["31-02-2001", "2001-04-05", "5-4-2001", "05/04/01", "", "01-01-1870",
                "01-01-2099", "05-APR-1980", "05-04-1980 ", "2001-04-05T00", "05.04.1980",
                "29-02-2000", "'05-04-1980", "32000"],
    "JENIS_KLMIN": [" 1", "01", "3", "x", "laki-laki", "LAKI-LAKI", "P", "", "PEREMPUAN"],
    "AGAMA": ["", "9", "ISLAM", "islam", "0", "KONG HUCHU"],
    "STAT_KWN": ["", "5", "KAWIN", "B", "CERAI HIDUP", "cerai mati", "02"],
    "STAT_HBKEL": ["", "12", "ANAK", "KEPALA  KELUARGA", "1"],
    "PNYDNG_CCT": ["", "0", "7", "3", "9", "TIDAK CACAT", "CACAT NETRA / BUTA", "x"],
    "NO_PROP": ["033", "34", "x", ""],
    "NO_KAB": ["06", "6 ", "99"],
    "NO_KEC": ["1", "01", "999"],
    "NO_KEL": ["2001", "02001", "9999", "2001 "],
    "ALAMAT": ["", "-", "JL.  MAWAR", "A" * 210],
    "NO_RT": ["", "-", "0", "000", "01", "1000", "a", " 1"],
    "NO_RW": ["", "2", "999"],
    "DUSUN": ["", "-", "KRAJAN ", "D" * 90],
    "CURRENT_STATUS_CODE": ["", "-", "card issued", "CARD_ISSUED", "PRINT READY RECORD", "X"],
    "FLAG_STATUS": ["", "0", "1", "2", " 0"],
    "KEWARGANEGARAAN": ["", "WNA", "wni", "2", "X"],
    "ITAP": ["", "1", "YA", "ya", "2"],
    "TIRAH_BARING": ["", "0", "TRUE"],
    "LAT": ["", "-7.5", "-7,5", "20", "x", "-7.123456"],
    "LNG": ["", "110.1", "200", "110"],
    "TELP": ["", "0812-345-678", "+62812345678", "12", "081234567890"],
}
EXTENSIONS = ["KEWARGANEGARAAN", "ITAP", "TIRAH_BARING", "LAT", "LNG", "TELP"]


@st.composite
def siak_files(draw: st.DrawFn) -> list[dict[str, str]]:
    count = draw(st.integers(min_value=1, max_value=12))
    people = [
        Person(draw(st.sampled_from(["SUMARNO", "SITI AMINAH", "BUDI SANTOSO"])),
               date(1950 + i * 3, 1 + i % 12, 1 + (i * 7) % 28),
               sex=draw(st.sampled_from([1, 2])), serial=i + 1,
               marital=draw(st.sampled_from([1, 2])))
        for i in range(count)
    ]
    extensions = draw(st.lists(st.sampled_from(EXTENSIONS), unique=True, max_size=3))
    rows = []
    for person in people:
        row = person.row() | {column: "" for column in extensions}
        for column in draw(st.lists(st.sampled_from(sorted(row)), max_size=3)):
            row[column] = draw(st.sampled_from(ODD_CELLS.get(column, [""])))
        rows.append(row)
    if draw(st.booleans()):  # a resident twice in one file
        rows.append(dict(draw(st.sampled_from(rows))))
    return rows


def _import(path: Path, report_dir: Path, *, columnar: bool) -> dict[str, Any]:
    # Into the empty test registry, rolled back afterwards: both paths start equal.
    with Session(get_engine()) as session:
        try:
            result = import_file(session=session, path=path, report_dir=report_dir,
                                 data_date=date(2026, 6, 30), accept_valid=True,
                                 columnar=columnar)
            session.flush()
            stored = [
                tuple(getattr(r, name) for name in FIELDS)
                for r in session.scalars(select(Resident).order_by(Resident.nik))
            ]
            history = session.execute(
                select(Resident.nik, StatusChange.old_status, StatusChange.new_status)
                .join(Resident, Resident.id == StatusChange.resident_id)
                .order_by(Resident.nik)
            ).all()
        finally:
            session.rollback()
    assert result.report_path is not None
    with result.report_path.open(encoding="utf-8-sig", newline="") as handle:
        report = list(csv.reader(handle))
    counts = {key: getattr(result, key) for key in (
        "outcome", "rows_read", "rows_rejected", "rows_warned", "inserted", "updated",
        "unchanged", "status_changes", "disappeared")}
    return {"report": report, "counts": counts, "residents": stored, "history": history}


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(siak_files())
def test_columnar_reading_reports_and_stores_what_the_row_path_does(rows):
    with tempfile.TemporaryDirectory() as folder:
        path = write_siak(Path(folder) / "siak.csv", [], rows=rows)
        by_rows = _import(path, Path(folder) / "rows", columnar=False)
        by_columns = _import(path, Path(folder) / "columns", columnar=True)
    assert by_columns["report"] == by_rows["report"]
    assert by_columns["counts"] == by_rows["counts"]
    assert by_columns["residents"] == by_rows["residents"]
    assert by_columns["history"] == by_rows["history"]
