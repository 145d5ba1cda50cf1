"""Dashboard, map, area pages and named lists: the right persona sees them, figures agree."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from sqlalchemy import select

from jemput.auth.models import AuditEntry
from jemput.db import unit_of_work
from tests.personas import TestClient
from tests.reports.conftest import XSS_NAME

Clients = Callable[[str], TestClient]
DESA = "33.06.01.2001"
_FIGURE = re.compile(
    r'data-figure="([\w.]+)" data-numerator="(\d+)" data-denominator="(\d+)"'
)


def page_figures(html: str) -> dict[str, tuple[int, int]]:
    """Read every figure a page shows, by its data-figure name."""
    return {name: (int(n), int(d)) for name, n, d in _FIGURE.findall(html)}


def json_figures(data: dict) -> dict[str, tuple[int, int]]:
    figures = {k: (f["numerator"], f["denominator"]) for k, f in data["area"]["figures"].items()}
    figures |= {f"stage.{s['stage']}": (s["numerator"], s["denominator"])
                for s in data["pipeline"]}
    return figures


def fig(data: dict, name: str) -> tuple[int, int]:
    f = data["area"]["figures"][name]
    return f["numerator"], f["denominator"]


# --- dashboard --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["kepala", "operator", "admin", "auditor"])
def test_regency_staff_see_the_regency_dashboard(regency, client_for: Clients, persona):
    client = client_for(persona)
    data = client.get("/api/dasbor").json()
    assert data["area"]["code"] == "33.06"
    assert data["area"]["data_date"] == "2026-06-30"
    assert len(data["children"]) == 16
    page = client.get("/")
    assert page.status_code == 200
    assert 'href="/wilayah/33.06.01"' in page.text
    assert "<svg" in page.text


def test_dashboard_figures_equal_its_json_twin(regency, client_for: Clients):
    kepala = client_for("kepala")
    data = kepala.get("/api/dasbor").json()
    shown = page_figures(kepala.get("/").text)
    expected = json_figures(data)
    assert shown, "the page shows no figures"
    for name, value in shown.items():
        assert value == expected[name], name
    assert {"coverage", "due_for_deactivation", "stage.issued"} <= set(shown)


def test_dashboard_counts_the_regency_by_hand(regency, client_for: Clients):
    data = client_for("operator").get("/api/dasbor").json()
    assert fig(data, "wajib_ktp") == (11, 12)  # everyone but Ratna, who is 16
    assert fig(data, "coverage") == (4, 11)
    assert fig(data, "due_for_deactivation") == (5, 9)
    stages = {s["stage"]: (s["numerator"], s["denominator"], s["waiting"])
              for s in data["pipeline"]}
    assert stages["recorded"] == (4, 11, None)
    assert stages["print_ready"] == (4, 4, 1)  # Dewi waits; three cards are further on
    assert stages["issued"] == (3, 4, None)
    grabag = next(c for c in data["children"] if c["code"] == "33.06.01")
    assert grabag["figures"]["not_recorded"]["numerator"] == 6


def test_village_officials_landing_page_leads_to_their_desa_page(regency, client_for: Clients):
    desa = client_for("desa")
    # Their landing page is the work given to them (targets); their desa is one link away.
    response = desa.get("/", follow_redirects=False)
    assert response.status_code == 200
    assert f'href="/wilayah/{DESA}"' in response.text
    data = desa.get("/api/dasbor").json()
    assert data["area"]["code"] == DESA
    assert data["children"] == []


@pytest.mark.parametrize("persona", ["petugas", "sekolah", "mitra"])
def test_roles_without_an_area_get_a_minimal_dashboard_and_no_figures(
    regency, client_for: Clients, persona
):
    client = client_for(persona)
    page = client.get("/")
    assert page.status_code == 200
    assert 'data-figure="' not in page.text
    for path in ("/api/dasbor", "/api/peta", "/peta", "/wilayah/33.06", "/api/wilayah/33.06.01",
                 f"/api/wilayah/{DESA}/daftar/belum-rekam"):
        assert client.get(path).status_code == 403, path


@pytest.mark.parametrize("path", ["/peta", "/wilayah/33.06.01", f"/wilayah/{DESA}/daftar/rentan",
                                  f"/wilayah/{DESA}/daftar/rentan.xlsx"])
def test_outsider_is_sent_to_sign_in(anonymous: TestClient, path):
    response = anonymous.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/masuk")


@pytest.mark.parametrize("path", ["/api/dasbor", "/api/peta", "/api/wilayah/33.06.01",
                                  f"/api/wilayah/{DESA}/daftar/belum-rekam"])
def test_outsider_gets_401_from_the_api(anonymous: TestClient, path):
    assert anonymous.get(path).status_code == 401


# --- scope ------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["33.06.01.2002", "33.06.02", "33.06.01", "33.06", "99.99"])
def test_village_official_cannot_see_other_areas(regency, client_for: Clients, code):
    desa = client_for("desa")
    missing = desa.get("/wilayah/99.99.99").text.replace("/wilayah/99.99.99", "")
    for path in (f"/wilayah/{code}", f"/wilayah/{code}/daftar/belum-rekam"):
        response = desa.get(path)
        assert response.status_code == 404, path
        # "Not yours" reads exactly like "not there" (the page only echoes its own path).
        assert response.text.replace(path, "") == missing
    assert desa.get(f"/api/wilayah/{code}").json() == {"detail": "Tidak ditemukan"}


def test_unknown_list_is_not_found(regency, client_for: Clients):
    assert client_for("operator").get(f"/wilayah/{DESA}/daftar/semua").status_code == 404


# --- map --------------------------------------------------------------------------------


def test_map_draws_every_desa_with_a_link_and_a_tooltip(regency, client_for: Clients):
    kepala = client_for("kepala")
    data = kepala.get("/api/peta").json()
    desa = {d["code"]: d for d in data["desa"]}
    assert len(desa) > 400  # every desa of Purworejo, even those without residents
    assert all(d["latitude"] is not None and d["longitude"] is not None for d in desa.values())
    ours = desa[DESA]
    assert ours["missing"] == 5
    assert ours["band"] == "lt90"  # 3 of 8
    assert desa["33.06.01.2002"]["coverage"]["percent"] == 50.0
    assert desa["33.06.02.2001"]["band"] == "lt90"
    page = kepala.get("/peta").text
    assert page.count('class="desa"') == len(desa)
    assert f'<a href="/wilayah/{DESA}"><circle' in page
    assert "<title>" in page
    assert "&gt; 100%" in page  # the legend names every band


def test_village_officials_map_holds_only_their_desa(regency, client_for: Clients):
    data = client_for("desa").get("/api/peta").json()
    assert [d["code"] for d in data["desa"]] == [DESA]


# --- area pages -------------------------------------------------------------------------


def test_kecamatan_page_lists_its_desa_and_agrees_with_its_twin(regency, client_for: Clients):
    operator = client_for("operator")
    data = operator.get("/api/wilayah/33.06.01").json()
    assert data["area"]["name"].upper() == "GRABAG"
    assert {c["code"] for c in data["children"]} >= {DESA, "33.06.01.2002"}
    assert fig(data, "not_recorded") == (6, 10)
    page = operator.get("/wilayah/33.06.01").text
    shown = page_figures(page)
    expected = json_figures(data)
    assert all(value == expected[name] for name, value in shown.items())
    assert 'data-code="33.06.01.2002"' in page
    counts = dict(re.findall(r'data-list="([\w-]+)" data-count="(\d+)"', page))
    assert counts == {item["list"]: str(item["count"]) for item in data["lists"]}


def test_desa_page_names_the_lists_behind_its_figures(regency, client_for: Clients):
    data = client_for("desa").get(f"/api/wilayah/{DESA}").json()
    counts = {item["list"]: item["count"] for item in data["lists"]}
    assert counts == {"belum-rekam": 5, "rentan": 2, "pemula": 2, "siap-cetak": 1,
                      "tindak-lanjut": 0}
    assert fig(data, "not_recorded_pemula") == (1, 5)
    assert data["children"] == []
    assert data["parent"] is None  # the kecamatan is outside a village official's scope


def test_admin_sees_figures_but_not_named_lists(regency, client_for: Clients):
    admin = client_for("admin")
    assert admin.get(f"/api/wilayah/{DESA}").json()["lists"] == []
    assert admin.get(f"/wilayah/{DESA}/daftar/belum-rekam").status_code == 403


# --- named lists ------------------------------------------------------------------------


def names(data: dict) -> list[str]:
    return [row["name"] for row in data["rows"]]


def test_not_recorded_list_by_reason_matches_the_figures(regency, client_for: Clients):
    operator = client_for("operator")
    area = operator.get(f"/api/wilayah/{DESA}").json()
    base = f"/api/wilayah/{DESA}/daftar/belum-rekam"
    for reason, figure in (("rentan", "not_recorded_vulnerable"),
                           ("pemula", "not_recorded_pemula"), ("lainnya", "not_recorded_other")):
        data = operator.get(base, params={"reason": reason}).json()
        assert data["total"] == fig(area, figure)[0], reason
        assert {row["reason"] for row in data["rows"]} == {reason}
    assert sorted(names(operator.get(base, params={"reason": "rentan"}).json())) == [
        "MBAH KARTO", "WARSINI"]


def test_pemula_list_reaches_sixteen_year_olds(regency, client_for: Clients):
    data = client_for("operator").get(f"/api/wilayah/{DESA}/daftar/pemula").json()
    rows = {row["name"]: row for row in data["rows"]}
    assert set(rows) == {"ADI", "RATNA"}
    assert rows["RATNA"]["age"] == 16 and not rows["RATNA"]["wajib"]
    assert rows["RATNA"]["may_record"]


def test_vulnerable_list_says_why(regency, client_for: Clients):
    data = client_for("operator").get(f"/api/wilayah/{DESA}/daftar/rentan").json()
    rows = {row["name"]: row["conditions"] for row in data["rows"]}
    assert rows == {"MBAH KARTO": ["disability", "lansia"], "WARSINI": ["bedridden", "lansia"]}


def test_lists_sort_by_name_age_and_status(regency, client_for: Clients):
    operator = client_for("operator")
    base = f"/api/wilayah/{DESA}/daftar/belum-rekam"
    by_name = names(operator.get(base).json())
    assert by_name == sorted(by_name)
    by_name_desc = names(operator.get(base, params={"sort": "name", "dir": "desc"}).json())
    assert by_name_desc == list(reversed(by_name))
    ages = [r["age"] for r in operator.get(base, params={"sort": "age"}).json()["rows"]]
    assert ages == sorted(ages)
    ages = [r["age"] for r in
            operator.get(base, params={"sort": "age", "dir": "desc"}).json()["rows"]]
    assert ages == sorted(ages, reverse=True)
    statuses = operator.get("/api/wilayah/33.06.01/daftar/siap-cetak",
                            params={"sort": "status"}).json()
    assert names(statuses) == ["DEWI LESTARI"]


def test_lists_page_fifty_at_a_time_and_on_request_fewer(regency, client_for: Clients):
    operator = client_for("operator")
    base = f"/api/wilayah/{DESA}/daftar/belum-rekam"
    first = operator.get(base, params={"per_page": 2}).json()
    second = operator.get(base, params={"per_page": 2, "page": 2}).json()
    third = operator.get(base, params={"per_page": 2, "page": 3}).json()
    assert (first["total"], first["pages"]) == (5, 3)
    assert [len(p["rows"]) for p in (first, second, third)] == [2, 2, 1]
    every = names(first) + names(second) + names(third)
    assert every == names(operator.get(base).json())
    assert operator.get(base).json()["per_page"] == 50


def test_lists_filter_by_desa_inside_a_kecamatan_and_by_name(regency, client_for: Clients):
    operator = client_for("operator")
    base = "/api/wilayah/33.06.01/daftar/belum-rekam"
    assert operator.get(base).json()["total"] == 6
    other = operator.get(base, params={"desa": "33.06.01.2002"}).json()
    assert names(other) == ["LAIN DESA"]
    assert {d["code"] for d in other["desa_options"]} >= {DESA, "33.06.01.2002"}
    assert names(operator.get(base, params={"q": "kar"}).json()) == ["MBAH KARTO"]
    assert operator.get(base, params={"q": "%"}).json()["total"] == 0  # no LIKE wildcards
    # A desa outside the area is ignored, not a way around scope.
    assert operator.get(base, params={"desa": "33.06.02.2001"}).json()["total"] == 6


def test_list_rows_mask_nik_and_link_to_the_resident(regency, client_for: Clients):
    operator = client_for("operator")
    data = operator.get(f"/api/wilayah/{DESA}/daftar/belum-rekam").json()
    full = {p.name: p.nik for p in regency}
    for row in data["rows"]:
        assert row["nik"] == full[row["name"]][:4] + "••••••••" + full[row["name"]][12:]
        assert row["href"] == f"/penduduk/{row['id']}"
    page = operator.get(f"/wilayah/{DESA}/daftar/belum-rekam").text
    assert all(nik not in page for nik in full.values())
    assert f'href="/penduduk/{data["rows"][0]["id"]}"' in page


def test_list_page_shows_what_its_twin_holds(regency, client_for: Clients):
    desa = client_for("desa")
    params = {"sort": "age", "dir": "desc", "per_page": 50}
    data = desa.get(f"/api/wilayah/{DESA}/daftar/belum-rekam", params=params).json()
    page = desa.get(f"/wilayah/{DESA}/daftar/belum-rekam", params=params).text
    shown = re.findall(r'<a href="/penduduk/(\d+)">', page)
    assert shown == [str(row["id"]) for row in data["rows"]]
    assert f'data-total="{data["total"]}"' in page
    assert 'aria-sort="descending"' in page


def test_a_name_with_markup_is_shown_as_text(regency, client_for: Clients):
    operator = client_for("operator")
    page = operator.get(f"/wilayah/{DESA}/daftar/belum-rekam").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert XSS_NAME not in page
    assert XSS_NAME in names(operator.get(f"/api/wilayah/{DESA}/daftar/belum-rekam").json())


def test_reading_a_named_list_is_audited(regency, client_for: Clients, migrated_database):
    client_for("desa").get(f"/api/wilayah/{DESA}/daftar/rentan")
    with unit_of_work(migrated_database) as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "wilayah.daftar")
        ).one()
    assert entry.actor_name == "desa"
    assert entry.object_id == DESA
    assert '"list":"rentan"' in entry.detail


def test_english_speaker_reads_english_labels(regency, client_for: Clients):
    from tests.personas import page_csrf

    kepala = client_for("kepala")
    kepala.post("/akun/bahasa", data={"locale": "en", "csrf_token": page_csrf(kepala)})
    page = kepala.get("/").text
    assert "Recording coverage" in page
    assert "KTP-el pipeline" in page
