""""Today" and the times pages show follow the office's time zone (JEMPUT_TIME_ZONE).

Two zones 26 hours apart (UTC+14 and UTC-12) never share a calendar date, and at any
moment at least one of them differs from UTC's: run in both, a date taken from UTC or
from the server's zone is caught whatever the hour the suite runs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from jemput import clock
from jemput.cli import app as cli
from jemput.config import Settings, get_settings
from jemput.db import unit_of_work
from jemput.i18n import format_date
from jemput.residents.models import Resident
from tests.residents.siak_files import Person, write_siak

runner = CliRunner()
ZONES = {"Etc/GMT-14": timedelta(hours=14), "Etc/GMT+12": timedelta(hours=-12)}


@pytest.fixture(params=sorted(ZONES))
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> timedelta:
    """Run the test in a far-off zone; return its offset from UTC."""
    monkeypatch.setenv("JEMPUT_TIME_ZONE", request.param)
    get_settings.cache_clear()
    return ZONES[request.param]


def office_dates(offset: timedelta, action: Callable[[], Any]) -> tuple[set[date], Any]:
    """Run `action`; return the office dates it may have seen (two only across midnight)."""
    before = (datetime.now(UTC) + offset).date()
    result = action()
    after = (datetime.now(UTC) + offset).date()
    return {before, after}, result


def test_it_is_already_the_first_of_july_in_jakarta_at_eight_in_the_evening_utc():
    evening = datetime(2026, 6, 30, 20, 0, tzinfo=UTC)
    assert get_settings().time_zone == "Asia/Jakarta"
    assert clock.today(now=evening) == date(2026, 7, 1)
    assert clock.now_local(now=evening).strftime("%H:%M %Z") == "03:00 WIB"


def test_an_office_in_makassar_or_london_sees_its_own_date(monkeypatch):
    evening = datetime(2026, 6, 30, 20, 0, tzinfo=UTC)
    monkeypatch.setenv("JEMPUT_TIME_ZONE", "Asia/Makassar")
    get_settings.cache_clear()
    assert clock.now_local(now=evening).strftime("%Y-%m-%d %H:%M %Z") == "2026-07-01 04:00 WITA"
    monkeypatch.setenv("JEMPUT_TIME_ZONE", "Europe/London")
    get_settings.cache_clear()
    assert clock.today(now=evening) == date(2026, 6, 30)


def test_an_unknown_time_zone_is_refused_when_settings_load():
    with pytest.raises(ValueError, match="JEMPUT_TIME_ZONE 'Asia/Jakarte'"):
        Settings(time_zone="Asia/Jakarte")


def test_an_import_without_a_data_date_is_dated_on_the_office_calendar(tmp_path, zone):
    path = write_siak(tmp_path / "siak.csv", [Person("SUMARNO", date(1970, 5, 4))])
    seen, result = office_dates(
        zone, lambda: runner.invoke(cli, ["residents", "import", str(path)]))
    assert result.exit_code == 0, result.output
    coverage = runner.invoke(cli, ["coverage", "--json", "--region", "33.06.01.2001"])
    assert date.fromisoformat(json.loads(coverage.output)["data_date"]) in seen


def _resident_id() -> int:
    with unit_of_work() as session:
        return session.scalars(select(Resident.id)).one()


def test_the_resident_page_takes_ages_on_the_office_calendar(tmp_path, zone, client_for):
    path = write_siak(tmp_path / "siak.csv", [Person("SUMARNO", date(1970, 5, 4))])
    assert runner.invoke(cli, ["residents", "import", str(path),
                               "--data-date", "2026-06-30"]).exit_code == 0
    operator: TestClient = client_for("operator")
    seen, response = office_dates(
        zone, lambda: operator.get(f"/api/penduduk/{_resident_id()}"))
    assert date.fromisoformat(response.json()["facts"]["on"]) in seen


def test_pages_show_times_on_the_office_clock(tmp_path, zone, client_for):
    first = Person("SUMARNO", date(1970, 5, 4), status="UNREGISTERED")
    for name, person in (("a.csv", first), ("b.csv", first.but(status="BIO_CAPTURED"))):
        result = runner.invoke(cli, ["residents", "import", str(write_siak(tmp_path / name,
                                                                           [person]))])
        assert result.exit_code == 0, result.output
    operator: TestClient = client_for("operator")
    resident_id = _resident_id()
    change = operator.get(f"/api/penduduk/{resident_id}").json()["history"][-1]
    stored = datetime.fromisoformat(change["changed_at"])
    stored = stored if stored.tzinfo else stored.replace(tzinfo=UTC)
    local = stored.astimezone(UTC) + zone
    hours = int(zone.total_seconds() // 3600)
    shown = f"{format_date(local.date())} {local:%H.%M} {hours:+03d}"
    page = operator.get(f"/penduduk/{resident_id}").text
    assert shown in page
    # The UTC reading of the same instant is not on the page.
    assert stored.astimezone(UTC).strftime("%Y-%m-%d %H:%M") not in page


def test_the_audit_log_filters_by_office_days(zone, client_for):
    # Signing in writes an audit entry; its office day is one of these two.
    seen, auditor = office_dates(zone, lambda: client_for("auditor"))
    entries = auditor.get("/api/audit", params={"since": min(seen).isoformat(),
                                                "until": max(seen).isoformat()}).json()
    assert "auth.login" in {entry["action"] for entry in entries["entries"]}
    page = auditor.get("/audit").text
    login_times = re.findall(r"<td>([^<]*\d\d\.\d\d\.\d\d [+-]\d\d)</td>", page)
    assert login_times
    assert all(any(format_date(day) in text for day in seen) for text in login_times)
