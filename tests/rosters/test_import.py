"""Importing school, pesantren and voter rosters through the CLI, as the office does."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jemput.cli import app
from jemput.db import unit_of_work
from jemput.rosters.models import Roster, RosterRow
from tests.rosters.roster_files import (
    DAFTAR_PD_HEADER,
    DAFTAR_PD_ROWS,
    DPT_HEADER,
    DPT_ROWS,
    GRABAG_DESA,
    OTHER_KECAMATAN_DESA,
    PESANTREN,
    PESANTREN_HEADER,
    PESANTREN_ROWS,
    SMA,
    WEB_SERVICE_HEADER,
    WEB_SERVICE_ROWS,
    import_roster,
    load_schools,
    runner,
    write,
)


@pytest.fixture(autouse=True)
def schools(tmp_path: Path, jemput_env: str) -> None:
    load_schools(tmp_path)


def rows() -> list[RosterRow]:
    with unit_of_work() as session:
        return list(session.scalars(select(RosterRow).order_by(RosterRow.roster_id,
                                                                RosterRow.line)))


def rosters() -> list[Roster]:
    with unit_of_work() as session:
        return list(session.scalars(select(Roster).order_by(Roster.id)))


def said(result) -> str:
    """The command's output with the terminal's line wrapping undone."""
    return " ".join(result.output.split())


def report_of(output: str) -> list[dict[str, str]]:
    path = Path(output.split("Laporan lengkap: ")[1].split()[0])
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_a_daftar_pd_sheet_with_title_rows_loads_as_a_school_roster(tmp_path):
    path = write(tmp_path / "daftar_pd.csv", DAFTAR_PD_HEADER, DAFTAR_PD_ROWS, title=True)
    result = import_roster(str(path), "--kind", "dapodik", "--npsn", SMA,
                           "--data-date", "2026-01-15")
    assert result.exit_code == 0, result.output
    assert "Laporan lengkap:" in said(result)
    ayu, bima = rows()
    assert (ayu.line, ayu.name, ayu.sex, ayu.birth_date) == (5, "AYU LESTARI", 2,
                                                             date(2009, 5, 14))
    assert ayu.nik == "3306065405090001" and ayu.nisn == "0091234567"
    assert ayu.class_name == "X-1" and ayu.disability is None
    # Day-first date, a NISN whose leading zero Excel dropped, no NIK.
    assert bima.birth_date == date(2009, 2, 14)
    assert bima.nisn == "0091234568" and bima.nik is None
    assert bima.disability == "B - Tuna rungu"
    (roster,) = rosters()
    assert (roster.kind, roster.data_date, roster.rows_read) == ("dapodik", date(2026, 1, 15), 2)
    assert roster.school_id is not None and roster.desa_code is None


def test_dapodik_web_service_rows_load_keyed_by_their_npsn_column(tmp_path):
    path = write(tmp_path / "ws.csv", WEB_SERVICE_HEADER, WEB_SERVICE_ROWS)
    result = import_roster(str(path), "--kind", "dapodik")
    assert result.exit_code == 0, result.output
    ayu, bima = rows()
    assert ayu.mother_name == "SITI AMINAH" and bima.class_name == "XI-2"
    assert "20303001" in said(result)


def test_web_service_rows_of_another_school_are_row_errors(tmp_path):
    other = [["20301002", *WEB_SERVICE_ROWS[1][1:]]]
    path = write(tmp_path / "ws.csv", WEB_SERVICE_HEADER, WEB_SERVICE_ROWS[:1] + other)
    result = import_roster(str(path), "--kind", "dapodik", "--npsn", SMA)
    assert result.exit_code == 1, result.output
    (problem,) = report_of(result.output)
    assert problem["baris"] == "3" and problem["kolom"] == "npsn"
    assert rows() == [] and rosters() == []


def test_a_pesantren_roster_without_nik_loads(tmp_path):
    path = write(tmp_path / "santri.csv", PESANTREN_HEADER, PESANTREN_ROWS)
    result = import_roster(str(path), "--kind", "pesantren", "--npsn", PESANTREN)
    assert result.exit_code == 0, result.output
    fauzi, halimah = rows()
    assert fauzi.name == "AHMAD FAUZI" and fauzi.birth_date == date(2008, 7, 3)
    assert fauzi.mother_name == "SUMIYATI" and fauzi.class_name == "Ulya 2"
    assert halimah.nik is None and halimah.sex == 2 and halimah.birth_place == "WONOSOBO"


def test_a_pesantren_roster_for_a_school_is_refused(tmp_path):
    path = write(tmp_path / "santri.csv", PESANTREN_HEADER, PESANTREN_ROWS)
    result = import_roster(str(path), "--kind", "pesantren", "--npsn", SMA)
    assert result.exit_code == 2
    assert "bukan daftar jenis 'pesantren'" in said(result)


def test_a_voter_list_loads_for_its_desa_with_either_disability_scheme(tmp_path):
    path = write(tmp_path / "dpt.csv", DPT_HEADER, DPT_ROWS)
    result = import_roster(str(path), "--kind", "dpt", "--desa", GRABAG_DESA,
                           "--data-date", "2023-06-21")
    assert result.exit_code == 0, result.output
    suparman, sumiyati, wagimin = rows()
    assert suparman.kk_number == "3306012001800001" and suparman.tps == "001"
    assert suparman.desa_code == GRABAG_DESA and suparman.rt == "001"
    assert suparman.disability is None
    assert sumiyati.disability == "Sensorik Netra (KPU 2024: 6)"
    assert wagimin.nik is None and wagimin.disability == "Fisik (KPU 2024: 1)"
    # A list determined before 2023 speaks the 2019 scheme.
    again = import_roster(str(write(tmp_path / "dpt2019.csv", DPT_HEADER, DPT_ROWS[2:])),
                          "--kind", "dpt", "--desa", GRABAG_DESA, "--data-date", "2019-01-10")
    assert again.exit_code == 0, again.output
    assert rows()[-1].disability == "Tuna Daksa (KPU 2019: 1)"


def test_an_invalid_roster_nik_is_dropped_with_a_warning_not_an_error(tmp_path):
    bad = [[DPT_ROWS[0][0], "3306013202800001", *DPT_ROWS[0][2:]]]  # 32 February
    result = import_roster(str(write(tmp_path / "dpt.csv", DPT_HEADER, bad)), "--kind", "dpt",
                           "--desa", GRABAG_DESA)
    assert result.exit_code == 0, result.output
    (row,) = rows()
    assert row.nik is None and row.name == "SUPARMAN"
    (problem,) = report_of(result.output)
    assert problem["tingkat"] == "peringatan" and "NIK dikosongkan" in problem["keterangan"]


def test_a_missing_name_or_unreadable_birth_date_rejects_the_whole_file(tmp_path):
    bad = [DPT_ROWS[0], [*DPT_ROWS[1][:2], "", *DPT_ROWS[1][3:]],
           [*DPT_ROWS[2][:4], "31-31-1950", *DPT_ROWS[2][5:]]]
    path = write(tmp_path / "dpt.csv", DPT_HEADER, bad)
    result = import_roster(str(path), "--kind", "dpt", "--desa", GRABAG_DESA)
    assert result.exit_code == 1, result.output
    assert "--accept-valid" in said(result)
    problems = report_of(result.output)
    assert [(p["baris"], p["kolom"], p["tingkat"]) for p in problems] == [
        ("3", "NAMA", "galat"), ("4", "TANGGAL_LAHIR", "galat")]
    assert "nama kosong" in problems[0]["keterangan"]
    assert rows() == [] and rosters() == []
    # Told to, it loads the valid row and sets the others aside.
    accepted = import_roster(str(path), "--kind", "dpt", "--desa", GRABAG_DESA,
                             "--accept-valid")
    assert accepted.exit_code == 0, accepted.output
    assert [r.name for r in rows()] == ["SUPARMAN"]
    assert rosters()[0].rows_rejected == 2


def test_a_header_only_file_is_refused(tmp_path):
    result = import_roster(str(write(tmp_path / "dpt.csv", DPT_HEADER, [])), "--kind", "dpt",
                           "--desa", GRABAG_DESA)
    assert result.exit_code == 2
    assert "hanya baris judul" in said(result)
    assert rosters() == []


def test_a_file_of_another_kind_is_refused_with_what_was_expected(tmp_path):
    path = write(tmp_path / "dpt.csv", DPT_HEADER, DPT_ROWS)
    result = import_roster(str(path), "--kind", "dapodik", "--npsn", SMA)
    assert result.exit_code == 2
    assert "bukan daftar jenis 'dapodik'" in said(result)


def test_a_voter_list_needs_its_desa(tmp_path):
    result = import_roster(str(write(tmp_path / "dpt.csv", DPT_HEADER, DPT_ROWS)),
                           "--kind", "dpt")
    assert result.exit_code == 2
    assert "--desa" in said(result)


def test_a_reimport_replaces_the_old_roster_and_keeps_its_rows(tmp_path):
    first = write(tmp_path / "dpt.csv", DPT_HEADER, DPT_ROWS)
    assert import_roster(str(first), "--kind", "dpt", "--desa", GRABAG_DESA).exit_code == 0
    second = write(tmp_path / "dpt2.csv", DPT_HEADER, DPT_ROWS[:2])
    result = import_roster(str(second), "--kind", "dpt", "--desa", GRABAG_DESA)
    assert result.exit_code == 0, result.output
    old, new = rosters()
    assert old.replaced_by_id == new.id and new.replaced_by_id is None
    assert "Menggantikan daftar nomor" in said(result)
    # The same people keep their row keys, so a reviewer's decisions can be reused.
    keys = {roster_id: {r.row_key for r in rows() if r.roster_id == roster_id}
            for roster_id in (old.id, new.id)}
    assert len(keys[new.id]) == 2 and keys[new.id] < keys[old.id]
    listed = runner.invoke(app, ["rosters", "list"])
    assert listed.exit_code == 0
    assert "dpt2.csv berlaku" in said(listed) and "dpt.csv" not in said(listed)
    everything = runner.invoke(app, ["rosters", "list", "--all"])
    assert "dpt.csv digantikan" in said(everything)


def test_the_same_person_twice_on_a_list_is_a_row_error(tmp_path):
    path = write(tmp_path / "dpt.csv", DPT_HEADER, [DPT_ROWS[0], DPT_ROWS[0]])
    result = import_roster(str(path), "--kind", "dpt", "--desa", GRABAG_DESA)
    assert result.exit_code == 1
    (problem,) = report_of(result.output)
    assert problem["baris"] == "3" and "baris 2" in problem["keterangan"]


def test_a_voter_list_of_a_desa_outside_the_users_scope_is_refused(tmp_path, personas):
    path = write(tmp_path / "dpt.csv", DPT_HEADER, DPT_ROWS)
    result = import_roster(str(path), "--kind", "dpt", "--desa", OTHER_KECAMATAN_DESA,
                           "--user", "operator-grabag")
    assert result.exit_code == 2
    assert "di luar wilayah Anda" in said(result)
    inside = import_roster(str(path), "--kind", "dpt", "--desa", GRABAG_DESA,
                           "--user", "operator-grabag")
    assert inside.exit_code == 0, inside.output
    assert rosters()[0].imported_by == "operator-grabag"


def test_a_school_roster_outside_the_users_scope_is_refused(tmp_path, personas):
    path = write(tmp_path / "ws.csv", WEB_SERVICE_HEADER, WEB_SERVICE_ROWS)
    result = import_roster(str(path), "--kind", "dapodik", "--user", "operator-grabag")
    assert result.exit_code == 2
    assert "di luar wilayah Anda" in said(result)
    assert rosters() == []


def test_a_user_who_may_not_import_is_refused(tmp_path, personas):
    path = write(tmp_path / "dpt.csv", DPT_HEADER, DPT_ROWS)
    result = import_roster(str(path), "--kind", "dpt", "--desa", GRABAG_DESA, "--user", "desa")
    assert result.exit_code == 2
    assert rosters() == []


def test_an_xlsx_voter_list_loads(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(DPT_HEADER)
    for row in DPT_ROWS:
        sheet.append(row)
    workbook.save(tmp_path / "dpt.xlsx")
    result = import_roster(str(tmp_path / "dpt.xlsx"), "--kind", "dpt", "--desa", GRABAG_DESA)
    assert result.exit_code == 0, result.output
    with unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(RosterRow)) == 3


def test_a_roster_for_an_unknown_school_is_refused(tmp_path):
    path = write(tmp_path / "roster.csv", DAFTAR_PD_HEADER, DAFTAR_PD_ROWS)
    result = import_roster(str(path), "--kind", "dapodik", "--npsn", "99999999")
    assert result.exit_code == 2
    assert "NPSN 99999999 belum terdaftar" in said(result)


def test_an_unreadable_sex_is_a_warning_and_left_empty(tmp_path):
    bad = [[*DAFTAR_PD_ROWS[0][:3], "X", *DAFTAR_PD_ROWS[0][4:]]]
    result = import_roster(str(write(tmp_path / "bad.csv", DAFTAR_PD_HEADER, bad)),
                           "--kind", "dapodik", "--npsn", SMA)
    assert result.exit_code == 0, result.output
    (problem,) = report_of(result.output)
    assert (problem["baris"], problem["kolom"], problem["tingkat"]) == ("2", "JK", "peringatan")
    assert rows()[0].sex is None
