"""The review page: operators judge uncertain pairs; their word outlives every re-run."""

from __future__ import annotations

from sqlalchemy import select

from jemput.auth.models import AuditEntry
from jemput.db import unit_of_work
from jemput.linkage.models import LinkDecision, RosterLink
from tests.linkage.conftest import ROSTER, add_roster, run
from tests.linkage.test_cli import links_csv
from tests.personas import page_csrf

BAYU_LINE = 7  # "BAYU SAPUTRA" born a year off: the pair a person must judge
ANDI_LINE = 8  # the same, for a resident of another kecamatan


def pair_for_line(client, line: int) -> dict:
    pairs = client.get("/api/daftar/tinjau").json()["pairs"]
    return next(pair for pair in pairs if pair["line"] == line)


def test_operator_sees_uncertain_pairs_side_by_side_with_nik_masked(linked_roster,
                                                                    client_for):
    operator = client_for("operator")
    pair = pair_for_line(operator, BAYU_LINE)
    fields = {f["field"]: f for f in pair["fields"]}
    assert fields["name"]["row"] == fields["name"]["resident"] == "BAYU SAPUTRA"
    assert fields["birth_date"] == {"field": "birth_date", "row": "2007-01-01",
                                    "resident": "2008-01-01", "differs": True}
    assert not fields["name"]["differs"]
    page = operator.get("/daftar/tinjau")
    assert page.status_code == 200
    assert "<mark>2007-01-01</mark>" in page.text
    assert "3306010101080006" not in page.text  # NIK shown masked, never whole


def test_operator_accepts_a_pair_and_the_link_is_made_and_audited(linked_roster, client_for,
                                                                  migrated_database):
    operator = client_for("operator")
    pair = pair_for_line(operator, BAYU_LINE)
    response = operator.post(f"/daftar/tinjau/{pair['roster_row_id']}/terima",
                             data={"csrf_token": page_csrf(operator)}, follow_redirects=False)
    assert response.status_code == 303
    by_line = {int(row["line"]): row for row in links_csv(linked_roster)}
    assert (by_line[BAYU_LINE]["nik"], by_line[BAYU_LINE]["decision"]) == (
        "3306010101080006", "auto")
    with unit_of_work(migrated_database) as session:
        entry = session.scalars(select(AuditEntry).where(
            AuditEntry.action == "linkage.accepted")).one()
        assert (entry.actor_name, entry.object_id) == ("operator", str(pair["roster_row_id"]))


def test_a_write_without_csrf_token_is_refused(linked_roster, client_for):
    operator = client_for("operator")
    pair = pair_for_line(operator, BAYU_LINE)
    response = operator.post(f"/daftar/tinjau/{pair['roster_row_id']}/terima",
                             follow_redirects=False)
    assert response.status_code in (400, 403)
    assert {row["line"]: row["decision"] for row in links_csv(linked_roster)}[
        str(BAYU_LINE)] == "review"


def test_an_accepted_pair_survives_a_rerun_and_a_reimport(linked_roster, client_for,
                                                          migrated_database):
    operator = client_for("operator")
    pair = pair_for_line(operator, BAYU_LINE)
    csrf = page_csrf(operator)
    assert operator.post(f"/api/daftar/tinjau/{pair['roster_row_id']}/terima",
                         headers={"X-CSRF-Token": csrf}).json()["decision"] == "auto"
    run("rosters", "link", str(linked_roster))
    again = {int(row["line"]): row for row in links_csv(linked_roster)}
    assert (again[BAYU_LINE]["nik"], again[BAYU_LINE]["decision"]) == (
        "3306010101080006", "auto")
    with unit_of_work(migrated_database) as session:
        link = session.get(RosterLink, pair["roster_row_id"])
        assert link is not None and link.decided_by == "operator"
    # Next semester's export of the same school: a new roster, the same row keys.
    reimported = add_roster(migrated_database, ROSTER, file_name="daftar_pd_genap.csv")
    run("rosters", "link", str(reimported))
    fresh = {int(row["line"]): row for row in links_csv(reimported)}
    assert (fresh[BAYU_LINE]["nik"], fresh[BAYU_LINE]["decision"]) == (
        "3306010101080006", "auto")
    assert all(p["line"] != BAYU_LINE for p in operator.get("/api/daftar/tinjau").json()["pairs"])


def test_a_rejected_pair_is_never_linked_by_a_later_run(linked_roster, client_for,
                                                        migrated_database):
    operator = client_for("operator")
    pair = pair_for_line(operator, BAYU_LINE)
    csrf = page_csrf(operator)
    assert operator.post(f"/api/daftar/tinjau/{pair['roster_row_id']}/tolak",
                         headers={"X-CSRF-Token": csrf}).status_code == 200
    run("rosters", "link", str(linked_roster), "--auto", "0.0001", "--review", "0.0001")
    after = {int(row["line"]): row for row in links_csv(linked_roster)}
    assert after[BAYU_LINE]["nik"] != "3306010101080006"
    with unit_of_work(migrated_database) as session:
        verdict = session.scalars(select(LinkDecision)).one()
        assert (verdict.decision, verdict.decided_by) == ("rejected", "operator")


def test_desa_official_and_outsider_are_refused(linked_roster, client_for):
    pair = pair_for_line(client_for("operator"), BAYU_LINE)
    desa = client_for("desa")
    assert desa.get("/api/daftar/tinjau").status_code in (403, 404)
    assert desa.get("/daftar/tinjau").status_code in (403, 404)
    response = desa.post(f"/api/daftar/tinjau/{pair['roster_row_id']}/terima",
                         headers={"X-CSRF-Token": page_csrf(desa)})
    assert response.status_code in (403, 404)
    outsider = client_for("outsider")
    assert outsider.get("/api/daftar/tinjau").status_code == 401
    assert outsider.post(f"/api/daftar/tinjau/{pair['roster_row_id']}/terima").status_code == 401
    assert {row["line"]: row["decision"] for row in links_csv(linked_roster)}[
        str(BAYU_LINE)] == "review"


def test_kecamatan_operator_sees_and_judges_only_residents_of_their_kecamatan(
        linked_roster, client_for):
    regency_wide = client_for("operator")
    andi = pair_for_line(regency_wide, ANDI_LINE)
    grabag = client_for("kecamatan_operator")
    lines = {pair["line"] for pair in grabag.get("/api/daftar/tinjau").json()["pairs"]}
    assert BAYU_LINE in lines and ANDI_LINE not in lines
    response = grabag.post(f"/api/daftar/tinjau/{andi['roster_row_id']}/terima",
                           headers={"X-CSRF-Token": page_csrf(grabag)})
    assert response.status_code == 404
