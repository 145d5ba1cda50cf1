"""The unmatched of a roster or voter list: roster rows no standing link places in SIAK.

Linkage supplies the rows (registered in jemput.domains.connect()); a row a reviewer
accepts, or a re-link after a later import finds, leaves the list on the next refresh.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from jemput.cli import app
from jemput.db import unit_of_work
from jemput.rosters.models import Roster, RosterKind
from jemput.schools.models import School
from tests.linkage.conftest import ROSTER, add_roster, registry, run
from tests.personas import page_csrf
from tests.residents.siak_files import write_siak
from tests.targets.conftest import import_people
from tests.targets.helpers import create, member_id, names, post_json, rows
from tests.targets.rostered import DESA, NPSN, UNKNOWN_NIK, residents

BAYU_LINE = 7  # the pair tests/linkage/test_review.py shows a person must judge


def test_voters_the_registry_does_not_know_become_a_target_list(rostered, client_for):
    operator = client_for("operator")
    list_id = create(operator, "belum-padan", area=DESA, kind="dpt")
    [row] = rows(operator, list_id)
    assert (row["name"], row["resident_id"]) == ("SRI WAHYUNI", None)
    assert row["reason_id"] == "Tercantum di DPT (TPS 002), tidak ditemukan di SIAK"
    assert UNKNOWN_NIK not in operator.get(f"/sasaran/{list_id}").text


def test_the_unknown_voters_of_one_tps_are_a_list_of_their_own(rostered, client_for):
    operator = client_for("operator")
    assert names(operator, create(operator, "belum-padan", area=DESA, kind="dpt",
                                  tps="001")) == set()
    assert names(operator, create(operator, "belum-padan", area=DESA, kind="dpt",
                                  tps="002")) == {"SRI WAHYUNI"}


def test_a_school_roster_kind_leaves_the_voter_list_out(rostered, client_for):
    operator = client_for("operator")
    # Every student of the school is linked: nobody of theirs is unknown.
    assert names(operator, create(operator, "belum-padan", area=DESA, kind="sekolah")) == set()
    response = post_json(operator, "/api/sasaran", {
        "name": "X", "rule": "belum-padan", "area_code": DESA, "params": {"kind": "semua"}})
    assert response.status_code == 400 and "dpt" in response.json()["detail"]


def test_a_voter_found_by_a_later_import_and_relink_leaves_the_list(rostered, client_for,
                                                                    tmp_path: Path):
    _, voter_list = rostered
    operator = client_for("operator")
    list_id = create(operator, "belum-padan", area=DESA, kind="dpt")
    sri = member_id(operator, list_id, "SRI WAHYUNI")
    newcomer = replace(residents()[0], name="SRI WAHYUNI", born=date(2008, 5, 15), sex=2,
                       serial=1, marital=1)
    assert newcomer.nik == UNKNOWN_NIK
    import_people(tmp_path, [*residents(), newcomer], data_date="2026-07-31", name="juli.csv")
    # The import alone links nothing: the voter is still unknown to the list's source.
    assert names(operator, list_id, state="open") == {"SRI WAHYUNI"}
    run("rosters", "link", str(voter_list))
    refreshed = CliRunner().invoke(app, ["targets", "refresh", str(list_id)])
    assert refreshed.exit_code == 0, refreshed.output
    assert "1 keluar" in refreshed.output
    assert names(operator, list_id, state="left") == {"SRI WAHYUNI"}
    history = operator.get(f"/api/sasaran/{list_id}/anggota/{sri}").json()["history"]
    assert (history[-1]["new_state"], history[-1]["outcome"]) == ("left", "linked")


def test_a_row_accepted_in_review_leaves_the_list_on_refresh(tmp_path: Path, client_for,
                                                             migrated_database: str):
    run("residents", "import", str(write_siak(tmp_path / "siak.csv", registry())),
        "--data-date", "2026-06-30")
    schools = tmp_path / "sekolah.csv"
    schools.write_text("npsn,nama,jenis,desa_code,latitude,longitude\n"
                       f"{NPSN},SMA NEGERI 1 GRABAG,SMA,{DESA},,\n", encoding="utf-8")
    run("schools", "import", str(schools))
    roster_id = add_roster(migrated_database, ROSTER)
    _attach_school(migrated_database, roster_id)
    run("rosters", "link", str(roster_id))
    operator = client_for("operator")
    list_id = create(operator, "belum-padan", area=DESA, kind="sekolah")
    in_review = {row["name"] for row in rows(operator, list_id)}
    assert "BAYU SAPUTRA" in in_review  # a pair in review is not a link yet
    pair = next(p for p in operator.get("/api/daftar/tinjau").json()["pairs"]
                if p["line"] == BAYU_LINE)
    accepted = operator.post(f"/daftar/tinjau/{pair['roster_row_id']}/terima",
                             data={"csrf_token": page_csrf(operator)}, follow_redirects=False)
    assert accepted.status_code == 303
    bayu = member_id(operator, list_id, "BAYU SAPUTRA")
    assert post_json(operator, f"/api/sasaran/{list_id}/perbarui").json()["left"] == 1
    assert "BAYU SAPUTRA" in names(operator, list_id, state="left")
    history = operator.get(f"/api/sasaran/{list_id}/anggota/{bayu}").json()["history"]
    assert history[-1]["outcome"] == "linked"
    page = operator.get(f"/sasaran/{list_id}?state=left")
    assert "sudah ditautkan ke SIAK" in page.text


def _attach_school(url: str, roster_id: int) -> None:
    with unit_of_work(url) as session:
        roster = session.get(Roster, roster_id)
        assert roster is not None
        roster.school_id = session.scalar(select(School.id).where(School.npsn == NPSN))


def test_a_replaced_roster_no_longer_feeds_the_list(rostered, client_for, migrated_database):
    _, voter_list = rostered
    operator = client_for("operator")
    list_id = create(operator, "belum-padan", area=DESA, kind="dpt")
    newer = add_roster(migrated_database, [], file_name="dpt-baru.csv")
    with unit_of_work(migrated_database) as session:
        old = session.get(Roster, voter_list)
        new = session.get(Roster, newer)
        assert old is not None and new is not None
        new.kind, new.desa_code = RosterKind.DPT, DESA
        old.replaced_by_id = new.id
    post_json(operator, f"/api/sasaran/{list_id}/perbarui")
    [row] = rows(operator, list_id)
    assert (row["state"], row["outcome"]) == ("left", "no_longer_matches")


def test_a_kecamatan_operator_cannot_list_the_unknown_of_another_kecamatan(rostered,
                                                                           client_for):
    response = post_json(client_for("kecamatan_operator"), "/api/sasaran", {
        "name": "X", "rule": "belum-padan", "area_code": "33.06.02", "params": {}})
    assert response.status_code == 404
