"""Contact persons on the day sheet: the office enters the desa official or the school
coordinator with a phone; a home visit names the guardian and the household's phone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.outreach.conftest import post_form, resources_of
from tests.outreach.test_campaigns import stops_of
from tests.outreach.test_sheets import pdf_text, planned
from tests.personas import page_csrf

CONTACT = "/kampanye/sumber-daya/kontak"
HARJOBINANGUN = "desa:33.06.01.2001"


def sheet_of(operator, campaign: int, day: str, team_id: int) -> str:
    response = operator.get(f"/kampanye/{campaign}/lembar.pdf",
                            params={"hari": day, "tim": team_id})
    assert response.status_code == 200, response.text
    return pdf_text(response.content)[1]


def test_a_session_sheet_names_the_desa_contact_the_office_entered(kecamatan, client_for):
    operator = client_for("operator")
    campaign, data = planned(operator, kecamatan["list_id"])
    sessions = [(d, r, s) for d, r, s in stops_of(data) if s["site_key"] == HARJOBINANGUN]
    assert sessions, data
    day, route, _ = sessions[0]
    # Before: only the desa's Jemput accounts, by name (they carry no phone).
    assert "Pak Carik" not in sheet_of(operator, campaign, day, route["team_id"])
    saved = post_form(operator, CONTACT, {"site_key": HARJOBINANGUN, "name": "Pak Carik",
                                          "phone": "0812-2700-1234"})
    assert saved.status_code == 303, saved.text
    assert [(c["site_key"], c["name"], c["phone"]) for c in resources_of(operator)["contacts"]
            ] == [(HARJOBINANGUN, "Pak Carik", "0812-2700-1234")]
    text = sheet_of(operator, campaign, day, route["team_id"])
    assert "Pak Carik (0812-2700-1234)" in text
    # An empty name removes it again.
    post_form(operator, CONTACT, {"site_key": HARJOBINANGUN, "name": ""})
    assert resources_of(operator)["contacts"] == []


def test_a_home_visit_sheet_names_the_guardian_and_their_phone(kecamatan, client_for):
    operator = client_for("operator")
    (hit,) = operator.get("/api/penduduk", params={"q": "MBAH SURIP"}).json()["results"]
    saved = operator.put(f"/api/rentan/{hit['id']}", headers={"X-CSRF-Token": page_csrf(
        operator)}, json={"needs": ["terbaring"], "guardian_name": "Sumini",
                          "guardian_relation": "anak", "guardian_phone": "081227001234"})
    assert saved.status_code == 200, saved.text
    campaign, data = planned(operator, kecamatan["list_id"])
    (day, route, stop), = [(d, r, s) for d, r, s in stops_of(data)
                           if any(p["name"] == "MBAH SURIP" for p in s["people"])]
    assert stop["kind"] == "rumah" and stop["people"][0]["contact"] == "081227001234"
    text = sheet_of(operator, campaign, day, route["team_id"])
    assert "Sumini (anak)" in text and "081227001234" in text


@pytest.mark.parametrize(("given", "words"), [
    ({"site_key": "desa:33.06.01.9999", "name": "X"}, None),          # no such desa: 404
    ({"site_key": "kantor:1", "name": "X"}, "tidak sah"),
    ({"site_key": HARJOBINANGUN, "name": "Pak Carik", "phone": "telp kantor"},
     "nomor telepon"),
])
def test_a_contact_that_makes_no_sense_is_refused(given: dict[str, Any], words, kecamatan,
                                                  client_for):
    operator = client_for("operator")
    response = post_form(operator, CONTACT, given)
    if words is None:
        assert response.status_code == 404
    else:
        assert response.status_code == 400 and words in response.text
    assert resources_of(operator)["contacts"] == []


@pytest.mark.parametrize("persona", ["kepala", "desa", "petugas", "sekolah", "outsider"])
def test_only_an_operator_sets_a_contact(persona, kecamatan, client_for):
    client = client_for(persona)
    data = {"site_key": HARJOBINANGUN, "name": "Orang Lain", "phone": "08123456789"}
    if persona == "outsider":
        response = client.post(CONTACT, data=data, follow_redirects=False)
        assert response.status_code in (303, 401, 403)
    else:
        assert post_form(client, CONTACT, data).status_code in (403, 404)
    assert resources_of(client_for("operator"))["contacts"] == []


def test_a_kecamatan_office_sets_contacts_only_inside_it(kecamatan, client_for):
    grabag = client_for("kecamatan_operator")
    outside = post_form(grabag, CONTACT, {"site_key": "desa:33.06.02.2001", "name": "X"})
    assert outside.status_code == 404
    inside = post_form(grabag, CONTACT, {"site_key": HARJOBINANGUN, "name": "Bu Kadus"})
    assert inside.status_code == 303
    assert [c["name"] for c in resources_of(grabag)["contacts"]] == ["Bu Kadus"]
