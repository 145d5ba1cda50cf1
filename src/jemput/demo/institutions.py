"""Schools, madrasah, SLB and pesantren of the demo regency, and their student rosters.

Students are residents of the generated population, so record linkage can later be
tested against a known truth. The rosters carry the noise real Dapodik data has against
SIAK: a few misspelled names and missing or mistyped NIKs.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jemput.demo import names
from jemput.demo.population import FEMALE, Sampler
from jemput.demo.regency import Desa

SCHOOLS_HEADER = ["npsn", "nama", "jenis", "desa_code", "latitude", "longitude"]
ROSTER_HEADER = [
    "No", "Nama", "NIPD", "JK", "NISN", "Tempat Lahir", "Tanggal Lahir", "NIK", "Agama",
    "Alamat", "RT", "RW", "Dusun", "Kelurahan", "Kecamatan", "Rombel Saat Ini",
    "Kebutuhan Khusus",
]
# Purworejo at full scale (Dapodik/Kemenag counts rounded).
FULL_COUNTS = {"SMA": 20, "SMK": 30, "MA": 15, "SLB": 3, "PESANTREN": 40}
NEGERI_COUNTS = {"SMA": 11, "SMK": 9, "MA": 3}
PRIVATE_FOUNDATIONS = {
    "SMA": ("MUHAMMADIYAH", "PGRI", "BRUDERAN", "KRISTEN", "ISLAM"),
    "SMK": ("MUHAMMADIYAH", "MA'ARIF", "PN", "BATIK", "PANCASILA", "KESEHATAN"),
    "MA": ("MA'ARIF", "MUHAMMADIYAH", "AL-IKHSAN", "NU", "WALISONGO"),
}
ENROLMENT_BY_AGE = {15: 0.5, 16: 0.85, 17: 0.82, 18: 0.45, 19: 0.08}
KIND_OF_SCHOOL = Sampler([("SMA", 34), ("SMK", 46), ("MA", 14), ("PESANTREN", 6)])
SMK_MAJORS = ("TKJ", "TKR", "TBSM", "AKL", "OTKP", "TB")
ROMAN = {10: "X", 11: "XI", 12: "XII"}
# Dapodik religion labels differ slightly from SIAK's.
AGAMA_DAPODIK = {1: "Islam", 2: "Kristen", 3: "Katholik", 4: "Hindu", 5: "Budha",
                 6: "Khonghucu", 7: "Kepercayaan kpd Tuhan YME"}
# SIAK PNYDNG_CCT -> Dapodik kebutuhan khusus.
KEBUTUHAN_KHUSUS = {1: "D - Tuna daksa ringan", 2: "A - Tuna netra", 3: "B - Tuna rungu",
                    4: "C - Tuna grahita ringan", 5: "G - Tuna ganda", 6: "Q - Autis"}
# Spelling variants school operators and SIAK clerks disagree on.
SPELLING_VARIANTS = (
    ("MUHAMMAD", "MUHAMAD"), ("MUHAMMAD", "MOCHAMMAD"), ("AHMAD", "ACHMAD"),
    ("KH", "K"), ("DH", "D"), ("TH", "T"), ("Y", "I"), ("U", "OE"), ("SY", "S"),
    ("NUR", "NOER"), ("PUTRI", "PUTERI"), ("SS", "S"), ("A", "AH"),
)
NAME_NOISE = 0.03
NIK_NOISE = 0.02


@dataclass(frozen=True, slots=True)
class Candidate:
    """A resident of school age, as the generator wrote them to the SIAK file."""

    nik: str
    name: str
    sex: int
    birth_date: date
    birthplace: str
    religion: int
    address: str
    rt: int
    rw: int
    dusun: str
    desa: Desa
    disability: int | None
    age: int


@dataclass(slots=True)
class School:
    npsn: str
    name: str
    kind: str
    desa: Desa
    latitude: float
    longitude: float
    students: list[tuple[Candidate, int]] = field(default_factory=list)  # (who, grade)


def make_schools(*, rng: random.Random, villages: list[Desa], scale: float) -> list[School]:
    """Place the schools in the kecamatan towns (pesantren anywhere), at least one of a kind."""
    by_kecamatan: dict[str, list[Desa]] = {}
    for desa in villages:
        by_kecamatan.setdefault(desa.kecamatan_code, []).append(desa)
    towns = {code: _town(members) for code, members in by_kecamatan.items()}
    # Purworejo and Kutoarjo towns hold most of the regency's SMA and SMK.
    kecamatan = Sampler([(code, 5.0 if code == "33.06.06" else 3.0 if code == "33.06.09"
                          else 1.0) for code in sorted(towns)])
    schools: list[School] = []
    npsns: set[str] = set()
    for kind, full in FULL_COUNTS.items():
        used_names: set[str] = set()
        for number in range(1, max(1, round(full * scale)) + 1):
            if kind == "PESANTREN":
                desa = rng.choice(villages)
            else:
                code = str(kecamatan(rng))
                desa = towns[code] if rng.random() < 0.75 else rng.choice(by_kecamatan[code])
            name = _school_name(rng, kind, number, desa, used_names)
            npsn = _npsn(rng, kind, npsns)
            lat = desa.latitude + rng.gauss(0.0, 0.003)
            lng = desa.longitude + rng.gauss(0.0, 0.003)
            schools.append(School(npsn, name, kind, desa, round(lat, 5), round(lng, 5)))
    return schools


def _town(members: list[Desa]) -> Desa:
    kelurahan = [d for d in members if d.kelurahan]
    if kelurahan:
        return kelurahan[0]
    lat = sum(d.latitude for d in members) / len(members)
    lng = sum(d.longitude for d in members) / len(members)
    return min(members, key=lambda d: (d.latitude - lat) ** 2 + (d.longitude - lng) ** 2)


def _school_name(rng: random.Random, kind: str, number: int, desa: Desa,
                 used: set[str]) -> str:
    town = desa.kecamatan_name
    if kind == "PESANTREN":
        base = f"PONDOK PESANTREN {rng.choice(names.PESANTREN_NAMES)} {desa.name}"
    elif kind == "SLB":
        foundation = rng.choice(("YPPLB", "WIYATA DHARMA", "ABCD"))
        base = "SLB NEGERI PURWOREJO" if number == 1 else f"SLB {foundation} {town}"
    elif number <= NEGERI_COUNTS[kind]:
        base = f"{kind} NEGERI {number} PURWOREJO"
    else:
        base = f"{kind} {rng.choice(PRIVATE_FOUNDATIONS[kind])} {town}"
    name, suffix = base, 2
    while name in used:
        name = f"{base} {suffix}"
        suffix += 1
    used.add(name)
    return name


def _npsn(rng: random.Random, kind: str, used: set[str]) -> str:
    while True:
        # Pesantren are not in Dapodik; a made-up id keeps them addressable.
        npsn = (f"PP3306{rng.randint(1, 9999):04d}" if kind == "PESANTREN"
                else f"2030{rng.randint(0, 9999):04d}")
        if npsn not in used:
            used.add(npsn)
            return npsn


def write_schools(*, path: Path, schools: list[School]) -> None:
    """Write schools.csv."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SCHOOLS_HEADER)
        for s in schools:
            writer.writerow([s.npsn, s.name, s.kind, s.desa.code, f"{s.latitude:.5f}",
                             f"{s.longitude:.5f}"])


def write_rosters(*, rng: random.Random, directory: Path, schools: list[School],
                  candidates: list[Candidate], villages: list[Desa],
                  reference_date: date) -> int:
    """Enrol school-age residents in nearby schools; write one Daftar PD CSV per school."""
    directory.mkdir(parents=True, exist_ok=True)
    nearest = _NearestSchools(schools)
    rand = rng.random
    for person in candidates:
        if person.disability is not None and rand() < 0.6:
            kind = "SLB"
        elif rand() < ENROLMENT_BY_AGE.get(person.age, 0.0):
            kind = str(KIND_OF_SCHOOL(rng))
        else:
            continue
        grade = min(12, max(10, person.age - 5 - (rand() < 0.5)))
        nearest.pick(rng, person.desa, kind).students.append((person, grade))
    nisns: set[str] = set()
    total = 0
    for school in schools:
        school.students.sort(key=lambda pair: (pair[0].name, pair[0].nik))
        with (directory / f"{school.npsn}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(ROSTER_HEADER)
            for number, (person, grade) in enumerate(school.students, start=1):
                writer.writerow(_roster_row(rng, school, number, person, grade, nisns,
                                            reference_date))
        total += len(school.students)
    return total


class _NearestSchools:
    """Choose a school of a kind, preferring near ones (weight 1/(d + 1.5 km)²)."""

    def __init__(self, schools: list[School]) -> None:
        self._by_kind: dict[str, list[School]] = {}
        for school in schools:
            self._by_kind.setdefault(school.kind, []).append(school)
        self._cache: dict[tuple[str, str], Sampler] = {}

    def pick(self, rng: random.Random, desa: Desa, kind: str) -> School:
        key = (desa.code, kind)
        sampler = self._cache.get(key)
        if sampler is None:
            pairs = []
            for school in self._by_kind[kind]:
                km = 111.0 * math.hypot(school.latitude - desa.latitude,
                                        school.longitude - desa.longitude)
                pairs.append((school, 1.0 / (km + 1.5) ** 2))
            sampler = self._cache[key] = Sampler(pairs)  # type: ignore[arg-type]
        return sampler(rng)  # type: ignore[return-value]


def _roster_row(rng: random.Random, school: School, number: int, person: Candidate,
                grade: int, nisns: set[str], reference_date: date) -> list[object]:
    name = misspell(rng, person.name) if rng.random() < NAME_NOISE else person.name
    nik = person.nik
    if rng.random() < NIK_NOISE:
        nik = "" if rng.random() < 0.5 else mistype(rng, nik)
    nisn = ""
    if school.kind != "PESANTREN" or rng.random() < 0.7:
        nisn = _nisn(rng, person.birth_date.year, nisns)
    entry_year = reference_date.year - (grade - 10) - (1 if reference_date.month < 7 else 0)
    return [
        number, name, f"{entry_year % 100:02d}{school.npsn[-2:]}{number:04d}",
        "P" if person.sex == FEMALE else "L", nisn, person.birthplace.title(),
        person.birth_date.isoformat(), nik, AGAMA_DAPODIK.get(person.religion, "Lainnya"),
        person.address, person.rt, person.rw, person.dusun.title(), person.desa.name.title(),
        person.desa.kecamatan_name.title(), _rombel(rng, school.kind, grade),
        KEBUTUHAN_KHUSUS.get(person.disability or 0, "Tidak ada"),
    ]


def _nisn(rng: random.Random, birth_year: int, used: set[str]) -> str:
    # NISN starts with the last three digits of the birth year (e.g. 009... for 2009).
    while True:
        nisn = f"{birth_year % 1000:03d}{rng.randint(0, 9_999_999):07d}"
        if nisn not in used:
            used.add(nisn)
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


def misspell(rng: random.Random, name: str) -> str:
    """Return a plausible misspelling of `name`: a known variant or two swapped letters."""
    variants = [(a, b) for a, b in SPELLING_VARIANTS if a in name]
    if variants:
        old, new = rng.choice(variants)
        return name.replace(old, new, 1)
    positions = [i for i in range(len(name) - 1) if name[i].isalpha() and name[i + 1].isalpha()
                 and name[i] != name[i + 1]]
    if not positions:
        return name + "H"
    i = rng.choice(positions)
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def mistype(rng: random.Random, nik: str) -> str:
    """Return `nik` with one digit changed, as a typing slip would."""
    i = rng.randrange(6, 16)
    digit = str((int(nik[i]) + rng.randint(1, 9)) % 10)
    return nik[:i] + digit + nik[i + 1:]
