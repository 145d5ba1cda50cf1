"""Importing population exports through the CLI, as an operator does."""

from __future__ import annotations

import csv
import os
import re
import signal
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from jemput.cli import app
from jemput.db import unit_of_work
from jemput.residents.models import ImportRun, Resident, StatusChange
from tests.residents.siak_files import Person, family, write_siak

runner = CliRunner()


def run_import(*args: str):
    return runner.invoke(app, ["residents", "import", *args])


def residents_by_nik() -> dict[str, Resident]:
    with unit_of_work() as session:
        return {r.nik: r for r in session.scalars(select(Resident))}


def count(model) -> int:
    with unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def report_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def latest_report(tmp_path: Path) -> Path:
    reports = sorted((tmp_path / "var" / "laporan-impor").glob("impor-*.csv"))
    return [r for r in reports if "tidak-ada-lagi" not in r.name][-1]


def test_siak_export_loads_with_rebuilt_region_codes(tmp_path):
    people = family()
    result = run_import(str(write_siak(tmp_path / "siak.csv", people)), "--data-date",
                        "2026-06-30")
    assert result.exit_code == 0, result.output
    stored = residents_by_nik()
    assert len(stored) == 5
    mbah = stored[people[3].nik]
    assert mbah.desa_code == "33.06.01.2001"
    assert mbah.rt == "001" and mbah.rw == "002"
    assert mbah.disability == 1
    assert mbah.ktp_status == "UNREGISTERED"
    assert mbah.birth_date == date(1935, 2, 1)
    # Every resident starts with one history row: their first known status.
    assert count(StatusChange) == 5


def test_file_with_mistakes_reports_every_one_and_changes_nothing(tmp_path):
    people = family()
    bad = [
        people[0].row() | {"NIK": "33060104057"},  # too short
        people[1].but(serial=2).row() | {"TGL_LHR": "31-02-1980"},  # impossible date
        people[2].but(serial=3).row() | {"NO_KEL": "2999"},  # unknown desa
        people[3].but(serial=4).row() | {"JENIS_KLMIN": "X"},
    ]
    path = write_siak(tmp_path / "bad.csv", people[:2] + [people[1]], rows=bad)
    result = run_import(str(path))
    assert result.exit_code == 1
    assert "Tidak ada data penduduk yang diubah" in result.output
    assert count(Resident) == 0
    assert count(StatusChange) == 0
    problems = report_rows(latest_report(tmp_path))
    by_line = {(p["baris"], p["kolom"]): p["keterangan"] for p in problems}
    # Lines 3 and 4 carry the same NIK: both are set aside, each naming the other.
    assert "juga di baris 4" in by_line[("3", "NIK")]
    assert "juga di baris 3" in by_line[("4", "NIK")]
    assert "16 digit" in by_line[("5", "NIK")]
    assert "bukan tanggal yang sah" in by_line[("6", "TGL_LHR")]
    assert "33.06.01.2999" in by_line[("7", "NO_PROP..NO_KEL")]
    assert "jenis kelamin 'X'" in by_line[("8", "JENIS_KLMIN")]
    with unit_of_work() as session:
        run = session.scalars(select(ImportRun)).one()
    assert run.outcome == "rejected" and run.rows_rejected == 6


def test_accept_valid_loads_good_rows_and_sets_the_rest_aside(tmp_path):
    people = family()
    bad = [people[0].but(serial=9).row() | {"TGL_LHR": "kemarin"}]
    result = run_import(str(write_siak(tmp_path / "mixed.csv", people, rows=bad)),
                        "--accept-valid")
    assert result.exit_code == 0, result.output
    assert count(Resident) == 5
    assert "Baris disisihkan" in result.output


def test_nik_disagreeing_with_record_is_loaded_with_a_warning(tmp_path):
    person = Person("RINA", date(1990, 4, 5), 2, 7)
    row = person.row() | {"TGL_LHR": "06-04-1990"}  # SIAK corrected the birth date
    result = run_import(str(write_siak(tmp_path / "w.csv", [], rows=[row])))
    assert result.exit_code == 0, result.output
    stored = residents_by_nik()[person.nik]
    assert stored.birth_date == date(1990, 4, 6)
    assert stored.nik_warning == "tanggal lahir berbeda dengan NIK"
    assert report_rows(latest_report(tmp_path))[0]["tingkat"] == "peringatan"


def test_reimport_updates_in_place_records_history_and_flags_the_missing(tmp_path):
    people = family()
    run_import(str(write_siak(tmp_path / "v1.csv", people)))
    newer = [people[0], people[1], people[2].but(status="BIO_CAPTURED"),
             people[4].but(status="CARD_PRINTED")]  # Mbah Karto is gone
    result = run_import(str(write_siak(tmp_path / "v2.csv", newer)))
    assert result.exit_code == 0, result.output
    stored = residents_by_nik()
    assert stored[people[2].nik].ktp_status == "BIO_CAPTURED"
    assert stored[people[3].nik].missing_since_import_id is not None  # kept, not deleted
    assert len(stored) == 5
    with unit_of_work() as session:
        changes = session.execute(
            select(StatusChange.old_status, StatusChange.new_status)
            .where(StatusChange.old_status.is_not(None)).order_by(StatusChange.id)
        ).all()
    assert sorted(changes) == [("PRINT_READY_RECORD", "CARD_PRINTED"),
                               ("UNREGISTERED", "BIO_CAPTURED")]
    missing = list((tmp_path / "var" / "laporan-impor").glob("*tidak-ada-lagi.csv"))
    assert [r["nik"] for r in report_rows(missing[0])] == [people[3].nik]


def test_same_file_twice_changes_nothing_the_second_time(tmp_path):
    path = write_siak(tmp_path / "siak.csv", family())
    run_import(str(path))
    before = {n: (r.updated_at, r.ktp_status) for n, r in residents_by_nik().items()}
    history_before = count(StatusChange)
    result = run_import(str(path))
    assert result.exit_code == 0
    after = {n: (r.updated_at, r.ktp_status) for n, r in residents_by_nik().items()}
    assert after == before
    assert count(StatusChange) == history_before
    with unit_of_work() as session:
        second = session.scalars(select(ImportRun).order_by(ImportRun.id.desc())).first()
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 5)


def test_mapping_option_reads_other_column_names(tmp_path):
    path = tmp_path / "lain.csv"
    write_siak(path, family()[:1])
    text = path.read_text().replace("NAMA_LGKP", "Nama Lengkap", 1)
    path.write_text(text)
    assert run_import(str(path)).exit_code == 2  # unknown layout without a mapping
    result = run_import(str(path), "--map", "NAMA_LGKP=Nama Lengkap")
    assert result.exit_code == 0, result.output
    assert count(Resident) == 1


def test_semicolon_csv_in_windows_encoding_is_read(tmp_path):
    person = Person("YUSUF ÄLFÎAN", date(1991, 1, 2))
    path = write_siak(tmp_path / "ansi.csv", [person], delimiter=";")
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    result = run_import(str(path))
    assert result.exit_code == 0, result.output
    assert residents_by_nik()[person.nik].name == "YUSUF ÄLFÎAN"


def test_wrong_file_type_is_refused_clearly(tmp_path):
    path = tmp_path / "foto.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = run_import(str(path))
    assert result.exit_code == 2
    assert "bukan CSV, XLSX atau XLS" in result.output


def test_broken_xlsx_is_refused_clearly(tmp_path):
    path = tmp_path / "rusak.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    result = run_import(str(path))
    assert result.exit_code == 2
    assert "XLSX rusak" in result.output


# The child takes Ctrl-C as a terminal would deliver it: a test runner started in the
# background (`pytest &` from a script) ignores SIGINT, and every child inherits that.
# Jemput itself keeps the inherited disposition, as POSIX tools do: a background job is
# stopped with SIGTERM, which (like SIGKILL below) leaves the database as before.
_CHILD = ("import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
          "runpy.run_module('jemput.cli', run_name='__main__')")
# The progress bar's row count, once it is past zero: the import is reading rows.
_ROWS_READ = re.compile(rb"[1-9][0-9,]* baris")


def _watch_progress(
    process: subprocess.Popen[bytes],
) -> tuple[threading.Event, list[bytes], threading.Thread]:
    """Collect the child's stderr; the event is set at the first rows read, or at its end."""
    seen, chunks = threading.Event(), []
    stream = process.stderr
    assert stream is not None

    def read() -> None:
        while chunk := stream.read1(4096):
            chunks.append(chunk)
            if _ROWS_READ.search(b"".join(chunks[-2:])):
                seen.set()
        seen.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return seen, chunks, reader


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "kill"])
def test_interrupted_import_leaves_the_database_as_before(tmp_path, jemput_env, how):
    people = family()
    run_import(str(write_siak(tmp_path / "v1.csv", people)))
    big = [Person(f"WARGA {i}", date(1950 + i // 9000, 3, 3), 1, 1 + i % 9000)
           for i in range(80_000)]
    path = write_siak(tmp_path / "big.csv", [p.but(status="BIO_CAPTURED") for p in people] + big)
    # Rich draws its progress bar only on a terminal; these make the pipe count as one.
    env = os.environ | {"JEMPUT_DATABASE_URL": jemput_env, "JEMPUT_DATA_DIR": str(tmp_path),
                        "TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1", "TERM": "xterm",
                        "COLUMNS": "200"}
    with subprocess.Popen(
        [sys.executable, "-c", _CHILD, "residents", "import", str(path)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    ) as process:
        # Wait for a sign of progress (rows read, most of the file still ahead), then
        # interrupt it. The bound only keeps a hung child from hanging the run.
        seen, chunks, reader = _watch_progress(process)
        seen.wait(timeout=300)
        assert process.poll() is None, b"".join(chunks)[-2000:]
        process.send_signal(how)
        process.wait()
        reader.join()
    stderr = b"".join(chunks)
    # The import must really have been cut off, or this test proves nothing.
    if how == signal.SIGKILL:
        assert process.returncode == -signal.SIGKILL
    else:
        assert b"Aborted" in stderr or process.returncode in (-signal.SIGINT, 130), stderr
    stored = residents_by_nik()
    assert len(stored) == 5
    assert stored[people[2].nik].ktp_status == "UNREGISTERED"


def test_other_users_can_write_while_an_import_reads_its_file(tmp_path):
    """Reading the file must not hold the registry's write lock (SQLite has only one)."""
    from jemput.auth import audit
    from jemput.residents.importer import import_file

    written = []

    def progress(done: int, total: int, rows: int) -> None:
        # Another user's audited page view, committed on its own connection mid-import.
        with unit_of_work() as other:
            audit.record(session=other, actor="operator-lain", action="resident.view",
                         object_type="resident", object_id=rows)
        written.append(rows)

    people = [Person(f"WARGA {i}", date(1980, 1, 1 + i % 28), 1, 1 + i) for i in range(50)]
    with unit_of_work() as session:
        result = import_file(session=session, path=write_siak(tmp_path / "s.csv", people),
                             progress=progress)
    assert result.outcome == "applied"
    assert written == [50]


def test_merge_finds_staged_rows_by_index_not_by_scanning(tmp_path, jemput_env):
    """Flagging the missing probes the staged NIKs once per resident: it must use an index.

    Without one the import turns quadratic (a 100k-row file never finished); this reads
    SQLite's query plan of that statement rather than timing it.
    """
    from sqlalchemy import event

    from jemput.db import get_engine

    people = family()
    run_import(str(write_siak(tmp_path / "v1.csv", people)))
    engine = get_engine(jemput_env)
    plans: list[str] = []

    def explain(conn, cursor, statement, parameters, context, executemany):
        if "missing_since_import_id=" in statement and "NOT (EXISTS" in statement:
            if conn.dialect.name == "sqlite":
                probe = cursor.connection.cursor()  # the driver's own: no event re-entry
                rows = probe.execute("EXPLAIN QUERY PLAN " + statement, parameters).fetchall()
                probe.close()
                plans.append(" | ".join(str(row[-1]) for row in rows))
            else:
                plans.append("postgresql")

    event.listen(engine, "before_cursor_execute", explain)
    try:
        assert run_import(str(write_siak(tmp_path / "v2.csv", people[:3]))).exit_code == 0
    finally:
        event.remove(engine, "before_cursor_execute", explain)
    assert len(plans) == 1
    if plans[0] != "postgresql":
        # The kecamatan list scans the staging once; the per-resident probe must not.
        per_resident = plans[0].split("CORRELATED", 1)[1]
        assert "SCAN import_staging" not in per_resident, plans[0]
        assert "SEARCH import_staging USING" in per_resident, plans[0]
