"""`jemput demo generate`: a synthetic but realistic Kabupaten Purworejo (33.06).

Writes a SIAK BIODATA_WNI-style CSV (FORMATS.md §1), the regency's upper-secondary
schools and pesantren with their rosters (FORMATS.md §3), a KPU voter list per desa
(§4), and the truth of who each roster row is (truth/*.csv). The
output depends only on the seed, scale and reference date: one `random.Random`,
drawn in a fixed order, so the same arguments give byte-identical files.
"""

from __future__ import annotations

import csv
import json
import math
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from jemput.demo import institutions, names, population, voters
from jemput.demo.population import FEMALE, Sampler
from jemput.demo.regency import MOUNTAIN_KECAMATAN, TOWN_KECAMATAN, Desa, load_desa
from jemput.places.outlines import synthetic_outlines
from jemput.places.points import dusun_code
from jemput.residents.codes import KtpStatus
from jemput.residents.eligibility import PersonFacts, age_on, is_wajib_ktp

FULL_POPULATION = 770_000  # Purworejo's registered population, Dukcapil 2024
DEFAULT_REFERENCE_DATE = date(2026, 6, 30)
SIAK_FILE = "siak_3306.csv"
# Who each roster and voter-list row really is (roster_files.py), for measuring linkage.
TRUTH_DIR = "truth"
SIAK_HEADER = [
    "NIK", "NO_KK", "NAMA_LGKP", "TMPT_LHR", "TGL_LHR", "JENIS_KLMIN", "AGAMA", "STAT_KWN",
    "STAT_HBKEL", "PNYDNG_CCT", "NO_PROP", "NO_KAB", "NO_KEC", "NO_KEL", "ALAMAT", "NO_RT",
    "NO_RW", "DUSUN", "TELP", "CURRENT_STATUS_CODE", "FLAG_STATUS", "KEWARGANEGARAAN", "ITAP",
    "TIRAH_BARING", "ODGJ", "LAT", "LNG",
]
# Real SIAK carries corrected birth dates whose NIK still encodes the old one.
NIK_DATE_DISAGREEMENT = 0.0005
OUTSIDE_ORIGIN = Sampler([((prefix, city), w) for prefix, city, w in names.OUTSIDE_ORIGINS])
METRES_PER_DEGREE = 110_600.0
# Places (planner and map): the dusun points, points captured on earlier visits, and
# synthetic kecamatan outlines, loaded by `demo load` through the real import commands.
POINTS_DIR = "points"
DUSUN_POINTS_FILE = "dusun.csv"
VISIT_POINTS_FILE = "kunjungan.csv"
OUTLINES_FILE = "batas_kecamatan.geojson"
# Share of desa whose own data maps every house (OpenSID's peta): their residents come
# with coordinates (LAT/LNG); elsewhere the planner falls back on the dusun's point.
DESA_DATA_SHARE = 0.3
# Share of households in the other desa that an earlier visit put on the map.
VISITED_SHARE = 0.04
WIB = timezone(timedelta(hours=7))
UNREGISTERED = KtpStatus.UNREGISTERED.value
PRR = KtpStatus.PRINT_READY_RECORD.value


@dataclass(frozen=True)
class GenerateResult:
    output: Path
    seed: int
    scale: float
    reference_date: str
    residents: int
    households: int
    wajib_ktp: int
    wajib_ktp_recorded: int
    schools: int
    students: int
    voters: int = 0


@dataclass(frozen=True, slots=True)
class _Dusun:
    name: str
    rw: int
    rts: tuple[int, ...]
    latitude: float
    longitude: float


class _Counter:
    """Serial numbers per 12-digit NIK/KK prefix: unique across the whole file."""

    def __init__(self) -> None:
        self._last: dict[str, int] = {}

    def next(self, prefix: str, gap: int) -> str:
        # SIAK serials have gaps (deleted and moved records), hence the random step.
        serial = self._last.get(prefix, 0) + 1 + gap
        self._last[prefix] = serial
        return f"{prefix}{serial:04d}"


def generate(
    *,
    output: Path,
    seed: int = 1,
    scale: float = 1.0,
    reference_date: date = DEFAULT_REFERENCE_DATE,
    progress: Callable[[int, int], None] | None = None,
) -> GenerateResult:
    """Write the demo regency's files under `output`; `progress(done, total)` per desa."""
    rng = random.Random(seed)
    output.mkdir(parents=True, exist_ok=True)
    villages = load_desa(rng)
    sizes = _desa_sizes(rng, villages, round(FULL_POPULATION * scale))
    writer_state = _Writer(rng=rng, reference_date=reference_date,
                           points=random.Random(f"points:{seed}"))
    book = voters.VoterBook(reference_date)
    with (output / SIAK_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SIAK_HEADER)
        overshoot = 0
        for done, (desa, size) in enumerate(zip(villages, sizes, strict=True), start=1):
            # A desa ends with a whole household, so it overshoots its size a little;
            # the next desa makes up for it and the total stays on target.
            target = max(1, size - overshoot)
            rows = writer_state.desa_rows(desa, target)
            overshoot = len(rows) - target
            writer.writerows(rows)
            book.add_desa(desa, rows)
            if progress is not None:
                progress(done, len(villages))
    schools = institutions.make_schools(rng=rng, villages=villages, scale=scale)
    institutions.write_schools(path=output / "schools.csv", schools=schools)
    students = institutions.write_rosters(
        rng=rng, directory=output / "rosters", schools=schools,
        candidates=writer_state.candidates, villages=villages, reference_date=reference_date,
        truth=output / TRUTH_DIR,
    )
    voter_count = voters.write_voter_lists(rng=rng, directory=output, truth=output / TRUTH_DIR,
                                           book=book)
    _write_places(output / POINTS_DIR, writer_state, villages)
    result = GenerateResult(
        output=output, seed=seed, scale=scale, reference_date=reference_date.isoformat(),
        residents=writer_state.residents, households=writer_state.households,
        wajib_ktp=writer_state.wajib, wajib_ktp_recorded=writer_state.wajib_recorded,
        schools=len(schools), students=students, voters=voter_count,
    )
    summary = asdict(result) | {"output": None, "files": [
        SIAK_FILE, "schools.csv", "rosters/", f"{voters.DPT_DIR}/", f"{TRUTH_DIR}/",
        f"{POINTS_DIR}/"]}
    del summary["output"]
    (output / "demo.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return result


def _write_places(folder: Path, state: _Writer, villages: list[Desa]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / DUSUN_POINTS_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "lat", "lng"])
        writer.writerows(state.dusun_points)
    with (folder / VISIT_POINTS_FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["nik", "lat", "lng", "source", "captured_at"])
        writer.writerows(state.visit_points)
    outlines = synthetic_outlines([(d.kecamatan_code, d.code, d.latitude, d.longitude)
                                   for d in villages])
    (folder / OUTLINES_FILE).write_text(json.dumps(outlines) + "\n", encoding="utf-8")


def _desa_sizes(rng: random.Random, villages: list[Desa], total: int) -> list[int]:
    weights = []
    for desa in villages:
        weight = rng.lognormvariate(0.0, 0.4)
        if desa.kelurahan:
            weight *= 2.6 if desa.kecamatan_code in TOWN_KECAMATAN else 1.6
        elif desa.kecamatan_code in MOUNTAIN_KECAMATAN:
            weight *= 0.85
        weights.append(weight)
    scale = total / sum(weights)
    return [max(1, round(w * scale)) for w in weights]


class _Writer:
    """Turns households into SIAK rows; keeps the counts and the school-age candidates."""

    def __init__(self, *, rng: random.Random, reference_date: date,
                 points: random.Random) -> None:
        self.rng = rng
        # Its own stream: which desa map their houses and who was visited must not shift
        # the draws (and so the files) the rest of the demo was measured on.
        self.points = points
        self.dusun_points: list[tuple[str, str, str]] = []
        self.visit_points: list[tuple[str, str, str, str, str]] = []
        self.reference_date = reference_date
        self.ref_ordinal = reference_date.toordinal()
        self.kk_since = date(2008, 1, 1).toordinal()
        self.niks = _Counter()
        self.kks = _Counter()
        self.residents = self.households = self.wajib = self.wajib_recorded = 0
        self.candidates: list[institutions.Candidate] = []

    def desa_rows(self, desa: Desa, size: int) -> list[list[object]]:
        rng = self.rng
        dusuns = _dusuns(rng, desa)
        self.dusun_points += [(dusun_code(desa.code, d.name), f"{d.latitude:.5f}",
                               f"{d.longitude:.5f}") for d in dusuns]
        mapped = self.points.random() < DESA_DATA_SHARE
        mountain = desa.kecamatan_code in MOUNTAIN_KECAMATAN
        rows: list[list[object]] = []
        while len(rows) < size:
            dusun = rng.choice(dusuns)
            rt = rng.choice(dusun.rts)
            lat = dusun.latitude + _clipped(rng, 170.0, 600.0) / METRES_PER_DEGREE
            lng = dusun.longitude + _clipped(rng, 170.0, 600.0) / METRES_PER_DEGREE
            if desa.kelurahan:
                address = f"JL. {rng.choice(names.STREET_NAMES)} NO. {rng.randint(1, 150)}"
            else:
                address = f"DUSUN {dusun.name} RT {rt:03d} RW {dusun.rw:03d}"
            kk_day = date.fromordinal(rng.randint(self.kk_since, self.ref_ordinal))
            kk = self.kks.next(desa.nik_prefix + kk_day.strftime("%d%m%y"), rng.random() < 0.2)
            religion = int(population.RELIGION(rng))  # type: ignore[call-overload]
            place = (desa, address, rt, dusun, f"{lat:.5f}" if mapped else "",
                     f"{lng:.5f}" if mapped else "", mountain)
            first = len(rows)
            for member in population.household(rng):
                rows.append(self._person(member, kk, religion, place))
            self.households += 1
            if not mapped and self.points.random() < VISITED_SHARE:
                self._visited(rows[first:], lat, lng)
        self.residents += len(rows)
        return rows

    def _visited(self, household: list[list[object]], lat: float, lng: float) -> None:
        """Record the household's point as captured at the door on an earlier visit."""
        day = self.reference_date - timedelta(days=self.points.randint(20, 700))
        moment = datetime.combine(day, time(8 + self.points.randint(0, 6),
                                            self.points.randint(0, 59)), tzinfo=WIB)
        captured = moment.isoformat()  # a working hour in the office's zone
        for row in household:
            self.visit_points.append((str(row[0]), f"{lat:.5f}", f"{lng:.5f}", "kunjungan",
                                      captured))

    def _person(self, member: population.Member, kk: str, religion: int,
                place: tuple[Desa, str, int, _Dusun, str, str, bool]) -> list[object]:
        rng = self.rng
        rand = rng.random
        desa, address, rt, dusun, lat, lng, mountain = place
        birth = date.fromordinal(self.ref_ordinal - int((member.age + rand()) * 365.2425))
        age = age_on(birth, self.reference_date)
        sex = member.sex
        born_outside = rand() < (0.155 if birth.year < 2000 else 0.05)
        if born_outside:
            prefix, birthplace = OUTSIDE_ORIGIN(rng)  # type: ignore[misc]
        else:
            prefix = desa.nik_prefix
            r = rand()
            birthplace = ("PURWOREJO" if r < 0.75 else desa.kecamatan_name if r < 0.95
                          else rng.choice(names.NEARBY_BIRTHPLACES))
        nik_date = birth
        if rand() < NIK_DATE_DISAGREEMENT:
            shift = rng.choice((-1, 1)) * rng.randint(1, 300)
            nik_date = date.fromordinal(birth.toordinal() + shift)
        day = nik_date.day + (40 if sex == FEMALE else 0)
        nik = self.niks.next(f"{prefix}{day:02d}{nik_date:%m%y}", rand() < 0.3)

        citizenship, itap = "WNI", 0
        if member.relation in (population.WIFE, population.HUSBAND) and rand() < 0.0004:
            citizenship, itap = "WNA", int(rand() < 0.6)
        disability, bedridden, odgj = population.conditions(rng, age)
        wajib = is_wajib_ktp(person=PersonFacts(
            birth_date=birth, marital_status=member.marital, citizenship=citizenship,
            has_itap=bool(itap)), on=self.reference_date)
        status = UNREGISTERED
        if wajib:
            self.wajib += 1
            p = population.unrecorded_probability(
                age=age, remote=desa.remote, kelurahan=desa.kelurahan, mountain=mountain,
                disability=disability, bedridden=bedridden, odgj=odgj)
            if rand() >= p:
                self.wajib_recorded += 1
                # A new 17-year-old recorded at 16 may still wait for the card print.
                status = (PRR if age == 17 and rand() < 0.25
                          else str(population.RECORDED_STATUS(rng)))
        elif age == 16 and citizenship == "WNI" and rand() < 0.3:
            status = PRR  # recorded at a school session; printing waits for the 17th birthday

        name = population.person_name(rng, sex, birth.year)
        phone = ""
        if age >= 18 and rand() < 0.4:
            phone = f"{rng.choice(names.MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}"
        if 15 <= age <= 21:
            self.candidates.append(institutions.Candidate(
                nik=nik, name=name, sex=sex, birth_date=birth, birthplace=birthplace,
                religion=religion, address=address, rt=rt, rw=dusun.rw,
                dusun=dusun.name, desa=desa, disability=disability, age=age,
            ))
        return [
            nik, kk, name, birthplace, f"{birth:%d-%m-%Y}", sex, religion, member.marital,
            member.relation, disability or "", 33, 6, desa.no_kec, desa.no_kel, address, rt,
            dusun.rw, dusun.name, phone, status, 0, citizenship, itap, int(bedridden), int(odgj),
            lat, lng,
        ]


def _clipped(rng: random.Random, sigma: float, limit: float) -> float:
    return max(-limit, min(limit, rng.gauss(0.0, sigma)))


def _dusuns(rng: random.Random, desa: Desa) -> list[_Dusun]:
    """A few hamlets (kampung in a kelurahan), each a cluster of houses with its RTs."""
    count = rng.randint(3, 6) if desa.kelurahan else rng.randint(2, 6)
    if desa.kelurahan:
        chosen = rng.sample(names.KAMPUNG_NAMES, count)
        spread = 350.0  # town blocks sit close together
    else:
        chosen = ["KRAJAN", *rng.sample(names.DUSUN_NAMES[1:], count - 1)]
        spread = 550.0
    result = []
    next_rt = 1
    for index, name in enumerate(chosen):
        rts = tuple(range(next_rt, next_rt + rng.randint(1, 2)))
        next_rt = rts[-1] + 1
        result.append(_Dusun(
            name=name, rw=index + 1, rts=rts,
            latitude=desa.latitude + _clipped(rng, spread, 1600.0) / METRES_PER_DEGREE,
            longitude=desa.longitude + _clipped(rng, spread, 1600.0)
            / (METRES_PER_DEGREE * math.cos(math.radians(desa.latitude))),
        ))
    return result

