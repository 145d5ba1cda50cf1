"""A small regency loaded through the real CLI import, shared by the report tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jemput.cli import app
from tests.residents.siak_files import Person, family, write_siak

XSS_NAME = "<script>alert(1)</script>"
DATA_DATE = "2026-06-30"


def people() -> list[Person]:
    """Nine residents of desa 33.06.01.2001, two of 33.06.01.2002, one in another kecamatan."""
    return family() + [
        # Turned 17 in March: wajib, not recorded, a pemula.
        Person("ADI", date(2009, 3, 1), 1, 1, status="UNREGISTERED"),
        # 16: not yet wajib, but may record; only on the pemula list.
        Person("RATNA", date(2010, 3, 1), 2, 1, status="UNREGISTERED"),
        Person(XSS_NAME, date(1990, 1, 1), 1, 7, status="UNREGISTERED"),
        Person("WARSINI", date(1950, 6, 1), 2, 1, status="UNREGISTERED",
               extra={"TIRAH_BARING": "1"}),
        Person("TETANGGA", date(1980, 1, 1), 1, 2, desa="33.06.01.2002"),
        Person("LAIN DESA", date(1985, 1, 1), 1, 2, desa="33.06.01.2002",
               status="UNREGISTERED"),
        Person("JAUH", date(1981, 1, 1), 1, 3, desa="33.06.02.2001", status="UNREGISTERED"),
    ]


def import_people(tmp_path: Path, residents: list[Person], name: str = "siak.csv") -> None:
    """Load residents through `jemput residents import`, as an operator would."""
    result = CliRunner().invoke(app, [
        "residents", "import", str(write_siak(tmp_path / name, residents)),
        "--data-date", DATA_DATE,
    ])
    assert result.exit_code == 0, result.output


@pytest.fixture
def regency(tmp_path: Path) -> list[Person]:
    residents = people()
    import_people(tmp_path, residents)
    return residents
