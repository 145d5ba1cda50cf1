"""The issue's regency-scale plan on the loaded demo regency: 10 teams, 10 field days.

The problem is built as `jemput simulate` builds it (outreach/simulation.py): three target
lists of the whole regency (33.06) from the targets service, a campaign with every demo
programme and every team serving the regency, turned into the solver's problem by
outreach's `build_problem`. The demo's `outreach.toml` has two regency teams (Tim 1, Tim 2;
Tim Grabag serves one kecamatan only), so eight kecamatan teams are added, each based at
its kecamatan's point (the kecamatan office), and the office's kit count is raised to 10.
**All of it is written in one transaction that is rolled back** once the problem is built.
The first 10 work days of the two-week campaign are kept.

Then `planner_scale.measure` solves it: B seconds from the greedy start, 10 x B from the
same start, B from PyVRP's random start (the baseline), and the setup alone
(`max_iterations=0`). The budget covers the whole solve, setup included (solver.py).

    export JEMPUT_ENVIRONMENT=development JEMPUT_DATABASE_URL=sqlite:///full.sqlite ...
    jemput demo load --scale 1.0 && jemput users create-demo
    .venv/bin/python benchmarks/planner_demo.py --seconds 55
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import os
import pickle
import sys
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).parent))

from planner_scale import measure

from jemput.auth.models import User
from jemput.db import get_engine
from jemput.outreach import settings_file, simulation
from jemput.planning.problem import PlanningProblem
from jemput.regions.models import Region
from jemput.residents.models import Resident

RESULTS = Path(__file__).parent / "results" / "planner_demo.json"
DEMO_SETTINGS = Path(__file__).parent.parent / "src" / "jemput" / "demo" / "data" / "outreach.toml"
AREA = "33.06"
# The eight added teams, in kecamatan code order from the second (Grabag has its own):
# two with a Dinsos escort and ODGJ experience, two with a Puskesmas escort, four plain.
EXTRA_SKILLS = (["pendamping_dinsos", "pengalaman_odgj"], ["pendamping_puskesmas"], [], [],
                ["pendamping_dinsos", "pengalaman_odgj"], ["pendamping_puskesmas"], [], [])


def settings(session: Session) -> dict:
    """The demo settings with 10 kits and eight kecamatan teams added."""
    data = copy.deepcopy(settings_file.read_file(DEMO_SETTINGS))
    data["calendar"]["kits"] = 10
    kecamatan = list(session.scalars(select(Region).where(
        Region.level == "kecamatan", Region.code.like(AREA + ".%")).order_by(Region.code)))
    spread = kecamatan[1::2] + kecamatan[2::2]   # every other kecamatan first
    for skills, region in zip(EXTRA_SKILLS, spread, strict=False):
        # The demo's kecamatan have no point of their own: the middle of their desa's.
        lat, lng = session.execute(select(func.avg(Region.latitude), func.avg(Region.longitude))
                                   .where(Region.code.like(region.code + ".%"))).one()
        data["teams"].append({"name": f"Tim Kecamatan {region.name}", "area": AREA,
                              "members": [], "skills": skills, "kits": 1,
                              "base_name": f"Kantor Kecamatan {region.name}",
                              "base": [round(lat, 5), round(lng, 5)]})
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=55.0)
    parser.add_argument("--factor", type=float, default=10.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--user", default="demo-operator")
    parser.add_argument("--only", choices=("short", "long", "random", "setup"), nargs="*",
                        help="run only these (default: all four)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--cache", type=Path,
                        help="keep the built problem in this pickle and reuse it")
    args = parser.parse_args()

    began = time.perf_counter()
    if args.cache and args.cache.exists():
        # Only a file this script wrote itself.
        residents, problem, teams = pickle.loads(args.cache.read_bytes())  # noqa: S301
    else:
        residents, problem, teams = build(args)
        if args.cache:
            args.cache.write_bytes(pickle.dumps((residents, problem, teams)))
    build_s = time.perf_counter() - began
    days = tuple(sorted(problem.days, key=lambda d: d.day))[:10]
    problem = dataclasses.replace(problem, days=days)
    print(f"problem built in {build_s:.0f} s: {len(problem.people)} people, "
          f"{len(problem.teams)} teams, {len(days)} days", file=sys.stderr)
    run(args, residents, problem, teams, build_s, days)


def build(args: argparse.Namespace) -> tuple[int, PlanningProblem, list[str]]:
    with Session(get_engine()) as session:
        try:
            residents = session.scalar(select(func.count()).select_from(Resident))
            user = session.scalars(select(User).where(User.username == args.user)).one()
            settings_file.load_settings(session=session, user=user, data=settings(session))
            problem, _starts, _ends, teams, _ = simulation.build(
                session=session, user=user, area_code=AREA, starts=None, weeks=2,
                seed=args.seed, iterations=None, seconds=args.seconds)
        finally:
            session.rollback()
    return residents or 0, problem, teams


def run(args: argparse.Namespace, residents: int, problem: PlanningProblem, teams: list[str],
        build_s: float, days: tuple) -> None:
    wanted = args.only or ["short", "long", "random", "setup"]
    plan = {"short": (args.seconds, "greedy"), "long": (args.seconds * args.factor, "greedy"),
            "random": (args.seconds, "random"), "setup": (0.0, "setup")}
    runs = measure(problem, [plan[name] for name in wanted])
    by_name = dict(zip(wanted, runs, strict=True))
    report = {"residents": residents, "area": AREA, "people": len(problem.people),
              "total_weight": sum(p.weight for p in problem.people),
              "by_category": dict(Counter(p.category.value for p in problem.people)),
              "sites": len(problem.sites), "teams": teams,
              "days": [d.day.isoformat() for d in days], "seed": args.seed,
              "build_problem_s": round(build_s, 1), "cpu_count": os.cpu_count(),
              "runs": by_name}
    if "short" in by_name and "long" in by_name:
        long = by_name["long"]["served_weight"]
        report["short_vs_long_weight_pct"] = round(
            100 * (long - by_name["short"]["served_weight"]) / long, 2)
        if "random" in by_name:
            report["random_start_short_vs_long_weight_pct"] = round(
                100 * (long - by_name["random"]["served_weight"]) / long, 2)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: v for k, v in report.items() if k != "runs"}, indent=2))


if __name__ == "__main__":
    main()
