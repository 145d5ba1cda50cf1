"""Campaigns through HTTP: who may create, plan, record and approve; what the plan holds."""

from __future__ import annotations

from typing import Any

import pytest

from tests.outreach.conftest import (
    ENDS,
    STARTS,
    create_campaign,
    ids_by_name,
    plan,
    post_form,
    post_json,
    resources_of,
)


@pytest.fixture
def campaign(kecamatan: dict[str, Any], client_for) -> int:
    response = create_campaign(client_for("operator"), kecamatan["list_id"])
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def planned_people(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [person for day in data["plan"]["days"] for route in day["routes"]
            for stop in route["stops"] for person in stop["people"]]


def stops_of(data: dict[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    return [(day["day"], route, stop) for day in data["plan"]["days"]
            for route in day["routes"] for stop in route["stops"]]


def test_an_operator_plans_a_campaign_and_everyone_is_planned_once_or_left_out(
        campaign, client_for, kecamatan):
    operator = client_for("operator")
    response = plan(operator, campaign)
    assert response.status_code == 200, response.text
    data = response.json()
    people = planned_people(data)
    member_ids = [p["member_id"] for p in people]
    assert len(member_ids) == len(set(member_ids)), "nobody planned twice"
    left = {row["member_id"] for row in data["plan"]["left_out"]}
    assert not left & set(member_ids)
    listed = {row["id"] for row in operator.get(
        f"/api/sasaran/{kecamatan['list_id']}", params={"per_page": 200}).json()["rows"]}
    # Grabag's list holds Ngombol's resident too; the campaign is for Grabag only.
    assert set(member_ids) | left <= listed
    names = {p["name"] for p in people} | {row["name"] for row in data["plan"]["left_out"]}
    assert "JAUH" not in names and {"MBAH SURIP", "DARMI", "WARGA 1"} <= names
    assert all("•" in p["nik"] or "*" in p["nik"] for p in people)
    assert data["plan"]["served_weight"] > 0


def test_the_plan_respects_days_hours_breaks_and_who_cannot_come(campaign, client_for):
    data = plan(client_for("operator"), campaign).json()
    for day, _route, stop in stops_of(data):
        assert STARTS.isoformat() <= day <= ENDS.isoformat()
        assert stop["arrives"] >= "08:00" and stop["departs"] <= "15:00"
        if day in ("2026-12-04", "2026-12-11"):  # Fridays: nothing served 11:00-13:00
            assert stop["departs"] <= "11:00" or stop["arrives"] >= "13:00", stop
    home = {p["name"]: stop for _, _, stop in stops_of(data) for p in stop["people"]
            if stop["kind"] == "rumah"}
    session_people = {p["name"] for _, _, stop in stops_of(data) for p in stop["people"]
                      if stop["kind"] == "sesi"}
    # The bedridden and the ODGJ person are visited at home, never invited to the balai.
    assert not {"MBAH SURIP", "DARMI"} & session_people
    if "DARMI" in home:
        assert "pengalaman_odgj" in home["DARMI"]["escort"]
        # Only Tim 1 has ODGJ experience.
        team = next(r for _, r, s in stops_of(data) if s is home["DARMI"])
        assert team["team"] == "Tim 1"


def test_the_campaign_page_shows_stops_invitations_and_masked_niks(campaign, client_for):
    operator = client_for("operator")
    plan(operator, campaign)
    page = operator.get(f"/kampanye/{campaign}")
    assert page.status_code == 200
    assert "Tim" in page.text and "Rencana versi 1" in page.text
    assert "3306010201900101" not in page.text  # WARGA 1's full NIK


def test_kepala_reads_and_approves_but_cannot_plan(campaign, client_for):
    plan(client_for("operator"), campaign)
    kepala = client_for("kepala")
    assert kepala.get(f"/api/kampanye/{campaign}").status_code == 200
    assert plan(kepala, campaign).status_code == 404
    response = post_json(kepala, f"/api/kampanye/{campaign}/setujui")
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "approved"
    assert post_json(client_for("operator"),
                     f"/api/kampanye/{campaign}/setujui").status_code == 404


@pytest.mark.parametrize("persona", ["desa", "petugas", "sekolah", "mitra", "auditor", "admin"])
def test_other_roles_cannot_see_a_campaign(persona, campaign, client_for):
    client = client_for(persona)
    assert client.get("/api/kampanye").status_code == 403
    assert client.get(f"/api/kampanye/{campaign}").status_code in (403, 404)
    assert client.get(f"/kampanye/{campaign}").status_code in (403, 404)


def test_a_kecamatan_office_cannot_plan_in_a_neighbouring_kecamatan(kecamatan, client_for):
    grabag = client_for("kecamatan_operator")
    response = create_campaign(grabag, kecamatan["list_id"], area_code="33.06.02")
    assert response.status_code == 404
    # ... nor reach the regency's campaign (which cannot use Grabag's own team either).
    operator = client_for("operator")
    refused = create_campaign(operator, kecamatan["list_id"], area_code="33.06")
    assert refused.status_code == 400 and "Tim" not in refused.json()["detail"]
    team = ids_by_name(resources_of(operator)["teams"])["Tim 1"]
    campaign_id = create_campaign(operator, kecamatan["list_id"], area_code="33.06",
                                  team_ids=[team]).json()["id"]
    assert grabag.get(f"/api/kampanye/{campaign_id}").status_code == 404
    assert plan(grabag, campaign_id).status_code == 404


def test_a_campaign_may_have_more_teams_than_kits_they_take_turns(kecamatan, client_for):
    # Kits are counted per day when planning (tests/outreach/test_availability.py).
    operator = client_for("operator")
    for name in ("Tim 4", "Tim 5", "Tim 6"):
        post_form(operator, "/kampanye/sumber-daya/tim",
                  {"area_code": "33.06", "name": name, "kits": "1"})
    teams = ids_by_name(resources_of(operator)["teams"])
    response = create_campaign(operator, kecamatan["list_id"], team_ids=list(teams.values()))
    assert response.status_code == 201, response.text


def test_a_campaign_form_with_a_bad_date_says_which(kecamatan, client_for):
    response = post_form(client_for("operator"), "/kampanye",
                         {"name": "X", "area_code": "33.06.01", "starts": "besok",
                          "ends": "2026-12-12"})
    assert response.status_code == 400 and "besok" in response.text


def test_the_same_seed_gives_the_same_plan(campaign, client_for):
    operator = client_for("operator")
    first = plan(operator, campaign).json()["plan"]
    second = plan(operator, campaign).json()["plan"]
    assert second["version"] == first["version"] + 1

    def shape(days: list[dict[str, Any]]) -> list[Any]:
        return [(d["day"], r["team"], s["arrives"], s["kind"],
                 [p["member_id"] for p in s["people"]])
                for d in days for r in d["routes"] for s in r["stops"]]

    assert shape(first["days"]) == shape(second["days"])
    assert first["left_out"] == second["left_out"]


def test_build_problem_is_the_solver_input_of_a_campaign(campaign, client_for):
    from jemput.db import unit_of_work
    from jemput.outreach.campaigns import build_problem
    from jemput.outreach.models import Campaign
    from jemput.planning.problem import Category

    with unit_of_work() as session:
        problem = build_problem(session, session.get_one(Campaign, campaign))
    by_name = {person.name: person for person in problem.people}
    assert by_name["DARMI"].category == Category.ODGJ
    assert not by_name["DARMI"].can_attend_session
    assert by_name["DARMI"].point.lat == -7.805  # her own point, from the registry
    assert by_name["MBAH SURIP"].category == Category.BEDRIDDEN
    assert by_name["MBAH SURIP"].weight > by_name["WARGA 1"].weight
    assert by_name["WARGA 1"].can_attend_session
    assert {site.key for site in problem.sites} >= {"desa:33.06.01.2001"}
    assert {team.name for team in problem.teams} == {"Tim 1", "Tim Grabag"}
    assert [d.day.isoformat() for d in problem.days][:2] == ["2026-12-04", "2026-12-05"]
