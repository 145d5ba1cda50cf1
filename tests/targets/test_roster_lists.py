"""What the rosters answer, as target lists: each page figure is a list of exactly those.

/daftar/sekolah, /daftar/pemilih and /daftar/luar-sekolah count people; one click on
them builds the target list of the same people, with a name that says what it is.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from jemput.cli import app
from tests.personas import page_csrf
from tests.targets.conftest import import_people
from tests.targets.helpers import create, names, post_json, rows
from tests.targets.rostered import DESA, NPSN, SCHOOL, SESSION, residents

FORM = re.compile(r'<form method="post" action="/sasaran/cepat".*?</form>', re.S)


def total(client, list_id: int) -> int:
    return int(client.get(f"/api/sasaran/{list_id}").json()["total"])


def school_figures(client) -> dict:
    data = client.get(f"/api/daftar/sekolah?tanggal={SESSION}").json()
    return next(school for school in data["schools"] if school["npsn"] == NPSN)


def tps_figures(client) -> dict[str, dict]:
    return {row["tps"]: row for row in client.get("/api/daftar/pemilih").json()["by_tps"]
            if row["desa_code"] == DESA}


def test_students_to_record_on_the_session_date_are_the_school_pages_figure(rostered,
                                                                            client_for):
    operator = client_for("operator")
    figure = school_figures(operator)
    list_id = create(operator, "siswa-16", area=DESA, institution_npsn=NPSN, date=SESSION)
    assert names(operator, list_id) == {s["name"] for s in figure["not_recorded"]}
    assert total(operator, list_id) == len(figure["not_recorded"]) == 2
    reasons = {row["name"]: row["reason_id"] for row in rows(operator, list_id)}
    assert reasons["RINI"] == "Siswa 16+ belum rekam pada sesi 01-08-2026 (umur 16)"


def test_voters_without_a_recording_per_tps_are_the_voter_pages_figure(rostered, client_for):
    operator = client_for("operator")
    figures = tps_figures(operator)
    for tps, expected in (("001", {"BUDI SANTOSO"}), ("002", {"MBAH KARTO"})):
        list_id = create(operator, "pemilih-belum-rekam", area=DESA, tps=tps)
        assert names(operator, list_id) == expected
        assert total(operator, list_id) == figures[tps]["not_recorded"]
    whole_desa = create(operator, "pemilih-belum-rekam", area=DESA)
    assert total(operator, whole_desa) == sum(f["not_recorded"] for f in figures.values())


def test_voters_the_registry_does_not_know_per_tps_are_the_voter_pages_figure(rostered,
                                                                              client_for):
    operator = client_for("operator")
    for tps, figure in tps_figures(operator).items():
        list_id = create(operator, "belum-padan", area=DESA, kind="dpt", tps=tps)
        assert total(operator, list_id) == figure["unknown"] + figure["in_review"]
        assert figure["unmatched"] == figure["unknown"] + figure["in_review"]


def test_residents_out_of_school_are_the_out_of_school_pages_figure(rostered, client_for):
    operator = client_for("operator")
    data = operator.get(f"/api/daftar/luar-sekolah?tanggal={SESSION}").json()
    list_id = create(operator, "luar-sekolah", area="33.06", date=SESSION)
    assert names(operator, list_id) == {p["name"] for p in data["people"]} == {"RATNA"}
    assert total(operator, list_id) == data["total"]


def test_a_resident_rule_applied_to_a_school_selects_its_linked_students(rostered,
                                                                         client_for):
    operator = client_for("operator")
    list_id = create(operator, "rekam-16", area=DESA, institution_npsn=NPSN)
    # RATNA may record too, but she is on no roster of this school.
    assert names(operator, list_id) == {"ADI", "RINI"}
    assert names(operator, create(operator, "cetak-tindak-lanjut", area=DESA,
                                  institution_npsn=NPSN)) == {"DONI PRATAMA"}


@pytest.mark.parametrize(("rule", "params", "npsn", "says"), [
    ("siswa-16", {"date": SESSION}, None, "NPSN"),
    ("pemilih-belum-rekam", {}, NPSN, "bukan untuk satu sekolah"),
    ("luar-sekolah", {"date": SESSION}, NPSN, "bukan untuk satu sekolah"),
    ("pemilih-belum-rekam", {"tps": "x" * 11}, None, "TPS"),
])
def test_a_rule_given_a_place_it_cannot_use_is_refused_with_a_message(
        rule, params, npsn, says, rostered, client_for):
    response = post_json(client_for("operator"), "/api/sasaran", {
        "name": "X", "rule": rule, "area_code": DESA, "institution_npsn": npsn,
        "params": params})
    assert response.status_code == 400, response.text
    assert says in response.json()["detail"]


def test_the_cli_builds_a_school_list_of_the_pages_figure(rostered, client_for):
    result = CliRunner().invoke(app, [
        "targets", "create", "--rule", "siswa-16", "--area", DESA, "--npsn", NPSN,
        "--date", SESSION, "--name", "Sesi sekolah", "--owner", "operator"])
    assert result.exit_code == 0, result.output
    assert "2 orang" in result.output
    voters = CliRunner().invoke(app, [
        "targets", "create", "--rule", "belum-padan", "--kind", "dpt", "--tps", "002",
        "--area", DESA, "--name", "DPT tak dikenal", "--owner", "operator"])
    assert voters.exit_code == 0, voters.output
    assert "1 orang" in voters.output


# --- one click ---------------------------------------------------------------------------


def click(client, page: str, marker: str) -> tuple[str, dict[str, str]]:
    """Find the one-click form on `page` that holds `marker`; return its fields."""
    html = client.get(page).text
    form = next(f for f in FORM.findall(html) if marker in f)
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
    return form, fields


def test_one_click_on_the_school_page_builds_the_schools_list(rostered, client_for):
    operator = client_for("operator")
    _, fields = click(operator, f"/daftar/sekolah?tanggal={SESSION}", NPSN)
    assert fields["csrf_token"] == page_csrf(operator)
    response = operator.post("/sasaran/cepat", data=fields, follow_redirects=False)
    assert response.status_code == 303
    list_id = int(response.headers["location"].rsplit("/", 1)[1])
    summary = operator.get(f"/api/sasaran/{list_id}").json()
    assert summary["list"]["name"] == (
        f"Siswa 16+ belum rekam — {SCHOOL} — sesi 01-08-2026")
    assert summary["total"] == len(school_figures(operator)["not_recorded"])


def test_one_click_on_the_voter_page_builds_either_list_of_a_tps(rostered, client_for):
    operator = client_for("operator")
    figures = tps_figures(operator)
    _, fields = click(operator, "/daftar/pemilih", 'value="pemilih-belum-rekam"')
    response = operator.post("/sasaran/cepat", data=fields, follow_redirects=False)
    list_id = int(response.headers["location"].rsplit("/", 1)[1])
    data = operator.get(f"/api/sasaran/{list_id}").json()
    assert data["list"]["name"].startswith("Pemilih belum rekam KTP-el — ")
    assert data["total"] == figures[data["list"]["params"]["tps"]]["not_recorded"]
    _, fields = click(operator, "/daftar/pemilih", 'value="belum-padan"')
    response = operator.post("/sasaran/cepat", data=fields, follow_redirects=False)
    list_id = int(response.headers["location"].rsplit("/", 1)[1])
    data = operator.get(f"/api/sasaran/{list_id}").json()
    assert data["list"]["name"].startswith("Pemilih tidak dikenal SIAK — ")
    assert data["total"] == figures[data["list"]["params"]["tps"]]["unmatched"]


def test_one_click_on_the_out_of_school_page_and_its_json_twin(rostered, client_for):
    operator = client_for("operator")
    _, fields = click(operator, f"/daftar/luar-sekolah?tanggal={SESSION}", "luar-sekolah")
    response = operator.post("/sasaran/cepat", data=fields, follow_redirects=False)
    assert response.status_code == 303
    fields.pop("csrf_token")
    twin = post_json(operator, "/api/sasaran/cepat", {
        "rule": fields["rule"], "area_code": fields["area_code"],
        "params": {"date": fields["date"]}})
    assert twin.status_code == 201, twin.text
    made = twin.json()
    assert made["name"].startswith("Usia 16–17 di luar sekolah — ")
    assert made["name"].endswith(" — 01-08-2026")
    assert made["href"] == f"/sasaran/{made['id']}"
    assert made["counts"] == {"open": 1}


@pytest.mark.parametrize("persona", ["kepala", "sekolah", "desa"])
def test_who_may_not_build_lists_sees_no_button(persona, rostered, client_for):
    client = client_for(persona)
    for page in ("/daftar/sekolah", "/daftar/pemilih", "/daftar/luar-sekolah"):
        response = client.get(page)
        assert "/sasaran/cepat" not in response.text


def test_one_click_outside_the_operators_area_is_refused(rostered, client_for):
    response = post_json(client_for("kecamatan_operator"), "/api/sasaran/cepat", {
        "rule": "luar-sekolah", "area_code": "33.06.02", "params": {"date": SESSION}})
    assert response.status_code == 404


def test_the_new_list_form_takes_the_roster_rules_parameters(rostered, client_for):
    operator = client_for("operator")
    response = operator.post("/sasaran", data={
        "csrf_token": page_csrf(operator), "name": "DPT TPS 2", "rule": "belum-padan",
        "area_code": DESA, "kind": "dpt", "tps": "2", "date": "", "before": "",
        "institution_npsn": ""}, follow_redirects=False)
    assert response.status_code == 303, response.text
    list_id = int(response.headers["location"].rsplit("/", 1)[1])
    data = operator.get(f"/api/sasaran/{list_id}").json()
    assert data["list"]["params"] == {"kind": "dpt", "tps": "002"}
    assert {row["name"] for row in data["rows"]} == {"SRI WAHYUNI"}
    assert 'name="tps"' in operator.get("/sasaran").text


def test_a_student_a_later_import_shows_recorded_leaves_the_school_list_as_reached(
        rostered, client_for, tmp_path):
    operator = client_for("operator")
    list_id = create(operator, "siswa-16", area=DESA, institution_npsn=NPSN, date=SESSION)
    recorded = [p.but(status="CARD_ISSUED") if p.name == "RINI" else p for p in residents()]
    import_people(tmp_path, recorded, data_date="2026-07-31", name="juli.csv")
    by_name = {row["name"]: row for row in rows(operator, list_id)}
    assert (by_name["RINI"]["state"], by_name["RINI"]["outcome"]) == ("reached", "recorded")
    assert by_name["ADI"]["state"] == "open"
    assert len(school_figures(operator)["not_recorded"]) == 1
