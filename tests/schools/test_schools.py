"""Loading schools through the CLI, as an operator does (rosters: tests/rosters)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from typer.testing import CliRunner

from jemput.cli import app
from jemput.db import Base, get_engine, unit_of_work
from jemput.models_registry import import_all_models
from jemput.schools.models import School

runner = CliRunner()
SCHOOLS = [
    ["20303001", "SMA NEGERI 1 PURWOREJO", "SMA", "33.06.06.1007", "-7.71300", "110.00900"],
    ["PP33060001", "PONDOK PESANTREN AN-NUR KALIGESING", "PESANTREN", "33.06.05.2001", "", ""],
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


def test_reimporting_schools_updates_by_npsn(tmp_path):
    runner.invoke(app, ["schools", "import", str(schools_file(tmp_path))])
    renamed = [["20303001", "SMAN 1 PURWOREJO", "SMA", "33.06.06.1007", "", ""]]
    result = runner.invoke(app, ["schools", "import", str(
        write(tmp_path / "again.csv", ["npsn", "nama", "jenis", "desa_code", "latitude",
                                       "longitude"], renamed))])
    assert result.exit_code == 0, result.output

    with unit_of_work() as session:
        stored = {s.npsn: s for s in session.scalars(select(School))}
    assert len(stored) == 2 and stored["20303001"].name == "SMAN 1 PURWOREJO"


def test_a_school_in_an_unknown_desa_is_refused_with_its_line(tmp_path):
    rows = [*SCHOOLS, ["20303002", "SMK X", "SMK", "33.06.99.2001", "", ""]]
    result = runner.invoke(app, ["schools", "import", str(
        write(tmp_path / "s.csv", ["npsn", "nama", "jenis", "desa_code", "latitude",
                                   "longitude"], rows))])
    assert result.exit_code == 1
    assert "s.csv baris 4" in result.output and "33.06.99.2001" in result.output
    with unit_of_work() as session:
        assert session.scalars(select(School)).all() == []


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
