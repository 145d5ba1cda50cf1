"""The plan on a map: /api/kampanye/{id}/peta for static/map.js, and the page that draws it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.outreach.conftest import GRABAG, create_campaign, invoke, plan, post_form
from tests.outreach.test_campaigns import planned_people

DUSUN_POINT = (-7.7912, 109.8876)  # KRAJAN of Harjobinangun, away from the desa's centre


@pytest.fixture
def outlined(tmp_path: Path, kecamatan: dict[str, Any]) -> dict[str, Any]:
    """Grabag's outline, loaded as an office loads its own file."""
    ring = [[109.80, -7.85], [109.95, -7.85], [109.95, -7.75], [109.80, -7.75], [109.80, -7.85]]
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"code": GRABAG},
        "geometry": {"type": "Polygon", "coordinates": [ring]}}]}), encoding="utf-8")
    result = invoke("regions", "import-outlines", str(path), "--source", "uji")
    assert result.exit_code == 0, result.output
    return kecamatan


@pytest.fixture
def planned(outlined: dict[str, Any], client_for) -> tuple[int, dict[str, Any]]:
    operator = client_for("operator")
    campaign = create_campaign(operator, outlined["list_id"]).json()["id"]
    response = plan(operator, campaign)
    assert response.status_code == 200, response.text
    return campaign, response.json()


def of_kind(collection: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [f for f in collection["features"] if f["properties"].get("kind") == kind]


def test_each_team_day_is_a_line_from_its_base_through_its_stops_in_order(planned, client_for):
    campaign, data = planned
    response = client_for("operator").get(f"/api/kampanye/{campaign}/peta")
    assert response.status_code == 200, response.text
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    assert collection["plan_version"] == 1
    routes = of_kind(collection, "route")
    expected = [(day["day"], route) for day in data["plan"]["days"] for route in day["routes"]]
    assert len(routes) == len(expected) > 0
    for feature, (day, route) in zip(routes, expected, strict=True):
        line = feature["geometry"]["coordinates"]
        stops = [[s["point"][1], s["point"][0]] for s in route["stops"] if s["point"]]
        # Out from the base, through every stop in the order of the visit, back to base.
        assert line[1:-1] == stops and line[0] == line[-1]
        assert feature["properties"]["day"] == day
        assert feature["properties"]["team_id"] == route["team_id"]
    colours = {f["properties"]["team_id"]: f["properties"]["colour"] for f in routes}
    assert len(set(colours.values())) == len(colours)  # a colour per team
    stop_features = of_kind(collection, "stop")
    assert len(stop_features) == sum(len(r["stops"]) for _, r in expected)
    first = stop_features[0]["properties"]
    first_stop = expected[0][1]["stops"][0]
    assert first["label"] == "1"
    assert any(first_stop["arrives"] in line for line in first["lines"])
    assert any(f"{len(first_stop['people'])} orang" in line for line in first["lines"])


def test_the_map_holds_outlines_and_desa_points_but_no_names_or_niks(planned, client_for):
    campaign, data = planned
    response = client_for("operator").get(f"/api/kampanye/{campaign}/peta")
    collection = response.json()
    assert [f["properties"]["code"] for f in of_kind(collection, "kecamatan")] == [GRABAG]
    desa = {f["properties"]["code"] for f in of_kind(collection, "desa")}
    assert "33.06.01.2001" in desa and all(code.startswith(GRABAG + ".") for code in desa)
    for person in planned_people(data):
        assert person["name"] not in response.text
        assert person["nik"] not in response.text
        if person["contact"]:
            assert person["contact"] not in response.text


def test_the_map_filters_by_day_and_team(planned, client_for):
    campaign, data = planned
    operator = client_for("operator")
    day = data["plan"]["days"][0]
    team = day["routes"][0]["team_id"]
    one_day = operator.get(f"/api/kampanye/{campaign}/peta", params={"hari": day["day"]}).json()
    assert {f["properties"]["day"] for f in of_kind(one_day, "route")} == {day["day"]}
    one_team = operator.get(f"/api/kampanye/{campaign}/peta", params={"tim": team}).json()
    assert {f["properties"]["team_id"] for f in of_kind(one_team, "route")} == {team}
    bad = operator.get(f"/api/kampanye/{campaign}/peta", params={"hari": "besok"})
    assert bad.status_code == 400 and "besok" in bad.json()["detail"]


def test_the_page_draws_the_plan_with_the_map_component(planned, client_for):
    campaign, _ = planned
    page = client_for("kepala").get(f"/kampanye/{campaign}")
    assert page.status_code == 200
    assert f'data-map-source="/api/kampanye/{campaign}/peta' in page.text
    assert "/static/map.js" in page.text and "/static/vendor/leaflet/leaflet.js" in page.text


def test_before_a_plan_the_map_shows_the_area_only(outlined, client_for):
    operator = client_for("operator")
    campaign = create_campaign(operator, outlined["list_id"]).json()["id"]
    collection = operator.get(f"/api/kampanye/{campaign}/peta").json()
    assert of_kind(collection, "route") == [] and collection["plan_version"] is None
    assert of_kind(collection, "kecamatan")


@pytest.mark.parametrize("persona", ["kepala", "kecamatan_operator", "desa", "petugas",
                                     "sekolah", "mitra", "auditor", "admin"])
def test_the_map_is_read_by_exactly_those_who_read_the_plan(persona, planned, client_for):
    campaign, _ = planned
    client = client_for(persona)
    page = client.get(f"/api/kampanye/{campaign}")
    assert client.get(f"/api/kampanye/{campaign}/peta").status_code == page.status_code


def test_people_are_placed_by_the_one_rule_own_then_dusun_then_desa(tmp_path, kecamatan,
                                                                    client_for):
    """build_problem takes points from places: a dusun point beats the desa's centre."""
    points = tmp_path / "titik.csv"
    points.write_text(f"code,lat,lng\n33.06.01.2001/KRAJAN,{DUSUN_POINT[0]},{DUSUN_POINT[1]}\n",
                      encoding="utf-8")
    result = invoke("regions", "import-points", str(points))
    assert result.exit_code == 0, result.output
    operator = client_for("operator")
    campaign = create_campaign(operator, kecamatan["list_id"]).json()["id"]
    data = plan(operator, campaign).json()
    homes = {person["name"]: stop["point"] for day in data["plan"]["days"]
             for route in day["routes"] for stop in route["stops"] if stop["kind"] == "rumah"
             for person in stop["people"]}
    assert homes["MBAH SURIP"] == list(DUSUN_POINT)  # Harjobinangun, dusun KRAJAN
    if "DARMI" in homes:
        assert homes["DARMI"] == [-7.805, 109.879]  # her own point still wins


def test_routes_start_from_the_base_they_were_planned_from_after_the_team_moves(
        planned, client_for):
    campaign, data = planned
    operator = client_for("operator")
    team = next(t for t in operator.get("/api/kampanye/sumber-daya").json()["teams"]
                if t["name"] == "Tim 1")
    first = next(r for d in data["plan"]["days"] for r in d["routes"]
                 if r["team_id"] == team["id"])
    planned_base = first["base"]["point"]
    assert planned_base == team["base"] and first["base"]["name"]
    # The team moves to another office after the plan was made.
    moved = post_form(operator, "/kampanye/sumber-daya/tim", {
        "team_id": team["id"], "area_code": team["area_code"], "name": team["name"],
        "members": ",".join(team["members"]), "skills": team["skills"],
        "kits": str(team["kits"]), "vehicle": team["vehicle"], "base_name": "Kantor baru",
        "base_latitude": "-7.60", "base_longitude": "110.10"})
    assert moved.status_code == 303, moved.text
    collection = operator.get(f"/api/kampanye/{campaign}/peta").json()
    for feature in of_kind(collection, "route"):
        if feature["properties"]["team_id"] == team["id"]:
            line = feature["geometry"]["coordinates"]
            assert line[0] == line[-1] == [planned_base[1], planned_base[0]]
    (base,) = [f for f in of_kind(collection, "base")
               if f["properties"]["team_id"] == team["id"]]
    assert base["geometry"]["coordinates"] == [planned_base[1], planned_base[0]]
    assert "Kantor baru" not in base["properties"]["lines"]
