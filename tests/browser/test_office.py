"""The office's everyday paths, in a real browser, as each persona walks them."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from typer.testing import CliRunner

from jemput.cli import app as cli
from tests.browser.conftest import screenshot
from tests.residents.siak_files import Person, family, write_siak

DESA = "33.06.01.2001"
OTHER_DESA = "33.06.01.2002"


@pytest.fixture
def registry(tmp_path) -> list[Person]:
    """A desa's residents and a neighbour's, loaded the way the office loads them."""
    people = family() + [
        Person("MOCHAMMAD JUSUF", date(1979, 9, 9), 1, 3),
        Person('<script>alert("x")</script> O\'BRIEN "BUDI"', date(1988, 8, 8), 1, 4),
        Person("TETANGGA SEBELAH", date(1985, 5, 5), 1, 5, desa=OTHER_DESA),
    ]
    result = CliRunner().invoke(cli, ["residents", "import", "--data-date", "2026-06-30",
                                      str(write_siak(tmp_path / "siak.csv", people))])
    assert result.exit_code == 0, result.output
    return people


def no_dialogs(page: Page) -> list[str]:
    """Record any alert() a page manages to run; hostile names must never run."""
    opened: list[str] = []
    page.on("dialog", lambda dialog: (opened.append(dialog.message), dialog.dismiss()))
    return opened


@pytest.mark.parametrize("persona", ["admin", "kepala", "operator", "auditor"])
def test_office_roles_see_where_the_regency_stands(page_for, registry, persona):
    page = page_for(persona)
    page.goto("/")
    expect(page.locator("main")).to_contain_text("Kabupaten Purworejo")
    expect(page.locator("main")).to_contain_text("30 Juni 2026")
    expect(page.locator("main svg").first).to_be_visible()
    if persona == "kepala":
        screenshot(page, "dasbor-kepala-1366x768")


def test_village_official_lands_on_their_work_one_click_from_their_desa(page_for, registry):
    page = page_for("desa")
    page.goto("/")
    expect(page.locator("main h1")).to_contain_text("Tugas Anda")
    page.get_by_role("link", name="Halaman desa Anda").click()
    assert page.url.endswith(f"/wilayah/{DESA}")
    expect(page.locator("main")).to_contain_text("Harjobinangun")
    screenshot(page, "desa-sendiri")


def test_village_official_is_refused_another_desa(page_for, registry):
    page = page_for("desa")
    response = page.goto(f"/wilayah/{OTHER_DESA}")
    assert response is not None and response.status == 404
    expect(page.locator("main")).to_contain_text("Tidak ditemukan")
    page.goto(f"/penduduk?q={registry[-1].nik}")
    expect(page.locator("main")).not_to_contain_text("TETANGGA")


def test_field_officer_has_no_registry_pages(page_for, registry):
    page = page_for("petugas")
    response = page.goto(f"/wilayah/{DESA}")
    assert response is not None and response.status == 403


def test_operator_finds_a_misspelt_name_reveals_the_nik_and_the_auditor_sees_it(
    page_for, registry
):
    jusuf = registry[5]
    page = page_for("operator")
    page.goto("/penduduk")
    page.fill("input[name=q]", "muhamad yusuf")
    page.click("button[type=submit]")
    page.click("text=MOCHAMMAD JUSUF")
    main = page.locator("main")
    expect(main).not_to_contain_text(jusuf.nik)  # masked until revealed
    page.click("text=Tampilkan NIK")
    expect(page.locator("main")).to_contain_text(jusuf.nik)
    screenshot(page, "penduduk-nik-terbuka")

    auditor = page_for("auditor")
    auditor.goto("/audit?action=resident.reveal_nik")
    expect(auditor.locator("main")).to_contain_text("resident.reveal_nik")
    expect(auditor.locator("main")).to_contain_text("operator")
    expect(auditor.locator("main")).not_to_contain_text(jusuf.nik)  # the log holds no NIK


def test_hostile_names_are_shown_as_text(page_for, registry):
    page = page_for("operator")
    opened = no_dialogs(page)
    page.goto("/penduduk?q=obrien")
    page.click("text=O'BRIEN")
    expect(page.locator("main")).to_contain_text('<script>alert("x")</script>')
    page.goto(f"/wilayah/{DESA}/daftar/belum-rekam")
    page.goto(f"/wilayah/{DESA}")
    assert opened == []


def test_operator_uploads_a_file_with_mistakes_and_downloads_the_report(
    page_for, registry, tmp_path
):
    bad = [registry[0].but(serial=90).row() | {"TGL_LHR": "31-02-1990"}]
    path = write_siak(tmp_path / "dengan-galat.csv", registry[:2], rows=bad)
    page = page_for("operator")
    page.goto("/impor")
    page.set_input_files("input[type=file]", str(path))
    page.click("text=Unggah dan impor")
    # The background worker picks it up; the page polls until the job is done.
    expect(page.locator("text=Unduh laporan galat (CSV)")).to_be_visible(timeout=30_000)
    expect(page.locator("main")).to_contain_text("Baris disisihkan")
    screenshot(page, "impor-dengan-galat")
    with page.expect_download() as download_info:
        page.click("text=Unduh laporan galat (CSV)")
    report = download_info.value.path()
    with open(report, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert any(r["kolom"] == "TGL_LHR" and r["baris"] == "4" for r in rows)


def test_dashboard_is_usable_on_a_phone(page_for, registry):
    page = page_for("kepala", width=390, height=844)
    page.goto("/")
    expect(page.locator("main")).to_contain_text("Kabupaten Purworejo")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the page scrolls sideways on a phone ({width}px)"
    screenshot(page, "dasbor-ponsel")
