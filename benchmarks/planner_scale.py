"""One large campaign plan: wall time and objective beside a 10x longer run of the solver.

The issue's aim is a week's plan for the full-scale demo (all targets, 10 teams, 10 field
days) in under 60 s, within 1 % of a 10x longer run. Until the outreach domain builds
that problem from the demo database, this plans the generated kecamatan of
`simulator.py`, scaled up (default 60 desa x 50 people = 3,000 targets), with 10 teams
(three with escort and ODGJ experience) over two Monday-Saturday weeks cut to 10 days.

Three runs, one after the other: B seconds from the greedy start (warmstart.py), 10 x B
from the same start, and B from PyVRP's own random start (the baseline; --no-cold skips
it). Each records its wall time and the load average before it.

    .venv/bin/python benchmarks/planner_scale.py --seconds 60         # 60 s, 600 s, 60 s
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

import jemput.planning.solver as solver_module
from jemput.planning.problem import PlanningProblem, Skill, Team
from jemput.planning.solver import solve

RESULTS = Path(__file__).parent / "results" / "planner_scale.json"


def measure(problem: PlanningProblem, settings: list[tuple[float, str]]) -> list[dict]:
    """Solve `problem` once per (budget seconds, start) and record each run.

    start "greedy" is the solver as it is; "random" is PyVRP's own random start (what the
    solver did before the greedy start), the baseline, on the same problem in the same
    run; "setup" is `max_iterations=0`: the solver's setup and greedy start, no search.
    """
    runs = []
    greedy = solver_module.greedy_solution
    for seconds, start in settings:
        solver_module.greedy_solution = (greedy if start != "random"
                                         else lambda *args, **kwargs: None)
        iterations = 0 if start == "setup" else None
        load = os.getloadavg()
        started = time.perf_counter()
        plan = solve(dataclasses.replace(problem, max_iterations=iterations,
                                         max_seconds=seconds))
        wall = time.perf_counter() - started
        solver_module.greedy_solution = greedy
        runs.append({"budget_s": seconds, "start": start, "wall_s": round(wall, 1),
                     "load_avg_before": [round(x, 2) for x in load],
                     "load_avg_after": [round(x, 2) for x in os.getloadavg()],
                     "served_weight": plan.served_weight, "total_weight": plan.total_weight,
                     "served_people": sum(len(s.member_ids) for r in plan.routes
                                          for s in r.stops),
                     "left_out": len(plan.left_out),
                     "km": sum(r.metres for r in plan.routes) // 1000,
                     "routes": len(plan.routes), "notes": list(plan.notes)})
        print(runs[-1], file=sys.stderr)
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--desa", type=int, default=60)
    parser.add_argument("--per-desa", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--factor", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--friday-break-only", action="store_true",
                        help="no lunch break Monday-Thursday and Saturday (fewer windows)")
    parser.add_argument("--no-cold", action="store_true",
                        help="skip the baseline: the short budget from PyVRP's random start")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    base = kecamatan(desa=args.desa, per_desa=args.per_desa, seed=args.seed, iterations=None)
    escort = frozenset({Skill.ESCORT_DINSOS, Skill.ODGJ_EXPERIENCE})
    teams = tuple(Team(f"T{i + 1}", f"Tim {i + 1}", OFFICE,
                       skills=escort if i < 3 else frozenset()) for i in range(10))
    days = (base.days + tuple(dataclasses.replace(d, day=d.day + timedelta(weeks=1))
                              for d in base.days))[:10]
    if args.friday_break_only:
        days = tuple(d if d.day.weekday() == 4 else dataclasses.replace(d, breaks=())
                     for d in days)
    settings = [(args.seconds, "greedy"), (args.seconds * args.factor, "greedy")]
    if not args.no_cold:
        settings.append((args.seconds, "random"))
    problem = dataclasses.replace(base, teams=teams, days=days)
    runs = measure(problem, settings)
    short, long = runs[0], runs[1]
    report = {"people": len(base.people), "teams": 10, "days": 10, "seed": args.seed,
              "friday_break_only": args.friday_break_only,
              "load_avg": os.getloadavg(), "runs": runs,
              "short_vs_long_weight_pct": round(
                  100 * (long["served_weight"] - short["served_weight"])
                  / long["served_weight"], 2)}
    if len(runs) > 2:
        report["random_start_short_vs_long_weight_pct"] = round(
            100 * (long["served_weight"] - runs[2]["served_weight"]) / long["served_weight"], 2)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
