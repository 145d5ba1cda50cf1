"""The demo's KPU voter lists: one DPT per desa (FORMATS.md §4), and their truth.

A DPT is built by KPU from Dukcapil's DP4 and corrected door to door (coklit), so it
mostly agrees with SIAK, but not quite: names as the officer heard them, dates with day
and month swapped, a NIK missing or mistyped, voters who moved in and are registered in
another regency, or whom the registry does not know at all, and residents the list
missed. Which resident each row really is goes to `truth/dpt.csv`.
"""

from __future__ import annotations

import csv
import random
from datetime import date, datetime
from pathlib import Path

from jemput.demo import names, noise, population
from jemput.demo.population import FEMALE
from jemput.demo.regency import Desa
from jemput.demo.roster_files import TruthFile
from jemput.residents.eligibility import age_on

DPT_DIR = "dpt"
DPT_HEADER = ["NKK", "NIK", "NAMA", "TEMPAT_LAHIR", "TANGGAL_LAHIR", "JENIS_KELAMIN",
              "STATUS_KAWIN", "ALAMAT", "RT", "RW", "TPS", "DISABILITAS"]
VOTERS_PER_TPS = 280
VOTER_AGE = 17
DPT_NOISE = noise.Rates(misspell=0.02, vowel=0.02, typo=0.01, day_month=0.01,
                        nik_missing=0.01, nik_mistyped=0.01)
MISSED = 0.02  # residents the list does not have
UNKNOWN = 0.015  # voters the registry does not know (half of them from another regency)
KAWIN = {1: "B", 2: "S", 3: "P", 4: "P"}
# SIAK PNYDNG_CCT -> KPU 2024 scheme (1 Fisik ... 6 Sensorik Netra); "lainnya" has none.
DISABILITY_2024 = {1: 1, 2: 6, 3: 5, 4: 3, 5: 1}


class VoterBook:
    """Collects each desa's adult residents from the SIAK rows as they are generated."""

    def __init__(self, reference_date: date) -> None:
        self.reference_date = reference_date
        self.by_desa: dict[str, tuple[Desa, list[list[object]]]] = {}

    def add_desa(self, desa: Desa, rows: list[list[object]]) -> None:
        """Keep the SIAK rows of `desa` whose person is a voter (17+, or ever married)."""
        voters = []
        for row in rows:
            born = datetime.strptime(str(row[4]), "%d-%m-%Y").date()  # noqa: DTZ007
            if row[21] != "WNI":
                continue
            if age_on(born, self.reference_date) >= VOTER_AGE or row[7] != 1:
                voters.append(row)
        self.by_desa[desa.code] = (desa, voters)


def write_voter_lists(*, rng: random.Random, directory: Path, truth: Path,
                      book: VoterBook) -> int:
    """Write `dpt/<desa code>.csv` for every desa and truth/dpt.csv; return the row count."""
    (directory / DPT_DIR).mkdir(parents=True, exist_ok=True)
    truth_file = TruthFile(truth / "dpt.csv")
    total = 0
    for code, (desa, residents) in book.by_desa.items():
        listed: list[tuple[list[object], str | None]] = [
            (_voter_row(rng, row), str(row[0])) for row in residents if rng.random() >= MISSED
        ]
        # Drawn per resident, so a small desa has its stranger now and then too.
        for _ in range(sum(rng.random() < UNKNOWN for _ in residents)):
            listed.append((_unknown_voter(rng, desa, book.reference_date), None))
        if not listed:
            continue  # a tiny demo's desa may have no adult: a header alone is no list
        # KPU sorts by RW, RT and family; a TPS takes the next few hundred voters.
        listed.sort(key=lambda pair: (str(pair[0][9]), str(pair[0][8]), str(pair[0][0])))
        with (directory / DPT_DIR / f"{code}.csv").open("w", encoding="utf-8",
                                                          newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(DPT_HEADER)
            for index, (row, resident_nik) in enumerate(listed):
                row[10] = f"{index // VOTERS_PER_TPS + 1:03d}"
                writer.writerow(row)
                truth_file.add(kind="dpt", owner=code, line=index + 2,
                               resident_nik=resident_nik)
        total += len(listed)
    truth_file.close()
    return total


def _voter_row(rng: random.Random, siak: list[object]) -> list[object]:
    born = datetime.strptime(str(siak[4]), "%d-%m-%Y").date()  # noqa: DTZ007
    disability = siak[9]
    return [
        siak[1], noise.noisy_nik(rng, str(siak[0]), DPT_NOISE),
        noise.noisy_name(rng, str(siak[2]), DPT_NOISE), siak[3],
        f"{noise.noisy_date(rng, born, DPT_NOISE):%d-%m-%Y}", "P" if siak[5] == FEMALE else "L",
        KAWIN.get(int(str(siak[7])), "B"), siak[14], f"{int(str(siak[15])):03d}",
        f"{int(str(siak[16])):03d}", "",
        DISABILITY_2024.get(int(str(disability)), 0) if disability != "" else 0,
    ]


def _unknown_voter(rng: random.Random, desa: Desa, reference_date: date) -> list[object]:
    age = rng.randint(VOTER_AGE, 80)
    born = date.fromordinal(reference_date.toordinal() - int((age + rng.random()) * 365.2425))
    sex = rng.choice((1, FEMALE))
    day = born.day + (40 if sex == FEMALE else 0)
    if rng.random() < 0.5:  # moved in, still registered in another regency
        prefix, place = rng.choice([(p, c) for p, c, _ in names.OUTSIDE_ORIGINS])
    else:  # a NIK of this kecamatan that the registry does not hold
        prefix, place = desa.nik_prefix, "PURWOREJO"
    nik = f"{prefix}{day:02d}{born:%m%y}{rng.randint(9000, 9999):04d}"
    kk = f"{prefix}{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(0, 99):02d}" \
         f"{rng.randint(9000, 9999):04d}"
    return [kk, nik if rng.random() < 0.9 else "", population.person_name(rng, sex, born.year),
            place, f"{born:%d-%m-%Y}", "P" if sex == FEMALE else "L",
            "S" if age > 25 else "B", f"DUSUN {rng.choice(names.DUSUN_NAMES)}",
            f"{rng.randint(1, 6):03d}", f"{rng.randint(1, 4):03d}", "", 0]
