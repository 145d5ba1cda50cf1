"""The campaign simulator on a synthetic kecamatan: Jemput's planner beside the naive baseline.

Until `jemput simulate` runs on the demo regency (the outreach domain builds that
problem from the database), this plays the same simulator on a generated kecamatan with
the demo's proportions: desa spread over ~15 x 15 km around the office, their people
around the balai desa, most able to come to a session, students at two schools, some
bedridden, disabled or ODGJ at home (a few needing a Dinsos escort), three teams (one
with escort and ODGJ experience), Monday to Saturday with the Friday prayer break.

    .venv/bin/python benchmarks/simulator.py                 # writes results/simulator.json
    .venv/bin/python benchmarks/simulator.py --desa 6 --per-desa 30 --markdown
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import date
from pathlib import Path

from jemput.planning.problem import (
    Break,
    Category,
    Person,
    PlanningProblem,
    Point,
    PointSource,
    Programme,
    ProgrammeKind,
    Site,
    Skill,
    StopKind,
    Team,
    WorkDay,
)
from jemput.planning.simulator import Noise, compare, table
from jemput.planning.solver import solve
from jemput.planning.travel import Haversine

RESULTS = Path(__file__).parent / "results" / "simulator.json"
OFFICE = Point(-7.7050, 110.6010)
KM = 1 / 111.2   # degrees per km, near enough at 7 degrees south


def kecamatan(*, desa: int, per_desa: int, seed: int, iterations: int) -> PlanningProblem:
    rng = random.Random(seed)
    sites: list[Site] = []
    people: list[Person] = []
    centres = []
    for k in range(desa):
        centre = Point(OFFICE.lat + rng.uniform(-7.5, 7.5) * KM,
                       OFFICE.lng + rng.uniform(-7.5, 7.5) * KM)
        centres.append(centre)
        sites.append(Site(key=f"desa:33.06.01.{2001 + k}", kind=StopKind.SESSION,
                          name=f"Balai Desa {k + 1}", desa_code=f"33.06.01.{2001 + k}",
                          point=centre))
    schools = [Site(key=f"sekolah:2030000{i}", kind=StopKind.SCHOOL, name=f"SMA {i}",
                    desa_code=sites[i].desa_code, point=centres[i], opens=7 * 60,
                    closes=13 * 60) for i in range(min(2, desa))]
    member = 0
    for k in range(desa):
        for _ in range(per_desa):
            member += 1
            point = Point(centres[k].lat + rng.gauss(0, 1.2) * KM,
                          centres[k].lng + rng.gauss(0, 1.2) * KM)
            roll = rng.random()
            kwargs: dict = {}
            if roll < 0.03:
                category, weight, attend = Category.ODGJ, 5, False
                kwargs["needs"] = frozenset({Skill.ESCORT_DINSOS, Skill.ODGJ_EXPERIENCE})
            elif roll < 0.10:
                category, weight, attend = Category.BEDRIDDEN, 4, False
            elif roll < 0.16:
                category, weight, attend = Category.DISABLED, 3, False
            elif roll < 0.30:
                category, weight, attend = Category.STUDENT, 2, True
                if schools:
                    kwargs["institution_npsn"] = schools[member % len(schools)].key.split(":")[1]
            elif roll < 0.45:
                category, weight, attend = Category.ELDERLY, 2, True
            else:
                category, weight, attend = Category.GENERAL, 1, True
            people.append(Person(member_id=member, resident_id=member, name=f"W{member}",
                                 nik_masked="3306************", desa_code=sites[k].desa_code,
                                 point=point, point_source=PointSource.OWN, category=category,
                                 weight=weight, can_attend_session=attend, **kwargs))
    minutes = {Category.GENERAL: 12, Category.STUDENT: 12, Category.ELDERLY: 15,
               Category.DISABLED: 25, Category.BEDRIDDEN: 25, Category.ODGJ: 45}
    programmes = (
        Programme(ProgrammeKind.DOOR_TO_DOOR, minutes, 10, frozenset(range(6))),
        Programme(ProgrammeKind.MOBILE_UNIT, minutes, 30, frozenset(range(6))),
        Programme(ProgrammeKind.SCHOOL, minutes, 20, frozenset(range(5))),
    )
    monday = date(2027, 1, 4)
    friday_prayer, lunch = Break(11 * 60 + 30, 13 * 60), Break(12 * 60, 12 * 60 + 30)
    days = tuple(
        WorkDay(date.fromordinal(monday.toordinal() + i), 8 * 60,
                15 * 60 if i != 4 else 14 * 60, breaks=(friday_prayer if i == 4 else lunch,))
        for i in range(6))
    teams = (
        Team("T1", "Tim 1", OFFICE, skills=frozenset({Skill.ESCORT_DINSOS, Skill.ODGJ_EXPERIENCE})),
        Team("T2", "Tim 2", OFFICE),
        Team("T3", "Tim 3", OFFICE),
    )
    return PlanningProblem(days=days, teams=teams, programmes=programmes, people=tuple(people),
                           sites=tuple(sites + schools), travel=Haversine(), seed=seed,
                           max_iterations=iterations)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--desa", type=int, default=12)
    parser.add_argument("--per-desa", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=500)
    parser.add_argument("--max-days", type=int, default=60)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    problem = kecamatan(desa=args.desa, per_desa=args.per_desa, seed=args.seed,
                        iterations=args.iterations)
    started = time.perf_counter()
    ours, naive = compare(problem, solve, noise=Noise(), seed=args.seed,
                          max_days=args.max_days)
    wall = time.perf_counter() - started
    fewer = 100 * (1 - ours.team_days / naive.team_days) if naive.team_days else 0.0
    report = {
        "desa": args.desa, "people": len(problem.people), "teams": len(problem.teams),
        "seed": args.seed, "iterations": args.iterations, "noise": vars(Noise()),
        "wall_s": round(wall, 1), "fewer_team_days_pct": round(fewer, 1),
        "results": [{"planner": r.planner, "reached": r.reached, "work_days": r.work_days,
                     "team_days": r.team_days, "recorded": r.recorded,
                     "recordable": r.recordable, "per_team_day": round(r.per_team_day, 2),
                     "km_per_person": round(r.km_per_person, 2),
                     "left_behind": r.left_behind} for r in (ours, naive)],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    if args.markdown:
        print(table((ours, naive)))
        print(f"\nJemput: {fewer:.1f} % fewer team-days than the naive baseline "
              f"({len(problem.people)} people, {args.desa} desa, seed {args.seed}, "
              f"{wall:.0f} s).")


if __name__ == "__main__":
    main()
