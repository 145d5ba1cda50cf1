"""No value in an office's file can overflow a column: such rows load, trimmed or refused."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from jemput.cli import app
from jemput.db import unit_of_work
from jemput.residents.models import Resident
from tests.residents.siak_files import Person, write_siak

runner = CliRunner()


def run_import(*args: str):
    return runner.invoke(app, ["residents", "import", *args])


def report_rows(tmp_path: Path) -> list[dict[str, str]]:
    [path] = (tmp_path / "var" / "laporan-impor").glob("impor-*.csv")
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_a_row_whose_sex_and_birth_date_both_disagree_with_its_nik_loads(tmp_path):
    # The NIK says a woman born 5 April 1990; the record, a man born 6 April.
    person = Person("RINA", date(1990, 4, 5), 2, 7)
    row = person.row() | {"JENIS_KLMIN": "1", "TGL_LHR": "06-04-1990"}
    result = run_import(str(write_siak(tmp_path / "w.csv", [], rows=[row])))
    assert result.exit_code == 0, result.output
    with unit_of_work() as session:
        stored = session.scalars(select(Resident).where(Resident.nik == person.nik)).one()
    assert stored.nik_warning == "jenis kelamin dan tanggal lahir berbeda dengan NIK"


def test_overlong_values_in_every_text_column_never_abort_the_import(tmp_path):
    good = Person("WARGA BIASA", date(1980, 1, 1), 1, 1)
    long_row = Person("WARGA PANJANG", date(1981, 2, 2), 1, 2).row() | {
        "TMPT_LHR": "P" * 300, "ALAMAT": "JALAN " * 100, "DUSUN": "D" * 300,
        "NO_RT": "1" * 50, "NO_RW": "2" * 50, "NO_KK": "3" * 300,
        "CURRENT_STATUS_CODE": "X" * 300, "TELP": "08" + "1" * 300,
    }
    huge_nik = good.but(serial=3).row() | {"NIK": "3" * 400}
    long_name = good.but(serial=4).row() | {"NAMA_LGKP": "NAMA " * 60}
    file_name = "ekspor-" + "s" * 200 + ".csv"
    path = write_siak(tmp_path / file_name, [good], rows=[long_row, huge_nik, long_name])
    result = run_import(str(path), "--accept-valid")
    assert result.exit_code == 0, result.output
    with unit_of_work() as session:
        stored = {r.nik: r for r in session.scalars(select(Resident))}
    assert good.nik in stored
    reasons = {(r["baris"], r["kolom"]) for r in report_rows(tmp_path)}
    # Each overlong value is either cut to its column or refused with its line.
    for resident in stored.values():
        assert len(resident.birth_place or "") <= 80
        assert len(resident.address or "") <= 200
        assert len(resident.dusun or "") <= 80
    assert ("4", "NIK") in reasons
    assert ("5", "NAMA_LGKP") in reasons
