"""A partner agency (mitra) sees the care profiles of its own people only.

Its own: people given to it on a target list and still to be reached, and people it
referred (unless the office declined). Every other profile of the regency, even one
in the partner's region, is as missing as one that does not exist (UU 27/2022).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from jemput.auth.models import User
from jemput.db import unit_of_work
from tests.personas import PERSONA_PASSWORD, page_csrf, sign_in
from tests.targets.helpers import create, member_id, post_json
from tests.vulnerable.test_profiles import CHAIR, SAFETY, add_incident, save_profile
from tests.vulnerable.test_referrals import refer


@pytest.fixture
def profiles(cast, client_for):
    """The operator wrote profiles of the three residents; one has an incident."""
    operator = client_for("operator")
    for resident_id in (cast.ours, cast.neighbour, cast.elsewhere):
        assert save_profile(operator, resident_id).status_code == 303
    assert add_incident(operator, cast.ours).status_code == 303
    return cast


@pytest.fixture
def other_partner(app, personas, _persona_hash, migrated_database) -> Iterator[TestClient]:
    """A second partner agency of the same regency (say, the Puskesmas beside Dinsos)."""
    with unit_of_work(migrated_database) as session:
        session.add(User(username="mitra-puskesmas", full_name="Puskesmas Grabag",
                         role="mitra", scope_region="33.06", password_hash=_persona_hash,
                         is_active=True, failed_logins=0, locale="id"))
    with TestClient(app) as client:
        yield sign_in(client, "mitra-puskesmas", PERSONA_PASSWORD)


def listed(client) -> set[int]:
    response = client.get("/api/rentan")
    assert response.status_code == 200, response.text
    return {row["resident_id"] for row in response.json()["profiles"]}


def give_to_partner(operator, name: str, username: str = "mitra") -> tuple[int, int]:
    list_id = create(operator, "belum-rekam")
    member = member_id(operator, list_id, name)
    response = post_json(operator, f"/api/sasaran/{list_id}/tugaskan",
                         {"member_ids": [member], "username": username})
    assert response.status_code == 200 and response.json()["assigned"] == 1, response.text
    return list_id, member


def test_a_partner_sees_no_profile_that_is_not_theirs(profiles, client_for):
    mitra = client_for("mitra")
    assert listed(mitra) == set()
    page = mitra.get("/rentan")
    assert page.status_code == 200
    assert "BAGUS SETIAWAN" not in page.text and "SITI MUNAROH" not in page.text
    for resident_id in (profiles.ours, profiles.neighbour, profiles.elsewhere):
        assert mitra.get(f"/rentan/{resident_id}").status_code == 404
        assert mitra.get(f"/api/rentan/{resident_id}").status_code == 404
    # The office still sees all three.
    assert listed(client_for("operator")) == {profiles.ours, profiles.neighbour,
                                              profiles.elsewhere}


def test_a_partner_sees_the_profile_of_a_person_given_to_them_and_reads_the_notes(
        profiles, client_for, other_partner):
    operator = client_for("operator")
    list_id, member = give_to_partner(operator, "BAGUS SETIAWAN")
    mitra = client_for("mitra")
    assert listed(mitra) == {profiles.ours}
    # The escort must know about the chair before going: the notes come with the task.
    body = mitra.get(f"/api/rentan/{profiles.ours}").json()
    assert body["notes"]["incidents"][0]["what"] == CHAIR
    assert SAFETY in mitra.get(f"/rentan/{profiles.ours}").text
    assert mitra.get(f"/rentan/{profiles.neighbour}").status_code == 404
    # Another partner agency sees nothing of it.
    assert listed(other_partner) == set()
    assert other_partner.get(f"/api/rentan/{profiles.ours}").status_code == 404
    assert other_partner.get(f"/rentan/{profiles.ours}").status_code == 404
    # Reached, the person is no longer the partner's to know about.
    moved = post_json(operator, f"/api/sasaran/{list_id}/anggota/{member}/status",
                      {"state": "reached", "outcome": "recorded"})
    assert moved.status_code == 200, moved.text
    assert listed(mitra) == set()
    assert mitra.get(f"/api/rentan/{profiles.ours}").status_code == 404


def test_a_partner_sees_the_profile_of_a_person_they_referred_without_the_notes(
        profiles, client_for, other_partner):
    mitra = client_for("mitra")
    assert refer(mitra, resident_id=str(profiles.neighbour)).status_code == 303
    assert listed(mitra) == {profiles.neighbour}
    body = mitra.get(f"/api/rentan/{profiles.neighbour}").json()
    assert body["exists"] and body["notes"] is None and not body["may_read_notes"]
    assert listed(other_partner) == set()
    # Declined by the office: the partner's part in it is over.
    operator = client_for("operator")
    (referral,) = operator.get("/api/rujukan").json()["referrals"]
    declined = operator.post(f"/api/rujukan/{referral['id']}/tolak",
                             headers={"X-CSRF-Token": page_csrf(operator)},
                             json={"reason": "Sudah terekam bulan lalu."})
    assert declined.status_code == 200, declined.text
    assert listed(mitra) == set()
    assert mitra.get(f"/rentan/{profiles.neighbour}").status_code == 404


def test_the_list_page_tells_a_partner_whose_profiles_it_shows(profiles, client_for):
    assert "hanya melihat warga yang ditugaskan kepada Anda" in client_for("mitra").get(
        "/rentan").text
    assert "data-own-people" not in client_for("operator").get("/rentan").text
