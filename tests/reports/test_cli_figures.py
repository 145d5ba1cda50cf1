"""What the CLI says about coverage: one definition, one number format, one date format."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from jemput.cli import app

runner = CliRunner()


def _indonesian_percent(numerator: int, denominator: int) -> str:
    # Written out by hand so the test does not lean on the formatter it checks.
    whole, fraction = f"{100 * numerator / denominator:.2f}".split(".")
    return f"{int(whole):,}".replace(",", ".") + f",{fraction}%"


def test_demo_load_and_coverage_print_the_same_coverage_the_same_way(tmp_path):
    loaded = runner.invoke(app, ["demo", "load", "--seed", "4", "--scale", "0.002",
                                 "--tanpa-daftar", "--output", str(tmp_path / "demo")])
    assert loaded.exit_code == 0, loaded.output
    as_json = runner.invoke(app, ["coverage", "--json"])
    assert as_json.exit_code == 0, as_json.output
    regency = json.loads(as_json.output)["figures"]["coverage"]
    expected = _indonesian_percent(regency["numerator"], regency["denominator"])

    said = re.search(r"sudah rekam ([\d.,]+%)", loaded.output)
    assert said, loaded.output
    assert said.group(1) == expected
    assert "per 30 Juni 2026" in loaded.output
    assert "2026-06-30" not in loaded.output

    table = runner.invoke(app, ["coverage"])
    assert table.exit_code == 0, table.output
    assert expected in table.output
    assert "30 Juni 2026" in table.output
    assert "30-06-2026" not in table.output


def test_demo_generate_does_not_state_a_coverage_of_its_own(tmp_path):
    # Before loading there is no registry to count from; a second rule would disagree.
    result = runner.invoke(app, ["demo", "generate", "--seed", "4", "--scale", "0.002",
                                 "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "%" not in result.output
    assert "30 Juni 2026" in result.output
