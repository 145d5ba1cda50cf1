"""The unmatched of a voter list: a rule whose members are roster rows, fed by linkage.

Linkage (another branch) decides which rows have no resident and registers that with
`rules.register_unmatched_rows`. Until it is merged, the rule is refused with a message
(test_rules.py); here a provider that matches on exact NIK, the simplest linkage there
is, stands in for it through the same public hook.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from jemput.auth.access import region_filter
from jemput.db import unit_of_work
from jemput.residents.models import Resident
from jemput.rosters.models import Roster, RosterKind, RosterRow
from jemput.targets import rules
from tests.targets.conftest import import_people, people
from tests.targets.helpers import create, member_id, names, rows

UNKNOWN_NIK = "3306015505080001"


def exact_nik_unmatched(*, session: Session, area_code: str,
                        institution_npsn: str | None) -> list[tuple[int, str | None]]:
    known = exists().where(Resident.nik == RosterRow.nik)
    found = session.execute(select(RosterRow.id, RosterRow.desa_code).where(
        region_filter(area_code, RosterRow.desa_code), ~known))
    return [(row.id, row.desa_code) for row in found]


@pytest.fixture
def voter_list(regency) -> Iterator[None]:
    rules.register_unmatched_rows(exact_nik_unmatched)
    with unit_of_work() as session:
        roster = Roster(kind=RosterKind.DPT, desa_code="33.06.01.2001", file_name="dpt.csv",
                        file_sha256="0" * 64, data_date=date(2026, 6, 1),
                        imported_at=datetime.now(UTC), rows_read=2, rows_rejected=0)
        session.add(roster)
        session.flush()
        known = next(p for p in people() if p.name == "SUMARNO")
        for line, (nik, name) in enumerate(((known.nik, "SUMARNO"),
                                            (UNKNOWN_NIK, "SRI WAHYUNI")), start=2):
            session.add(RosterRow(roster_id=roster.id, line=line, row_key=f"k{line}", nik=nik,
                                  name=name, sex=2, birth_date=date(2008, 5, 15),
                                  desa_code="33.06.01.2001", rt="004", tps="3"))
    yield
    rules.unregister_unmatched_rows(exact_nik_unmatched)


def test_voters_the_registry_does_not_know_become_a_target_list(voter_list, client_for):
    operator = client_for("operator")
    list_id = create(operator, "belum-padan", area="33.06.01.2001")
    [row] = rows(operator, list_id)
    assert (row["name"], row["rt"], row["resident_id"]) == ("SRI WAHYUNI", "004", None)
    assert row["reason_id"] == "Tercantum di daftar sekolah/pemilih, tidak ditemukan di SIAK"
    assert UNKNOWN_NIK not in operator.get(f"/sasaran/{list_id}").text


def test_a_voter_found_by_a_later_import_leaves_the_unmatched_list(voter_list, client_for,
                                                                   tmp_path: Path):
    operator = client_for("operator")
    list_id = create(operator, "belum-padan", area="33.06.01.2001")
    sri = member_id(operator, list_id, "SRI WAHYUNI")
    newcomer = replace(people()[0], name="SRI WAHYUNI", born=date(2008, 5, 15), sex=2,
                       serial=1, marital=1)
    assert newcomer.nik == UNKNOWN_NIK
    import_people(tmp_path, [*people(), newcomer], data_date="2026-07-31", name="juli.csv")
    assert names(operator, list_id, state="left") == {"SRI WAHYUNI"}
    history = operator.get(f"/api/sasaran/{list_id}/anggota/{sri}").json()["history"]
    assert history[-1]["outcome"] == "linked"
