"""The coverage bar chart and the bands: worst first, differences visible, bad never green."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest

from jemput.reports import bands
from tests.personas import page_csrf
from tests.reports.conftest import import_people
from tests.residents.siak_files import Person

GREENS = {band.colour for band in bands.GRADED if band.good}
_BAR = re.compile(r'<g class="bar-row" data-code="([\d.]+)" data-percent="([\d.]*)" '
                  r'data-band="(\w+)">.*?<rect [^>]*width="([\d.]+)"[^>]*fill="(#\w+)"', re.S)


def _kecamatan(code: str, desa: str, wajib: int, recorded: int, first_serial: int) -> list[Person]:
    born = date(1980, 1, 1)
    return [Person(f"WARGA {code} {i}", born, 1, first_serial + i, desa=desa,
                   status="CARD_ISSUED" if i < recorded else "UNREGISTERED")
            for i in range(wajib)]


@pytest.fixture
def close_kecamatan(tmp_path) -> None:
    """Grabag at 16/17 = 94,12%, Ngombol at 49/50 = 98%, Purwodadi at 24/25 = 96%."""
    import_people(tmp_path, _kecamatan("GRABAG", "33.06.01.2001", 17, 16, 1)
                  + _kecamatan("NGOMBOL", "33.06.02.2001", 50, 49, 100)
                  + _kecamatan("PURWODADI", "33.06.03.2001", 25, 24, 200))


def _bars(html: str) -> list[tuple[str, float | None, str, float, str]]:
    return [(code, float(p) if p else None, band, float(width), fill)
            for code, p, band, width, fill in _BAR.findall(html)]


def test_kecamatan_bars_run_from_the_worst_coverage_to_the_best(close_kecamatan, client_for):
    bars = _bars(client_for("kepala").get("/").text)
    assert len(bars) == 16
    graded = [(code, percent) for code, percent, *_ in bars if percent is not None]
    assert graded == [("33.06.01", 94.12), ("33.06.03", 96.0), ("33.06.02", 98.0)]
    # Kecamatan without anyone who must hold a KTP come last, with no bar.
    assert all(percent is None and width == 0 for _, percent, _, width, _ in bars[3:])


def test_bars_between_94_and_98_percent_look_different(close_kecamatan, client_for):
    page = client_for("kepala").get("/").text
    widths = {code: width for code, _, _, width, _ in _bars(page)}
    # On an axis from 0 the two bars differ by 4%; here the better one is far longer.
    assert widths["33.06.02"] > 1.5 * widths["33.06.01"]
    axis_from = float(re.search(r'data-axis-from="([\d.]+)"', page).group(1))
    assert 0 < axis_from < 94.12
    # A cut axis says so in words, in the chart itself.
    assert f"Skala mulai {axis_from:g}%, bukan 0%" in page


def test_a_coverage_below_target_is_not_drawn_green(close_kecamatan, client_for):
    page = client_for("kepala").get("/").text
    fills = {code: fill for code, _, _, _, fill in _bars(page)}
    assert fills["33.06.01"] not in GREENS  # 94,12%
    assert fills["33.06.03"] not in GREENS  # 96%
    area = client_for("kepala").get("/wilayah/33.06.02").text
    assert "98,00%" in area


def test_the_bar_chart_has_a_legend_of_its_colours(close_kecamatan, client_for):
    page = client_for("kepala").get("/").text
    for band in bands.GRADED:
        assert f'data-band="{band.key}"><svg' in page
    assert "&lt; 90%: sangat kurang" in page
    assert "99% – 100%: mencapai target" in page


def test_english_readers_get_the_axis_note_and_legend_in_english(close_kecamatan, client_for):
    kepala = client_for("kepala")
    kepala.post("/akun/bahasa", data={"locale": "en", "csrf_token": page_csrf(kepala)})
    page = kepala.get("/").text
    assert "Scale starts at 90%, not 0%" in page
    assert "90% – &lt; 95%: poor" in page


@pytest.mark.parametrize(("percent", "band"), [
    (None, "none"), (0.0, "lt90"), (89.99, "lt90"), (90.0, "90_95"), (94.99, "90_95"),
    (95.0, "95_98"), (97.99, "95_98"), (98.0, "98_99"), (98.99, "98_99"), (99.0, "99_100"),
    (100.0, "99_100"), (100.01, "gt100"), (250.0, "gt100"),
])
def test_every_band_edge_falls_in_exactly_one_band(percent, band):
    assert bands.coverage_band(percent) == band


def test_bands_are_contiguous_and_each_label_names_its_own_range():
    graded = bands.GRADED
    assert graded[0].low is None
    for lower, upper in itertools.pairwise(graded):
        assert lower.high == upper.low
    assert graded[-1].high == 100.0 == bands.ABOVE_100.low
    # Every two-decimal percentage from 0 to 110 lands in a band whose range holds it.
    for hundredths in range(0, 11_001):
        percent = hundredths / 100
        band = bands.BY_KEY[bands.coverage_band(percent)]
        assert band.low is None or percent >= band.low
        assert band.high is None or percent < band.high or percent == band.high == 100.0


def test_only_bands_at_or_near_the_target_are_green():
    assert bands.coverage_band(bands.TARGET_PERCENT - 1.01) not in {
        b.key for b in bands.GRADED if b.good}
    assert {b.key for b in bands.GRADED if b.good} == {"98_99", "99_100"}


def test_map_legend_names_every_band_with_its_range(regency, client_for):
    page = client_for("kepala").get("/peta").text
    legend = re.findall(r'<li data-band="(\w+)">', page)
    assert legend == list(bands.BANDS)
    assert "90% – &lt; 95%: kurang" in page
    assert "&gt; 100%: periksa data" in page


def test_the_headline_coverage_names_its_band_instead_of_wearing_green(close_kecamatan,
                                                                        client_for):
    page = client_for("kepala").get("/").text
    assert "96,74%" in page  # 89 of 92
    assert '<div class="figure-band" data-band="95_98">' in page
    assert "95% – &lt; 98%: cukup, di bawah target" in page
