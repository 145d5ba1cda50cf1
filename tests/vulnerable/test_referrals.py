"""Referrals: a desa official or partner reports a person; the office accepts or declines."""

from __future__ import annotations

from sqlalchemy import select

from jemput.db import unit_of_work
from jemput.residents.models import Resident
from jemput.vulnerable.models import CareProfile
from tests.personas import page_csrf
from tests.vulnerable.conftest import audit_count

NOTE = "Terbaring sejak stroke; keluarga minta petugas datang hari Sabtu."


def refer(client, **fields):
    form = {"csrf_token": page_csrf(client), "needs": ["terbaring"],
            "approaches": ["kunjungan_rumah", "keluarga"], "notes": NOTE}
    form.update(fields)
    return client.post("/rujukan", data=form, follow_redirects=False)


def only_referral(client) -> dict:
    referrals = client.get("/api/rujukan").json()["referrals"]
    assert len(referrals) == 1, referrals
    return referrals[0]


def test_desa_official_refers_a_resident_found_by_search_and_operator_accepts(cast,
                                                                             client_for):
    desa = client_for("desa")
    found = desa.get("/rujukan", params={"q": "bagus setiawan"})
    assert found.status_code == 200
    assert f'name="resident_id" value="{cast.ours}"' in found.text
    assert cast.ours_nik not in found.text  # masked
    assert refer(desa, resident_id=str(cast.ours)).headers["location"] == "/rujukan?terkirim=1"
    mine = only_referral(desa)
    assert (mine["resident_id"], mine["status"]["code"]) == (cast.ours, "menunggu")

    operator = client_for("operator")
    queue = operator.get("/rujukan")
    assert "BAGUS SETIAWAN" in queue.text and NOTE in queue.text
    accepted = operator.post(f"/rujukan/{mine['id']}/terima",
                             data={"csrf_token": page_csrf(operator)}, follow_redirects=False)
    assert accepted.status_code == 303

    assert only_referral(desa)["status"]["code"] == "diterima"
    profile = operator.get(f"/api/rentan/{cast.ours}").json()
    assert [n["code"] for n in profile["profile"]["needs"]] == ["terbaring"]
    assert {"kunjungan_rumah", "keluarga"} <= {a["code"] for a in profile["profile"][
        "approaches"]}
    assert NOTE in profile["notes"]["need_notes"]
    with unit_of_work() as session:
        assert session.get(Resident, cast.ours).needs_home_visit is True
    # Accepting twice is refused: a decision stands.
    again = operator.post(f"/api/rujukan/{mine['id']}/terima", json={},
                          headers={"X-CSRF-Token": page_csrf(operator)})
    assert again.status_code == 422
    assert audit_count("referral.accepted", mine["id"]) == 1


def test_acceptance_adds_to_an_existing_profile_without_losing_it(cast, client_for):
    operator = client_for("operator")
    operator.put(f"/api/rentan/{cast.ours}", headers={"X-CSRF-Token": page_csrf(operator)},
                 json={"needs": ["disabilitas_2"], "safety_notes": "Ibu ODGJ: datang berdua.",
                       "consent": "diberikan"})
    desa = client_for("desa")
    refer(desa, resident_id=str(cast.ours), needs=["odgj"])
    referral = only_referral(desa)
    operator.post(f"/api/rujukan/{referral['id']}/terima", json={},
                  headers={"X-CSRF-Token": page_csrf(operator)})
    profile = operator.get(f"/api/rentan/{cast.ours}").json()
    assert {n["code"] for n in profile["profile"]["needs"]} == {"disabilitas_2", "odgj"}
    assert profile["notes"]["safety_notes"] == "Ibu ODGJ: datang berdua."
    assert profile["profile"]["consent"]["code"] == "diberikan"
    with unit_of_work() as session:
        assert len(list(session.scalars(select(CareProfile)))) == 1


def test_desa_official_cannot_refer_or_see_a_resident_of_another_desa(cast, client_for):
    desa = client_for("desa")
    api = desa.post("/api/rujukan", headers={"X-CSRF-Token": page_csrf(desa)},
                    json={"resident_id": cast.neighbour, "needs": ["terbaring"]})
    assert api.status_code == 404
    assert refer(desa, resident_id=str(cast.neighbour)).status_code == 404
    found = desa.get("/api/rujukan/calon", params={"q": cast.neighbour_nik}).json()
    assert found == []
    assert "SITI MUNAROH" not in desa.get("/rujukan", params={"q": "siti munaroh"}).text
    # Nor name another desa for a person not in the registry.
    outside = refer(desa, person_name="WARGA LAIN", person_address="Dusun Krajan",
                    desa_code="33.06.01.2002")
    assert outside.status_code == 400
    assert desa.get("/api/rujukan").json()["referrals"] == []


def test_partner_refers_a_person_not_in_the_registry_and_reads_the_decline_reason(cast,
                                                                                  client_for):
    mitra = client_for("mitra")
    missing_desa = refer(mitra, person_name="MBAH SAIMAH", person_address="RT 02 RW 01")
    assert missing_desa.status_code == 400
    assert "kode desa" in missing_desa.text
    sent = mitra.post("/api/rujukan", headers={"X-CSRF-Token": page_csrf(mitra)}, json={
        "person_name": "MBAH SAIMAH", "person_address": "RT 02 RW 01, Dusun Krajan",
        "person_phone": "0813 1111 2222", "desa_code": "33.06.01.2002",
        "needs": ["lansia", "lainnya"], "approaches": ["kunjungan_rumah"], "notes": NOTE})
    assert sent.status_code == 201, sent.text
    referral = sent.json()
    assert referral["resident_id"] is None and referral["status"]["code"] == "menunggu"

    # The desa official of the next desa does not see a partner's referral in their queue.
    assert client_for("desa").get("/api/rujukan").json()["referrals"] == []
    # The kecamatan's own operator has it in their queue too.
    other = client_for("kecamatan_operator")
    assert other.get("/api/rujukan").json()["referrals"][0]["id"] == referral["id"]
    operator = client_for("operator")
    short = operator.post(f"/rujukan/{referral['id']}/tolak",
                          data={"csrf_token": page_csrf(operator), "reason": ""})
    assert short.status_code == 400
    declined = operator.post(f"/rujukan/{referral['id']}/tolak", follow_redirects=False, data={
        "csrf_token": page_csrf(operator), "reason": "Sudah terekam di Dukcapil 2025."})
    assert declined.status_code == 303
    mine = only_referral(mitra)
    assert mine["status"]["code"] == "ditolak"
    assert mine["decision_reason"] == "Sudah terekam di Dukcapil 2025."
    assert "Sudah terekam di Dukcapil 2025." in mitra.get("/rujukan").text


def test_operator_links_an_unregistered_referral_to_the_resident_it_turned_out_to_be(
        cast, client_for):
    desa = client_for("desa")
    assert refer(desa, person_name="BAGUS S.", person_phone="0812 000").status_code == 303
    referral = only_referral(desa)
    assert referral["desa_code"] == "33.06.01.2001"  # a desa official's own desa
    operator = client_for("operator")
    operator.post(f"/rujukan/{referral['id']}/terima", follow_redirects=False,
                  data={"csrf_token": page_csrf(operator), "resident_id": str(cast.ours)})
    assert only_referral(desa)["resident_id"] == cast.ours
    assert operator.get(f"/api/rentan/{cast.ours}").json()["exists"] is True


def test_an_operator_outside_the_referrals_kecamatan_cannot_decide_it(cast, client_for):
    mitra = client_for("mitra")
    mitra.post("/api/rujukan", headers={"X-CSRF-Token": page_csrf(mitra)},
               json={"resident_id": cast.elsewhere, "needs": ["terbaring"]})
    referral = only_referral(mitra)
    grabag = client_for("kecamatan_operator")
    assert grabag.get("/api/rujukan").json()["referrals"] == []
    refused = grabag.post(f"/api/rujukan/{referral['id']}/terima", json={},
                          headers={"X-CSRF-Token": page_csrf(grabag)})
    assert refused.status_code == 404
    assert only_referral(mitra)["status"]["code"] == "menunggu"


def test_referral_notes_are_escaped(cast, client_for):
    desa = client_for("desa")
    refer(desa, resident_id=str(cast.ours), notes="<script>alert(1)</script>")
    for client in (desa, client_for("operator")):
        text = client.get("/rujukan").text
        assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)" in text


def test_referral_pages_are_linked_from_the_desa_and_partner_menus(client_for):
    for persona in ("desa", "mitra", "operator"):
        assert 'href="/rujukan"' in client_for(persona).get("/").text
    for persona in ("auditor", "admin", "sekolah", "petugas", "kepala"):
        client = client_for(persona)
        assert 'href="/rujukan"' not in client.get("/").text
        assert client.get("/rujukan").status_code == 403


def test_a_resident_already_waiting_or_dead_is_not_referred_again(cast, client_for):
    desa = client_for("desa")
    assert refer(desa, resident_id=str(cast.ours)).status_code == 303
    again = refer(desa, resident_id=str(cast.ours))
    assert again.status_code == 400
    assert "sudah dirujuk" in again.text
    with unit_of_work() as session:
        session.get(Resident, cast.ours).life_status = "mati"
    mitra = client_for("mitra")
    dead = mitra.post("/api/rujukan", headers={"X-CSRF-Token": page_csrf(mitra)},
                      json={"resident_id": cast.ours, "needs": ["terbaring"]})
    assert dead.status_code == 422
    assert "meninggal" in dead.json()["detail"]
