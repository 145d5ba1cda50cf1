"""Every link leads somewhere the reader may go, and says where in words, not codes."""

from __future__ import annotations

import re

import pytest

from tests.personas import page_csrf

DESA = "33.06.01.2001"
_RESIDENT_LINK = re.compile(r'href="(/penduduk/\d+)"')


@pytest.mark.parametrize("persona", ["kepala", "operator", "desa", "auditor"])
def test_every_resident_link_on_a_named_list_opens_for_its_reader(regency, client_for,
                                                                   persona):
    client = client_for(persona)
    page = client.get(f"/wilayah/{DESA}/daftar/belum-rekam")
    assert page.status_code == 200
    links = set(_RESIDENT_LINK.findall(page.text))
    for link in links:
        assert client.get(link).status_code == 200, (persona, link)
    if persona != "auditor":
        assert links, "a registry reader's list links its residents"


def test_an_auditor_reads_the_names_without_links_in_the_page_and_its_twin(regency,
                                                                            client_for):
    auditor = client_for("auditor")
    data = auditor.get(f"/api/wilayah/{DESA}/daftar/belum-rekam").json()
    assert data["rows"] and all(row["href"] is None for row in data["rows"])
    page = auditor.get(f"/wilayah/{DESA}/daftar/belum-rekam").text
    assert "/penduduk/" not in page
    assert "WARSINI" in page


# sekolah and mitra now land on the work given to them (tests/targets/test_assignment.py).
ROLE_PLANS = {
    "petugas": ("daftar kunjungan", "tanpa sinyal", "visit lists", "sync"),
}


@pytest.mark.parametrize("persona", sorted(ROLE_PLANS))
def test_roles_still_to_come_are_told_what_jemput_will_do_for_them(client_for, persona):
    client = client_for(persona)
    page = client.get("/").text
    assert "Gunakan menu di atas" not in page  # their menu holds nothing yet
    assert f'data-role-plan="{persona}"' in page
    id_one, id_two, en_one, en_two = ROLE_PLANS[persona]
    assert id_one in page and id_two in page
    assert 'href="/akun"' in page
    client.post("/akun/bahasa", data={"locale": "en", "csrf_token": page_csrf(client)})
    english = client.get("/").text
    assert en_one in english and en_two in english
    assert "Use the menu above" not in english


def _crumbs(html: str) -> str:
    match = re.search(r'<nav class="crumbs"[^>]*>(.*?)</nav>', html, re.S)
    assert match, "the page has no breadcrumbs"
    return " ".join(match.group(1).split())


def test_breadcrumbs_name_the_areas_above_instead_of_their_codes(regency, client_for):
    kepala = client_for("kepala")
    kecamatan = kepala.get("/api/wilayah/33.06.01").json()["area"]["name"]
    crumbs = _crumbs(kepala.get(f"/wilayah/{DESA}").text)
    assert '<a href="/wilayah/33.06">Kabupaten Purworejo</a>' in crumbs
    assert f'<a href="/wilayah/33.06.01">Kecamatan {kecamatan}</a>' in crumbs
    assert "Desa Harjobinangun" in crumbs
    shown = re.sub(r'href="[^"]*"', "", crumbs)
    assert "↑" not in shown and "33.06" not in shown
    data = kepala.get(f"/api/wilayah/{DESA}").json()
    assert [above["name"] for above in data["trail"]] == ["Kabupaten Purworejo", kecamatan]


def test_a_village_official_sees_no_crumb_to_areas_they_cannot_open(regency, client_for):
    crumbs = _crumbs(client_for("desa").get(f"/wilayah/{DESA}").text)
    assert "<a " not in crumbs
    assert "Desa Harjobinangun" in crumbs


def test_the_dashboard_links_its_area_page_by_name(regency, client_for):
    page = client_for("kepala").get("/").text
    assert '<a href="/wilayah/33.06">Rincian dan daftar nama Kabupaten Purworejo</a>' in page
