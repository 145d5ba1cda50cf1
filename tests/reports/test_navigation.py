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
