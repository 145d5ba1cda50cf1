"""The other exports offices hold: the 'Data Penduduk' spreadsheet and OpenSID's template."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from sqlalchemy import select
from typer.testing import CliRunner

from jemput.cli import app
from jemput.db import unit_of_work
from jemput.residents.models import Resident
from tests.residents.siak_files import make_nik

runner = CliRunner()

DATA_PENDUDUK_HEADER = (
    "Nomor KK, NIK, Nama Penduduk, Status, Tempat Lahir, Tanggal Lahir, Kelamin, NIK Ayah, "
    "Ayah, NIK Ibu, Ibu, Status Kawin, SHDK, Agama, Kecamatan, Desa/Kel, Alamat, RW, RT, "
    "Pendidikan, Pekerjaan, Deskripsi Pekerjaan, Gol. Darah, Cacat, Cetak KTP, Ganti KTP, "
    "KTP Berakhir, Nomor Paspor, Nomor Akta Lahir, Nomor Akta Kawin, Tanggal Kwn, "
    "Nomor Akta Cerai, Tgl Cerai, Petugas Registrasi, Tgl Ubah, Petugas Entri, Tgl Entri"
).split(", ")

OPENSID_HEADER = (
    "alamat dusun rw rt nama no_kk nik sex tempatlahir tanggallahir agama_id pendidikan_kk_id "
    "pendidikan_sedang_id pekerjaan_id status_kawin kk_level warganegara_id ayah_nik nama_ayah "
    "ibu_nik nama_ibu golongan_darah_id akta_lahir dokumen_pasport tanggal_akhir_paspor "
    "dokumen_kitas akta_perkawinan tanggalperkawinan akta_perceraian tanggalperceraian cacat_id "
    "cara_kb_id hamil ktp_el status_rekam alamat_sekarang status_dasar suku tag_id_card "
    "id_asuransi no_asuransi lat lng"
).split()


def excel_serial(day: date) -> int:
    return (day - date(1899, 12, 30)).days


def stored() -> dict[str, Resident]:
    with unit_of_work() as session:
        return {r.nik: r for r in session.scalars(select(Resident))}


def data_penduduk_row(**values: object) -> list[object]:
    row: dict[str, object] = dict.fromkeys(DATA_PENDUDUK_HEADER, "")
    row.update({"Nomor KK": "3306012001200003", "Status": "Hidup", "Tempat Lahir": "PURWOREJO",
                "Status Kawin": "KAWIN", "SHDK": "KEPALA KELUARGA", "Agama": "ISLAM",
                "Kecamatan": "GRABAG", "Desa/Kel": "PATUTREJO", "Alamat": "DSN KRAJAN",
                "RW": 1, "RT": 3, "Gol. Darah": "Tdk Th", "Cacat": "-",
                "Petugas Registrasi": "OPERATOR"})
    row.update(values)
    return [row[column] for column in DATA_PENDUDUK_HEADER]


def test_data_penduduk_spreadsheet_with_labels_and_excel_dates(tmp_path):
    born = date(1984, 7, 21)
    nik = make_nik(born=born, sex=2, serial=5)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(DATA_PENDUDUK_HEADER)
    sheet.append(data_penduduk_row(**{
        "NIK": nik, "Nama Penduduk": "SRI   WAHYUNI", "Tanggal Lahir": excel_serial(born),
        "Kelamin": "Perempuan", "Cacat": "CACAT NETRA"}))
    sheet.append(data_penduduk_row(**{
        "NIK": make_nik(born=born, sex=1, serial=6), "Nama Penduduk": "X",
        "Tanggal Lahir": excel_serial(born), "Kelamin": "Laki-Laki", "Desa/Kel": "ATLANTIS"}))
    path = tmp_path / "data_penduduk.xlsx"
    workbook.save(path)

    strict = runner.invoke(app, ["residents", "import", str(path)])
    assert strict.exit_code == 1
    assert "GRABAG / ATLANTIS" in strict.output
    result = runner.invoke(app, ["residents", "import", str(path), "--accept-valid"])
    assert result.exit_code == 0, result.output
    resident = stored()[nik]
    assert resident.name == "SRI WAHYUNI"
    assert resident.birth_date == born
    assert resident.sex == 2
    assert resident.desa_code == "33.06.01.2002"
    assert resident.dusun == "KRAJAN"
    assert resident.rt == "003"
    assert resident.disability == 2
    # This layout says nothing about recording: the status stays unknown, not "unrecorded".
    assert resident.ktp_status is None


def test_opensid_template_needs_the_desa_and_stops_at_the_end_marker(tmp_path):
    born = date(2001, 2, 3)
    nik = make_nik(born=born, sex=1, serial=8)
    workbook = Workbook()
    workbook.active.title = "Kode Data"  # OpenSID's code-table sheet is skipped
    sheet = workbook.create_sheet("Data")
    sheet.append(OPENSID_HEADER)
    row = dict.fromkeys(OPENSID_HEADER, None)
    row.update({"alamat": "JL. MAWAR", "dusun": "DUSUN SATU", "rw": "2", "rt": "4",
                "nama": "AHMAD FAUZI", "no_kk": "3306012001200004", "nik": nik, "sex": "1",
                "tempatlahir": "PURWOREJO", "tanggallahir": "2001-02-03", "agama_id": "1",
                "status_kawin": "BK", "kk_level": "4", "warganegara_id": "1", "cacat_id": "7",
                "status_rekam": "5", "status_dasar": "1", "lat": "-7.80", "lng": "109.87"})
    sheet.append([row[c] for c in OPENSID_HEADER])
    sheet.append([None, "###"])
    sheet.append([row[c] if c != "nik" else "bukan nik" for c in OPENSID_HEADER])
    path = tmp_path / "opensid.xlsx"
    workbook.save(path)

    refused = runner.invoke(app, ["residents", "import", str(path)])
    assert refused.exit_code == 2
    assert "--desa" in refused.output
    result = runner.invoke(app, ["residents", "import", str(path), "--desa", "33.06.01.2001"])
    assert result.exit_code == 0, result.output
    resident = stored()[nik]
    assert resident.ktp_status == "PRINT_READY_RECORD"
    assert resident.disability is None
    assert resident.marital_status == 1
    assert (resident.latitude, resident.longitude) == (-7.8, 109.87)
    assert len(stored()) == 1  # the row after ### was never read


def test_unknown_layout_lists_what_it_expects(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("nama,umur\nBudi,17\n")
    result = runner.invoke(app, ["residents", "import", str(path)])
    assert result.exit_code == 2
    assert "tata letak berkas tidak dikenali" in result.output
