"""Parts of a list given to a desa official, a school, a team: each sees and moves only theirs."""

from __future__ import annotations

import pytest

from tests.personas import page_csrf
from tests.targets.helpers import create, member_id, names, post_json, rows


def _assign(client, list_id, **body):
    response = post_json(client, f"/api/sasaran/{list_id}/tugaskan", body)
    assert response.status_code == 200, response.text
    return response.json()["assigned"]


def _move(client, list_id, member, state="contacted"):
    return post_json(client, f"/api/sasaran/{list_id}/anggota/{member}/status",
                     {"state": state})


@pytest.fixture
def shared_list(regency, client_for) -> int:
    """A recordable-at-16 list of Grabag: SIDOREJO to the desa, two pupils to the school."""
    operator = client_for("operator")
    list_id = create(operator, "rekam-16")
    assert _assign(operator, list_id, desa="33.06.01.2001", dusun="sidorejo",
                   username="desa") == 2
    pupils = [member_id(operator, list_id, name) for name in ("RATNA", "BUDI SANTOSO")]
    assert _assign(operator, list_id, member_ids=pupils, username="sekolah") == 2
    return list_id


def test_desa_official_sees_only_their_part(shared_list, client_for):
    assert names(client_for("desa"), shared_list) == {"ADI", "RINI"}


def test_school_coordinator_sees_only_their_part(shared_list, client_for):
    assert names(client_for("sekolah"), shared_list) == {"RATNA", "BUDI SANTOSO"}


def test_each_assignee_moves_their_own_members(shared_list, client_for):
    desa, sekolah = client_for("desa"), client_for("sekolah")
    adi = member_id(desa, shared_list, "ADI")
    ratna = member_id(sekolah, shared_list, "RATNA")
    assert _move(desa, shared_list, adi).status_code == 200
    assert _move(sekolah, shared_list, ratna, "scheduled").status_code == 200
    states = {row["name"]: row["state"] for row in rows(client_for("operator"), shared_list)}
    assert (states["ADI"], states["RATNA"]) == ("contacted", "scheduled")


def test_an_assignee_cannot_move_someone_elses_member(shared_list, client_for):
    operator = client_for("operator")
    ratna = member_id(operator, shared_list, "RATNA")
    warsini = member_id(operator, shared_list, "WARSINI")
    desa = client_for("desa")
    # Another assignee's member and an unassigned one: the same 404 as a missing one.
    for member in (ratna, warsini, 999_999):
        response = _move(desa, shared_list, member)
        assert response.status_code == 404, member
        assert "RATNA" not in response.text
    assert _move(client_for("sekolah"), shared_list,
                 member_id(operator, shared_list, "ADI")).status_code == 404


def test_a_desa_official_given_the_whole_list_gets_only_their_desa(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "belum-rekam")
    given = _assign(operator, list_id, username="desa")
    assert "LAIN DESA" not in names(client_for("desa"), list_id)
    assert given == len(names(client_for("desa"), list_id)) == 5


def test_a_field_team_sees_what_its_team_was_given(shared_list, client_for):
    petugas = client_for("petugas")
    assert petugas.get(f"/api/sasaran/{shared_list}").status_code == 404
    operator = client_for("operator")
    warsini = member_id(operator, shared_list, "WARSINI")
    assert _assign(operator, shared_list, member_ids=[warsini], team="Tim 1") == 1
    assert names(petugas, shared_list) == {"WARSINI"}
    assert _move(petugas, shared_list, warsini).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "petugas", "mitra"])
def test_those_given_nothing_cannot_read_the_list(persona, shared_list, client_for):
    response = client_for(persona).get(f"/api/sasaran/{shared_list}")
    assert response.status_code == (401 if persona == "outsider" else 404)
    assert "ADI" not in response.text


@pytest.mark.parametrize("persona", ["kepala", "auditor"])
def test_kepala_and_auditor_read_the_whole_list_but_move_no_one(persona, shared_list,
                                                                client_for):
    client = client_for(persona)
    assert "WARSINI" in names(client, shared_list)
    warsini = member_id(client, shared_list, "WARSINI")
    assert _move(client, shared_list, warsini).status_code == 404


def test_a_kecamatan_operator_cannot_reach_another_kecamatans_list(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "belum-rekam", area="33.06.02")
    other = client_for("kecamatan_operator")
    assert other.get(f"/api/sasaran/{list_id}").status_code == 404
    assert post_json(other, f"/api/sasaran/{list_id}/perbarui").status_code == 404
    assert post_json(other, f"/api/sasaran/{list_id}/tugaskan",
                     {"team": "Tim 1"}).status_code == 404


def test_only_the_office_assigns(shared_list, client_for):
    for persona in ("desa", "sekolah", "kepala"):
        response = post_json(client_for(persona), f"/api/sasaran/{shared_list}/tugaskan",
                             {"team": "Tim 1"})
        assert response.status_code == 404, persona


def test_assigning_to_someone_who_cannot_hold_work_is_refused(shared_list, client_for):
    response = post_json(client_for("operator"), f"/api/sasaran/{shared_list}/tugaskan",
                         {"username": "kepala"})
    assert response.status_code == 400
    assert "kepala" in response.json()["detail"]


def test_the_desa_landing_page_shows_their_members_and_moves_them(shared_list, client_for):
    desa = client_for("desa")
    page = desa.get("/")
    assert page.status_code == 200
    assert "ADI" in page.text and "RINI" in page.text and "RATNA" not in page.text
    assert "data-role-plan" not in page.text
    adi = member_id(desa, shared_list, "ADI")
    response = desa.post(f"/sasaran/{shared_list}/anggota/{adi}/status",
                         data={"csrf_token": page_csrf(desa), "state": "contacted",
                               "back": "/"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    assert {row["name"]: row["state"] for row in rows(desa, shared_list)}["ADI"] == "contacted"


def test_the_school_landing_page_shows_their_members(shared_list, client_for):
    page = client_for("sekolah").get("/")
    assert page.status_code == 200
    assert "RATNA" in page.text and "ADI" not in page.text


def test_a_partner_with_nothing_assigned_is_told_so_on_landing(regency, client_for):
    page = client_for("mitra").get("/")
    assert page.status_code == 200
    assert "Belum ada warga yang ditugaskan" in page.text
