"""Values as offices' files really carry them: OpenSID's own spellings, NIKs that a
spreadsheet turned into numbers or letters, and birth years written with two digits."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from typer.testing import CliRunner

from jemput.cli import app
from jemput.db import unit_of_work
from jemput.residents.models import Resident
from tests.residents.siak_files import Person, make_nik, write_siak
from tests.residents.test_import_layouts import OPENSID_HEADER

runner = CliRunner()
DESA = "33.06.01.2001"


def run_import(*args: str):
    return runner.invoke(app, ["residents", "import", *args])


def stored() -> dict[str, Resident]:
    with unit_of_work() as session:
        return {r.nik: r for r in session.scalars(select(Resident))}


def report(tmp_path: Path) -> list[dict[str, str]]:
    """The rows of the newest error report written under tmp_path/laporan."""
    path = sorted((tmp_path / "laporan").glob("impor-*.csv"))[-1]
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def opensid_row(**values: object) -> list[object]:
    # As contoh_penduduk.xlsx, OpenSID's own sample population data, writes a resident:
    # text cells, '-' for the RW of a desa without RWs, empty cells for the unknown.
    row: dict[str, object] = dict.fromkeys(OPENSID_HEADER, None)
    row.update({"dusun": "MANGSIT", "rw": "-", "rt": "004", "no_kk": "3306010104120001",
                "sex": "1", "tempatlahir": "MANGSIT", "agama_id": "1",
                "pendidikan_kk_id": "3", "pendidikan_sedang_id": "18", "pekerjaan_id": "88",
                "status_kawin": "2", "kk_level": "1", "warganegara_id": "1",
                "nama_ayah": "-", "nama_ibu": "-", "golongan_darah_id": "13",
                "status_dasar": "1"})
    row.update(values)
    return [row[column] for column in OPENSID_HEADER]


def write_opensid(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(OPENSID_HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_opensid_dash_and_empty_rt_rw_mean_none(tmp_path):
    first = make_nik(born=date(1970, 5, 20), sex=1, serial=6)
    second = make_nik(born=date(1996, 3, 10), sex=2, serial=5)
    third = make_nik(born=date(1990, 1, 3), sex=1, serial=7)
    path = write_opensid(tmp_path / "penduduk.xlsx", [
        opensid_row(nama="AHLUL", nik=first, tanggallahir="1970-05-20"),
        opensid_row(nama="ADINI SEPTIA LISTA", nik=second, sex="2", kk_level="4",
                    status_kawin="1", tanggallahir="1996-03-10", rt="-", rw=None),
        opensid_row(nama="AHMAD HABIB", nik=third, tanggallahir="1990-01-03", rt="0",
                    rw="'02"),
    ])

    result = run_import(str(path), "--desa", DESA)

    assert result.exit_code == 0, result.output
    residents = stored()
    assert (residents[first].rt, residents[first].rw) == ("004", None)
    assert (residents[second].rt, residents[second].rw) == (None, None)
    assert (residents[third].rt, residents[third].rw) == (None, "002")
    assert residents[first].dusun == "MANGSIT"


def test_opensid_labels_and_spellings_are_read_as_opensid_writes_them(tmp_path):
    born = date(1941, 11, 2)
    nik = make_nik(born=born, sex=2, serial=9)
    orphan = make_nik(born=date(2001, 4, 5), sex=1, serial=3)
    path = write_opensid(tmp_path / "huruf.xlsx", [
        # The labels of OpenSID's code tables, with the spacing its own importer forgives.
        opensid_row(nama="SITI", nik=nik, no_kk="'3306010104120002", sex="PEREMPUAN",
                    tanggallahir=datetime(1941, 11, 2),  # noqa: DTZ001 - an Excel date cell
                    tempatlahir="-",
                    agama_id="Kepercayaan Terhadap Tuhan YME / Lainnya",
                    status_kawin="CERAI MATI", kk_level="KEPALA KELUARGA",
                    warganegara_id="DUA KEWARGANEGARAAN", cacat_id="CACAT NETRA / BUTA",
                    status_rekam="BELUM WAJIB ", status_dasar="HIDUP",
                    dusun="'DUSUN_KRAJAN_LOR", rt="'004", lat="-", lng=""),
        # No KK yet: OpenSID writes 0, or a temporary number of 0 + desa code + serial.
        opensid_row(nama="YATIM", nik=orphan, no_kk="0", tanggallahir="'05-04-2001",
                    status_kawin="1", kk_level="4", dusun="-"),
    ])

    result = run_import(str(path), "--desa", DESA)

    assert result.exit_code == 0, result.output
    siti = stored()[nik]
    assert (siti.sex, siti.birth_date, siti.birth_place) == (2, born, None)
    assert (siti.religion, siti.marital_status, siti.household_relation) == (7, 4, 1)
    assert (siti.citizenship, siti.disability, siti.ktp_status) == ("WNI", 2, "UNREGISTERED")
    assert (siti.dusun, siti.rt, siti.kk_number) == ("KRAJAN LOR", "004", "3306010104120002")
    yatim = stored()[orphan]
    assert (yatim.kk_number, yatim.dusun, yatim.birth_date) == (None, None, date(2001, 4, 5))


def test_opensid_temporary_kk_is_not_kept_as_a_kk(tmp_path):
    nik = make_nik(born=date(1980, 1, 1), sex=1, serial=4)
    path = write_opensid(tmp_path / "sementara.xlsx", [
        opensid_row(nama="BARU", nik=nik, no_kk="0330601200100003", tanggallahir="1980-01-01"),
    ])
    result = run_import(str(path), "--desa", DESA)
    assert result.exit_code == 0, result.output
    assert stored()[nik].kk_number is None


def test_opensid_rows_from_its_label_export_are_refused_with_the_way_out(tmp_path):
    # ekspor/huruf writes TETAP/TIDAK TETAP into status_dasar and a citizenship into
    # status_rekam: those columns no longer say whether the person is alive or recorded.
    living = make_nik(born=date(1970, 5, 20), sex=1, serial=6)
    dead = make_nik(born=date(1940, 5, 20), sex=1, serial=7)
    path = write_opensid(tmp_path / "ekspor_huruf.xlsx", [
        opensid_row(nama="A", nik=living, tanggallahir="1970-05-20", status_dasar="TETAP"),
        opensid_row(nama="B", nik=dead, tanggallahir="1940-05-20", status_dasar="1",
                    status_rekam="WNI"),
    ])

    result = run_import(str(path), "--desa", DESA, "--report-dir", str(tmp_path / "laporan"))

    assert result.exit_code == 1
    problems = {(p["baris"], p["kolom"]): p["keterangan"] for p in report(tmp_path)}
    assert "ekspor ulang dari OpenSID dengan kode angka" in problems[("2", "status_dasar")]
    assert "ekspor huruf" in problems[("3", "status_rekam")]
    assert stored() == {}


GOOD = Person("SUMARNO", date(1970, 5, 4), 1, 1)


@pytest.mark.parametrize(
    ("nik", "reason"),
    [
        # Excel showed a 16-digit NIK in scientific notation: the last digit is gone.
        ("3.30611431176653E+15", "Excel hanya menyimpan 15 digit"),
        ("3306011203850001.0", "tersimpan sebagai angka"),
        ("3.306.011.203.850.000", "tersimpan sebagai angka"),
        ("3306125707O013573", "NIK berisi huruf 'O'"),
        ("1E+999", "tersimpan sebagai angka"),
        ("3306E+01018900x1", "NIK berisi huruf 'E'"),
        ("330601120385000²", "bukan 0-9"),
        ("٣٣٠٦٠١١٢٠٣٨٥٠٠٠١", "bukan 0-9"),
        ("3306011203850001*", "berisi tanda '*'"),
        ("3306••••••••0001", "berisi tanda '•'"),
        ("0", "belum punya NIK"),
        ("0330601200100001", "NIK sementara"),
    ],
    ids=["scientific", "decimal", "thousands", "letter", "overflow", "exponent-letter",
         "superscript", "arabic-indic", "symbol", "masked", "zero", "temporary"],
)
def test_a_nik_that_is_not_sixteen_ascii_digits_is_refused_with_its_reason(tmp_path, nik,
                                                                           reason):
    path = write_siak(tmp_path / "siak.csv", [GOOD],
                      rows=[GOOD.but(name="LAIN", serial=2).row() | {"NIK": nik}])

    strict = run_import(str(path), "--report-dir", str(tmp_path / "laporan"))

    assert strict.exit_code == 1, strict.output
    assert "Traceback" not in strict.output
    problems = [p for p in report(tmp_path) if p["tingkat"] == "galat"]
    assert [(p["baris"], p["kolom"]) for p in problems] == [("3", "NIK")]
    assert reason in problems[0]["keterangan"]
    assert stored() == {}
    loaded = run_import(str(path), "--accept-valid")
    assert loaded.exit_code == 0, loaded.output
    assert set(stored()) == {GOOD.nik}  # nothing was repaired into somebody's NIK


def test_the_number_reason_tells_the_office_what_to_do(tmp_path):
    path = write_siak(tmp_path / "siak.csv", [],
                      rows=[GOOD.row() | {"NIK": "3.30611431176653E+15"}])
    run_import(str(path), "--report-dir", str(tmp_path / "laporan"))
    reason = report(tmp_path)[0]["keterangan"]
    assert "15 digit" in reason
    assert "Format kolom NIK sebagai Teks" in reason and "ekspor ulang" in reason


def test_scientific_nik_never_becomes_another_resident(tmp_path):
    real = "3306114311766531"  # a woman born 03-11-1966, serial 6531
    person = GOOD.but(name="SRI", sex=2, born=date(1966, 11, 3))
    run_import(str(write_siak(tmp_path / "v1.csv", [], rows=[person.row() | {"NIK": real}])))
    mangled = write_siak(tmp_path / "v2.csv", [],
                         rows=[person.row() | {"NIK": "3.30611431176653E+15"}])

    result = run_import(str(mangled))

    assert result.exit_code == 1
    residents = stored()
    assert set(residents) == {real}
    assert residents[real].missing_since_import_id is None


def write_siak_xlsx(path: Path, rows: list[dict[str, object]]) -> Path:
    header = list(rows[0])
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row[column] for column in header])
    workbook.save(path)
    return path


def test_numeric_nik_cells_are_kept_only_when_they_cannot_have_lost_a_digit(tmp_path):
    exact = GOOD.but(name="TEPAT", serial=1)  # NIK ends in 1: no 15-digit truncation
    truncated = GOOD.but(name="TERPOTONG", serial=10)  # ends in 0: maybe ...531 -> ...530
    as_float = GOOD.but(name="PECAHAN", serial=21)
    papua = GOOD.but(name="PAPUA", serial=3)  # 91...: beyond 2**53, never exact
    papua_nik = "91" + papua.nik[2:]
    bad_kk = GOOD.but(name="KK ANGKA", serial=4)
    rows: list[dict[str, object]] = [
        exact.row() | {"NIK": int(exact.nik)},
        truncated.row() | {"NIK": int(truncated.nik)},
        as_float.row() | {"NIK": float(int(as_float.nik) // 10 * 10)},
        papua.row() | {"NIK": int(papua_nik)},
        bad_kk.row() | {"NO_KK": 3306010101200010},
    ]
    path = write_siak_xlsx(tmp_path / "angka.xlsx", rows)

    result = run_import(str(path), "--accept-valid", "--report-dir", str(tmp_path / "laporan"))

    assert result.exit_code == 0, result.output
    assert set(stored()) == {exact.nik}
    problems = {p["baris"]: (p["kolom"], p["keterangan"]) for p in report(tmp_path)
                if p["tingkat"] == "galat"}
    assert set(problems) == {"3", "4", "5", "6"}
    assert all("tersimpan sebagai angka" in reason for _, reason in problems.values())
    assert problems["6"][0] == "NO_KK" and problems["6"][1].startswith("nomor KK")


def test_a_kk_number_with_a_letter_is_refused(tmp_path):
    path = write_siak(tmp_path / "siak.csv", [GOOD.but(kk="33060101O1200001")])
    result = run_import(str(path), "--report-dir", str(tmp_path / "laporan"))
    assert result.exit_code == 1
    assert report(tmp_path)[0]["keterangan"].startswith("nomor KK berisi huruf 'O'")


def two_digit_row(person: Person, written: str, **extra: str) -> dict[str, str]:
    return person.row() | {"TGL_LHR": written} | extra


def test_two_digit_birth_year_is_settled_by_the_rest_of_the_row(tmp_path):
    widow = Person("MBAH SAINEM", date(1925, 2, 1), 2, 1, marital=4, status="CARD_ISSUED")
    baby = Person("BAYU", date(2025, 2, 1), 1, 2, status="UNREGISTERED")
    student = Person("SISWA", date(2005, 2, 1), 1, 3, status="UNREGISTERED")
    path = write_siak(tmp_path / "oracle.csv", [], rows=[
        two_digit_row(widow, "01-FEB-25", STAT_HBKEL="1"),  # Oracle's DD-MON-RR
        two_digit_row(baby, "01-02-25"),  # ANAK of the household
        two_digit_row(student, "01/02/05"),  # 1905 would make him 121
    ])

    result = run_import(str(path))

    assert result.exit_code == 0, result.output
    residents = stored()
    assert residents[widow.nik].birth_date == date(1925, 2, 1)
    assert residents[baby.nik].birth_date == date(2025, 2, 1)
    assert residents[student.nik].birth_date == date(2005, 2, 1)


def test_two_digit_birth_year_nothing_settles_is_refused_as_ambiguous(tmp_path):
    unclear = Person("KERABAT", date(2020, 6, 7), 1, 1, status="UNREGISTERED")
    path = write_siak(tmp_path / "oracle.csv", [],
                      rows=[two_digit_row(unclear, "07-JUN-20", STAT_HBKEL="9")])

    result = run_import(str(path), "--report-dir", str(tmp_path / "laporan"))

    assert result.exit_code == 1
    reason = report(tmp_path)[0]["keterangan"]
    assert "bisa 1920 atau 2020" in reason and "empat digit" in reason
    assert stored() == {}


@pytest.mark.parametrize("written", ["2001-04-05", "'2001-04-05", "2001/04/05", "05-04-2001",
                                     "5/4/2001", "5.4.2001"])
def test_opensid_birth_dates_in_the_forms_its_importer_reads_are_accepted(tmp_path, written):
    nik = make_nik(born=date(2001, 4, 5), sex=1, serial=3)
    path = write_opensid(tmp_path / "tanggal.xlsx", [
        opensid_row(nama="TANGGAL", nik=nik, tanggallahir=written, kk_level="4"),
    ])
    result = run_import(str(path), "--desa", DESA)
    assert result.exit_code == 0, result.output
    assert stored()[nik].birth_date == date(2001, 4, 5)
