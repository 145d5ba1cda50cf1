"""`jemput simulate`: a campaign on the loaded registry, played by Jemput and by the baseline.

The campaign is built as an office would build it — three target lists from the targets
service (wajib KTP not recorded, recordable 16+ not recorded, vulnerable needing a home
visit; a person on two lists is one person), every programme and every team that serves
the area, a period of some weeks — and turned into the solver's problem by outreach's own
`build_problem`. Then the writes are **rolled back**: the simulator plays an in-memory
problem (planning/simulator.py) and needs nothing stored, so the registry, the lists and
the audit chain are as they were. The transaction is held only while the problem is built,
not while the simulation runs (a SQLite writer would otherwise block the office).
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from jemput.auth.models import User
from jemput.outreach import campaigns, resources
from jemput.outreach.models import Programme, Team
from jemput.planning import problem as p
from jemput.planning.simulator import RETRY_WEIGHT, Noise, SimulationResult, compare
from jemput.planning.solver import solve
from jemput.targets import service as targets

# The lists the issue names: not recorded wajib KTP, recordable 16+, home visits.
RULES = ("belum-rekam", "rekam-16", "kunjungan-rumah")
CATEGORIES = tuple(c.value for c in p.Category)


@dataclass(frozen=True)
class Setup:
    """What was simulated, for the report: the area, period, budget and problem size."""

    area_code: str
    starts: date
    ends: date
    seed: int
    iterations: int | None
    seconds: float
    max_days: int
    people: int
    teams: tuple[str, ...]
    programmes: tuple[str, ...]
    work_days: int
    targets_by_category: dict[str, int]


def first_monday(after: date) -> date:
    return after + timedelta(days=(7 - after.weekday()) % 7 or 7)


def build(*, session: Session, user: User, area_code: str, starts: date | None, weeks: int,
          seed: int, iterations: int | None, seconds: float
          ) -> tuple[p.PlanningProblem, date, date, list[str], list[str]]:
    """Write the lists and the campaign in `session` and return the campaign's problem.

    The caller rolls `session` back afterwards: nothing here is meant to be kept.
    """
    starts = starts or first_monday(targets.data_date(session=session))
    ends = starts + timedelta(days=7 * weeks - 1)
    list_ids = [targets.create_list(session=session, user=user, name=f"Simulasi {rule}",
                                    rule=rule, params={}, area_code=area_code).id
                for rule in RULES]
    programmes = [row for row in resources.visible(session=session, user=user, model=Programme)
                  if resources.serves_area(row.area_code, area_code)]
    teams = [row for row in resources.visible(session=session, user=user, model=Team)
             if resources.serves_area(row.area_code, area_code) and row.kits >= 1]
    campaign = campaigns.create_campaign(
        session=session, user=user, name=f"Simulasi {area_code}", area_code=area_code,
        starts=starts, ends=ends, programme_ids=[r.id for r in programmes],
        team_ids=[r.id for r in teams], list_ids=list_ids)
    problem = campaigns.build_problem(session, campaign, user=user, seed=seed,
                                      max_seconds=seconds, max_iterations=iterations)
    # The simulator draws each person's luck from the seed and their key. Members of
    # rolled-back lists get new ids on every run where the database does not reuse them
    # (PostgreSQL sequences), so the key is the resident's id: the same seed, the same luck.
    people = tuple(dataclasses.replace(person, member_id=person.resident_id)
                   for person in problem.people if person.resident_id is not None)
    assert len(people) == len(problem.people), "the lists' rules select residents only"
    problem = dataclasses.replace(problem, people=people)
    return problem, starts, ends, [r.name for r in teams], [r.name for r in programmes]


def run(problem: p.PlanningProblem, *, area_code: str, starts: date, ends: date,
        teams: list[str], programmes: list[str], seed: int, iterations: int | None,
        seconds: float, max_days: int, noise: Noise | None = None,
        retry_weight: int = RETRY_WEIGHT) -> dict[str, Any]:
    """Play the problem with Jemput's planner and the naive baseline; the report as data."""
    noise = noise or Noise()
    by_category = {c: 0 for c in CATEGORIES}
    for person in problem.people:
        by_category[person.category.value] += 1
    setup = Setup(area_code=area_code, starts=starts, ends=ends, seed=seed,
                  iterations=iterations, seconds=seconds, max_days=max_days,
                  people=len(problem.people), teams=tuple(teams),
                  programmes=tuple(programmes), work_days=len(problem.days),
                  targets_by_category={k: v for k, v in by_category.items() if v})
    began = time.perf_counter()
    ours, naive = compare(problem, solve, noise=noise, seed=seed, max_days=max_days,
                          retry_weight=retry_weight)
    wall = time.perf_counter() - began
    fewer = 100 * (1 - ours.team_days / naive.team_days) if naive.team_days else 0.0
    return {"setup": {**asdict(setup), "starts": starts.isoformat(), "ends": ends.isoformat()},
            "noise": asdict(noise), "retry_weight": retry_weight, "wall_s": round(wall, 1),
            "fewer_team_days_pct": round(fewer, 1),
            "results": [result_data(r) for r in (ours, naive)]}


def result_data(result: SimulationResult) -> dict[str, Any]:
    return {"planner": result.planner, "reached": result.reached,
            "work_days": result.work_days, "team_days": result.team_days,
            "recorded": result.recorded, "recordable": result.recordable,
            "km": round(result.metres / 1000, 1),
            "per_team_day": round(result.per_team_day, 2),
            "km_per_person": round(result.km_per_person, 2),
            "left_behind": {c: result.left_behind.get(c, 0) for c in CATEGORIES},
            "stops": result.stops,
            "log": [asdict(day) for day in result.log]}


def table(report: dict[str, Any]) -> str:
    """The comparison in words and figures (Indonesian first, English second)."""
    ours, naive = report["results"]
    setup = report["setup"]
    rows = [
        ("Hari-tim sampai 99,5 % / team-days to 99.5 %", "team_days", "{}"),
        ("Hari kerja / work days", "work_days", "{}"),
        ("Terekam / recorded", "recorded", "{}"),
        ("Dapat direkam / recordable", "recordable", "{}"),
        ("Terekam per hari-tim / recorded per team-day", "per_team_day", "{:.2f}"),
        ("Km per orang terekam / km per person", "km_per_person", "{:.2f}"),
        ("Km total / km in all", "km", "{:.1f}"),
    ]
    lines = [f"Simulasi wilayah {setup['area_code']}, {setup['starts']}–{setup['ends']}, "
             f"{setup['people']} sasaran, tim: {', '.join(setup['teams'])}; seed "
             f"{setup['seed']}, iterasi {setup['iterations']}, {setup['seconds']} s/hari.",
             "",
             "| ukuran / measure | jemput | naif / naive |", "|---|---:|---:|"]
    for label, key, fmt in rows:
        lines.append(f"| {label} | {fmt.format(ours[key])} | {fmt.format(naive[key])} |")
    for kind, label in (("sesi", "Sesi balai desa / village sessions"),
                        ("sekolah", "Sesi sekolah / school sessions"),
                        ("rumah", "Kunjungan rumah / home visits")):
        lines.append(f"| {label} | {ours['stops'].get(kind, 0)} | "
                     f"{naive['stops'].get(kind, 0)} |")
    lines.append(f"| Tercapai / reached | {'ya' if ours['reached'] else 'tidak'} | "
                 f"{'ya' if naive['reached'] else 'tidak'} |")
    lines += ["", "| kategori / category | sasaran / targets | tertinggal jemput / left "
              "(jemput) | tertinggal naif / left (naive) |", "|---|---:|---:|---:|"]
    for category, count in setup["targets_by_category"].items():
        lines.append(f"| {category} | {count} | {ours['left_behind'].get(category, 0)} | "
                     f"{naive['left_behind'].get(category, 0)} |")
    lines += ["", f"Jemput: {report['fewer_team_days_pct']:.1f} % lebih sedikit hari-tim "
              f"daripada cara naif / fewer team-days than the naive baseline "
              f"(target ≥ 30 %)."]
    return "\n".join(lines)
