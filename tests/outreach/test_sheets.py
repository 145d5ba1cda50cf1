"""Plan outputs: day sheets (PDF), the plan as XLSX, the petugas' own routes, follow-up states."""

from __future__ import annotations

import io
import re
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader

from tests.outreach.conftest import create_campaign, invoke, plan, post_form, post_json
from tests.outreach.test_campaigns import planned_people, stops_of
from tests.outreach.test_outcomes import member_state

FULL_NIK = re.compile(r"\b\d{16}\b")


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def planned(operator, list_id: int) -> tuple[int, dict[str, Any]]:
    campaign = create_campaign(operator, list_id).json()["id"]
    response = plan(operator, campaign)
    assert response.status_code == 200, response.text
    return campaign, response.json()


def audit_actions(client) -> list[str]:
    response = client.get("/api/audit", params={"limit": 500})
    assert response.status_code == 200, response.text
    return [row["action"] for row in response.json()["entries"]]


def test_a_team_day_sheet_lists_the_route_with_masked_nik_and_signatures(kecamatan, client_for):
    operator = client_for("operator")
    campaign, data = planned(operator, kecamatan["list_id"])
    day, route, _ = stops_of(data)[0]
    response = operator.get(f"/kampanye/{campaign}/lembar.pdf",
                            params={"hari": day, "tim": route["team_id"]})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert "attachment" in response.headers["content-disposition"]
    pages, text = pdf_text(response.content)
    assert pages >= 1
    assert "Lembar kerja" in text and route["team"] in text
    assert f"{int(day[8:10])} Desember 2026" in text
    for stop in route["stops"]:
        assert stop["arrives"] in text and stop["departs"] in text
        for person in stop["people"]:
            assert person["name"] in text
    assert "Tanda tangan" in text and "Petugas" in text
    assert not FULL_NIK.search(text)  # only masked NIK on paper
    box = PdfReader(io.BytesIO(response.content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) in {(595, 842), (842, 595)}  # A4


def test_a_session_sheet_has_its_invitation_list_and_the_desa_signature(kecamatan, client_for):
    operator = client_for("operator")
    campaign, data = planned(operator, kecamatan["list_id"])
    sessions = [(d, r, s) for d, r, s in stops_of(data) if s["kind"] == "sesi"]
    assert sessions, data
    day, route, stop = sessions[0]
    text = pdf_text(operator.get(f"/kampanye/{campaign}/lembar.pdf",
                                 params={"hari": day, "tim": route["team_id"]}).content)[1]
    assert "Daftar undangan" in text and "Kepala desa" in text and "Hadir" in text
    for person in stop["people"]:
        assert person["name"] in text
    # The whole plan in one PDF: one sheet per team and day at least.
    whole = operator.get(f"/kampanye/{campaign}/lembar.pdf")
    assert whole.status_code == 200
    routes = sum(len(d["routes"]) for d in data["plan"]["days"])
    assert pdf_text(whole.content)[0] >= routes


def test_sheet_downloads_are_audited_and_bad_parameters_say_what(kecamatan, client_for):
    operator = client_for("operator")
    campaign, data = planned(operator, kecamatan["list_id"])
    day = data["plan"]["days"][0]["day"]
    assert operator.get(f"/kampanye/{campaign}/lembar.pdf", params={"hari": day}).status_code \
        == 200
    bad = operator.get(f"/kampanye/{campaign}/lembar.pdf", params={"hari": "2026-13-01"})
    assert bad.status_code == 400 and "hari" in bad.text
    none = operator.get(f"/kampanye/{campaign}/lembar.pdf", params={"hari": "2026-01-01"})
    assert none.status_code == 404
    assert operator.get("/kampanye/999999/lembar.pdf").status_code == 404
    admin = client_for("admin")
    actions = audit_actions(admin)
    assert "kampanye.lembar_pdf" in actions, actions


def test_the_plan_as_xlsx_has_days_people_and_the_left_out(kecamatan, client_for):
    operator = client_for("operator")
    campaign, data = planned(operator, kecamatan["list_id"])
    response = operator.get(f"/kampanye/{campaign}/rencana.xlsx")
    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.content))
    assert "rencana" in book.sheetnames and "tidak_terjadwal" in book.sheetnames
    rows = list(book["rencana"].iter_rows(values_only=True))
    cells = " ".join(str(c) for row in rows for c in row if c is not None)
    for person in planned_people(data):
        assert person["name"] in cells
    assert not FULL_NIK.search(cells)
    header = rows[0]
    assert "Hari" in header and "Tim" in header and "Urutan" in header
    body = [r for r in rows[1:] if r[0]]
    assert len(body) == len(planned_people(data))
    left = list(book["tidak_terjadwal"].iter_rows(values_only=True))
    assert len(left) - 1 == len(data["plan"]["left_out"])
    assert "kampanye.rencana_xlsx" in audit_actions(client_for("admin"))
    # Outside the office's readers: nothing.
    for persona in ("petugas", "desa", "mitra", "sekolah"):
        assert client_for(persona).get(f"/kampanye/{campaign}/rencana.xlsx").status_code \
            in (403, 404), persona


def test_the_json_twin_carries_what_the_field_node_needs(kecamatan, client_for):
    operator = client_for("operator")
    _, data = planned(operator, kecamatan["list_id"])
    _, route, stop = stops_of(data)[0]
    assert {"route_id", "team_id", "leaves", "returns"} <= set(route)
    assert {"id", "position", "kind", "arrives", "departs", "point", "escort",
            "people"} <= set(stop)
    person = stop["people"][0]
    assert {"id", "member_id", "list_id", "name", "nik"} <= set(person)


def team_of(client, name: str) -> int:
    teams = client.get("/api/kampanye/sumber-daya").json()["teams"]
    return int(next(t["id"] for t in teams if t["name"] == name))


def test_a_petugas_sees_their_own_team_routes_once_approved_and_nothing_else(
        kecamatan, client_for):
    operator, kepala, petugas = client_for("operator"), client_for("kepala"), client_for("petugas")
    campaign, data = planned(operator, kecamatan["list_id"])
    own, other = team_of(operator, "Tim 1"), team_of(operator, "Tim Grabag")
    own_routes = [(d["day"], r) for d in data["plan"]["days"] for r in d["routes"]
                  if r["team_id"] == own]
    assert own_routes, data
    day = own_routes[0][0]
    sheet = f"/kampanye/{campaign}/lembar.pdf"
    # Not approved yet: nothing goes to the field.
    assert petugas.get(sheet, params={"hari": day, "tim": own}).status_code == 404
    assert "lembar.pdf" not in petugas.get("/").text
    assert post_json(kepala, f"/api/kampanye/{campaign}/setujui").status_code == 200
    home = petugas.get("/")
    assert home.status_code == 200
    assert f"{sheet}?hari={day}&amp;tim={own}" in home.text
    for stop in own_routes[0][1]["stops"]:
        assert stop["place"] in home.text
    twin = petugas.get("/api/tugas").json()
    assert {r["team_id"] for c in twin["campaigns"] for d in c["days"] for r in d["routes"]} \
        == {own}
    response = petugas.get(sheet, params={"hari": day, "tim": own})
    assert response.status_code == 200
    # Another team's sheet, the whole plan's other teams, the XLSX: as if missing.
    assert petugas.get(sheet, params={"hari": day, "tim": other}).status_code == 404
    whole = petugas.get(sheet)
    assert whole.status_code == 200
    other_names = {p["name"] for d in data["plan"]["days"] for r in d["routes"]
                   if r["team_id"] == other for s in r["stops"] for p in s["people"]}
    own_names = {p["name"] for _, r in own_routes for s in r["stops"] for p in s["people"]}
    text = pdf_text(whole.content)[1]
    assert not any(name in text for name in other_names - own_names)
    assert petugas.get(f"/api/kampanye/{campaign}").status_code == 404


def test_planning_schedules_members_and_a_replan_that_drops_them_steps_back(
        kecamatan, client_for):
    operator = client_for("operator")
    list_id = kecamatan["list_id"]
    campaign, data = planned(operator, list_id)
    people = planned_people(data)
    for person in people:
        assert member_state(operator, list_id, person["member_id"]) == "scheduled"
    for left in data["plan"]["left_out"]:
        assert member_state(operator, list_id, left["member_id"]) != "scheduled"
    member = people[0]["member_id"]
    history = operator.get(f"/api/sasaran/{list_id}/anggota/{member}")
    assert history.status_code == 200, history.text
    assert any(e["new_state"] == "scheduled" and f"#{campaign}" in (e["note"] or "")
               for e in history.json()["history"]), history.json()
    # The teams lose their kits: a new plan places nobody, and the planned step back.
    for team in operator.get("/api/kampanye/sumber-daya").json()["teams"]:
        form = {"team_id": str(team["id"]), "area_code": team["area_code"],
                "name": team["name"], "members": ",".join(team.get("members") or []),
                "kits": "0", "vehicle": team.get("vehicle") or "",
                "base_name": team.get("base_name") or "",
                "base_latitude": str((team["base"] or ["", ""])[0]),
                "base_longitude": str((team["base"] or ["", ""])[1]),
                "skills": team.get("skills") or []}
        assert post_form(operator, "/kampanye/sumber-daya/tim", form).status_code == 303
    empty = plan(operator, campaign).json()["plan"]
    assert planned_people({"plan": empty}) == []
    for person in people:
        assert member_state(operator, list_id, person["member_id"]) == "contacted"
    history = operator.get(f"/api/sasaran/{list_id}/anggota/{member}").json()["history"]
    assert [e["new_state"] for e in history][-2:] == ["scheduled", "contacted"]


def test_the_cli_prints_day_sheets_and_the_plan(kecamatan, client_for, tmp_path):
    operator = client_for("operator")
    campaign, data = planned(operator, kecamatan["list_id"])
    day = data["plan"]["days"][0]["day"]
    out = tmp_path / "lembar.pdf"
    result = invoke("campaigns", "sheets", str(campaign), "--day", day, "--out", str(out))
    assert result.exit_code == 0, result.output
    pages, text = pdf_text(out.read_bytes())
    assert pages >= len(data["plan"]["days"][0]["routes"]) and "Tanda tangan" in text
    book = tmp_path / "rencana.xlsx"
    result = invoke("campaigns", "sheets", str(campaign), "--out", str(book))
    assert result.exit_code == 0, result.output
    assert load_workbook(book).sheetnames == ["rencana", "tidak_terjadwal"]
    wrong = invoke("campaigns", "sheets", str(campaign), "--out", str(tmp_path / "x.csv"))
    assert wrong.exit_code == 1 and ".pdf" in wrong.output
    refused = invoke("campaigns", "sheets", str(campaign), "--as", "petugas", "--out",
                     str(out))  # not approved: nothing for the field yet
    assert refused.exit_code == 1
