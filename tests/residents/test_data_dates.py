"""Each desa's data date: an older export never overwrites a newer one, figures say how current."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import func, select
from typer.testing import CliRunner

from jemput.cli import app
from jemput.db import unit_of_work
from jemput.residents import service
from jemput.residents.codes import KtpStatus
from jemput.residents.models import ImportRun, Resident, StatusChange
from tests.personas import TestClient
from tests.residents.siak_files import Person, family, write_siak

runner = CliRunner()
Clients = Callable[[str], TestClient]
FAR = "33.06.02.2001"  # a desa of another kecamatan


def import_dated(tmp_path, people: list[Person], data_date: str, name: str):
    path = write_siak(tmp_path / name, people)
    return runner.invoke(app, ["residents", "import", str(path), "--data-date", data_date])


def stored(nik: str) -> Resident:
    with unit_of_work() as session:
        return session.scalars(select(Resident).where(Resident.nik == nik)).one()


def test_an_older_export_is_refused_naming_both_dates_and_the_desa(tmp_path):
    people = family()
    assert import_dated(tmp_path, people, "2026-06-30", "juni.csv").exit_code == 0
    # December's export still lists SUMARNO's card as not recorded.
    older = [people[0].but(status="UNREGISTERED"), *people[1:]]
    result = import_dated(tmp_path, older, "2025-12-31", "desember.csv")
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())
    assert "ekspor bertanggal 31 Desember 2025 lebih lama" in output
    assert "33.06.01.2001 (30 Juni 2026)" in output
    assert "Tidak ada yang diubah" in output
    assert stored(people[0].nik).ktp_status == "CARD_ISSUED"
    with unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(ImportRun)) == 1


def test_an_office_whose_earlier_date_was_wrong_can_load_the_older_export_on_purpose(
    tmp_path, client_for: Clients
):
    people = family()
    # June's export, loaded with a mistyped year.
    assert import_dated(tmp_path, people, "2027-06-30", "salah-tahun.csv").exit_code == 0
    july = [people[2].but(status="BIO_CAPTURED"), *people[:2], *people[3:]]
    assert import_dated(tmp_path, july, "2026-07-31", "juli.csv").exit_code == 2
    path = write_siak(tmp_path / "juli-lagi.csv", july)
    result = runner.invoke(app, ["residents", "import", str(path), "--data-date",
                                 "2026-07-31", "--allow-older"])
    assert result.exit_code == 0, result.output
    assert stored(people[2].nik).ktp_status == "BIO_CAPTURED"
    dashboard = client_for("kepala").get("/api/dasbor").json()
    assert dashboard["area"]["data_date"] == "2026-07-31"
    assert dashboard["area"]["data_dates"]["to"] == "2026-07-31"


def test_an_export_of_the_same_date_or_newer_is_applied(tmp_path):
    people = family()
    assert import_dated(tmp_path, people, "2026-06-30", "a.csv").exit_code == 0
    assert import_dated(tmp_path, people, "2026-06-30", "b.csv").exit_code == 0
    newer = [people[2].but(status="BIO_CAPTURED")]
    assert import_dated(tmp_path, newer, "2026-07-31", "c.csv").exit_code == 0
    assert stored(people[2].nik).ktp_status == "BIO_CAPTURED"


def test_an_older_export_of_other_desas_keeps_the_dashboard_date_and_shows_the_range(
    tmp_path, client_for: Clients
):
    assert import_dated(tmp_path, family(), "2026-06-30", "juni.csv").exit_code == 0
    elsewhere = [Person("JAUH", date(1981, 1, 1), 1, 3, desa=FAR, status="UNREGISTERED")]
    # Another kecamatan's older export is not a rollback: nothing newer is known there.
    assert import_dated(tmp_path, elsewhere, "2025-12-31", "jauh.csv").exit_code == 0
    kepala = client_for("kepala")
    dashboard = kepala.get("/api/dasbor").json()
    assert dashboard["area"]["data_date"] == "2026-06-30"
    assert dashboard["area"]["data_dates"] == {"from": "2025-12-31", "to": "2026-06-30",
                                               "mixed": True}
    by_code = {child["code"]: child["data_dates"] for child in dashboard["children"]}
    assert by_code["33.06.01"] == {"from": "2026-06-30", "to": "2026-06-30", "mixed": False}
    assert by_code["33.06.02"] == {"from": "2025-12-31", "to": "2025-12-31", "mixed": False}
    assert by_code["33.06.03"] is None  # nothing loaded there yet
    page = kepala.get("/").text
    assert "Data desa bertanggal 31 Desember 2025 – 30 Juni 2026" in page
    area = kepala.get("/api/wilayah/33.06.02").json()
    assert area["area"]["data_dates"]["to"] == "2025-12-31"
    assert "Data per 31 Desember 2025" in kepala.get("/wilayah/33.06.02").text


def test_status_history_is_ordered_by_data_date_not_by_when_it_was_entered(
    tmp_path, client_for: Clients
):
    budi = family()[2]  # UNREGISTERED in June
    assert import_dated(tmp_path, [budi], "2026-06-30", "juni.csv").exit_code == 0
    # A jemput bola capture on 10 July, entered into Jemput only after August's import.
    assert import_dated(tmp_path, [budi.but(status="PRINT_READY_RECORD")], "2026-08-31",
                        "agustus.csv").exit_code == 0
    with unit_of_work() as session:
        resident = session.scalars(select(Resident).where(Resident.nik == budi.nik)).one()
        service.set_ktp_status(session=session, resident=resident,
                               status=KtpStatus.BIO_CAPTURED, note="jemput bola",
                               data_date=date(2026, 7, 10))
        resident_id = resident.id
        history = service.status_history(session=session, resident=resident)
        assert [(h.data_date.isoformat(), h.new_status) for h in history] == [
            ("2026-06-30", "UNREGISTERED"), ("2026-07-10", "BIO_CAPTURED"),
            ("2026-08-31", "PRINT_READY_RECORD"),
        ]
    page = client_for("operator").get(f"/api/penduduk/{resident_id}").json()
    assert [h["data_date"] for h in page["history"]] == ["2026-06-30", "2026-07-10",
                                                         "2026-08-31"]


def test_every_import_history_row_carries_the_exports_date(tmp_path):
    people = family()
    assert import_dated(tmp_path, people, "2026-06-30", "juni.csv").exit_code == 0
    assert import_dated(tmp_path, [people[2].but(status="BIO_CAPTURED")], "2026-07-31",
                        "juli.csv").exit_code == 0
    with unit_of_work() as session:
        dates = session.execute(
            select(StatusChange.new_status, StatusChange.data_date).order_by(StatusChange.id)
        ).all()
    assert {d for _, d in dates[:5]} == {date(2026, 6, 30)}
    assert dates[5:] == [("BIO_CAPTURED", date(2026, 7, 31))]
