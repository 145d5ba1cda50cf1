"""A pemula list's date through a campaign: build_problem sets each member's deadline, and
the plan puts them on a day on or before it (or says why not)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from jemput.db import unit_of_work
from jemput.outreach.campaigns import build_problem
from jemput.outreach.models import Campaign
from jemput.outreach.settings_file import DEMO_FILE
from tests.outreach.conftest import DATA_DATE, GRABAG, create_campaign, invoke, people, plan
from tests.outreach.test_campaigns import planned_people
from tests.residents.siak_files import Person, write_siak

ELECTION = "2026-12-05"  # the campaign runs 4-12 December


def test_a_pemula_is_planned_by_the_date_of_their_list(tmp_path: Path, personas, client_for):
    # Turns 17 on the day: on the pemula-before list of that date.
    pemula = Person("PEMULA", date(2009, 12, 5), 1, 301, status="UNREGISTERED")
    result = invoke("residents", "import", str(write_siak(tmp_path / "siak.csv",
                                                          [*people(), pemula])),
                    "--data-date", DATA_DATE)
    assert result.exit_code == 0, result.output
    assert invoke("campaigns", "load-settings", str(DEMO_FILE), "--as",
                  "operator").exit_code == 0
    result = invoke("targets", "create", "--rule", "pemula-sebelum", "--before", ELECTION,
                    "--area", GRABAG, "--name", "Pemula Grabag", "--owner", "operator")
    assert result.exit_code == 0, result.output
    list_id = int(result.output.split("#")[1].split()[0])
    operator = client_for("operator")
    campaign = create_campaign(operator, list_id).json()["id"]

    with unit_of_work() as session:
        problem = build_problem(session, session.get_one(Campaign, campaign))
    (person,) = [p for p in problem.people if p.name == "PEMULA"]
    assert person.deadline == date.fromisoformat(ELECTION)

    data = plan(operator, campaign).json()
    planned = {p["name"]: day for day, _, stop in (
        (d["day"], r, s) for d in data["plan"]["days"] for r in d["routes"]
        for s in r["stops"]) for p in stop["people"]}
    # Friday 4 and Saturday 5 December are work days: on one of them, not later.
    assert planned["PEMULA"] <= ELECTION
    assert len(planned_people(data)) == len(planned)
