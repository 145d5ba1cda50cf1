"""A small regency for the target-list tests, loaded through the real CLI import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jemput.cli import app
from tests.residents.siak_files import Person, family, write_siak

DATA_DATE = "2026-06-30"
FORMULA_NAME = "=HYPERLINK(\"http://contoh.invalid\",\"klik\")"
SIDOREJO = {"DUSUN": "SIDOREJO", "NO_RT": "3"}


def people() -> list[Person]:
    """Residents of desa 33.06.01.2001 in every situation a rule selects, and neighbours."""
    return family() + [
        # 17 in March: wajib, not recorded, a pemula.
        Person("ADI", date(2009, 3, 1), 1, 1, status="UNREGISTERED", extra=SIDOREJO),
        # 16 now, 17 in December: on "17 before 2027-01-01", not on "wajib belum rekam".
        Person("RINI", date(2009, 12, 1), 2, 2, status="UNREGISTERED", extra=SIDOREJO),
        # 16 until March 2027: may record, not before 2027-01-01.
        Person("RATNA", date(2010, 3, 1), 2, 1, status="UNREGISTERED"),
        Person("WARSINI", date(1950, 6, 1), 2, 1, status="UNREGISTERED",
               extra={"TIRAH_BARING": "1"}),
        Person("GANDA", date(1990, 4, 4), 1, 3, status="DUPLICATE_RECORD"),
        Person(FORMULA_NAME, date(1991, 1, 1), 1, 7, status="UNREGISTERED"),
        Person("TETANGGA", date(1980, 1, 1), 1, 2, desa="33.06.01.2002"),
        Person("LAIN DESA", date(1985, 1, 1), 1, 2, desa="33.06.01.2002",
               status="UNREGISTERED"),
        Person("JAUH", date(1981, 1, 1), 1, 3, desa="33.06.02.2001", status="UNREGISTERED"),
    ]


def import_people(tmp_path: Path, residents: list[Person], *, data_date: str = DATA_DATE,
                  name: str = "siak.csv") -> None:
    """Load residents through `jemput residents import`, as an operator would."""
    result = CliRunner().invoke(app, [
        "residents", "import", str(write_siak(tmp_path / name, residents)),
        "--data-date", data_date,
    ])
    assert result.exit_code == 0, result.output


@pytest.fixture
def regency(tmp_path: Path) -> list[Person]:
    residents = people()
    import_people(tmp_path, residents)
    return residents


# The same regency with a school roster and a voter list, linked (rostered.py needs the
# names above, so it is imported last).
from tests.targets.rostered import rostered  # noqa: E402, F401
