"""The coverage map in real Chromium: Leaflet from our own origin, desa points, outlines."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from typer.testing import CliRunner

from jemput.cli import app as cli
from jemput.reports import bands
from jemput.reports.views import LEAFLET
from tests.browser.conftest import screenshot

DESA_IN_REGENCY = 494
KECAMATAN_IN_REGENCY = 16


@pytest.fixture(autouse=True)
def leaflet_vendored() -> None:
    if not LEAFLET.exists():
        pytest.fail("Leaflet is not in src/jemput/static/vendor: run `make vendor`")


@pytest.fixture
def demo_regency(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["demo", "load", "--seed", "1", "--scale", "0.01",
                                      "--tanpa-daftar", "--output", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output


def test_map_draws_every_desa_and_kecamatan_outline_from_our_own_origin_only(
        page_for, demo_regency, live_server):
    page = page_for("kepala")
    requested: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto("/peta")
    canvas = page.locator(".map-canvas")
    expect(canvas).to_have_attribute("data-map-ready", "true")
    expect(page.locator("path.map-desa")).to_have_count(DESA_IN_REGENCY)
    expect(page.locator("path.map-kecamatan")).to_have_count(KECAMATAN_IN_REGENCY)
    outlined = page.locator("path.map-kecamatan").evaluate_all(
        "paths => paths.map(p => p.dataset.code)")
    assert sorted(outlined) == [f"33.06.{n:02d}" for n in range(1, 17)]
    # Plain background: no tile layer, no image from anywhere.
    expect(page.locator(".leaflet-tile")).to_have_count(0)
    expect(page.locator(".map-notes")).to_contain_text("sintetis")
    ours = urlsplit(live_server).netloc
    assert f"{live_server}/static/vendor/leaflet/leaflet.js" in requested
    assert f"{live_server}/api/peta/geojson" in requested
    assert {urlsplit(url).netloc for url in requested if not url.startswith("data:")} == {ours}
    assert problems == []  # a CSP violation or a script error would show here
    # Every desa keeps its band colour; its popup links to its page.
    fills = set(page.locator("path.map-desa").evaluate_all(
        "paths => paths.map(p => p.getAttribute('fill'))"))
    assert fills <= set(bands.COLOURS.values()) and len(fills) > 1
    screenshot(page, "peta-leaflet")
    code = page.locator("path.map-desa").last.get_attribute("data-code")
    page.locator(f'path.map-desa[data-code="{code}"]').dispatch_event("click")
    popup = page.locator(".leaflet-popup-content .map-popup")
    expect(popup).to_contain_text("belum rekam")
    expect(popup.locator("a")).to_have_attribute("href", f"/wilayah/{code}")
    popup.locator("a").click()
    page.wait_for_url(f"**/wilayah/{code}")


def test_the_component_draws_team_routes_in_their_colours(page_for, demo_regency):
    page = page_for("kepala")
    page.goto("/peta")
    expect(page.locator(".map-canvas")).to_have_attribute("data-map-ready", "true")
    drawn = page.evaluate("""() => {
      const box = document.createElement('div');
      box.className = 'map-canvas';
      document.querySelector('main').appendChild(box);
      JemputMap.draw(box, {type: 'FeatureCollection', features: [
        {type: 'Feature', properties: {kind: 'route', name: 'Tim 1', colour: '#d95f02',
          code: 'tim-1'}, geometry: {type: 'LineString',
          coordinates: [[109.87, -7.80], [109.90, -7.78], [109.95, -7.75]]}},
        {type: 'Feature', properties: {kind: 'route', name: 'Tim 2', colour: '#7570b3',
          code: 'tim-2'}, geometry: {type: 'LineString',
          coordinates: [[110.00, -7.70], [110.03, -7.66]]}},
        {type: 'Feature', properties: {kind: 'stop', name: '<b>Balai</b>', label: '1',
          href: 'https://elsewhere.example/', lines: ['08.30']},
          geometry: {type: 'Point', coordinates: [109.90, -7.78]}}]});
      // Leaflet's own attribution flag is drawn with paths too: ours have a class.
      return [...box.querySelectorAll('path')].map(p => [p.getAttribute('class') || '',
        p.getAttribute('stroke'), p.dataset.code || '']);
    }""")
    routes = [(stroke, code) for cls, stroke, code in drawn if "map-route" in cls]
    assert routes == [("#d95f02", "tim-1"), ("#7570b3", "tim-2")]
    assert sum("map-stop" in cls for cls, _, _ in drawn) == 1
    stop = page.locator(".map-canvas").last.locator("path.map-stop")
    stop.dispatch_event("click")
    popup = page.locator(".map-canvas").last.locator(".map-popup")
    # Names are text, never markup, and links never leave our origin.
    expect(popup).to_contain_text("<b>Balai</b>")
    expect(popup.locator("a")).to_have_count(0)


def test_a_village_officials_map_shows_their_one_desa(page_for, demo_regency):
    page = page_for("desa")
    page.goto("/peta")
    expect(page.locator(".map-canvas")).to_have_attribute("data-map-ready", "true")
    expect(page.locator("path.map-desa")).to_have_count(1)
    expect(page.locator("path.map-kecamatan")).to_have_count(1)
    screenshot(page, "peta-desa")
