"""Roster files as schools, pesantren and the KPU hand them over, for the tests."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from jemput.cli import app

runner = CliRunner()
SMA = "20303001"
PESANTREN = "PP33060001"
GRABAG_DESA = "33.06.01.2001"  # inside the kecamatan operator's scope
OTHER_KECAMATAN_DESA = "33.06.06.1007"  # Purworejo town: outside it
SCHOOLS = [
    ["npsn", "nama", "jenis", "desa_code", "latitude", "longitude"],
    [SMA, "SMA NEGERI 1 PURWOREJO", "SMA", OTHER_KECAMATAN_DESA, "", ""],
    ["20301002", "SMK MUHAMMADIYAH GRABAG", "SMK", GRABAG_DESA, "", ""],
    [PESANTREN, "PONDOK PESANTREN AN-NUR GRABAG", "PESANTREN", GRABAG_DESA, "", ""],
]
DAFTAR_PD_HEADER = [
    "No", "Nama", "NIPD", "JK", "NISN", "Tempat Lahir", "Tanggal Lahir", "NIK", "Agama",
    "Alamat", "RT", "RW", "Dusun", "Kelurahan", "Kecamatan", "Rombel Saat Ini",
    "Kebutuhan Khusus",
]
DAFTAR_PD_ROWS = [
    ["1", "Ayu Lestari", "24010001", "P", "0091234567", "Purworejo", "2009-05-14",
     "3306065405090001", "Islam", "JL. PAHLAWAN NO. 3", "1", "2", "Kauman", "Cangkrepkidul",
     "Purworejo", "X-1", "Tidak ada"],
    ["2", "Bima Satria", "24010002", "L", "91234568", "Kebumen", "14-02-2009", "",
     "Islam", "DUSUN KRAJAN", "3", "1", "Krajan", "Cangkrepkidul", "Purworejo", "XI-2",
     "B - Tuna rungu"],
]
WEB_SERVICE_HEADER = ["npsn", "nisn", "nik", "nama", "jenis_kelamin", "tempat_lahir",
                      "tanggal_lahir", "nama_ibu", "agama_id", "nama_rombel"]
WEB_SERVICE_ROWS = [
    [SMA, "0091234567", "3306065405090001", "AYU LESTARI", "P", "PURWOREJO", "2009-05-14",
     "SITI AMINAH", "1", "X-1"],
    [SMA, "0091234568", "", "BIMA SATRIA", "L", "KEBUMEN", "2009-02-14", "SRI WAHYUNI", "1",
     "XI-2"],
]
PESANTREN_HEADER = ["No", "Nama Santri", "Jenis Kelamin", "Tempat Lahir", "Tanggal Lahir",
                    "Nama Ayah", "Nama Ibu", "Kelas"]
PESANTREN_ROWS = [
    ["1", "Ahmad Fauzi", "L", "Purworejo", "03-07-2008", "Slamet", "Sumiyati", "Ulya 2"],
    ["2", "Nur Halimah", "P", "Wonosobo", "21-11-2009", "Darmo", "Painem", "Ulya 1"],
]
DPT_HEADER = ["NKK", "NIK", "NAMA", "TEMPAT_LAHIR", "TANGGAL_LAHIR", "JENIS_KELAMIN",
              "STATUS_KAWIN", "ALAMAT", "RT", "RW", "TPS", "DISABILITAS"]
DPT_ROWS = [
    ["3306012001800001", "3306011203800001", "SUPARMAN", "PURWOREJO", "12-03-1980", "L", "S",
     "DUSUN KRAJAN", "1", "2", "1", "0"],
    ["3306012001800001", "3306015506850002", "SUMIYATI", "PURWOREJO", "15-06-1985", "P", "S",
     "DUSUN KRAJAN", "1", "2", "1", "6"],
    ["3306012001800002", "", "WAGIMIN", "KEBUMEN", "01-01-1950", "L", "P", "DUSUN KIDUL",
     "3", "1", "2", "1"],
]


def write(path: Path, header: list[str], rows: list[list[str]], *, title: bool = False) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        if title:  # Dapodik's Excel export puts a title block above the header
            writer.writerows([["Daftar Peserta Didik"], ["SMA NEGERI 1 PURWOREJO"], []])
        writer.writerow(header)
        writer.writerows(rows)
    return path


def load_schools(tmp_path: Path) -> None:
    result = runner.invoke(app, ["schools", "import", str(write(tmp_path / "sekolah.csv",
                                                                SCHOOLS[0], SCHOOLS[1:]))])
    assert result.exit_code == 0, result.output


def import_roster(*args: str):
    return runner.invoke(app, ["rosters", "import", *args])
