"""Outcomes move the target member's follow-up; replan keeps what was done and retries."""

from __future__ import annotations

from typing import Any

from tests.outreach.conftest import create_campaign, plan, post_form, post_json
from tests.outreach.test_campaigns import stops_of


def first_day_people(data: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    day = data["plan"]["days"][0]
    return day["day"], [p | {"kind": s["kind"], "arrives": s["arrives"]}
                        for r in day["routes"] for s in r["stops"] for p in s["people"]]


def member_state(client, list_id: int, member_id: int) -> str:
    rows = client.get(f"/api/sasaran/{list_id}", params={"per_page": 200}).json()["rows"]
    return str(next(r for r in rows if r["id"] == member_id)["state"])


def test_outcomes_move_members_and_replan_keeps_what_was_done(kecamatan, client_for):
    operator = client_for("operator")
    campaign = create_campaign(operator, kecamatan["list_id"]).json()["id"]
    data = plan(operator, campaign).json()
    day, people = first_day_people(data)
    assert len(people) >= 2, data
    away = next(p for p in people if p["kind"] == "rumah")  # a home visit nobody answered
    absent = next(p for p in people if p["kind"] == "sesi")  # did not come to the balai
    done = next(p for p in people if p is not away and p is not absent)
    response = post_json(operator, f"/api/kampanye/{campaign}/hasil",
                         {"entry_id": done["id"], "outcome": "recorded"})
    assert response.status_code == 200, response.text
    response = post_form(operator, f"/kampanye/{campaign}/hasil",
                         {"entry_id": str(away["id"]), "outcome": "not_home"})
    assert response.status_code == 303, response.text
    post_json(operator, f"/api/kampanye/{campaign}/hasil",
              {"entry_id": absent["id"], "outcome": "not_home"})
    assert member_state(operator, kecamatan["list_id"], done["member_id"]) == "reached"
    assert member_state(operator, kecamatan["list_id"], away["member_id"]) == "contacted"
    # A recorded outcome is final.
    again = post_json(operator, f"/api/kampanye/{campaign}/hasil",
                      {"entry_id": done["id"], "outcome": "refused"})
    assert again.status_code == 400

    fresh = plan(operator, campaign)  # a fresh plan would drop what the field did
    assert fresh.status_code == 400 and "rancang ulang" in fresh.json()["detail"]
    replanned = plan(operator, campaign, replan=True).json()["plan"]
    assert replanned["version"] == 2 and replanned["kept_through"] == day
    kept_day = next(d for d in replanned["days"] if d["day"] == day)
    kept = {p["member_id"]: p["outcome"] for r in kept_day["routes"] for s in r["stops"]
            for p in s["people"]}
    assert kept[done["member_id"]] == "recorded" and kept[away["member_id"]] == "not_home"
    later = [(d, p) for d, _, s in stops_of({"plan": replanned}) if d > day
             for p in s["people"]]
    later_ids = [p["member_id"] for _, p in later]
    assert done["member_id"] not in later_ids  # served: never planned again
    assert len(later_ids) == len(set(later_ids))
    left = {row["member_id"]: row["reason"] for row in replanned["left_out"]}
    # Not home: tried again on another day (the campaign has one left) at another time of day.
    assert away["member_id"] not in left
    retried = next(s for d, _, s in stops_of({"plan": replanned}) if d > day
                   for p in s["people"] if p["member_id"] == away["member_id"])
    morning_before = away["arrives"] < "12:00"
    assert (retried["arrives"] >= "12:00") == morning_before, (away, retried)
    # Absent from a session: visited at home next time.
    visited = next(s for d, _, s in stops_of({"plan": replanned}) if d > day
                   for p in s["people"] if p["member_id"] == absent["member_id"])
    assert visited["kind"] == "rumah"


def test_replan_before_any_outcome_is_refused_with_the_reason(kecamatan, client_for):
    operator = client_for("operator")
    campaign = create_campaign(operator, kecamatan["list_id"]).json()["id"]
    plan(operator, campaign)
    response = plan(operator, campaign, replan=True)
    assert response.status_code == 400 and "hasil" in response.json()["detail"]


def test_only_the_office_records_outcomes(kecamatan, client_for):
    operator = client_for("operator")
    campaign = create_campaign(operator, kecamatan["list_id"]).json()["id"]
    _, people = first_day_people(plan(operator, campaign).json())
    for persona in ("kepala", "desa", "petugas"):
        response = post_json(client_for(persona), f"/api/kampanye/{campaign}/hasil",
                             {"entry_id": people[0]["id"], "outcome": "recorded"})
        assert response.status_code in (403, 404), persona
