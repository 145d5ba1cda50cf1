"""The desa of the demo regency, read from the packaged region files, with demo traits."""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from importlib import resources

REGENCY_PREFIX = "3306"  # Kabupaten Purworejo, 33.06

# Bruno, Bener and Kaligesing lie in the Menoreh and Sumbing foothills: long roads,
# weak signal, the lowest recording coverage in the regency.
MOUNTAIN_KECAMATAN = frozenset({"33.06.13", "33.06.16", "33.06.05"})
# Elsewhere a few desa are remote too (hill hamlets of Loano, Gebang, Pituruh...).
REMOTE_DESA_SHARE = 0.08
# Purworejo and Kutoarjo are the regency's towns; their kelurahan are the densest.
TOWN_KECAMATAN = frozenset({"33.06.06", "33.06.09"})


@dataclass(frozen=True, slots=True)
class Desa:
    code: str  # "33.06.01.2001"
    name: str
    kecamatan_code: str  # "33.06.01"
    kecamatan_name: str
    latitude: float
    longitude: float
    remote: bool  # a mountain kecamatan or an isolated desa: lower coverage

    @property
    def kelurahan(self) -> bool:
        return self.code[-4] == "1"

    @property
    def no_kec(self) -> int:
        return int(self.code[6:8])

    @property
    def no_kel(self) -> str:
        return self.code[-4:]

    @property
    def nik_prefix(self) -> str:
        """The 6-digit kecamatan prefix of NIKs and KK numbers issued here."""
        return REGENCY_PREFIX + self.code[6:8]


def _rows(name: str) -> list[dict[str, str]]:
    data = resources.files("jemput.regions") / "data" / name
    return list(csv.DictReader(io.StringIO(data.read_text(encoding="utf-8-sig"))))


def load_desa(rng: random.Random) -> list[Desa]:
    """Return every desa/kelurahan of the regency in code order, remote ones marked."""
    kecamatan = {row["code"]: row["name"] for row in _rows("districts.csv")}
    centres = {row["code"]: (float(row["latitude"]), float(row["longitude"]))
               for row in _rows("centres.csv")}
    result = []
    for row in sorted(_rows("villages.csv"), key=lambda r: r["code"]):
        code = row["code"]
        kec = row["district_code"]
        lat, lng = centres[code]
        # Drawn for every desa, even in mountain kecamatan, so the sequence of draws
        # does not depend on which kecamatan are mountainous.
        remote_draw = rng.random() < REMOTE_DESA_SHARE and code[-4] == "2"
        result.append(Desa(
            code=code,
            name=row["name"].upper(),
            kecamatan_code=kec,
            kecamatan_name=kecamatan[kec].upper(),
            latitude=lat,
            longitude=lng,
            remote=kec in MOUNTAIN_KECAMATAN or remote_draw,
        ))
    return result
