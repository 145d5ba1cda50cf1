"""What the linked rosters answer: per school, per desa and TPS, and who is out of school."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update

from jemput.auth.models import User
from jemput.db import unit_of_work
from jemput.rosters.models import Roster, RosterKind, RosterRow
from jemput.schools.models import School
from tests.linkage.conftest import NPSN, Line, add_roster, run
from tests.residents.siak_files import DESA, Person, write_siak

SESSION = "2026-08-01"
RINA = Person("RINA SAFITRI", date(2010, 3, 1), 2, 11, status="UNREGISTERED")  # 16
DONI = Person("DONI PRATAMA", date(2010, 5, 1), 1, 12, status="PRINT_READY_RECORD")  # 16
EKO = Person("EKO SAPUTRA", date(2011, 1, 1), 1, 13, status="UNREGISTERED")  # 15
FAJAR = Person("FAJAR NUGRAHA", date(2009, 9, 1), 1, 14, status="UNREGISTERED")  # 16
GITA = Person("GITA LESTARI", date(2008, 5, 5), 2, 15, status="UNREGISTERED")  # 18
HADI = Person("HADI SUSILO", date(1980, 2, 2), 1, 16)


def line(person: Person) -> Line:
    return Line(person.nik, person.name, person.sex, person.born)


@pytest.fixture
def answered(tmp_path: Path, migrated_database: str) -> None:
    run("residents", "import", str(write_siak(tmp_path / "siak.csv",
                                              [RINA, DONI, EKO, FAJAR, GITA, HADI])),
        "--data-date", "2026-06-30")
    with unit_of_work(migrated_database) as session:
        session.add(School(npsn=NPSN, name="SMA NEGERI 1 GRABAG", kind="SMA", desa_code=DESA))
    school_roster = add_roster(migrated_database, [line(RINA), line(DONI), line(EKO)])
    voter_list = add_roster(migrated_database, [line(GITA), line(HADI),
                                                Line(None, "ORANG ASING", 1, date(1990, 1, 1))])
    with unit_of_work(migrated_database) as session:
        roster = session.get(Roster, school_roster)
        assert roster is not None
        roster.school_id = session.scalar(select(School.id).where(School.npsn == NPSN))
        dpt = session.get(Roster, voter_list)
        assert dpt is not None
        dpt.kind, dpt.desa_code = RosterKind.DPT, DESA
        for row in session.scalars(
                select(RosterRow).where(RosterRow.roster_id == school_roster)):
            row.class_name = "XI IPA 1"
        for row, tps in zip(session.scalars(
                select(RosterRow).where(RosterRow.roster_id == voter_list)
                .order_by(RosterRow.line)), ("001", "001", "002"), strict=True):
            row.tps = tps
    run("rosters", "link", str(school_roster))
    run("rosters", "link", str(voter_list))


def test_school_page_counts_students_to_record_and_the_session_they_need(answered,
                                                                         client_for):
    data = client_for("operator").get(
        f"/api/daftar/sekolah?tanggal={SESSION}&menit=20").json()
    (school,) = data["schools"]
    assert school["npsn"] == NPSN
    assert [s["name"] for s in school["not_recorded"]] == ["RINA SAFITRI"]
    assert school["not_recorded"][0]["class"] == "XI IPA 1"
    assert school["session_minutes"] == 20
    assert [(s["name"], s["card_from"]) for s in school["waiting_for_17"]] == [
        ("DONI PRATAMA", "2027-05-01")]
    page = client_for("operator").get(f"/daftar/sekolah?tanggal={SESSION}")
    assert page.status_code == 200 and "RINA SAFITRI" in page.text
    assert RINA.nik not in page.text


def test_school_coordinator_sees_their_own_school(answered, client_for):
    data = client_for("sekolah").get(f"/api/daftar/sekolah?tanggal={SESSION}").json()
    assert [school["npsn"] for school in data["schools"]] == [NPSN]


def test_desa_official_and_field_officer_cannot_read_school_figures(answered, client_for):
    assert client_for("desa").get("/api/daftar/sekolah").status_code in (403, 404)
    assert client_for("petugas").get("/api/daftar/sekolah").status_code in (403, 404)


def test_voter_page_counts_per_tps_the_unrecorded_and_the_unknown(answered, client_for):
    data = client_for("desa").get("/api/daftar/pemilih").json()
    assert data["by_tps"] == [
        {"desa_code": DESA, "tps": "001", "voters": 2, "not_recorded": 1, "unknown": 0,
         "in_review": 0, "unmatched": 0},
        {"desa_code": DESA, "tps": "002", "voters": 1, "not_recorded": 0, "unknown": 1,
         "in_review": 0, "unmatched": 1},
    ]
    assert client_for("operator").get("/daftar/pemilih").status_code == 200


def test_a_desa_official_of_another_desa_sees_no_voters_of_this_one(answered, client_for,
                                                                    migrated_database):
    with unit_of_work(migrated_database) as session:
        session.execute(update(User).where(User.username == "desa")
                        .values(scope_region="33.06.01.2002"))
    assert client_for("desa").get("/api/daftar/pemilih").json()["by_tps"] == []


def test_out_of_school_lists_residents_aged_16_to_17_on_no_school_roster(answered,
                                                                         client_for):
    data = client_for("operator").get(f"/api/daftar/luar-sekolah?tanggal={SESSION}").json()
    assert [p["name"] for p in data["people"]] == ["FAJAR NUGRAHA"]
    assert data["by_desa"] == [{"desa_code": DESA, "count": 1}]
    assert client_for("petugas").get("/api/daftar/luar-sekolah").status_code in (403, 404)
    page = client_for("desa").get(f"/daftar/luar-sekolah?tanggal={SESSION}")
    assert page.status_code == 200 and "FAJAR NUGRAHA" in page.text


def test_a_session_date_no_calendar_can_count_back_from_is_refused_with_a_message(client_for):
    response = client_for("operator").get("/api/daftar/luar-sekolah?tanggal=0017-01-01")
    assert response.status_code == 422
    assert "0017-01-01" in response.json()["detail"]
    assert client_for("operator").get(
        "/api/daftar/sekolah?tanggal=0001-01-01").status_code == 422
