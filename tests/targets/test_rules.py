"""An operator builds a target list per rule; each holds exactly the people its rule names."""

from __future__ import annotations

import pytest

from tests.targets.conftest import FORMULA_NAME
from tests.targets.helpers import create, names, post_json, rows

# The people of Kecamatan Grabag each rule selects on the data date 2026-06-30.
EXPECTED = {
    "belum-rekam": {"BUDI SANTOSO", "MBAH KARTO", "ADI", "WARSINI", FORMULA_NAME, "LAIN DESA"},
    "rekam-16": {"BUDI SANTOSO", "MBAH KARTO", "ADI", "RINI", "RATNA", "WARSINI",
                 FORMULA_NAME, "LAIN DESA"},
    "kunjungan-rumah": {"MBAH KARTO", "WARSINI"},
    "cetak-tindak-lanjut": {"DEWI LESTARI", "GANDA"},
    "nonaktif": {"MBAH KARTO", "WARSINI", FORMULA_NAME, "LAIN DESA"},
}


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_operator_builds_a_list_that_holds_exactly_its_rules_people(rule, regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, rule)
    assert names(operator, list_id) == EXPECTED[rule]


def test_pemula_turning_17_before_a_date_takes_the_date_as_a_parameter(regency, client_for):
    operator = client_for("operator")
    before_new_year = create(operator, "pemula-sebelum", before="2027-01-01")
    assert names(operator, before_new_year) == {"ADI", "RINI"}
    before_april = create(operator, "pemula-sebelum", before="2027-04-01")
    assert names(operator, before_april) == {"ADI", "RINI", "RATNA"}


def test_a_list_of_one_desa_holds_only_that_desa(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "belum-rekam", area="33.06.01.2002")
    assert names(operator, list_id) == {"LAIN DESA"}


def test_each_member_carries_the_reason_in_words_in_both_languages(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "kunjungan-rumah")
    by_name = {row["name"]: row for row in rows(operator, list_id)}
    assert by_name["WARSINI"]["reason_id"] == (
        "Belum rekam, perlu kunjungan rumah: terbaring di tempat tidur")
    assert by_name["WARSINI"]["reason_en"] == "Not recorded, needs a home visit: bedridden"
    assert by_name["MBAH KARTO"]["reason_id"].endswith("penyandang disabilitas")
    pemula = create(operator, "pemula-sebelum", before="2027-01-01")
    reasons = {row["name"]: row["reason_id"] for row in rows(operator, pemula)}
    assert reasons["RINI"] == "Pemula belum rekam, berumur 17 sebelum 01-01-2027"


def test_a_rule_that_needs_a_date_is_refused_without_one(regency, client_for):
    response = post_json(client_for("operator"), "/api/sasaran",
                         {"name": "Pemilu", "rule": "pemula-sebelum", "area_code": "33.06"})
    assert response.status_code == 400
    assert "before" in response.json()["detail"]


def test_an_unknown_rule_is_refused_with_the_rules_that_exist(regency, client_for):
    response = post_json(client_for("operator"), "/api/sasaran",
                         {"name": "X", "rule": "semua", "area_code": "33.06"})
    assert response.status_code == 400
    assert "belum-rekam" in response.json()["detail"]


def test_a_parameter_the_rule_does_not_take_is_refused(regency, client_for):
    response = post_json(client_for("operator"), "/api/sasaran", {
        "name": "X", "rule": "belum-rekam", "area_code": "33.06", "params": {"tps": "001"}})
    assert response.status_code == 400
    assert "tps" in response.json()["detail"]


def test_an_operator_cannot_build_a_list_outside_their_area(regency, client_for):
    response = post_json(client_for("kecamatan_operator"), "/api/sasaran",
                         {"name": "X", "rule": "belum-rekam", "area_code": "33.06.02"})
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["kepala", "desa", "sekolah", "mitra", "petugas", "auditor"])
def test_only_the_operator_builds_lists(persona, regency, client_for):
    response = post_json(client_for(persona), "/api/sasaran",
                         {"name": "X", "rule": "belum-rekam", "area_code": "33.06.01.2001"})
    assert response.status_code == 403


@pytest.mark.parametrize("body", [
    {"name": "nul\x00", "rule": "belum-rekam", "area_code": "33.06"},
    {"name": "Pemilu", "rule": "pemula-sebelum", "area_code": "33.06",
     "params": {"before": "0001-01-01"}},
])
def test_a_crafted_list_is_refused_not_a_server_error(body, regency, client_for):
    response = post_json(client_for("operator"), "/api/sasaran", body)
    assert response.status_code in (400, 422), response.text


def test_a_crafted_assignment_is_refused_not_a_server_error(regency, client_for):
    operator = client_for("operator")
    list_id = create(operator, "belum-rekam")
    for body in ({"member_ids": [2**40], "team": "Tim 1"}, {"team": "Tim\x00"}):
        response = post_json(operator, f"/api/sasaran/{list_id}/tugaskan", body)
        assert response.status_code == 422, response.text
    assert operator.get(f"/api/sasaran/{list_id}", params={"q": "a\x00"}).status_code == 422
