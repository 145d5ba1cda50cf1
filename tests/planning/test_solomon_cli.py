"""`jemput plan solve-instance` on a 25-customer Solomon instance, checked from the file."""

from __future__ import annotations

import math
import re
from pathlib import Path

from typer.testing import CliRunner

from jemput.cli import app

DATA = Path(__file__).parent / "data"


def read_rows(path: Path) -> tuple[int, int, dict[int, list[float]]]:
    """The instance read independently of jemput.planning.solomon."""
    lines = path.read_text().splitlines()
    vehicles, capacity = map(int, lines[4].split())
    rows = {}
    for line in lines[9:]:
        if line.strip():
            values = [float(v) for v in line.split()]
            rows[int(values[0])] = values[1:]
    return vehicles, capacity, rows


def leg(a: list[float], b: list[float]) -> float:
    return math.floor(10 * math.hypot(a[0] - b[0], a[1] - b[1]) + 1e-9) / 10


def test_solve_instance_prints_feasible_routes_and_their_true_cost():
    path = DATA / "RC208_25.txt"
    result = CliRunner().invoke(app, ["plan", "solve-instance", str(path),
                                      "--iterations", "1000", "--seed", "1"])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    routes = [list(map(int, re.fullmatch(r"Route #\d+: ([\d ]+)", line).group(1).split()))
              for line in lines[:-1]]
    cost = float(re.fullmatch(r"Cost (\d+\.\d)", lines[-1]).group(1))

    vehicles, capacity, rows = read_rows(path)
    assert sorted(c for r in routes for c in r) == list(range(1, 26))   # each once
    assert len(routes) <= vehicles
    depot = rows[0]
    total = 0.0
    for route in routes:
        assert sum(rows[c][2] for c in route) <= capacity
        clock, here = depot[3], depot
        for c in route:
            *_, ready, due, service = rows[c]
            clock = max(clock + leg(here, rows[c]), ready)
            assert clock <= due + 1e-9, (route, c)
            total += leg(here, rows[c])
            clock += service
            here = rows[c]
        total += leg(here, depot)
        assert clock + leg(here, depot) <= depot[4] + 1e-9
    assert round(total, 1) == cost
    assert cost == 269.1   # the instance's optimum under the one-decimal convention


def test_same_seed_same_solution():
    path = str(DATA / "RC208_25.txt")
    args = ["plan", "solve-instance", path, "--iterations", "300", "--seed", "4"]
    assert CliRunner().invoke(app, args).output == CliRunner().invoke(app, args).output


def test_a_broken_file_is_refused_with_its_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("X1\n\nVEHICLE\nNUMBER     CAPACITY\n  25  200\n\nCUSTOMER\n"
                   "CUST NO.  XCOORD.\n\n    0  40  50  0  0  1236  0\n"
                   "    1  45  68  ten  0  5  1\n")
    result = CliRunner().invoke(app, ["plan", "solve-instance", str(bad), "--iterations", "10"])
    assert result.exit_code == 1
    assert "baris 11" in result.output
