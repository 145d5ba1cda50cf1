"""Team availability per day: absences on the resources page and in the settings file, and
recording kits counted per day. The planner gives no team-day the office cannot staff."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.outreach.conftest import (
    create_campaign,
    ids_by_name,
    invoke,
    plan,
    post_form,
    resources_of,
)
from tests.outreach.test_campaigns import stops_of

ABSENCE = "/kampanye/sumber-daya/tidak-tersedia"


def team_ids(client) -> dict[str, int]:
    return ids_by_name(resources_of(client)["teams"])


def routes_by_day(data: dict[str, Any]) -> dict[str, set[str]]:
    days: dict[str, set[str]] = {}
    for day in data["plan"]["days"]:
        days[day["day"]] = {route["team"] for route in day["routes"]}
    return days


def test_a_team_away_or_with_every_member_away_gets_no_day(kecamatan, client_for):
    operator = client_for("operator")
    teams = team_ids(operator)
    away = post_form(operator, ABSENCE, {"team_id": teams["Tim 1"], "starts": "2026-12-04",
                                         "ends": "2026-12-05", "reason": "tugas pemilu"})
    assert away.status_code == 303, away.text
    # Tim Grabag's only member on leave: the team stays in too.
    post_form(operator, ABSENCE, {"team_id": teams["Tim Grabag"], "starts": "2026-12-07",
                                  "member": "Agus Widodo", "reason": "cuti"})
    # One of Tim 1's two members away: Tim 1 still goes, without them.
    post_form(operator, ABSENCE, {"team_id": teams["Tim 1"], "starts": "2026-12-08",
                                  "member": "petugas", "reason": "sakit"})
    listed = {(a["team"], a["day"], a["member"]) for a in resources_of(operator)["absences"]}
    assert {("Tim 1", "2026-12-04", ""), ("Tim 1", "2026-12-05", ""),
            ("Tim Grabag", "2026-12-07", "Agus Widodo"),
            ("Tim 1", "2026-12-08", "petugas")} <= listed

    campaign = create_campaign(operator, kecamatan["list_id"]).json()["id"]
    data = plan(operator, campaign).json()
    days = routes_by_day(data)
    assert "Tim 1" not in days.get("2026-12-04", set()) | days.get("2026-12-05", set())
    assert "Tim Grabag" not in days.get("2026-12-07", set())
    notes = data["plan"]["notes"]
    assert "2026-12-04: Tim 1 tidak tersedia (tugas pemilu)" in notes
    assert "2026-12-07: Tim Grabag tidak tersedia (cuti)" in notes
    assert "2026-12-08: Tim 1 berangkat tanpa petugas" in notes


def test_no_more_teams_go_out_on_a_day_than_the_office_has_kits(kecamatan, client_for):
    operator = client_for("operator")
    # The regency office now owns one kit; the campaign has two teams, each carrying one.
    calendar = post_form(operator, "/kampanye/sumber-daya/kalender",
                         {"area_code": "33.06", "kits": "1"})
    assert calendar.status_code == 303, calendar.text
    response = create_campaign(operator, kecamatan["list_id"])
    assert response.status_code == 201, response.text  # they take turns, day by day
    data = plan(operator, response.json()["id"]).json()
    per_day = Counter(day for day, _, _ in {(d, r["team"], 0) for d, r, _ in stops_of(data)})
    assert per_day and max(per_day.values()) == 1
    assert any("tidak berangkat: alat rekam kantor (1) sudah dibawa tim lain" in note
               for note in data["plan"]["notes"])


def test_an_absence_that_makes_no_sense_is_refused_and_nothing_kept(kecamatan, client_for):
    operator = client_for("operator")
    teams = team_ids(operator)
    before = resources_of(operator)["absences"]  # the demo file's one
    stranger = post_form(operator, ABSENCE, {"team_id": teams["Tim 1"], "starts": "2026-12-04",
                                             "member": "Orang Lain"})
    assert stranger.status_code == 400 and "bukan anggota Tim 1" in stranger.text
    backwards = post_form(operator, ABSENCE, {"team_id": teams["Tim 1"],
                                              "starts": "2026-12-09", "ends": "2026-12-04"})
    assert backwards.status_code == 400 and "tanggal tidak sah" in backwards.text
    bad_day = post_form(operator, ABSENCE, {"team_id": teams["Tim 1"], "starts": "besok"})
    assert bad_day.status_code == 400 and "tidak tersedia mulai" in bad_day.text
    assert resources_of(operator)["absences"] == before


def test_available_again_removes_the_day(kecamatan, client_for):
    operator = client_for("operator")
    before = resources_of(operator)["absences"]
    post_form(operator, ABSENCE, {"team_id": team_ids(operator)["Tim 1"],
                                  "starts": "2026-12-04"})
    absence = next(a for a in resources_of(operator)["absences"] if a["team"] == "Tim 1")
    page = operator.get("/kampanye/sumber-daya")
    assert "Tim tidak tersedia" in page.text and "Tersedia lagi" in page.text
    removed = post_form(operator, f"{ABSENCE}/hapus", {"absence_id": absence["id"]})
    assert removed.status_code == 303
    assert resources_of(operator)["absences"] == before


def test_the_settings_file_marks_days_unavailable(kecamatan, client_for):
    # The demo file (loaded by the fixture) has Tim 2's Rina Lestari on leave on 11 December.
    listed = resources_of(client_for("operator"))["absences"]
    assert [(a["team"], a["day"], a["member"], a["reason"]) for a in listed] == [
        ("Tim 2", "2026-12-11", "Rina Lestari", "cuti")]
    # Loading it again changes nothing (the same day is not stored twice).
    from jemput.outreach.settings_file import DEMO_FILE

    result = invoke("campaigns", "load-settings", str(DEMO_FILE), "--as", "operator")
    assert result.exit_code == 0 and "1 tidak_tersedia" in result.output
    assert len(resources_of(client_for("operator"))["absences"]) == 1


@pytest.mark.parametrize("persona", ["kepala", "desa", "petugas", "kecamatan_operator",
                                     "outsider"])
def test_only_the_office_owning_a_team_marks_it(persona, kecamatan, client_for):
    operator = client_for("operator")
    team = team_ids(operator)["Tim 1"]  # a regency team: not the Grabag office's
    post_form(operator, ABSENCE, {"team_id": team, "starts": "2026-12-04"})
    before = resources_of(operator)["absences"]
    client = client_for(persona)
    if persona == "outsider":
        response = client.post(ABSENCE, data={"team_id": team, "starts": "2026-12-05"},
                               follow_redirects=False)
        assert response.status_code in (303, 401, 403)
    else:
        added = post_form(client, ABSENCE, {"team_id": team, "starts": "2026-12-05"})
        mine = next(a for a in before if a["team"] == "Tim 1")
        removed = post_form(client, f"{ABSENCE}/hapus", {"absence_id": mine["id"]})
        assert added.status_code in (403, 404) and removed.status_code in (403, 404)
    assert resources_of(operator)["absences"] == before


def test_the_kecamatan_office_marks_its_own_team(kecamatan, client_for):
    grabag = client_for("kecamatan_operator")
    team = team_ids(client_for("operator"))["Tim Grabag"]
    response = post_form(grabag, ABSENCE, {"team_id": team, "starts": "2026-12-04",
                                           "reason": "rapat kecamatan"})
    assert response.status_code == 303, response.text
