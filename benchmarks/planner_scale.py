"""One large campaign plan: wall time and objective beside a 10x longer run of the solver.

The issue's aim is a week's plan for the full-scale demo (all targets, 10 teams, 10 field
days) in under 60 s, within 1 % of a 10x longer run. Until the outreach domain builds
that problem from the demo database, this plans the generated kecamatan of
`simulator.py`, scaled up (default 60 desa x 50 people = 3,000 targets), with 10 teams
(three with escort and ODGJ experience) over two Monday-Saturday weeks cut to 10 days.

    .venv/bin/python benchmarks/planner_scale.py --seconds 10         # and a 100 s run
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from simulator import OFFICE, kecamatan

from jemput.planning.problem import Skill, Team
from jemput.planning.solver import solve

RESULTS = Path(__file__).parent / "results" / "planner_scale.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--desa", type=int, default=60)
    parser.add_argument("--per-desa", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--factor", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    base = kecamatan(desa=args.desa, per_desa=args.per_desa, seed=args.seed, iterations=None)
    escort = frozenset({Skill.ESCORT_DINSOS, Skill.ODGJ_EXPERIENCE})
    teams = tuple(Team(f"T{i + 1}", f"Tim {i + 1}", OFFICE,
                       skills=escort if i < 3 else frozenset()) for i in range(10))
    days = (base.days + tuple(dataclasses.replace(d, day=d.day + timedelta(weeks=1))
                              for d in base.days))[:10]
    runs = []
    for seconds in (args.seconds, args.seconds * args.factor):
        problem = dataclasses.replace(base, teams=teams, days=days, max_iterations=None,
                                      max_seconds=seconds)
        started = time.perf_counter()
        plan = solve(problem)
        wall = time.perf_counter() - started
        runs.append({"budget_s": seconds, "wall_s": round(wall, 1),
                     "served_weight": plan.served_weight, "total_weight": plan.total_weight,
                     "served_people": sum(len(s.member_ids) for r in plan.routes
                                          for s in r.stops),
                     "left_out": len(plan.left_out),
                     "km": sum(r.metres for r in plan.routes) // 1000,
                     "routes": len(plan.routes), "notes": list(plan.notes)})
        print(runs[-1], file=sys.stderr)
    short, long = runs
    report = {"people": len(base.people), "teams": 10, "days": 10, "seed": args.seed,
              "load_avg": os.getloadavg(), "runs": runs,
              "short_vs_long_weight_pct": round(
                  100 * (long["served_weight"] - short["served_weight"])
                  / long["served_weight"], 2)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
