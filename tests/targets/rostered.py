"""The small regency of conftest.py with a school roster and a voter list, linked.

The registry goes in through `jemput residents import`, the school through
`jemput schools import`, the rosters as `jemput rosters import` stores them
(tests.linkage.conftest.add_roster) and the links through `jemput rosters link`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from jemput.db import unit_of_work
from jemput.rosters.models import Roster, RosterKind, RosterRow
from jemput.schools.models import School
from tests.linkage.conftest import Line, add_roster, run
from tests.residents.siak_files import Person
from tests.targets.conftest import import_people, people

NPSN = "20300001"  # the school of the `sekolah` persona
SCHOOL = "SMA NEGERI 1 GRABAG"
DESA = "33.06.01.2001"
SESSION = "2026-08-01"  # the school's recording session
UNKNOWN_NIK = "3306015505080001"  # on the voter list, not in the registry

EKO = Person("EKO SAPUTRA", date(2011, 1, 1), 1, 13, status="UNREGISTERED")  # 15
DONI = Person("DONI PRATAMA", date(2010, 5, 1), 1, 12, status="PRINT_READY_RECORD")  # 16
SRI = Line(UNKNOWN_NIK, "SRI WAHYUNI", 2, date(2008, 5, 15))


def residents() -> list[Person]:
    return [*people(), EKO, DONI]


def by_name(name: str) -> Person:
    return next(p for p in residents() if p.name == name)


def line(name: str) -> Line:
    person = by_name(name)
    return Line(person.nik, person.name, person.sex, person.born)


# Students of the school; the rest of the 16-17s (RATNA) are out of school.
STUDENTS = ["ADI", "RINI", "EKO SAPUTRA", "DONI PRATAMA"]
# (line, TPS): two polling stations of the desa, one voter the registry does not know.
VOTERS = [(line("BUDI SANTOSO"), "001"), (line("SUMARNO"), "001"),
          (line("MBAH KARTO"), "002"), (SRI, "002")]


def add_rosters(url: str) -> tuple[int, int]:
    """Add the school roster and the voter list; return their ids (not yet linked)."""
    school_roster = add_roster(url, [line(name) for name in STUDENTS])
    voter_list = add_roster(url, [voter for voter, _ in VOTERS], file_name="dpt.csv")
    with unit_of_work(url) as session:
        school = session.get(Roster, school_roster)
        dpt = session.get(Roster, voter_list)
        assert school is not None and dpt is not None
        school.school_id = session.scalar(select(School.id).where(School.npsn == NPSN))
        dpt.kind, dpt.desa_code = RosterKind.DPT, DESA
        for row in session.scalars(select(RosterRow).where(RosterRow.roster_id == school.id)):
            row.class_name = "XI IPA 1"
        rows = session.scalars(select(RosterRow).where(RosterRow.roster_id == dpt.id)
                               .order_by(RosterRow.line))
        for row, (_, tps) in zip(rows, VOTERS, strict=True):
            row.tps, row.desa_code = tps, DESA
    return school_roster, voter_list


@pytest.fixture
def rostered(tmp_path: Path, migrated_database: str) -> tuple[int, int]:
    """The registry, the school, its roster and the desa's voter list, all linked."""
    import_people(tmp_path, residents())
    schools = tmp_path / "sekolah.csv"
    schools.write_text("npsn,nama,jenis,desa_code,latitude,longitude\n"
                       f"{NPSN},{SCHOOL},SMA,{DESA},,\n", encoding="utf-8")
    run("schools", "import", str(schools))
    school_roster, voter_list = add_rosters(migrated_database)
    run("rosters", "link", str(school_roster))
    run("rosters", "link", str(voter_list))
    return school_roster, voter_list
