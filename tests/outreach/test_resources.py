"""Programmes, teams and the calendar: who may configure them, and the work days they allow."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from jemput.db import unit_of_work
from jemput.outreach import resources
from jemput.outreach.models import Programme
from jemput.planning.problem import ProgrammeKind, WorkDay
from tests.outreach.conftest import invoke, post_form, resources_of

pytestmark = pytest.mark.usefixtures("kecamatan")


def test_the_demo_settings_load_programmes_teams_and_the_national_holidays(client_for):
    data = resources_of(client_for("operator"))
    kinds = {row["kind"] for row in data["programmes"]}
    assert kinds == {"rumah", "keliling", "sekolah"}
    door = next(r for r in data["programmes"] if r["kind"] == "rumah")
    assert door["weekdays"] == [4, 5]
    assert door["service_minutes"]["odgj"] > door["service_minutes"]["disabilitas"] \
        > door["service_minutes"]["umum"]
    holidays = {h["day"] for h in data["holidays"]}
    assert {"2026-08-17", "2026-12-25", "2027-08-17"} <= holidays
    assert data["calendars"][0]["friday_break"] == ["11:00", "13:00"]


def test_kepala_reads_the_resources_but_cannot_change_them(client_for):
    kepala = client_for("kepala")
    assert kepala.get("/kampanye/sumber-daya").status_code == 200
    response = post_form(kepala, "/kampanye/sumber-daya/libur",
                         {"area_code": "33.06", "day": "2026-12-10", "name": "Cuti"})
    assert response.status_code in (403, 404)


@pytest.mark.parametrize("persona", ["desa", "petugas", "sekolah", "mitra", "auditor"])
def test_other_roles_do_not_see_the_resources(persona, client_for):
    assert client_for(persona).get("/api/kampanye/sumber-daya").status_code in (403, 404)


def test_a_kecamatan_office_reads_the_regency_calendar_but_configures_only_its_own(client_for):
    grabag = client_for("kecamatan_operator")
    assert {c["area_code"] for c in resources_of(grabag)["calendars"]} == {"33.06"}
    refused = post_form(grabag, "/kampanye/sumber-daya/libur",
                        {"area_code": "33.06", "day": "2026-12-10", "name": "Cuti"})
    assert refused.status_code == 404
    allowed = post_form(grabag, "/kampanye/sumber-daya/libur",
                        {"area_code": "33.06.01", "day": "2026-12-10", "name": "Hari jadi"})
    assert allowed.status_code == 303
    assert "Hari jadi" in {h["name"] for h in resources_of(grabag)["holidays"]}
    # The regency office sees it too: Grabag lies inside its scope.
    assert "Hari jadi" in {h["name"] for h in resources_of(client_for("operator"))["holidays"]}


def test_an_operator_adds_a_team_on_the_page(client_for):
    operator = client_for("operator")
    response = post_form(operator, "/kampanye/sumber-daya/tim", {
        "area_code": "33.06", "name": "Tim 3", "members": "Andi, Sari",
        "skills": ["bahasa_isyarat"], "kits": "1", "base_latitude": "-7.71",
        "base_longitude": "110.0"})
    assert response.status_code == 303, response.text
    team = next(t for t in resources_of(operator)["teams"] if t["name"] == "Tim 3")
    assert team["skills"] == ["bahasa_isyarat"] and team["members"] == ["Andi", "Sari"]


def test_a_bad_time_is_refused_with_its_value(client_for):
    response = post_form(client_for("operator"), "/kampanye/sumber-daya/kalender",
                         {"area_code": "33.06", "office_opens": "8 pagi"})
    assert response.status_code == 400
    assert "8 pagi" in response.text


def test_office_counts_with_a_bad_line_store_nothing_and_say_where(client_for):
    operator = client_for("operator")
    response = post_form(operator, "/kampanye/sumber-daya/antrean", {
        "area_code": "33.06", "counts": "date,count\n2026-11-06,90\n2026-11-13,banyak\n"})
    assert response.status_code == 400
    assert "baris 3, kolom 2" in response.text and "banyak" in response.text
    assert resources_of(operator)["office_counts"] == []


def work_days(starts: date, ends: date, kind: str) -> dict[date, WorkDay]:
    with unit_of_work() as session:
        programmes = list(session.scalars(select(Programme).where(Programme.kind == kind)))
        days = resources.work_days(session=session, area_code="33.06.01", starts=starts,
                                   ends=ends, programmes=programmes)
    return {d.day: d for d in days}


def test_door_to_door_works_fridays_and_saturdays_with_the_friday_prayer_break():
    days = work_days(date(2026, 12, 1), date(2026, 12, 13), "rumah")
    assert sorted(days) == [date(2026, 12, 4), date(2026, 12, 5), date(2026, 12, 11),
                            date(2026, 12, 12)]
    friday = days[date(2026, 12, 4)]
    assert [(b.starts, b.ends) for b in friday.breaks] == [(11 * 60, 13 * 60)]
    assert days[date(2026, 12, 5)].breaks == ()
    assert friday.programmes == frozenset({ProgrammeKind.DOOR_TO_DOOR})


def test_a_public_holiday_is_no_field_day():
    days = work_days(date(2026, 12, 21), date(2026, 12, 31), "keliling")
    assert date(2026, 12, 25) not in days and date(2026, 12, 24) in days


def test_ramadan_fridays_end_before_the_long_prayer_break():
    days = work_days(date(2027, 2, 15), date(2027, 2, 19), "keliling")
    assert days[date(2027, 2, 19)].ends == 11 * 60
    assert days[date(2027, 2, 18)].ends == 15 * 60


def test_a_busy_office_day_is_no_field_day(client_for):
    # Mondays have been busy (mean 150 > threshold 120), Tuesdays quiet.
    lines = ["2026-11-02,140", "2026-11-09,160", "2026-11-03,40", "2026-11-10,60"]
    response = post_form(client_for("operator"), "/kampanye/sumber-daya/antrean",
                         {"area_code": "33.06", "counts": "\n".join(lines)})
    assert response.status_code == 303, response.text
    days = work_days(date(2026, 11, 16), date(2026, 11, 17), "keliling")
    assert sorted(days) == [date(2026, 11, 17)]
    with unit_of_work() as session:
        calendar = resources.calendar_for(session=session, area_code="33.06.01")
        assert calendar is not None
        assert resources.expected_queue(session=session, calendar=calendar,
                                        day=date(2026, 11, 16)) == 150


def test_counts_import_from_the_command_line(tmp_path):
    path = tmp_path / "antrean.csv"
    path.write_text("date,count\n2026-11-02,100\n2026-11-03,80\n", encoding="utf-8")
    result = invoke("campaigns", "import-counts", str(path), "--area", "33.06", "--as",
                    "operator")
    assert result.exit_code == 0, result.output
    assert "2 hari" in result.output


# Each resource form, filled for the regency (33.06): a kecamatan office may not write it.
REGENCY_FORMS = {
    "/kampanye/sumber-daya/program": {"area_code": "33.06", "name": "Program luar",
                                      "kind": "rumah", "weekdays": "4,5",
                                      "setup_minutes": "10", "minutes": "umum=12"},
    "/kampanye/sumber-daya/tim": {"area_code": "33.06", "name": "Tim luar", "kits": "1",
                                  "base_latitude": "-7.71", "base_longitude": "110.0"},
    "/kampanye/sumber-daya/kalender": {"area_code": "33.06", "office_opens": "07:00"},
    "/kampanye/sumber-daya/libur": {"area_code": "33.06", "day": "2026-12-11",
                                    "name": "Libur luar"},
    "/kampanye/sumber-daya/antrean": {"area_code": "33.06",
                                      "counts": "date,count\n2026-11-06,999\n"},
}


@pytest.mark.parametrize("path", sorted(REGENCY_FORMS))
def test_a_kecamatan_office_cannot_write_any_resource_of_the_regency(path, client_for):
    grabag = client_for("kecamatan_operator")
    before = resources_of(client_for("operator"))
    response = post_form(grabag, path, REGENCY_FORMS[path])
    assert response.status_code == 404
    assert resources_of(client_for("operator")) == before


@pytest.mark.parametrize(("path", "key", "id_field"), [
    ("/kampanye/sumber-daya/program", "programmes", "programme_id"),
    ("/kampanye/sumber-daya/tim", "teams", "team_id"),
])
def test_a_kecamatan_office_cannot_rewrite_a_regency_row_by_naming_its_id(
    path, key, id_field, client_for,
):
    # The row's own area decides, not the area the form claims.
    operator = client_for("operator")
    before = resources_of(operator)
    regency_row = next(row for row in before[key] if row["area_code"] == "33.06")
    form = {**REGENCY_FORMS[path], "area_code": "33.06.01", id_field: str(regency_row["id"])}
    response = post_form(client_for("kecamatan_operator"), path, form)
    assert response.status_code in (400, 404)
    assert resources_of(operator) == before
