"""Schools, madrasah, SLB and pesantren of the demo regency, and their student rosters.

Students are residents of the generated population, so record linkage can later be
tested against a known truth. The rosters carry the noise real Dapodik data has against
SIAK (demo/noise.py), and a few students registered in another regency.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from jemput.demo import names, population, roster_files
from jemput.demo.population import FEMALE, Sampler
from jemput.demo.regency import Desa

SCHOOLS_HEADER = ["npsn", "nama", "jenis", "desa_code", "latitude", "longitude"]
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
# Students from outside the regency (their NIK is not in its SIAK): a share of a roster.
OUTSIDERS = 0.02


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
    resident: bool = True  # False: not in this regency's SIAK (the truth says "none")


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
                  reference_date: date, truth: Path) -> int:
    """Enrol school-age residents in nearby schools; write each school's roster file.

    Schools alternate between Dapodik's two forms; pesantren keep their own list. Which
    resident each row really is goes to the truth file (roster_files.py).
    """
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
    files = roster_files.RosterFiles(rng=rng, directory=directory, truth=truth,
                                     reference_date=reference_date)
    total = 0
    for school in schools:
        school.students.sort(key=lambda pair: (pair[0].name, pair[0].nik))
        for _ in range(round(len(school.students) * OUTSIDERS)):
            outsider = _outsider(rng, school, reference_date)
            school.students.append((outsider, min(12, max(10, outsider.age - 5))))
        files.write_school(school)
        total += len(school.students)
    files.close()
    return total


def _outsider(rng: random.Random, school: School, reference_date: date) -> Candidate:
    """A student who lives here but is registered elsewhere (SIAK of another regency)."""
    prefix, birthplace = rng.choice([(p, c) for p, c, _ in names.OUTSIDE_ORIGINS])
    age = rng.randint(15, 18)
    born = date.fromordinal(reference_date.toordinal() - int((age + rng.random()) * 365.2425))
    sex = rng.choice((1, FEMALE))
    day = born.day + (40 if sex == FEMALE else 0)
    return Candidate(
        nik=f"{prefix}{day:02d}{born:%m%y}{rng.randint(1, 200):04d}",
        name=population.person_name(rng, sex, born.year), sex=sex, birth_date=born,
        birthplace=birthplace, religion=1, address="-", rt=1, rw=1, dusun="-",
        desa=school.desa, disability=None, age=age, resident=False,
    )


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
