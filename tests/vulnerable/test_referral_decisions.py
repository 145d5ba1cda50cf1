"""Accepting and declining a referral answer alike: the same refusals, on the page and the API."""

from __future__ import annotations

import pytest

from tests.personas import page_csrf
from tests.vulnerable.test_referrals import refer


@pytest.fixture
def referral_id(cast, client_for) -> int:
    assert refer(client_for("desa"), resident_id=str(cast.ours)).status_code == 303
    (referral,) = client_for("operator").get("/api/rujukan").json()["referrals"]
    return int(referral["id"])


VERBS = (("terima", {"resident_id": ""}, {}), ("tolak", {"reason": "Sudah terekam."},
                                               {"reason": "Sudah terekam."}))


@pytest.mark.parametrize(("verb", "form", "body"), VERBS)
def test_a_decided_referral_cannot_be_decided_again_on_the_page_or_the_api(
        referral_id, client_for, verb, form, body):
    operator = client_for("operator")
    csrf = page_csrf(operator)
    first = operator.post(f"/rujukan/{referral_id}/{verb}", data={"csrf_token": csrf, **form},
                          follow_redirects=False)
    assert (first.status_code, first.headers["location"]) == (303, "/rujukan")
    again = operator.post(f"/rujukan/{referral_id}/{verb}", data={"csrf_token": csrf, **form})
    assert again.status_code == 400
    assert f"Rujukan #{referral_id} sudah" in again.text
    api = operator.post(f"/api/rujukan/{referral_id}/{verb}", headers={"X-CSRF-Token": csrf},
                        json=body)
    assert api.status_code == 422
    assert api.json()["detail"].startswith(f"Rujukan #{referral_id} sudah")


def test_a_decline_without_a_reason_is_refused_on_the_page_and_nothing_changes(
        referral_id, client_for):
    operator = client_for("operator")
    response = operator.post(f"/rujukan/{referral_id}/tolak",
                             data={"csrf_token": page_csrf(operator), "reason": "x"})
    assert response.status_code == 400 and "Tulis alasan penolakan" in response.text
    (referral,) = operator.get("/api/rujukan").json()["referrals"]
    assert referral["status"]["code"] == "menunggu"
