"""Coverage figures, checked by hand against small registries loaded through the CLI."""

from __future__ import annotations

import json
from datetime import date

from typer.testing import CliRunner

from jemput.cli import app
from tests.residents.siak_files import Person, family, write_siak

runner = CliRunner()


def load(tmp_path, people, name="siak.csv"):
    result = runner.invoke(app, ["residents", "import", str(write_siak(tmp_path / name, people)),
                                 "--data-date", "2026-06-30"])
    assert result.exit_code == 0, result.output


def coverage_json(*args: str) -> dict:
    result = runner.invoke(app, ["coverage", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def figure(area: dict, name: str) -> tuple[int, int]:
    f = area["figures"][name]
    return f["numerator"], f["denominator"]


def desa_of(data: dict, code: str) -> dict:
    for kecamatan in data["children"]:
        for desa in kecamatan["children"]:
            if desa["code"] == code:
                return desa
    raise AssertionError(code)


def test_desa_figures_match_a_hand_count(tmp_path):
    people = family() + [
        Person("RATNA", date(2010, 3, 1), 2, 1, status="PRINT_READY_RECORD"),  # 16, recorded
        Person("ADI", date(2009, 3, 1), 1, 1, status="UNREGISTERED"),  # just turned 17
    ]
    load(tmp_path, people)
    data = coverage_json("--region", "33.06.01.2001")
    assert data["data_date"] == "2026-06-30"
    assert figure(data, "wajib_ktp") == (6, 7)
    assert figure(data, "coverage") == (4, 6)
    assert data["figures"]["coverage"]["percent"] == 66.67
    assert figure(data, "print_ready_not_printed") == (2, 4)
    assert figure(data, "not_recorded") == (2 + 1, 6)
    assert figure(data, "not_recorded_vulnerable") == (1, 3)  # Mbah Karto, 91, disabled
    assert figure(data, "not_recorded_pemula") == (1, 3)  # Adi
    assert figure(data, "not_recorded_other") == (1, 3)  # Budi, 18
    assert figure(data, "due_for_deactivation") == (1, 4)  # only Mbah Karto is 22+


def test_coverage_can_exceed_one_hundred_percent(tmp_path):
    load(tmp_path, [
        Person("WAJIB", date(1990, 1, 1), 1, 1, desa="33.06.01.2002"),
        Person("ENAM BELAS", date(2010, 1, 1), 1, 1, desa="33.06.01.2002",
               status="PRINT_READY_RECORD"),
    ])
    desa = desa_of(coverage_json(), "33.06.01.2002")
    assert figure(desa, "coverage") == (2, 1)
    assert desa["figures"]["coverage"]["percent"] == 200.0


def test_kecamatan_and_regency_are_sums_of_their_desa(tmp_path):
    load(tmp_path, family() + [
        Person("TETANGGA", date(1980, 1, 1), 1, 2, desa="33.06.01.2002"),
        Person("JAUH", date(1981, 1, 1), 1, 3, desa="33.06.02.2001", status="UNREGISTERED"),
    ])
    data = coverage_json()
    grabag = next(k for k in data["children"] if k["code"] == "33.06.01")
    assert figure(grabag, "wajib_ktp")[0] == 6
    assert figure(data, "wajib_ktp")[0] == 7
    assert figure(data, "coverage") == (4, 7)
    assert len(data["children"]) == 16  # every kecamatan, even without residents


def test_residents_gone_from_the_export_leave_the_figures(tmp_path):
    people = family()
    load(tmp_path, people, "v1.csv")
    load(tmp_path, people[:3], "v2.csv")
    data = coverage_json("--region", "33.06.01.2001")
    assert figure(data, "wajib_ktp")[0] == 3


def test_table_output_names_the_data_date(tmp_path):
    load(tmp_path, family())
    result = runner.invoke(app, ["coverage"])
    assert result.exit_code == 0
    assert "30 Juni 2026" in result.output
    assert "Grabag" in result.output


def test_unknown_region_is_a_clear_error():
    result = runner.invoke(app, ["coverage", "--region", "99.99"])
    assert result.exit_code == 1
    assert "tidak dikenal" in result.output


def test_cached_coverage_follows_every_change_of_the_registry(tmp_path):
    from jemput.db import unit_of_work
    from jemput.reports.coverage import cached_coverage
    from jemput.residents import service
    from jemput.residents.codes import KtpStatus

    people = family()
    load(tmp_path, people)
    with unit_of_work() as session:
        before = cached_coverage(session=session, region_code="33.06.01.2001")
        assert cached_coverage(session=session, region_code="33.06.01.2001") is before
        budi = service.get_resident_by_nik(session=session, nik=people[2].nik)
        service.set_ktp_status(session=session, resident=budi, status=KtpStatus.BIO_CAPTURED)
        after = cached_coverage(session=session, region_code="33.06.01.2001")
    assert after.figures()["coverage"].numerator == before.figures()["coverage"].numerator + 1
    load(tmp_path, people[:2], "v2.csv")
    with unit_of_work() as session:
        latest = cached_coverage(session=session, region_code="33.06.01.2001")
    assert latest.figures()["wajib_ktp"].numerator == 2


def test_a_wrong_reference_date_is_a_clear_usage_error():
    result = runner.invoke(app, ["coverage", "--on", "30-06-2026"])
    assert result.exit_code == 2
    assert "bukan tanggal YYYY-MM-DD" in result.output
