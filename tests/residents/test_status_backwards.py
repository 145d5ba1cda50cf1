"""A newer export that moves a status backwards is applied, and listed as a warning."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import literal, select
from typer.testing import CliRunner

from jemput.cli import app
from jemput.db import unit_of_work
from jemput.residents.codes import KtpStatus
from jemput.residents.models import Resident
from jemput.residents.status_order import backwards_sql, is_backwards
from tests.residents.siak_files import family, write_siak

runner = CliRunner()


def import_dated(tmp_path: Path, people, data_date: str, name: str):
    path = write_siak(tmp_path / name, people)
    return runner.invoke(app, ["residents", "import", str(path), "--data-date", data_date])


def report_of(tmp_path: Path, name: str) -> list[dict[str, str]]:
    folder = tmp_path / "var" / "laporan-impor"
    [path] = [p for p in folder.glob(f"impor-*-{Path(name).stem}.csv")]
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_a_status_moving_backwards_is_applied_and_warned_with_both_statuses(tmp_path):
    sumarno, siti, budi, mbah, dewi = family()  # CARD_ISSUED, CARD_ISSUED, UNREG, UNREG, PRR
    assert import_dated(tmp_path, [sumarno, siti, budi, mbah, dewi.but(status="CARD_PRINTED")],
                        "2026-06-30", "juni.csv").exit_code == 0
    newer = [
        sumarno.but(status="UNREGISTERED"),  # line 2: a handed-over card, "not recorded"
        siti,
        budi.but(status="BIO_CAPTURED"),  # forward: no warning
        mbah,
        dewi.but(status="BIO_CAPTURED"),  # line 6: printed, back to captured
    ]
    result = import_dated(tmp_path, newer, "2026-07-31", "juli.csv")
    assert result.exit_code == 0, result.output
    assert "Status KTP-el mundur (peringatan)" in result.output
    with unit_of_work() as session:
        statuses = dict(session.execute(select(Resident.nik, Resident.ktp_status)).all())
    # SIAK is the source of truth: applied all the same.
    assert statuses[sumarno.nik] == "UNREGISTERED"
    assert statuses[dewi.nik] == "BIO_CAPTURED"
    warnings = [row for row in report_of(tmp_path, "juli.csv") if "mundur" in row["keterangan"]]
    assert [(w["baris"], w["kolom"], w["nilai"], w["tingkat"]) for w in warnings] == [
        ("2", "CURRENT_STATUS_CODE", "UNREGISTERED", "peringatan"),
        ("6", "CURRENT_STATUS_CODE", "BIO_CAPTURED", "peringatan"),
    ]
    assert "dari Kartu diserahkan (CARD_ISSUED) ke Belum rekam (UNREGISTERED)" in (
        warnings[0]["keterangan"])
    assert "dari Kartu tercetak (CARD_PRINTED)" in warnings[1]["keterangan"]


def test_a_new_capture_after_a_failed_enrolment_is_not_a_step_back(tmp_path):
    person = family()[2].but(status="ENROLL_FAILURE_AT_CENTRAL")
    assert import_dated(tmp_path, [person], "2026-06-30", "a.csv").exit_code == 0
    result = import_dated(tmp_path, [person.but(status="BIO_CAPTURED")], "2026-07-31", "b.csv")
    assert result.exit_code == 0, result.output
    assert not [r for r in report_of(tmp_path, "b.csv") if "mundur" in r["keterangan"]]


def test_the_backwards_rule_is_the_same_in_python_and_in_sql():
    statuses: list[str | None] = [s.value for s in KtpStatus] + [None, "NOT_A_STATUS"]
    pairs = [(old, new) for old in statuses for new in statuses]
    column = Resident.ktp_status.type
    with unit_of_work() as session:
        for old, new in pairs:
            in_sql = session.scalar(select(backwards_sql(literal(old, type_=column),
                                                         literal(new, type_=column))))
            assert bool(in_sql) == is_backwards(old, new), (old, new)
    assert is_backwards("CARD_ISSUED", "UNREGISTERED")
    assert is_backwards("CARD_PRINTED", "BIO_CAPTURED")
    assert is_backwards("CARD_ISSUED", "DUPLICATE_RECORD")
    assert is_backwards("DUPLICATE_RECORD", "UNREGISTERED")
    assert not is_backwards("UNREGISTERED", "CARD_ISSUED")
    assert not is_backwards("SEARCH_FAILURE_AT_CENTRAL", "BIO_CAPTURED")
