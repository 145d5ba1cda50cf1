"""Issue 9's "done means" in real Chromium, on one small kecamatan, through the pages only.

An operator configures a programme, a team and the calendar, makes a target list, builds
a campaign for Grabag from it, plans it, sees each team-day drawn on the map, records an
outcome for a person, replans and sees the next version.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect
from typer.testing import CliRunner

from jemput.cli import app as cli
from jemput.reports.views import LEAFLET
from tests.browser.conftest import screenshot
from tests.outreach.conftest import DATA_DATE, ENDS, GRABAG, STARTS, people
from tests.residents.siak_files import write_siak

# The worker starts a child process and searches for a few seconds; a loaded machine is slow.
PLAN_WAIT_MS = 120_000


@pytest.fixture
def grabag(tmp_path) -> None:
    """A dozen residents of Grabag who have not recorded, imported as the office does."""
    if not LEAFLET.exists():
        pytest.fail("Leaflet is not in src/jemput/static/vendor: run `make vendor`")
    result = CliRunner().invoke(cli, ["residents", "import", "--data-date", DATA_DATE,
                                      str(write_siak(tmp_path / "siak.csv", people()))])
    assert result.exit_code == 0, result.output


def submit(page: Page, form: str) -> None:
    with page.expect_navigation():
        page.locator(form).locator("button[type=submit]").click()


def configure(page: Page) -> None:
    """One door-to-door programme, one team and the calendar, on /kampanye/sumber-daya."""
    page.goto("/kampanye/sumber-daya")
    program = "form[action='/kampanye/sumber-daya/program']"
    page.fill(f"{program} input[name=name]", "Rumah ke rumah")
    page.select_option(f"{program} select[name=kind]", "rumah")
    page.fill(f"{program} input[name=weekdays]", "0,1,2,3,4,5")
    submit(page, program)
    team = "form[action='/kampanye/sumber-daya/tim']"
    page.fill(f"{team} input[name=name]", "Tim Merah")
    page.fill(f"{team} input[name=members]", "Sari, Budi")
    page.check(f"{team} input[name=skills][value=pengalaman_odgj]")
    page.fill(f"{team} input[name=base_name]", "Kantor Kecamatan Grabag")
    page.fill(f"{team} input[name=base_latitude]", "-7.8000")
    page.fill(f"{team} input[name=base_longitude]", "109.8700")
    submit(page, team)
    calendar = "form[action='/kampanye/sumber-daya/kalender']"
    page.fill(f"{calendar} input[name=kits]", "2")
    submit(page, calendar)
    expect(page.locator("body")).to_contain_text("Tim Merah")


def test_an_operator_plans_a_kecamatan_sees_routes_records_and_replans(
        page_for, grabag, live_server):
    page = page_for("operator")
    requested: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("pageerror", lambda error: problems.append(str(error)))
    configure(page)

    page.goto("/sasaran")
    page.fill("form[action='/sasaran'] input[name=name]", "Belum rekam Grabag")
    page.select_option("form[action='/sasaran'] select[name=rule]", "belum-rekam")
    page.fill("form[action='/sasaran'] input[name=area_code]", GRABAG)
    submit(page, "form[action='/sasaran']")

    page.goto("/kampanye")
    form = "form[action='/kampanye']"
    page.fill(f"{form} input[name=name]", "Grabag Desember")
    page.fill(f"{form} input[name=area_code]", GRABAG)
    page.fill(f"{form} input[name=starts]", STARTS.isoformat())
    page.fill(f"{form} input[name=ends]", ENDS.isoformat())
    for box in ("programme_ids", "team_ids", "list_ids"):
        page.locator(f"{form} input[name={box}]").first.check()
    submit(page, form)
    page.wait_for_url("**/kampanye/*")
    campaign = urlsplit(page.url).path.rsplit("/", 1)[1]
    expect(page.locator("body")).to_contain_text("Belum ada rencana")

    submit(page, f"form[action='/kampanye/{campaign}/rencana']:not(:has(input[name=replan]))")
    # The plan is a background job: the page follows it and reloads when it is done.
    expect(page.locator("body")).to_contain_text("Rencana versi 1", timeout=PLAN_WAIT_MS)
    canvas = page.locator("#peta-rencana")
    expect(canvas).to_have_attribute("data-map-ready", "true")
    routes = page.locator("section.card h3").count()
    assert routes > 0
    # One coloured line per team-day, and a numbered marker per stop.
    expect(canvas.locator("path.map-route")).to_have_count(routes)
    stops = page.locator("section.card tbody tr").count()
    expect(canvas.locator("path.map-stop")).to_have_count(stops)
    expect(canvas.locator("path.map-desa").first).to_be_attached()
    canvas.locator("path.map-stop").first.dispatch_event("click")
    expect(canvas.locator(".map-popup")).to_contain_text("orang")
    assert f"{live_server}/api/kampanye/{campaign}/peta" in requested
    screenshot(page, "kampanye-peta")

    entry = page.locator("li[id^=orang-]").first
    person = entry.get_attribute("id")
    entry.locator("select[name=outcome]").select_option("recorded")
    with page.expect_navigation():
        entry.locator("button[type=submit]").click()
    expect(page.locator(f"#{person}")).to_contain_text("sudah direkam")

    submit(page, f"form[action='/kampanye/{campaign}/rencana']:has(input[name=replan])")
    expect(page.locator("body")).to_contain_text("Rencana versi 2", timeout=PLAN_WAIT_MS)
    expect(page.locator(f"#{person}")).to_have_count(0)  # a new version, new entries
    expect(page.locator("#peta-rencana")).to_have_attribute("data-map-ready", "true")
    assert problems == []
