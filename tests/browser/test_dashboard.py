"""The dashboard of a realistic regency, where every kecamatan sits between 94% and 99%."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from typer.testing import CliRunner

from jemput.cli import app as cli
from jemput.reports import bands
from tests.browser.conftest import screenshot


@pytest.fixture
def demo_regency(tmp_path) -> None:
    result = CliRunner().invoke(cli, ["demo", "load", "--seed", "1", "--scale", "0.01",
                                      "--tanpa-daftar", "--output", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output


def test_kecamatan_bars_show_their_differences_worst_first(page_for, demo_regency):
    page = page_for("kepala")
    page.goto("/")
    rows = page.locator("svg.chart g.bar-row")
    expect(rows).to_have_count(16)
    percents = [float(p) for p in rows.evaluate_all(
        "rows => rows.map(r => r.dataset.percent)")]
    assert percents == sorted(percents)
    widths = rows.locator("rect").evaluate_all(
        "rects => rects.map(r => r.getBoundingClientRect().width)")
    # Visibly different: the best bar is well over a third longer than the worst.
    assert widths[-1] > 1.35 * widths[0]
    expect(page.locator("svg.chart .axis-note").first).to_contain_text("bukan 0%")
    greens = {band.colour for band in bands.GRADED if band.good}
    fills = rows.locator("rect").evaluate_all("rects => rects.map(r => r.getAttribute('fill'))")
    for percent, fill in zip(percents, fills, strict=True):
        assert (fill in greens) == (percent >= 98.0), (percent, fill)
    screenshot(page, "dasbor-kecamatan-urut")


def test_map_legend_reads_as_contiguous_bands(page_for, demo_regency):
    page = page_for("kepala")
    page.goto("/peta")
    expect(page.locator(".legend li")).to_have_count(len(bands.BANDS))
    expect(page.locator(".legend")).to_contain_text("95% – < 98%: cukup, di bawah target")
    screenshot(page, "peta-kepala")


def test_a_phone_shows_the_sorted_bars_and_their_legend(page_for, demo_regency):
    page = page_for("kepala", width=390, height=844)
    page.goto("/")
    expect(page.locator("svg.chart g.bar-row")).to_have_count(16)
    expect(page.locator("ul.band-legend").first).to_be_visible()
    screenshot(page, "dasbor-ponsel-urut")


def test_namesakes_are_told_apart_in_the_search_results(page_for, demo_regency):
    page = page_for("operator")
    page.goto("/penduduk")
    page.fill("input[name=q]", "Sri")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".result-count")).to_contain_text("penduduk cocok")
    rows = page.locator("main table tbody tr")
    cells = rows.evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.innerText))")
    assert len(cells) > 1
    # Masked NIK, name, sex, birth year, desa, dusun and RT/RW on every row.
    for nik, _name, sex, born, desa, where, _status in cells:
        assert "••••••••" in nik and sex in {"L", "P"}
        assert re.match(r"\d{4} \(\d+ tahun\)", born), born
        assert desa and "RT" in where, where
    screenshot(page, "cari-nama-kembar")


@pytest.mark.parametrize("persona", ["petugas"])
def test_roles_still_to_come_land_on_what_jemput_will_do_for_them(page_for, persona):
    page = page_for(persona)
    page.goto("/")
    expect(page.locator(f"[data-role-plan={persona}]")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Gunakan menu di atas")
    if persona == "petugas":
        screenshot(page, "beranda-petugas")
