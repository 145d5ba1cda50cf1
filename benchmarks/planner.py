"""The planner's solver on Solomon VRPTW instances: Jemput's CLI beside PyVRP run directly.

For each instance in benchmarks/instances/solomon/ (100 customers each):

* **ours** — `jemput plan solve-instance FILE --seconds N --seed S`, run as a subprocess
  exactly as an operator would; its printed `Cost` is re-computed from the printed routes
  and the file (the run fails loudly if they differ or a customer is missing);
* **direct** — the same file read by `vrplib` (PyVRP's own instance reader), turned into
  PyVRP data by PyVRP's reader at its "dimacs" rounding, solved by `pyvrp.solve` with
  the same time limit and seed.

Both use distances truncated to one decimal and the instance's fleet (25 vehicles), the
convention of the best-known solutions below (BKS), so the gap to the BKS is fair. Runs
are sequential: one solver at a time, one core each.

    .venv/bin/python benchmarks/planner.py                       # 10 s each, seed 1
    .venv/bin/python benchmarks/planner.py --seconds 2 --markdown
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import vrplib
from pyvrp import solve as pyvrp_solve
from pyvrp.read import ROUND_FUNCS, _InstanceParser, _ProblemDataBuilder
from pyvrp.stop import MaxRuntime

from jemput.planning.solomon import read_solomon, route_cost

HERE = Path(__file__).parent
INSTANCES = HERE / "instances" / "solomon"
RESULTS = HERE / "results" / "planner.json"
JEMPUT = Path(sys.executable).parent / "jemput"

# Best-known distances under the one-decimal truncation convention (DIMACS VRPTW
# challenge, 2021; the same values CVRPLIB lists for Solomon's 100-customer instances).
BKS = {
    "C101": 827.3,
    "C201": 589.1,
    "R101": 1637.7,
    "R110": 1068.0,
    "R201": 1143.2,
    "RC101": 1619.8,
    "RC201": 1261.8,
    "RC208": 776.1,
}


def run_ours(path: Path, seconds: float, seed: int) -> dict:
    env = {**os.environ, "JEMPUT_ENVIRONMENT": "development"}
    started = time.perf_counter()
    out = subprocess.run([str(JEMPUT), "plan", "solve-instance", str(path), "--seconds",
                          str(seconds), "--seed", str(seed)], capture_output=True, text=True,
                         env=env, check=True).stdout
    wall = time.perf_counter() - started
    lines = out.strip().splitlines()
    routes = tuple(tuple(int(c) for c in line.split(":", 1)[1].split()) for line in lines[:-1])
    match = re.fullmatch(r"Cost (\d+\.\d)", lines[-1])
    assert match, lines[-1]
    cost = float(match.group(1))
    instance = read_solomon(path)
    served = sorted(c for r in routes for c in r)
    assert served == sorted(c.number for c in instance.customers), "a customer is missing"
    recomputed = round(route_cost(instance, routes), 1)
    assert recomputed == cost, (recomputed, cost)
    return {"cost": cost, "routes": len(routes), "wall_s": round(wall, 2)}


def run_direct(path: Path, seconds: float, seed: int) -> dict:
    started = time.perf_counter()
    instance = vrplib.read_instance(str(path), instance_format="solomon")
    # vrplib's Solomon parser leaves out the two VRPLIB header fields PyVRP's reader needs.
    instance["dimension"] = len(instance["node_coord"])
    instance["depot"] = np.array([0])
    data = _ProblemDataBuilder(_InstanceParser(instance, ROUND_FUNCS["dimacs"])).data()
    best = pyvrp_solve(data, MaxRuntime(seconds), seed=seed).best
    wall = time.perf_counter() - started
    assert best.is_feasible()
    return {"cost": best.distance() / 10, "routes": best.num_routes(),
            "wall_s": round(wall, 2)}


def gap(cost: float, bks: float) -> float:
    return round(100 * (cost - bks) / bks, 2)


def markdown(report: dict) -> str:
    lines = [
        "| instance | BKS | ours (routes) | gap | PyVRP direct (routes) | gap |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in report["instances"]:
        lines.append(
            f"| {row['instance']} | {row['bks']:.1f} | {row['ours']['cost']:.1f} "
            f"({row['ours']['routes']}) | {row['ours']['gap_pct']:.2f} % | "
            f"{row['direct']['cost']:.1f} ({row['direct']['routes']}) | "
            f"{row['direct']['gap_pct']:.2f} % |")
    s = report["summary"]
    lines.append(f"| **mean** | | | **{s['ours_mean_gap_pct']:.2f} %** | | "
                 f"**{s['direct_mean_gap_pct']:.2f} %** |")
    lines.append(f"| **worst** | | | {s['ours_worst_gap_pct']:.2f} % | | "
                 f"{s['direct_worst_gap_pct']:.2f} % |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", nargs="*", help="instance names (default: all)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--report", type=Path, help="print the tables of an earlier run")
    args = parser.parse_args()
    if args.report:
        print(markdown(json.loads(args.report.read_text())))
        return

    rows = []
    for name in sorted(BKS):
        if args.only and name not in args.only:
            continue
        path = INSTANCES / f"{name}.txt"
        ours = run_ours(path, args.seconds, args.seed)
        direct = run_direct(path, args.seconds, args.seed)
        ours["gap_pct"] = gap(ours["cost"], BKS[name])
        direct["gap_pct"] = gap(direct["cost"], BKS[name])
        rows.append({"instance": name, "bks": BKS[name], "ours": ours, "direct": direct})
        print(f"{name}: BKS {BKS[name]}  ours {ours['cost']} ({ours['gap_pct']} %)  "
              f"direct {direct['cost']} ({direct['gap_pct']} %)", file=sys.stderr)
    ours_gaps = [r["ours"]["gap_pct"] for r in rows]
    direct_gaps = [r["direct"]["gap_pct"] for r in rows]
    report = {
        "seconds": args.seconds, "seed": args.seed,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "load_avg": os.getloadavg()},
        "instances": rows,
        "summary": {
            "ours_mean_gap_pct": round(sum(ours_gaps) / len(rows), 2),
            "ours_worst_gap_pct": max(ours_gaps),
            "direct_mean_gap_pct": round(sum(direct_gaps) / len(rows), 2),
            "direct_worst_gap_pct": max(direct_gaps),
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    if args.markdown:
        print(markdown(report))


if __name__ == "__main__":
    main()
