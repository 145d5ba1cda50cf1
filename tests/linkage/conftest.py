"""A small registry (loaded through the SIAK import) and a school roster beside it.

Rosters go in directly: their importer is built in parallel (jemput rosters import);
what linkage needs of a roster is the contract in jemput.rosters.models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jemput.cli import app
from jemput.db import unit_of_work
from jemput.rosters.keys import row_key
from jemput.rosters.models import Roster, RosterKind, RosterRow
from tests.residents.siak_files import Person, write_siak

NPSN = "20300001"
OUTSIDE_DESA = "33.06.02.2001"  # another kecamatan: outside operator-grabag's reach


def registry() -> list[Person]:
    return [
        Person("SITI AMINAH", date(2008, 7, 1), 2, 1),
        Person("MUHAMMAD HASAN", date(2008, 3, 12), 1, 2),
        Person("MUHAMMAD HUSEIN", date(2008, 3, 12), 1, 3),
        Person("DJOKO SOESANTO", date(2009, 5, 5), 1, 4),
        Person("RAHMAT HIDAYAT", date(2008, 11, 4), 1, 5),
        Person("BAYU SAPUTRA", date(2008, 1, 1), 1, 6),
        Person("ANDI WIJAYA", date(2008, 6, 6), 1, 7, desa=OUTSIDE_DESA),
    ]


@dataclass(frozen=True)
class Line:
    nik: str | None
    name: str
    sex: int
    born: date


# Line 2 on: the header is line 1 of the school's file.
ROSTER = [
    Line("3306014107080001", "SITI AMINAH", 2, date(2008, 7, 1)),  # exact NIK
    Line(None, "MUHAMAD HASAN", 1, date(2008, 3, 12)),  # typo, a twin beside him
    Line(None, "JOKO SUSANTO", 1, date(2009, 5, 5)),  # old spelling in the registry
    Line(None, "RAHMAT HIDAYAT", 1, date(2008, 4, 11)),  # day and month swapped
    Line(None, "YOGI PERMANA", 1, date(2008, 3, 12)),  # from outside the regency
    Line(None, "BAYU SAPUTRA", 1, date(2007, 1, 1)),  # wrong year: for a person to judge
    Line(None, "ANDI WIJAYA", 1, date(2007, 6, 6)),  # wrong year, outside the kecamatan
]


def add_roster(url: str, lines: list[Line], *, file_name: str = "daftar_pd.csv") -> int:
    """Insert a school roster the way `jemput rosters import` stores one; return its id."""
    with unit_of_work(url) as session:
        roster = Roster(kind=RosterKind.DAPODIK, school_id=None, desa_code=None,
                        file_name=file_name, file_sha256="0" * 64, data_date=date(2026, 7, 1),
                        imported_at=datetime.now(UTC), imported_by="operator",
                        rows_read=len(lines), rows_rejected=0)
        session.add(roster)
        session.flush()
        session.add_all(
            RosterRow(roster_id=roster.id, line=number, nik=line.nik, name=line.name,
                      sex=line.sex, birth_date=line.born,
                      row_key=row_key(kind=RosterKind.DAPODIK, owner=NPSN, nik=line.nik,
                                      nisn=None, name=line.name, birth_date=line.born))
            for number, line in enumerate(lines, start=2)
        )
        return roster.id


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def linked_roster(tmp_path: Path, migrated_database: str) -> int:
    """The registry imported, the roster added and linked through the CLI."""
    run("residents", "import", str(write_siak(tmp_path / "siak.csv", registry())),
        "--data-date", "2026-06-30")
    roster_id = add_roster(migrated_database, ROSTER)
    run("rosters", "link", str(roster_id))
    return roster_id
