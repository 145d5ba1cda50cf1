"""Follow-up states: allowed moves only, each with who and when; and lists stay true."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from jemput.auth.models import User
from jemput.cli import app
from jemput.db import unit_of_work
from jemput.residents.models import Resident
from jemput.targets import service
from tests.personas import page_csrf
from tests.targets.conftest import import_people, people
from tests.targets.helpers import create, member_id, names, post_json, rows


def _move(client, list_id, member, state, outcome=None):
    return post_json(client, f"/api/sasaran/{list_id}/anggota/{member}/status",
                     {"state": state, "outcome": outcome})


def _history(client, list_id, member):
    response = client.get(f"/api/sasaran/{list_id}/anggota/{member}")
    assert response.status_code == 200, response.text
    return response.json()["history"]


def test_a_member_moves_from_open_to_reached_and_every_step_keeps_who_and_when(
        regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "belum-rekam")
    adi = member_id(operator, list_id, "ADI")
    for state in ("contacted", "scheduled"):
        assert _move(operator, list_id, adi, state).status_code == 200
    response = _move(operator, list_id, adi, "reached", "recorded")
    assert response.json() == {"id": adi, "state": "reached", "outcome": "recorded"}
    steps = [(h["kind"], h["old_state"], h["new_state"], h["actor"])
             for h in _history(operator, list_id, adi)]
    assert steps == [("join", None, "open", "operator"),
                     ("state", "open", "contacted", "operator"),
                     ("state", "contacted", "scheduled", "operator"),
                     ("state", "scheduled", "reached", "operator")]
    assert all(h["at"] for h in _history(operator, list_id, adi))


def test_closing_needs_one_of_the_reasons(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "belum-rekam")
    adi = member_id(operator, list_id, "ADI")
    refused = _move(operator, list_id, adi, "closed")
    assert refused.status_code == 400
    assert "refused, moved, died, not_found, duplicate" in refused.json()["detail"]
    assert _move(operator, list_id, adi, "closed", "moved").status_code == 200


def test_a_move_the_follow_up_does_not_allow_is_refused_with_a_clear_message(
        regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "belum-rekam")
    adi = member_id(operator, list_id, "ADI")
    assert _move(operator, list_id, adi, "closed", "died").status_code == 200
    response = _move(operator, list_id, adi, "contacted")
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "status Ditutup tidak bisa diubah menjadi Sudah dihubungi (yang boleh: tidak ada)")
    assert _move(operator, list_id, adi, "left").status_code == 400
    assert [h["new_state"] for h in _history(operator, list_id, adi)] == ["open", "closed"]


def test_the_form_refuses_an_invalid_move_on_a_page(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "belum-rekam")
    adi = member_id(operator, list_id, "ADI")
    page = operator.get(f"/sasaran/{list_id}")
    assert page.status_code == 200 and "ADI" in page.text
    response = post_json(operator, f"/api/sasaran/{list_id}/anggota/{adi}/status",
                         {"state": "reached", "outcome": "moved"})
    assert response.status_code == 400
    assert "recorded, exception" in response.json()["detail"]


def test_an_import_that_records_someone_takes_them_off_the_list_with_history(
        regency, client_for, tmp_path: Path):
    operator = client_for("operator")
    list_id = create(operator, "belum-rekam")
    adi = member_id(operator, list_id, "ADI")
    assert _move(operator, list_id, adi, "contacted").status_code == 200
    later = [replace(p, status="BIO_CAPTURED") if p.name in ("ADI", "WARSINI") else p
             for p in people()]
    # A newcomer the rule selects: moved in, wajib, never recorded.
    newcomer = replace(people()[0], name="PENDATANG", serial=9, status="UNREGISTERED",
                       marital=1)
    import_people(tmp_path, [*later, newcomer], data_date="2026-07-31", name="juli.csv")
    by_name = {row["name"]: row for row in rows(operator, list_id)}
    assert by_name["ADI"]["state"] == "reached"
    assert by_name["ADI"]["outcome"] == "recorded"
    assert by_name["ADI"]["in_rule"] is False
    assert by_name["PENDATANG"]["state"] == "open"
    assert by_name["PENDATANG"]["in_rule"] is True
    # Still open people of the list are those the registry still shows not recorded.
    assert names(operator, list_id, state="open") == {
        "BUDI SANTOSO", "MBAH KARTO", "PENDATANG", "LAIN DESA",
        '=HYPERLINK("http://contoh.invalid","klik")'}
    leave = _history(operator, list_id, adi)[-1]
    assert (leave["kind"], leave["old_state"], leave["new_state"]) == (
        "leave", "contacted", "reached")
    assert leave["actor"].startswith("impor #")


def _record_directly(name: str) -> None:
    # A status change the registry got outside an import (e.g. a manual correction).
    with unit_of_work() as session:
        resident = session.scalars(select(Resident).where(Resident.name == name)).one()
        resident.ktp_status = "BIO_CAPTURED"


def test_the_perbarui_button_brings_a_list_up_to_date(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "belum-rekam")
    _record_directly("BUDI SANTOSO")
    assert "BUDI SANTOSO" in names(operator, list_id, state="open")
    response = operator.post(f"/sasaran/{list_id}/perbarui",
                             data={"csrf_token": page_csrf(operator)}, follow_redirects=False)
    assert response.status_code == 303
    assert "BUDI SANTOSO" not in names(operator, list_id, state="open")
    assert "BUDI SANTOSO" in names(operator, list_id, state="reached")


def test_jemput_targets_refresh_brings_every_list_up_to_date(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "nonaktif")
    _record_directly("MBAH KARTO")
    result = CliRunner().invoke(app, ["targets", "refresh"])
    assert result.exit_code == 0, result.output
    assert "0 masuk, 1 keluar" in result.output
    assert "MBAH KARTO" in names(operator, list_id, state="reached")
    history = operator.get(
        f"/api/sasaran/{list_id}/anggota/{member_id(operator, list_id, 'MBAH KARTO')}").json()
    assert history["history"][-1]["actor"].startswith("cli:")


def test_someone_who_left_and_matches_again_is_reopened(regency, client_for, tmp_path: Path):
    operator = client_for("operator")
    list_id = create(operator, "belum-rekam", area="33.06.01.2001")
    # ADI moves to the neighbouring desa: not recorded, but no longer this list's.
    moved = [replace(p, desa="33.06.01.2002") if p.name == "ADI" else p for p in people()]
    import_people(tmp_path, moved, data_date="2026-07-31", name="juli.csv")
    assert "ADI" in names(operator, list_id, state="left")
    adi = member_id(operator, list_id, "ADI")
    assert _history(operator, list_id, adi)[-1]["outcome"] == "no_longer_matches"
    import_people(tmp_path, people(), data_date="2026-08-31", name="agustus.csv")
    assert "ADI" in names(operator, list_id, state="open")
    kinds = [h["kind"] for h in _history(operator, list_id, adi)]
    assert kinds == ["join", "leave", "rejoin"]


def test_a_print_list_member_whose_card_is_handed_over_is_reached(regency, client_for,
                                                                  tmp_path: Path):
    operator = client_for("operator")
    list_id = create(operator, "cetak-tindak-lanjut")
    issued = [replace(p, status="CARD_ISSUED") if p.name == "GANDA" else p for p in people()]
    import_people(tmp_path, issued, data_date="2026-07-31", name="juli.csv")
    assert names(operator, list_id, state="reached") == {"GANDA"}


def test_a_plan_takes_the_members_still_to_reach_as_its_input(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "kunjungan-rumah")
    warsini = member_id(operator, list_id, "WARSINI")
    assert _move(operator, list_id, warsini, "closed", "refused").status_code == 200
    with unit_of_work() as session:
        planner = session.scalars(select(User).where(User.username == "operator")).one()
        to_reach = service.members_to_reach(session=session, user=planner, list_id=list_id)
        residents = {session.get(Resident, m.resident_id).name for m in to_reach}
    assert residents == {"MBAH KARTO"}
