"""The demo's roster files as schools and pesantren hand them over, and their truth.

Schools alternate between Dapodik's two forms (FORMATS.md §3): the "Daftar PD" sheet
saved as CSV with its title block (`rosters/<npsn>.csv`), and rows saved from the
Dapodik web service with an `npsn` column (`rosters/<npsn>.ws.csv`). Pesantren keep a
list of their own, mostly without NIK. Every row's real identity goes to
`truth/<kind>.csv` (`kind, owner, line, resident_nik`; empty when the person is not in
the registry), so record linkage can be measured against it.
"""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jemput.demo import noise, population
from jemput.demo.population import FEMALE

if TYPE_CHECKING:
    from jemput.demo.institutions import Candidate, School

TRUTH_HEADER = ["kind", "owner", "line", "resident_nik"]
DAFTAR_PD_TITLE = 3  # title rows above the header (the header is line 4)
DAFTAR_PD_HEADER = [
    "No", "Nama", "NIPD", "JK", "NISN", "Tempat Lahir", "Tanggal Lahir", "NIK", "Agama",
    "Alamat", "RT", "RW", "Dusun", "Kelurahan", "Kecamatan", "Rombel Saat Ini",
    "Kebutuhan Khusus",
]
WEB_SERVICE_HEADER = ["npsn", "nisn", "nik", "nama", "jenis_kelamin", "tempat_lahir",
                      "tanggal_lahir", "nama_ibu", "agama_id", "nama_rombel"]
PESANTREN_HEADER = ["No", "Nama Santri", "Jenis Kelamin", "Tempat Lahir", "Tanggal Lahir",
                    "Nama Ayah", "Nama Ibu", "Kelas", "NIK"]
SMK_MAJORS = ("TKJ", "TKR", "TBSM", "AKL", "OTKP", "TB")
ROMAN = {10: "X", 11: "XI", 12: "XII"}
# Dapodik religion labels differ slightly from SIAK's.
AGAMA_DAPODIK = {1: "Islam", 2: "Kristen", 3: "Katholik", 4: "Hindu", 5: "Budha",
                 6: "Khonghucu", 7: "Kepercayaan kpd Tuhan YME"}
# SIAK PNYDNG_CCT -> Dapodik kebutuhan khusus.
KEBUTUHAN_KHUSUS = {1: "D - Tuna daksa ringan", 2: "A - Tuna netra", 3: "B - Tuna rungu",
                    4: "C - Tuna grahita ringan", 5: "G - Tuna ganda", 6: "Q - Autis"}
SCHOOL_NOISE = noise.Rates(nik_missing=0.01, nik_mistyped=0.01)
# Pesantren write NIK rarely and by hand: names and dates carry more noise.
PESANTREN_NOISE = noise.Rates(misspell=0.05, vowel=0.04, typo=0.02, day_month=0.02,
                              nik_missing=0.0, nik_mistyped=0.03)
PESANTREN_NIK_SHARE = 0.2


class TruthFile:
    """`truth/<kind>.csv`: for each roster row, the resident it really is (or none)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.writer.writerow(TRUTH_HEADER)

    def add(self, *, kind: str, owner: str, line: int, resident_nik: str | None) -> None:
        self.writer.writerow([kind, owner, line, resident_nik or ""])

    def close(self) -> None:
        self.handle.close()


class RosterFiles:
    """Writes each school's roster in its form, and the truth of every row."""

    def __init__(self, *, rng: random.Random, directory: Path, truth: Path,
                 reference_date: date) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.rng = rng
        self.directory = directory
        self.reference_date = reference_date
        self.truth = {kind: TruthFile(truth / f"{kind}.csv") for kind in ("dapodik", "pesantren")}
        self.nisns: set[str] = set()
        self.schools_written = 0

    def write_school(self, school: School) -> None:
        """Write one school's roster: pesantren form, or one of the two Dapodik forms."""
        if not school.students:
            return  # a header alone is no roster (the import refuses it)
        if school.kind == "PESANTREN":
            self._write(school, "pesantren", f"{school.npsn}.csv", PESANTREN_HEADER, 0,
                        self._pesantren_row)
        elif self.schools_written % 2 == 0:
            self._write(school, "dapodik", f"{school.npsn}.csv", DAFTAR_PD_HEADER,
                        DAFTAR_PD_TITLE, self._daftar_pd_row)
        else:
            self._write(school, "dapodik", f"{school.npsn}.ws.csv", WEB_SERVICE_HEADER, 0,
                        self._web_service_row)
        if school.kind != "PESANTREN":
            self.schools_written += 1

    def close(self) -> None:
        for truth in self.truth.values():
            truth.close()

    def _write(self, school: School, kind: str, name: str, header: list[str], title: int,
               row: Any) -> None:
        with (self.directory / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            if title:
                writer.writerows([["Daftar Peserta Didik"], [school.name], []][:title])
            writer.writerow(header)
            for number, (person, grade) in enumerate(school.students, start=1):
                writer.writerow(row(school, number, person, grade))
                self.truth[kind].add(kind=kind, owner=school.npsn, line=title + 1 + number,
                                     resident_nik=person.nik if person.resident else None)

    def _noisy(self, person: Candidate, rates: noise.Rates) -> tuple[str, date, str]:
        rng = self.rng
        return (noise.noisy_name(rng, person.name, rates),
                noise.noisy_date(rng, person.birth_date, rates),
                noise.noisy_nik(rng, person.nik, rates))

    def _daftar_pd_row(self, school: School, number: int, person: Candidate,
                       grade: int) -> list[object]:
        name, born, nik = self._noisy(person, SCHOOL_NOISE)
        entry_year = (self.reference_date.year - (grade - 10)
                      - (1 if self.reference_date.month < 7 else 0))
        return [
            number, name.title(), f"{entry_year % 100:02d}{school.npsn[-2:]}{number:04d}",
            "P" if person.sex == FEMALE else "L", self._nisn(person.birth_date.year),
            person.birthplace.title(), born.isoformat(), nik,
            AGAMA_DAPODIK.get(person.religion, "Lainnya"), person.address, person.rt,
            person.rw, person.dusun.title(), person.desa.name.title(),
            person.desa.kecamatan_name.title(), _rombel(self.rng, school.kind, grade),
            KEBUTUHAN_KHUSUS.get(person.disability or 0, "Tidak ada"),
        ]

    def _web_service_row(self, school: School, number: int, person: Candidate,
                         grade: int) -> list[object]:
        name, born, nik = self._noisy(person, SCHOOL_NOISE)
        return [
            school.npsn, self._nisn(person.birth_date.year), nik, name,
            "P" if person.sex == FEMALE else "L", person.birthplace, born.isoformat(),
            self._mother(person), person.religion if person.religion <= 7 else 99,
            _rombel(self.rng, school.kind, grade),
        ]

    def _pesantren_row(self, school: School, number: int, person: Candidate,
                       grade: int) -> list[object]:
        name, born, nik = self._noisy(person, PESANTREN_NOISE)
        father = population.person_name(self.rng, 1, person.birth_date.year - 30)
        return [
            number, name.title(), "Perempuan" if person.sex == FEMALE else "Laki-laki",
            person.birthplace.title(), f"{born:%d/%m/%Y}", father.title(),
            self._mother(person).title(), _rombel(self.rng, school.kind, grade),
            nik if self.rng.random() < PESANTREN_NIK_SHARE else "",
        ]

    def _mother(self, person: Candidate) -> str:
        # The registry keeps no mother's name; the roster's is plausible, not linkable.
        return population.person_name(self.rng, FEMALE, person.birth_date.year - 27)

    def _nisn(self, birth_year: int) -> str:
        # NISN starts with the last three digits of the birth year (e.g. 009... for 2009).
        while True:
            nisn = f"{birth_year % 1000:03d}{self.rng.randint(0, 9_999_999):07d}"
            if nisn not in self.nisns:
                self.nisns.add(nisn)
                return nisn


def _rombel(rng: random.Random, kind: str, grade: int) -> str:
    roman = ROMAN[grade]
    if kind == "SMK":
        return f"{roman} {rng.choice(SMK_MAJORS)} {rng.randint(1, 3)}"
    if kind == "MA":
        return f"{roman} {rng.choice(('IPA', 'IPS', 'AGAMA'))} {rng.randint(1, 2)}"
    if kind == "SLB":
        return f"{roman} SMALB"
    if kind == "PESANTREN":
        return f"ULYA {grade - 9}"
    return f"{roman}-{rng.randint(1, 8)}"
