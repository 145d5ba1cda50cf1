"""Loading schools and Dapodik rosters through the CLI, as an operator does."""

from __future__ import annotations

import csv
import os
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from typer.testing import CliRunner

from jemput.cli import app
from jemput.db import Base, get_engine, unit_of_work
from jemput.models_registry import import_all_models
from jemput.schools.models import School, SchoolStudent

runner = CliRunner()
ROSTER_HEADER = [
    "No", "Nama", "NIPD", "JK", "NISN", "Tempat Lahir", "Tanggal Lahir", "NIK", "Agama",
    "Alamat", "RT", "RW", "Dusun", "Kelurahan", "Kecamatan", "Rombel Saat Ini",
    "Kebutuhan Khusus",
]
SCHOOLS = [
    ["20303001", "SMA NEGERI 1 PURWOREJO", "SMA", "33.06.06.1007", "-7.71300", "110.00900"],
    ["PP33060001", "PONDOK PESANTREN AN-NUR KALIGESING", "PESANTREN", "33.06.05.2001", "", ""],
]
STUDENTS = [
    ["1", "Ayu Lestari", "24010001", "P", "0091234567", "Purworejo", "2009-05-14",
     "3306065405090001", "Islam", "JL. PAHLAWAN NO. 3", "1", "2", "Kauman", "Cangkrepkidul",
     "Purworejo", "X-1", "Tidak ada"],
    ["2", "Bima Satria", "24010002", "L", "91234568", "Kebumen", "14-02-2009", "",
     "Islam", "DUSUN KRAJAN", "3", "1", "Krajan", "Cangkrepkidul", "Purworejo", "XI-2",
     "B - Tuna rungu"],
]


@pytest.fixture(autouse=True)
def schema(jemput_env: str) -> None:
    """The run's own database (SQLite or PostgreSQL), readied by the commands an office runs.

    Both are no-ops on the migrated test database, which is the point: running them again
    must change nothing. jemput_env empties the school tables after each test.
    """
    for command in (["db", "upgrade"], ["regions", "load-demo"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def schools_file(tmp_path: Path) -> Path:
    return write(tmp_path / "schools.csv",
                 ["npsn", "nama", "jenis", "desa_code", "latitude", "longitude"], SCHOOLS)


def students() -> list[SchoolStudent]:
    with unit_of_work() as session:
        return list(session.scalars(select(SchoolStudent).order_by(SchoolStudent.name)))


def test_schools_and_a_roster_load_through_the_cli(tmp_path):
    result = runner.invoke(app, ["schools", "import", str(schools_file(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "2 sekolah" in result.output
    roster = write(tmp_path / "roster.csv", ROSTER_HEADER, STUDENTS)
    result = runner.invoke(app, ["schools", "import-roster", "20303001", str(roster)])
    assert result.exit_code == 0, result.output
    assert "2 siswa" in result.output

    ayu, bima = students()
    assert (ayu.name, ayu.sex, ayu.birth_date) == ("AYU LESTARI", 2, date(2009, 5, 14))
    assert ayu.nik == "3306065405090001" and ayu.nisn == "0091234567"
    assert ayu.class_name == "X-1" and ayu.special_needs is None
    # Day-first date, NISN whose leading zero Excel dropped, and no NIK.
    assert bima.birth_date == date(2009, 2, 14)
    assert bima.nisn == "0091234568" and bima.nik is None
    assert bima.special_needs == "B - Tuna rungu"


def test_reimporting_schools_updates_by_npsn_and_a_roster_replaces_the_old_one(tmp_path):
    runner.invoke(app, ["schools", "import", str(schools_file(tmp_path))])
    renamed = [["20303001", "SMAN 1 PURWOREJO", "SMA", "33.06.06.1007", "", ""]]
    result = runner.invoke(app, ["schools", "import", str(
        write(tmp_path / "again.csv", ["npsn", "nama", "jenis", "desa_code", "latitude",
                                       "longitude"], renamed))])
    assert result.exit_code == 0, result.output
    roster = write(tmp_path / "roster.csv", ROSTER_HEADER, STUDENTS)
    runner.invoke(app, ["schools", "import-roster", "20303001", str(roster)])
    runner.invoke(app, ["schools", "import-roster", "20303001",
                        str(write(tmp_path / "r2.csv", ROSTER_HEADER, STUDENTS[:1]))])

    with unit_of_work() as session:
        stored = {s.npsn: s for s in session.scalars(select(School))}
    assert len(stored) == 2 and stored["20303001"].name == "SMAN 1 PURWOREJO"
    assert [s.name for s in students()] == ["AYU LESTARI"]


def test_a_bad_roster_row_is_refused_with_its_line_and_nothing_changes(tmp_path):
    runner.invoke(app, ["schools", "import", str(schools_file(tmp_path))])
    bad = [STUDENTS[0], [*STUDENTS[1][:3], "X", *STUDENTS[1][4:]]]
    result = runner.invoke(app, ["schools", "import-roster", "20303001",
                                 str(write(tmp_path / "bad.csv", ROSTER_HEADER, bad))])
    assert result.exit_code == 1
    assert "bad.csv baris 3" in result.output
    assert "JK 'X' harus L atau P" in result.output
    assert students() == []


def test_a_bad_birth_date_names_the_line(tmp_path):
    runner.invoke(app, ["schools", "import", str(schools_file(tmp_path))])
    bad = [[*STUDENTS[0][:6], "31-31-2009", *STUDENTS[0][7:]]]
    result = runner.invoke(app, ["schools", "import-roster", "20303001",
                                 str(write(tmp_path / "bad.csv", ROSTER_HEADER, bad))])
    assert result.exit_code == 1
    assert "baris 2" in result.output and "tanggal lahir" in result.output


def test_a_dapodik_export_with_title_rows_above_the_header_loads(tmp_path):
    runner.invoke(app, ["schools", "import", str(schools_file(tmp_path))])
    path = tmp_path / "daftar_pd.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows([["Daftar Peserta Didik"], ["PONDOK PESANTREN AN-NUR"], [],
                          ROSTER_HEADER, *STUDENTS])
    result = runner.invoke(app, ["schools", "import-roster", "PP33060001", str(path)])
    assert result.exit_code == 0, result.output
    assert len(students()) == 2


def test_a_school_in_an_unknown_desa_is_refused_with_its_line(tmp_path):
    rows = [*SCHOOLS, ["20303002", "SMK X", "SMK", "33.06.99.2001", "", ""]]
    result = runner.invoke(app, ["schools", "import", str(
        write(tmp_path / "s.csv", ["npsn", "nama", "jenis", "desa_code", "latitude",
                                   "longitude"], rows))])
    assert result.exit_code == 1
    assert "s.csv baris 4" in result.output and "33.06.99.2001" in result.output
    with unit_of_work() as session:
        assert session.scalars(select(School)).all() == []


def test_a_roster_for_an_unknown_school_is_refused(tmp_path):
    roster = write(tmp_path / "roster.csv", ROSTER_HEADER, STUDENTS)
    result = runner.invoke(app, ["schools", "import-roster", "99999999", str(roster)])
    assert result.exit_code == 1
    assert "NPSN 99999999 belum terdaftar" in result.output


def test_school_models_match_their_migration():
    import_all_models()
    with get_engine().connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    ours = [d for d in differences if "school" in repr(d)]
    assert ours == []


def test_school_tests_run_on_the_database_of_the_run():
    # The PostgreSQL pass must test schools on PostgreSQL, not on a private SQLite file.
    expected = os.environ.get("JEMPUT_TEST_DB", "sqlite")
    assert get_engine().dialect.name == expected
