"""Small SIAK-layout files for tests, written the way SIAK exports them."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

SIAK_HEADER = [
    "NIK", "NO_KK", "NAMA_LGKP", "TMPT_LHR", "TGL_LHR", "JENIS_KLMIN", "AGAMA", "STAT_KWN",
    "STAT_HBKEL", "PNYDNG_CCT", "NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL", "ALAMAT", "NO_RT",
    "NO_RW", "DUSUN", "CURRENT_STATUS_CODE", "FLAG_STATUS",
]
DESA = "33.06.01.2001"  # a real desa of Kecamatan Grabag


def make_nik(*, kecamatan: str = "330601", born: date, sex: int, serial: int) -> str:
    day = born.day + (40 if sex == 2 else 0)
    return f"{kecamatan}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


@dataclass
class Person:
    name: str
    born: date
    sex: int = 1
    serial: int = 1
    marital: int = 1
    status: str = "CARD_ISSUED"
    desa: str = DESA
    disability: str = ""
    kk: str = "3306010101200001"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def nik(self) -> str:
        return make_nik(born=self.born, sex=self.sex, serial=self.serial)

    def but(self, **changes: object) -> Person:
        return replace(self, **changes)  # type: ignore[arg-type]

    def row(self) -> dict[str, str]:
        prop, kab, kec, kel = self.desa.split(".")
        return {
            "NIK": self.nik, "NO_KK": self.kk, "NAMA_LGKP": self.name,
            "TMPT_LHR": "PURWOREJO", "TGL_LHR": self.born.strftime("%d-%m-%Y"),
            "JENIS_KLMIN": str(self.sex), "AGAMA": "1", "STAT_KWN": str(self.marital),
            "STAT_HBKEL": "4", "PNYDNG_CCT": self.disability,
            # SIAK keeps region parts as numbers: the leading zeros are gone.
            "NO_PROP": str(int(prop)), "NO_KAB": str(int(kab)), "NO_KEC": str(int(kec)),
            "NO_KEL": kel, "ALAMAT": "DUSUN KRAJAN", "NO_RT": "1", "NO_RW": "2",
            "DUSUN": "KRAJAN", "CURRENT_STATUS_CODE": self.status, "FLAG_STATUS": "0",
        } | self.extra


def family() -> list[Person]:
    """Five residents of one desa with different situations."""
    return [
        Person("SUMARNO", date(1970, 5, 4), 1, 1, marital=2),
        Person("SITI AMINAH", date(1972, 8, 17), 2, 1, marital=2),
        Person("BUDI SANTOSO", date(2008, 1, 9), 1, 1, status="UNREGISTERED"),
        Person("MBAH KARTO", date(1935, 2, 1), 1, 1, status="UNREGISTERED", disability="1"),
        Person("DEWI LESTARI", date(2000, 12, 30), 2, 1, status="PRINT_READY_RECORD"),
    ]


def write_siak(path: Path, people: list[Person], *, rows: list[dict[str, str]] | None = None,
               delimiter: str = ",") -> Path:
    header = list(SIAK_HEADER)
    all_rows = [p.row() for p in people] + (rows or [])
    for row in all_rows:
        header += [k for k in row if k not in header]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(all_rows)
    return path
