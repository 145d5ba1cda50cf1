"""`jemput campaigns`: create, list, plan, show, outcome and replan from the command line."""

from __future__ import annotations

import json

from tests.outreach.conftest import ENDS, STARTS, invoke


def test_a_campaign_from_the_command_line(kecamatan):
    result = invoke("campaigns", "create", "--name", "Grabag CLI", "--area", "33.06.01",
                    "--starts", STARTS.isoformat(), "--ends", ENDS.isoformat(),
                    "--programme", "1", "--programme", "2", "--team", "1", "--team", "3",
                    "--list", str(kecamatan["list_id"]), "--weights", '{"vulnerable": 5}')
    assert result.exit_code == 0, result.output
    campaign = result.output.split("#")[1].split()[0]
    listed = invoke("campaigns", "list", "--as", "kepala")
    assert "Grabag CLI" in listed.output
    planned = invoke("campaigns", "plan", campaign, "--iterations", "200")
    assert planned.exit_code == 0, planned.output
    assert "Rencana v1" in planned.output
    shown = invoke("campaigns", "show", campaign, "--json")
    data = json.loads(shown.output)
    entry = data["plan"]["days"][0]["routes"][0]["stops"][0]["people"][0]
    recorded = invoke("campaigns", "outcome", campaign, str(entry["id"]), "recorded")
    assert recorded.exit_code == 0, recorded.output
    replanned = invoke("campaigns", "replan", campaign, "--iterations", "200")
    assert replanned.exit_code == 0, replanned.output
    assert "Rencana v2" in replanned.output


def test_the_command_line_refuses_an_unknown_outcome_and_a_wrong_user(kecamatan):
    result = invoke("campaigns", "create", "--name", "X", "--area", "33.06.02", "--starts",
                    STARTS.isoformat(), "--ends", ENDS.isoformat(), "--programme", "1",
                    "--team", "1", "--list", str(kecamatan["list_id"]), "--as",
                    "operator-grabag")
    assert result.exit_code == 1
    assert "Gagal" in result.output


def test_the_demo_settings_load_once_however_often_make_run_asks(personas):
    """`make run` loads the demo settings after the demo users; a second run keeps them."""
    from tests.outreach.conftest import DEMO_FILE

    first = invoke("campaigns", "load-settings", str(DEMO_FILE), "--as", "operator",
                   "--if-empty")
    assert first.exit_code == 0, first.output
    assert "Pengaturan dimuat" in first.output
    again = invoke("campaigns", "load-settings", str(DEMO_FILE), "--as", "operator",
                   "--if-empty")
    assert again.exit_code == 0, again.output
    assert "dilewati" in again.output
    shown = invoke("campaigns", "list", "--as", "operator")
    assert shown.exit_code == 0
    # Without --if-empty, loading twice is refused or harmless, never half-written.
    repeated = invoke("campaigns", "load-settings", str(DEMO_FILE), "--as", "operator")
    assert repeated.exit_code in (0, 1), repeated.output
