"""Every figure has the list that names its people, counted by the same rule.

Pemula (16-17 and allowed to record) and "perlu tindak lanjut" (recorded, but a
duplicate or a failed enrolment) are figures on the dashboard and area pages, with
their JSON twins, and lists with exactly as many rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jemput.cli import app
from tests.personas import TestClient
from tests.reports.conftest import import_people
from tests.reports.test_pages import fig, page_figures
from tests.residents.siak_files import Person, family

Clients = Callable[[str], TestClient]
DESA = "33.06.01.2001"
STUCK = {"GANDA": "DUPLICATE_RECORD", "GAGAL PUSAT": "ENROLL_FAILURE_AT_CENTRAL",
         "GAGAL CARI": "SEARCH_FAILURE_AT_CENTRAL", "GAGAL DAERAH": "ENROLL_FAILURE_AT_REGIONAL"}
WNA = {"KEWARGANEGARAAN": "WNA", "ITAP": "0"}


def residents() -> list[Person]:
    """A desa whose pemula and stuck records are known by name (data date 2026-06-30)."""
    stuck = [Person(name, date(1990, 1, 1), 1, serial, status=status)
             for serial, (name, status) in enumerate(STUCK.items(), start=10)]
    return family() + stuck + [
        Person("ENAM BELAS", date(2010, 6, 30), 2, 1, status="UNREGISTERED"),  # 16 today
        Person("TUJUH BELAS", date(2009, 3, 1), 1, 1, status="UNREGISTERED"),
        # 17, disabled: a pemula, though "belum rekam" counts her reason as rentan.
        Person("RENTAN MUDA", date(2008, 9, 1), 2, 2, status="UNREGISTERED", disability="2"),
        Person("DELAPAN BELAS", date(2008, 6, 30), 1, 2, status="UNREGISTERED"),  # 18 today
        Person("BELUM ENAM BELAS", date(2010, 7, 1), 1, 3, status="UNREGISTERED"),
        # A foreigner without an ITAP never records, so is no one's pemula.
        Person("ASING", date(2009, 5, 5), 1, 4, status="UNREGISTERED", extra=WNA),
        Person("TETANGGA GANDA", date(1985, 1, 1), 1, 20, desa="33.06.01.2002",
               status="DUPLICATE_RECORD"),
    ]


@pytest.fixture
def desa(tmp_path: Path) -> None:
    import_people(tmp_path, residents())


def names(client: TestClient, list_name: str, code: str = DESA, **params: str) -> set[str]:
    data = client.get(f"/api/wilayah/{code}/daftar/{list_name}",
                      params={"per_page": 200, **params}).json()
    assert data["total"] == len(data["rows"])
    return {row["name"] for row in data["rows"]}


def test_pemula_figure_counts_exactly_the_pemula_list(desa, client_for: Clients):
    operator = client_for("operator")
    area = operator.get(f"/api/wilayah/{DESA}").json()
    pemula = names(operator, "pemula")
    assert pemula == {"ENAM BELAS", "TUJUH BELAS", "RENTAN MUDA"}
    # Of the 16- and 17-year-olds who may record (Budi turned 18 in January).
    assert fig(area, "pemula_not_recorded") == (3, 3)
    listed = {item["list"]: item for item in area["lists"]}
    assert listed["pemula"]["figure"] == "pemula_not_recorded"
    assert listed["pemula"]["count"] == len(pemula)
    # The reason breakdown of "belum rekam" uses the same pemula rule.
    by_reason = names(operator, "belum-rekam", reason="pemula")
    assert by_reason == {"TUJUH BELAS"}
    assert fig(area, "not_recorded_pemula")[0] == len(by_reason)


def test_dashboard_and_area_pages_show_the_pemula_figure_linked_to_its_list(
    desa, client_for: Clients
):
    kepala = client_for("kepala")
    dashboard = kepala.get("/api/dasbor").json()
    assert fig(dashboard, "pemula_not_recorded")[0] == len(names(kepala, "pemula", "33.06"))
    page = kepala.get("/").text
    assert page_figures(page)["pemula_not_recorded"] == fig(dashboard, "pemula_not_recorded")
    assert 'href="/wilayah/33.06/daftar/pemula"' in page
    area_page = kepala.get(f"/wilayah/{DESA}").text
    assert page_figures(area_page)["pemula_not_recorded"] == (3, 3)
    assert f'href="/wilayah/{DESA}/daftar/pemula"' in area_page


def test_duplicates_and_enrolment_failures_are_their_own_figure_and_list(
    desa, client_for: Clients
):
    operator = client_for("operator")
    area = operator.get(f"/api/wilayah/{DESA}").json()
    # Of the recorded: Sumarno, Siti, Dewi and the four stuck records.
    assert fig(area, "follow_up") == (4, 7)
    rows = operator.get(f"/api/wilayah/{DESA}/daftar/tindak-lanjut").json()["rows"]
    assert {row["name"]: row["ktp_status"] for row in rows} == STUCK
    assert {row["status_label"] for row in rows} == {
        "Rekam ganda", "Gagal enrol di pusat", "Gagal pencarian di pusat",
        "Gagal enrol di daerah"}
    listed = {item["list"]: item["count"] for item in area["lists"]}
    assert listed["tindak-lanjut"] == 4
    page = operator.get(f"/wilayah/{DESA}").text
    assert page_figures(page)["follow_up"] == (4, 7)
    assert f'href="/wilayah/{DESA}/daftar/tindak-lanjut"' in page
    assert "Perlu tindak lanjut" in page
    named = operator.get(f"/wilayah/{DESA}/daftar/tindak-lanjut")
    assert named.status_code == 200
    assert "GAGAL DAERAH" in named.text and "Rekam ganda" in named.text


def test_the_regency_dashboard_counts_follow_up_in_every_desa(desa, client_for: Clients):
    kepala = client_for("kepala")
    dashboard = kepala.get("/api/dasbor").json()
    assert fig(dashboard, "follow_up")[0] == 5
    assert page_figures(kepala.get("/").text)["follow_up"] == fig(dashboard, "follow_up")
    assert names(kepala, "tindak-lanjut", "33.06.01") == set(STUCK) | {"TETANGGA GANDA"}


def test_a_village_official_sees_only_their_own_follow_up_list(desa, client_for: Clients):
    official = client_for("desa")
    assert names(official, "tindak-lanjut") == set(STUCK)
    other = official.get("/api/wilayah/33.06.01.2002/daftar/tindak-lanjut")
    assert other.status_code == 404


def test_roles_without_lists_see_the_follow_up_figure_but_not_the_names(
    desa, client_for: Clients
):
    admin = client_for("admin")
    assert fig(admin.get(f"/api/wilayah/{DESA}").json(), "follow_up") == (4, 7)
    assert admin.get(f"/api/wilayah/{DESA}/daftar/tindak-lanjut").status_code == 403
    assert client_for("outsider").get(
        f"/api/wilayah/{DESA}/daftar/tindak-lanjut").status_code == 401


def test_the_follow_up_list_exports_to_xlsx(desa, client_for: Clients):
    response = client_for("operator").get(f"/wilayah/{DESA}/daftar/tindak-lanjut.xlsx")
    assert response.status_code == 200
    assert "tindak-lanjut-33.06.01.2001-20260630.xlsx" in response.headers["content-disposition"]


def test_coverage_cli_reports_follow_up_and_pemula(desa):
    result = CliRunner().invoke(app, ["coverage", "--json", "--region", DESA])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)["figures"]
    assert figures["follow_up"]["numerator"] == 4
    assert figures["pemula_not_recorded"]["numerator"] == 3
