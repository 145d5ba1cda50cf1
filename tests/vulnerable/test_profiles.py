"""Care profiles and incidents: who writes them, who reads the notes, and that reads are logged."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from jemput.auth.models import Role, User
from jemput.cli import app as cli
from jemput.residents.models import Resident
from jemput.vulnerable import access
from tests.personas import page_csrf
from tests.vulnerable.conftest import audit_count
from tests.vulnerable.test_referrals import refer

CHAIR = "Ibu warga (ODGJ) melempar kursi ke arah perangkat desa saat maksud disampaikan."
SAFETY = "Datang bersama Dinsos dan Bhabinkamtibmas; jangan datang tanpa pendamping."
REPORT = "Tuna netra sejak lahir; ibunya ODGJ dan menolak tamu."


def profile_form(csrf: str, **extra) -> dict:
    form = {"csrf_token": csrf, "needs": ["disabilitas_2"],
            "approaches": ["kunjungan_rumah", "dinsos", "bhabinkamtibmas", "waktu_tenang"],
            "need_notes": REPORT, "approach_notes": "Pagi, sebelum pukul 09.00.",
            "guardian_name": "SUPARMI", "guardian_relation": "Ibu",
            "guardian_phone": "0812-2700-1234", "consent": "diberikan",
            "consent_on": "2026-01-20", "consent_by": "Kaur Pemerintahan Desa Soko",
            "safety_notes": SAFETY}
    form.update(extra)
    return form


def save_profile(client, resident_id: int, **extra):
    return client.post(f"/rentan/{resident_id}", data=profile_form(page_csrf(client), **extra),
                       follow_redirects=False)


def add_incident(client, resident_id: int, what: str = CHAIR, happened_on: str = "2026-01-22"):
    return client.post(f"/rentan/{resident_id}/kejadian", data={
        "csrf_token": page_csrf(client), "happened_on": happened_on, "what": what,
        "who_present": "Perangkat desa, petugas Disdukcapil",
        "follow_up": "Koordinasi Dinsos dan Bhabinkamtibmas sebelum kunjungan berikutnya."},
        follow_redirects=False)


@pytest.fixture
def profiled(cast, client_for):
    """The desa official wrote the profile and the incident of seed 000."""
    desa = client_for("desa")
    assert save_profile(desa, cast.ours).status_code == 303
    assert add_incident(desa, cast.ours).status_code == 303
    return cast


def test_desa_official_writes_the_profile_of_a_resident_of_their_desa(profiled, client_for):
    page = client_for("desa").get(f"/rentan/{profiled.ours}")
    assert page.status_code == 200
    for expected in ("Disabilitas netra", "Kunjungan rumah", "Didampingi Bhabinkamtibmas",
                     "SUPARMI", "0812-2700-1234", REPORT, SAFETY, "Perhatian"):
        assert expected in page.text
    # A home visit in the approach says so on the registry, as a stated fact.
    resident = client_for("operator").get(f"/api/penduduk/{profiled.ours}").json()
    assert resident["vulnerability"]["needs_home_visit"] is True
    assert resident["vulnerability"]["needs_home_visit_stated"] is True


def test_desa_official_cannot_write_or_read_a_profile_in_another_desa(cast, client_for):
    desa = client_for("desa")
    assert save_profile(desa, cast.neighbour).status_code == 404
    assert desa.get(f"/rentan/{cast.neighbour}").status_code == 404
    assert desa.get(f"/api/rentan/{cast.neighbour}").status_code == 404
    api = desa.put(f"/api/rentan/{cast.neighbour}", json={"needs": ["terbaring"]},
                   headers={"X-CSRF-Token": page_csrf(desa)})
    assert api.status_code == 404


def test_operator_writes_a_profile_through_the_api(cast, client_for):
    operator = client_for("operator")
    response = operator.put(f"/api/rentan/{cast.neighbour}", headers={
        "X-CSRF-Token": page_csrf(operator)}, json={
        "needs": ["terbaring", "lansia"], "approaches": ["puskesmas"],
        "safety_notes": "Anjing galak di halaman."})
    assert response.status_code == 200, response.text
    body = response.json()
    assert [need["code"] for need in body["profile"]["needs"]] == ["terbaring", "lansia"]
    assert body["notes"]["safety_notes"] == "Anjing galak di halaman."
    refused = operator.put(f"/api/rentan/{cast.neighbour}", headers={
        "X-CSRF-Token": page_csrf(operator)}, json={"needs": ["terbang"]})
    assert refused.status_code == 422
    assert "terbang" in refused.json()["detail"]


def test_a_profile_form_with_no_need_is_refused_with_the_reason(cast, client_for):
    response = save_profile(client_for("operator"), cast.ours, needs=[])
    assert response.status_code == 400
    assert "needs" in response.text


def test_an_incident_in_the_future_is_refused(profiled, client_for):
    response = add_incident(client_for("desa"), profiled.ours, happened_on="2999-01-01")
    assert response.status_code == 400
    assert "masa depan" in response.text


@pytest.mark.parametrize("persona", ["auditor", "admin", "sekolah", "petugas"])
def test_auditor_admin_and_others_cannot_read_care_notes(profiled, client_for, persona):
    client = client_for(persona)
    for path in (f"/rentan/{profiled.ours}", f"/api/rentan/{profiled.ours}", "/api/rentan",
                 "/rentan"):
        response = client.get(path)
        assert response.status_code in (403, 404), (path, response.status_code)
        assert CHAIR not in response.text and SAFETY not in response.text
    assert audit_count("care.read_notes") == 0


@pytest.mark.parametrize("persona", ["operator", "kepala", "kecamatan_operator", "desa"])
def test_kepala_operator_and_desa_official_read_care_notes_in_scope(profiled, client_for,
                                                                     persona):
    body = client_for(persona).get(f"/api/rentan/{profiled.ours}").json()
    assert body["may_read_notes"] is True
    assert body["notes"]["safety_notes"] == SAFETY
    assert body["notes"]["incidents"][0]["what"] == CHAIR


def test_each_read_of_care_notes_is_on_the_audit_log(profiled, client_for):
    operator = client_for("operator")
    before = audit_count("care.read_notes", profiled.ours)
    operator.get(f"/api/rentan/{profiled.ours}")
    operator.get(f"/rentan/{profiled.ours}")
    operator.get(f"/penduduk/{profiled.ours}")
    assert audit_count("care.read_notes", profiled.ours) == before + 3
    # The list shows no notes, so reading it is no read of notes.
    operator.get("/rentan")
    operator.get("/api/rentan")
    assert audit_count("care.read_notes", profiled.ours) == before + 3


def test_lists_of_profiles_show_no_notes(profiled, client_for):
    # A partner lists only its own people: here, one it referred (test_partner_reach.py).
    assert refer(client_for("mitra"), resident_id=str(profiled.ours)).status_code == 303
    for persona in ("operator", "desa", "mitra"):
        client = client_for(persona)
        listed = client.get("/api/rentan").json()
        assert [row["resident_id"] for row in listed["profiles"]] == [profiled.ours]
        assert listed["profiles"][0]["incident_count"] == 1
        page = client.get("/rentan")
        assert "BAGUS SETIAWAN" in page.text
        for secret in (CHAIR, SAFETY, REPORT, "SUPARMI", "0812-2700-1234"):
            assert secret not in page.text and secret not in str(listed)


def test_the_list_stays_inside_the_readers_scope(cast, client_for):
    operator = client_for("operator")
    for resident_id in (cast.ours, cast.neighbour, cast.elsewhere):
        assert save_profile(operator, resident_id).status_code == 303
    assert {row["resident_id"] for row in client_for("desa").get("/api/rentan").json()[
        "profiles"]} == {cast.ours}
    assert {row["resident_id"] for row in client_for("kecamatan_operator").get(
        "/api/rentan").json()["profiles"]} == {cast.ours, cast.neighbour}
    narrowed = operator.get("/api/rentan", params={"wilayah": "33.06.02"}).json()
    assert [row["resident_id"] for row in narrowed["profiles"]] == [cast.elsewhere]


def test_care_notes_are_escaped_on_every_page(cast, client_for):
    attack = '<script>alert("kursi")</script><img src=x onerror=alert(1)>'
    operator = client_for("operator")
    assert save_profile(operator, cast.ours, safety_notes=attack, need_notes=attack,
                        guardian_name="<b>x</b>").status_code == 303
    assert add_incident(operator, cast.ours, what=attack).status_code == 303
    for path in (f"/rentan/{cast.ours}", f"/penduduk/{cast.ours}", "/rentan"):
        text = operator.get(path).text
        assert "<script>alert" not in text and "<img src=x" not in text and "<b>x</b>" not in text
    assert "&lt;script&gt;alert(&#34;kursi&#34;)&lt;/script&gt;" in operator.get(
        f"/penduduk/{cast.ours}").text


def test_incident_shows_on_the_resident_page_for_the_next_reader_who_may_see_it(profiled,
                                                                               client_for):
    page = client_for("kepala").get(f"/penduduk/{profiled.ours}")
    assert page.status_code == 200
    assert "data-care-alert" in page.text
    assert "Perhatian" in page.text and CHAIR in page.text and SAFETY in page.text
    # The page's Perhatian block comes before anything else about the person.
    assert page.text.index("data-care-alert") < page.text.index("Identitas")


def test_incident_is_hidden_from_a_reader_who_may_not_see_care_notes(profiled, client_for):
    # A partner agency reads the list and the kind of help needed, not the notes: here
    # of a person it referred, with no task given to it (test_partner_reach.py).
    mitra = client_for("mitra")
    assert refer(mitra, resident_id=str(profiled.ours)).status_code == 303
    page = mitra.get(f"/rentan/{profiled.ours}")
    assert page.status_code == 200
    assert "Disabilitas netra" in page.text
    assert CHAIR not in page.text and SAFETY not in page.text and "data-care-alert" not in page.text
    assert mitra.get(f"/api/rentan/{profiled.ours}").json()["notes"] is None
    assert mitra.get(f"/penduduk/{profiled.ours}").status_code in (403, 404)
    # Nor the desa official of the next desa, nor an operator of another kecamatan.
    assert client_for("desa").get(f"/penduduk/{profiled.neighbour}").status_code == 404
    assert audit_count("care.read_notes") == 0


def test_a_grant_lets_an_assigned_partner_or_field_officer_read_the_notes(profiled,
                                                                          client_for):
    def assigned(session, user: User, resident: Resident) -> bool:
        return user.role in (Role.MITRA, Role.PETUGAS) and resident.id == profiled.ours

    petugas = client_for("petugas")
    assert petugas.get(f"/api/rentan/{profiled.ours}").status_code == 404
    access.grant_care_notes(assigned)
    try:
        partner = client_for("mitra").get(f"/api/rentan/{profiled.ours}").json()
        officer = petugas.get(f"/rentan/{profiled.ours}")
        not_assigned = petugas.get(f"/api/rentan/{profiled.neighbour}").status_code
    finally:
        access.revoke_care_notes_grant(assigned)
    assert partner["notes"]["incidents"][0]["what"] == CHAIR
    assert officer.status_code == 200 and CHAIR in officer.text and SAFETY in officer.text
    assert not_assigned == 404
    assert audit_count("care.read_notes", profiled.ours) == 2
    # Withdrawn, the grant no longer opens anything.
    assert petugas.get(f"/api/rentan/{profiled.ours}").status_code == 404


def test_cli_lists_profiles_without_notes(profiled):
    result = CliRunner().invoke(cli, ["vulnerable", "list"])
    assert result.exit_code == 0, result.output
    assert "BAGUS SETIAWAN" in result.output and "Disabilitas netra" in result.output
    assert "3306010203040001" not in result.output
    assert CHAIR not in result.output and SAFETY not in result.output
    english = CliRunner().invoke(cli, ["vulnerable", "list", "--en", "--wilayah", "33.06.02"])
    assert english.exit_code == 0 and "No vulnerable resident profiles" in english.output


def test_pages_speak_english_to_a_reader_who_chose_it(profiled, client_for):
    operator = client_for("operator")
    operator.post("/akun/bahasa", data={"csrf_token": page_csrf(operator), "locale": "en"})
    page = operator.get(f"/rentan/{profiled.ours}").text
    for expected in ("Attention", "Blind", "Home visit", "Escort: village police officer",
                     "Safety notes from earlier visits"):
        assert expected in page
    listed = operator.get("/api/rentan").json()["profiles"][0]
    assert listed["needs"][0] == {"code": "disabilitas_2", "label": "Blind"}
    assert "Referrals" in operator.get("/rujukan").text


def test_control_characters_in_notes_are_refused_not_stored(cast, client_for):
    operator = client_for("operator")
    response = operator.put(f"/api/rentan/{cast.ours}", headers={
        "X-CSRF-Token": page_csrf(operator)}, json={"needs": ["odgj"], "safety_notes": "a\x00b"})
    assert response.status_code == 422
    assert operator.get(f"/api/rentan/{cast.ours}").json()["exists"] is False
    page = save_profile(operator, cast.ours, safety_notes="kursi\x00")
    assert page.status_code == 400 and "karakter kendali" in page.text
