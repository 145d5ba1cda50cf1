"""The coverage map's layers: desa points by band, kecamatan outlines, scope, tiles."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from typer.testing import CliRunner

from jemput.cli import app
from jemput.config import Settings
from jemput.reports import bands
from jemput.web import create_app
from tests.personas import PERSONA_PASSWORD, sign_in

Clients = Callable[[str], TestClient]
DESA = "33.06.01.2001"
runner = CliRunner()


def square(code: str, lat: float, lng: float, half: float = 0.02) -> dict:
    ring = [[lng - half, lat - half], [lng + half, lat - half], [lng + half, lat + half],
            [lng - half, lat + half], [lng - half, lat - half]]
    return {"type": "Feature", "properties": {"code": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


@pytest.fixture
def outlines(tmp_path) -> None:
    path = tmp_path / "batas.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        square("33.06.01", -7.80, 109.87), square("33.06.02", -7.84, 109.95)]}))
    result = runner.invoke(app, ["regions", "import-outlines", str(path),
                                 "--source", "Uji <b>sintetis</b>"])
    assert result.exit_code == 0, result.output


def test_layers_hold_every_desa_by_band_and_the_kecamatan_outlines(regency, outlines,
                                                                   client_for: Clients):
    kepala = client_for("kepala")
    twin = {d["code"]: d for d in kepala.get("/api/peta").json()["desa"]}
    layers = kepala.get("/api/peta/geojson").json()
    assert layers["type"] == "FeatureCollection"
    points = {f["properties"]["code"]: f for f in layers["features"]
              if f["geometry"]["type"] == "Point"}
    areas = [f for f in layers["features"] if f["geometry"]["type"] == "Polygon"]
    assert set(points) == set(twin) and len(points) > 400
    ours = points[DESA]
    assert ours["geometry"]["coordinates"] == [twin[DESA]["longitude"], twin[DESA]["latitude"]]
    assert ours["properties"]["colour"] == bands.COLOURS["lt90"] == bands.COLOURS[
        twin[DESA]["band"]]
    assert ours["properties"]["href"] == f"/wilayah/{DESA}"
    assert ours["properties"]["lines"] == [
        "Sudah rekam: 37,50% (3 dari 8)", "5 belum rekam", "< 90%: sangat kurang"]
    # The desa with the most missing is the biggest circle.
    biggest = max(points.values(), key=lambda f: f["properties"]["radius"])
    assert biggest["properties"]["code"] == max(twin.values(), key=lambda d: d["missing"])["code"]
    # Outlines first (drawn underneath), one per kecamatan that has one.
    assert [f["properties"]["code"] for f in areas] == ["33.06.01", "33.06.02"]
    assert layers["features"][:2] == areas
    assert layers["outline_sources"] == ["Uji <b>sintetis</b>"]


def test_the_map_page_names_the_outline_source_escaped_and_loads_only_our_scripts(
        regency, outlines, client_for: Clients):
    page = client_for("kepala").get("/peta").text
    assert 'data-map-source="/api/peta/geojson"' in page
    assert "Uji &lt;b&gt;sintetis&lt;/b&gt;" in page
    assert '<script src="/static/vendor/leaflet/leaflet.js" defer></script>' in page
    assert "data-tile-url" not in page and "Tanpa latar peta" in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page


def test_village_officials_layers_hold_their_desa_and_its_kecamatan_only(
        regency, outlines, client_for: Clients):
    layers = client_for("desa").get("/api/peta/geojson").json()
    codes = [f["properties"]["code"] for f in layers["features"]]
    assert codes == ["33.06.01", DESA]


def test_field_officer_and_outsider_get_no_layers(client_for: Clients):
    assert client_for("petugas").get("/api/peta/geojson").status_code in (403, 404)
    assert client_for("outsider").get("/api/peta/geojson").status_code == 401


def test_bad_outline_file_is_refused_whole_with_the_feature_named(tmp_path, outlines,
                                                                  client_for: Clients):
    far = square("33.06.03", -6.2, 106.8)  # Jakarta
    path = tmp_path / "salah.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        square("33.06.04", -7.80, 110.10),
        far,
        square("99.99.99", -7.80, 109.87),
        {"type": "Feature", "properties": {"code": "33.06.05"},
         "geometry": {"type": "Point", "coordinates": [110.1, -7.7]}},
    ]}))
    result = runner.invoke(app, ["regions", "import-outlines", str(path)])
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "fitur 2: geometry.coordinates" in output and "di luar kabupaten 33.06" in output
    assert "fitur 3: properties.code, nilai '99.99.99'" in output
    assert "fitur 4: geometry.type, nilai 'Point': harus Polygon atau MultiPolygon" in output
    layers = client_for("kepala").get("/api/peta/geojson").json()
    assert [f["properties"]["code"] for f in layers["features"]
            if f["geometry"]["type"] != "Point"] == ["33.06.01", "33.06.02"]


def test_a_configured_tile_server_is_drawn_and_allowed_as_an_image_source(
        personas, migrated_database):
    settings = Settings(database_url=migrated_database, environment="development",
                        map_tile_url="https://{s}.ubin.contoh.go.id/{z}/{x}/{y}.png",
                        map_tile_attribution="© Pemkab")
    with TestClient(create_app(settings)) as client:
        sign_in(client, "kepala", PERSONA_PASSWORD)
        response = client.get("/peta")
    policy = response.headers["content-security-policy"]
    assert "img-src 'self' data: https://*.ubin.contoh.go.id;" in policy
    assert "script-src 'self';" in policy and "connect-src" not in policy
    assert 'data-tile-url="https://{s}.ubin.contoh.go.id/{z}/{x}/{y}.png"' in response.text
    assert "© Pemkab" in response.text


@pytest.mark.parametrize("url", ["ftp://x/{z}/{x}/{y}", "https://x.id/tiles.png",
                                 "https://x.id/{z}/{x}/{y}.png'; script-src *"])
def test_a_tile_url_that_is_not_a_tile_template_is_refused(url):
    with pytest.raises(ValidationError, match="JEMPUT_MAP_TILE_URL"):
        Settings(environment="development", map_tile_url=url)
