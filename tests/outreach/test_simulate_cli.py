"""`jemput simulate`: the campaign played by Jemput and the naive baseline, nothing kept."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from jemput.db import Base, unit_of_work
from tests.outreach.conftest import GRABAG, invoke


def _registry() -> dict[str, int]:
    """Rows per table: what a run that changes nothing leaves exactly as it was."""
    with unit_of_work() as session:
        return {name: session.scalar(select(func.count()).select_from(table)) or 0
                for name, table in sorted(Base.metadata.tables.items())}


def _simulate(seed: str) -> dict:
    result = invoke("simulate", "--area", GRABAG, "--seed", seed, "--iterations", "100",
                    "--weeks", "2", "--max-days", "25", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    report.pop("wall_s")
    return report


def test_the_simulation_is_deterministic_consistent_and_changes_nothing(kecamatan):
    before = _registry()
    first = _simulate("3")
    assert _registry() == before
    assert _simulate("3") == first

    setup = first["setup"]
    assert setup["area_code"] == GRABAG and setup["people"] == sum(
        setup["targets_by_category"].values()) > 0
    ours, naive = first["results"]
    assert (ours["planner"], naive["planner"]) == ("jemput", "naive")
    for result in (ours, naive):
        assert 0 < result["recorded"] <= result["recordable"] <= setup["people"]
        assert result["team_days"] >= 1 and result["work_days"] >= 1
        assert result["team_days"] == sum(day["team_days"] for day in result["log"])
        assert result["recorded"] == sum(day["recorded"] for day in result["log"])
        assert result["per_team_day"] == round(result["recorded"] / result["team_days"], 2)
        left = sum(result["left_behind"].values())
        assert result["recorded"] + left == result["recordable"]
        for category, count in result["left_behind"].items():
            assert count <= setup["targets_by_category"].get(category, 0)
    # The baseline routes nobody to a session: everyone is visited at home, one by one.
    assert set(naive["stops"]) == {"rumah"}
    assert naive["stops"]["rumah"] >= naive["recorded"]
    fewer = 100 * (1 - ours["team_days"] / naive["team_days"])
    assert first["fewer_team_days_pct"] == round(fewer, 1)


def test_the_table_is_in_indonesian_first(kecamatan):
    result = invoke("simulate", "--area", GRABAG, "--iterations", "50", "--weeks", "1",
                    "--max-days", "15")
    assert result.exit_code == 0, result.output
    assert "Hari-tim sampai 99,5 %" in result.output
    assert "lebih sedikit hari-tim" in result.output


def test_an_area_outside_the_users_scope_is_refused(kecamatan):
    before = _registry()
    result = invoke("simulate", "--area", "33.06.02", "--as", "operator-grabag")
    assert result.exit_code == 1
    assert "Gagal" in result.output
    assert _registry() == before
