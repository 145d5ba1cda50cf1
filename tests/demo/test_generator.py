"""The synthetic regency: deterministic, and realistic where the app's figures depend on it."""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from jemput.cli import app
from jemput.db import unit_of_work
from jemput.demo.generator import SIAK_HEADER, generate
from jemput.linkage.models import RosterLink
from jemput.regions.service import village_codes
from jemput.residents.eligibility import PersonFacts, age_on, is_wajib_ktp
from jemput.residents.models import Resident
from jemput.residents.nik import cross_check, parse_nik
from jemput.rosters.models import Roster, RosterRow
from jemput.schools.models import School

runner = CliRunner()
REFERENCE = date(2026, 6, 30)
CENTRES = Path(__file__).parents[2] / "src/jemput/regions/data/centres.csv"
MOUNTAIN = {5, 13, 16}  # Kaligesing, Bruno, Bener


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def birth_date(row: dict[str, str]) -> date:
    day, month, year = row["TGL_LHR"].split("-")
    return date(int(year), int(month), int(day))


def desa_code(row: dict[str, str]) -> str:
    return f"{row['NO_PROP']}.{int(row['NO_KAB']):02d}.{int(row['NO_KEC']):02d}.{row['NO_KEL']}"


def is_wajib(row: dict[str, str]) -> bool:
    return is_wajib_ktp(person=PersonFacts(
        birth_date=birth_date(row), marital_status=int(row["STAT_KWN"]),
        citizenship=row["KEWARGANEGARAAN"], has_itap=row["ITAP"] == "1"), on=REFERENCE)


def unrecorded_share(rows: list[dict[str, str]]) -> float:
    return sum(r["CURRENT_STATUS_CODE"] == "UNREGISTERED" for r in rows) / len(rows)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("demo")
    generate(output=output, seed=1, scale=0.01, reference_date=REFERENCE)
    return output


@pytest.fixture(scope="module")
def rows(demo: Path) -> list[dict[str, str]]:
    return read_csv(demo / "siak_3306.csv")


@pytest.fixture(scope="module")
def wajib(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [r for r in rows if is_wajib(r)]


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


def test_same_seed_gives_byte_identical_files_and_another_seed_does_not(tmp_path):
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        generate(output=tmp_path / name, seed=seed, scale=0.004, reference_date=REFERENCE)
    first, again, other = (files_of(tmp_path / n) for n in "abc")
    assert first == again
    assert first["siak_3306.csv"] != other["siak_3306.csv"]
    assert first["schools.csv"] != other["schools.csv"]


def test_siak_file_has_the_database_column_layout(demo, rows):
    with (demo / "siak_3306.csv").open(encoding="utf-8") as handle:
        assert handle.readline().rstrip("\n").split(",") == SIAK_HEADER
    assert 7_000 < len(rows) < 8_500  # 770,000 x 0.01
    assert {r["NO_PROP"] for r in rows} == {"33"}
    assert {r["NO_KAB"] for r in rows} == {"6"}  # a NUMBER column: no leading zero
    assert {r["FLAG_STATUS"] for r in rows} == {"0"}
    assert all(not r["NO_KEC"].startswith("0") for r in rows)
    assert all(1 <= int(r["NO_RT"]) <= 12 and 1 <= int(r["NO_RW"]) <= 12 for r in rows)


def test_every_nik_parses_is_unique_and_mostly_carries_its_kecamatan(rows):
    parsed = [parse_nik(r["NIK"], today=REFERENCE) for r in rows]
    assert len({p.nik for p in parsed}) == len(rows)
    own = sum(p.kecamatan == f"3306{int(r['NO_KEC']):02d}" for p, r in zip(parsed, rows,
                                                                           strict=True))
    assert 0.84 < own / len(rows) < 0.92
    disagree = [p for p, r in zip(parsed, rows, strict=True)
                if cross_check(p, sex=int(r["JENIS_KLMIN"]), birth_date=birth_date(r))]
    # Only the deliberate corrected-birth-date cases, never the sex.
    assert len(disagree) < len(rows) * 0.002
    assert all(p.sex == int(r["JENIS_KLMIN"]) for p, r in zip(parsed, rows, strict=True))


def test_region_columns_rebuild_known_desa_codes(rows, session):
    known = village_codes(session=session)
    codes = {desa_code(r) for r in rows}
    assert codes <= known
    assert len(codes) == len(known) == 494  # every desa has residents


def test_households_have_one_head_and_a_plausible_size(rows):
    members = Counter(r["NO_KK"] for r in rows)
    heads = Counter(r["NO_KK"] for r in rows if r["STAT_HBKEL"] == "1")
    assert set(heads) == set(members) and set(heads.values()) == {1}
    assert 2.9 < len(rows) / len(members) < 3.6
    assert max(members.values()) <= 12
    assert all(len(kk) == 16 and kk[:4] == "3306" for kk in members)


def test_age_pyramid_has_a_wide_base_and_an_old_tail(rows):
    ages = [age_on(birth_date(r), REFERENCE) for r in rows]
    assert 0.21 < sum(a < 15 for a in ages) / len(ages) < 0.29
    assert 0.09 < sum(a >= 60 for a in ages) / len(ages) < 0.14


def test_wajib_ktp_recording_rate_is_about_97_percent(wajib):
    assert 0.95 <= 1 - unrecorded_share(wajib) <= 0.99


def test_unrecorded_concentrate_among_the_old_and_disabled(wajib):
    def age(r: dict[str, str]) -> int:
        return age_on(birth_date(r), REFERENCE)

    working_age = unrecorded_share([r for r in wajib if 25 <= age(r) <= 50])
    assert unrecorded_share([r for r in wajib if age(r) >= 60]) > 3 * working_age
    assert unrecorded_share([r for r in wajib if r["PNYDNG_CCT"]]) > 3 * working_age
    assert unrecorded_share([r for r in wajib if age(r) <= 18]) > 3 * working_age


def test_mountain_kecamatan_have_lower_coverage(wajib):
    mountain = unrecorded_share([r for r in wajib if int(r["NO_KEC"]) in MOUNTAIN])
    rest = unrecorded_share([r for r in wajib if int(r["NO_KEC"]) not in MOUNTAIN])
    assert mountain > 1.4 * rest


def test_statuses_follow_the_age_rules(rows, wajib):
    by_age: dict[int, Counter[str]] = {}
    for r in rows:
        by_age.setdefault(age_on(birth_date(r), REFERENCE), Counter())[
            r["CURRENT_STATUS_CODE"]] += 1
    under_16 = sum((by_age[a] for a in range(16)), Counter())
    assert set(under_16) == {"UNREGISTERED"}
    sixteen = by_age[16]
    assert set(sixteen) <= {"UNREGISTERED", "PRINT_READY_RECORD"}
    assert 0.15 < sixteen["PRINT_READY_RECORD"] / sixteen.total() < 0.45
    recorded = Counter(r["CURRENT_STATUS_CODE"] for r in wajib
                       if r["CURRENT_STATUS_CODE"] != "UNREGISTERED")
    assert recorded.most_common(1)[0][0] == "CARD_ISSUED"
    backlog = recorded["PRINT_READY_RECORD"] + recorded["SENT_FOR_CARD_PRINTING"]
    assert 0.005 < backlog / recorded.total() < 0.04


def test_houses_lie_within_3_km_of_their_desa_centre(rows):
    centres = {r["code"]: (float(r["latitude"]), float(r["longitude"]))
               for r in read_csv(CENTRES)}
    placed = [r for r in rows if r["LAT"]]
    # Only the desa that map their houses hand their residents' points over.
    assert 0.1 < len(placed) / len(rows) < 0.6
    for r in placed:
        lat, lng = centres[desa_code(r)]
        km = 111.0 * math.hypot(float(r["LAT"]) - lat, float(r["LNG"]) - lng)
        assert km < 3.0, r["NIK"]


def roster_rows(demo: Path, name: str, title_rows: int = 0) -> list[dict[str, str]]:
    with (demo / "rosters" / name).open(encoding="utf-8", newline="") as handle:
        lines = handle.readlines()[title_rows:]
    return list(csv.DictReader(lines))


def test_rosters_list_school_age_residents_with_some_noise_and_their_truth(demo, rows):
    schools = read_csv(demo / "schools.csv")
    assert {s["jenis"] for s in schools} == {"SMA", "SMK", "MA", "SLB", "PESANTREN"}
    by_nik = {r["NIK"]: r for r in rows}
    truth = {(t["owner"], int(t["line"])): t["resident_nik"]
             for kind in ("dapodik", "pesantren") for t in read_csv(demo / "truth" / f"{kind}.csv")}
    students = []  # (row as written, the resident it really is)
    forms = Counter()
    for school in schools:
        npsn = school["npsn"]
        if (demo / "rosters" / f"{npsn}.ws.csv").exists():
            forms["web service"] += 1
            written = [(r["nik"], r["nama"], r["tanggal_lahir"])
                       for r in roster_rows(demo, f"{npsn}.ws.csv")]
            first_line = 2
        else:
            title = 0 if school["jenis"] == "PESANTREN" else 3
            forms["pesantren" if title == 0 else "daftar pd"] += 1
            written = [(r.get("NIK", ""), (r.get("Nama") or r["Nama Santri"]).upper(),
                        r["Tanggal Lahir"]) for r in roster_rows(demo, f"{npsn}.csv", title)]
            first_line = title + 2
        students += [(row, truth[(npsn, first_line + i)]) for i, row in enumerate(written)]
    assert set(forms) == {"web service", "daftar pd", "pesantren"}
    assert len(students) > 100 and len(students) == len(truth)
    outsiders = [row for row, nik in students if not nik]
    assert 0.005 < len(outsiders) / len(students) < 0.05
    assert all(row[0] not in by_nik for row in outsiders)
    known = [(row, by_nik[nik]) for row, nik in students if nik]
    same_nik = sum(row[0] == resident["NIK"] for row, resident in known)
    assert 0.7 < same_nik / len(known) < 0.995  # pesantren mostly leave the NIK out
    same_name = sum(row[1] == resident["NAMA_LGKP"] for row, resident in known)
    assert 0.85 < same_name / len(known) < 0.99


def test_voter_lists_list_the_desas_adults_with_noise_and_strangers(demo, rows):
    by_nik = {r["NIK"]: r for r in rows}
    truth = read_csv(demo / "truth" / "dpt.csv")
    summary = json.loads((demo / "demo.json").read_text(encoding="utf-8"))
    assert len(truth) == summary["voters"]
    desa = truth[0]["owner"]
    voters = read_csv(demo / "dpt" / f"{desa}.csv")
    mine = [t for t in truth if t["owner"] == desa]
    assert [int(t["line"]) for t in mine] == list(range(2, len(voters) + 2))
    strangers = sum(not t["resident_nik"] for t in truth)
    assert 0.005 < strangers / len(truth) < 0.03
    known = [(v, by_nik[t["resident_nik"]]) for v, t in zip(voters, mine, strict=True)
             if t["resident_nik"]]
    assert all(desa_code(resident) == desa for _, resident in known)
    assert all(age_on(birth_date(resident), REFERENCE) >= 17 or resident["STAT_KWN"] != "1"
               for _, resident in known)
    same_nik = sum(v["NIK"] == r["NIK"] for v, r in known) / len(known)
    assert 0.9 < same_nik <= 1.0


def test_generate_command_writes_the_files_and_a_summary(tmp_path):
    result = runner.invoke(app, ["demo", "generate", "--seed", "3", "--scale", "0.002",
                                 "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "penduduk" in result.output
    summary = json.loads((tmp_path / "out" / "demo.json").read_text(encoding="utf-8"))
    assert summary["seed"] == 3 and summary["reference_date"] == "2026-06-30"
    assert summary["residents"] == len(read_csv(tmp_path / "out" / "siak_3306.csv"))


def test_demo_load_imports_through_the_real_import_path(tmp_path):
    result = runner.invoke(app, ["demo", "load", "--seed", "2", "--scale", "0.003",
                                 "--output", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "demo" / "demo.json").read_text(encoding="utf-8"))
    with unit_of_work() as session:
        residents = session.scalar(select(func.count()).select_from(Resident))
        schools = session.scalar(select(func.count()).select_from(School))
        loaded = session.scalar(select(func.count()).select_from(RosterRow))
        rejected = session.scalar(select(func.sum(Roster.rows_rejected))) or 0
        voter_lists = session.scalar(select(func.count()).where(Roster.kind == "dpt"))
    assert residents == summary["residents"]
    assert schools == summary["schools"]
    # Every student and voter row, through the real roster import (noise may set a rare
    # row aside, which the import reports).
    assert loaded + rejected == summary["students"] + summary["voters"]
    assert voter_lists == len(list((tmp_path / "demo" / "dpt").glob("*.csv")))
    # Every roster is linked in one run, and the links agree with the truth.
    assert "tertaut otomatis" in result.output and "perlu diperiksa" in result.output
    truth = {(row["kind"], row["owner"], int(row["line"])): row["resident_nik"]
             for kind in ("dapodik", "pesantren", "dpt")
             for row in read_csv(tmp_path / "demo" / "truth" / f"{kind}.csv")}
    with unit_of_work() as session:
        links = session.execute(
            select(Roster.kind, School.npsn, Roster.desa_code, RosterRow.line,
                   RosterLink.decision, Resident.nik)
            .join(RosterRow, RosterRow.roster_id == Roster.id)
            .outerjoin(School, School.id == Roster.school_id)
            .join(RosterLink, RosterLink.roster_row_id == RosterRow.id)
            .outerjoin(Resident, Resident.id == RosterLink.resident_id)).all()
    assert len(links) == loaded
    auto = [(truth[(kind, npsn or desa, line)], nik)
            for kind, npsn, desa, line, decision, nik in links if decision == "auto"]
    right = sum(1 for true_nik, nik in auto if true_nik == nik)
    linkable = sum(1 for nik in truth.values() if nik)
    assert right / len(auto) >= 0.99 and right / linkable >= 0.95
