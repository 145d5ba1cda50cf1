"""Small planning problems built from the real dataclasses, for the solver tests."""

from __future__ import annotations

import random
from datetime import date

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
from jemput.planning.travel import Haversine

OFFICE = Point(-7.7000, 110.6000)
FRIDAY = date(2026, 12, 4)
SATURDAY = date(2026, 12, 5)
MONDAY = date(2026, 12, 7)
PRAYER = Break(11 * 60 + 30, 13 * 60)

HOME = Programme(ProgrammeKind.DOOR_TO_DOOR, {Category.GENERAL: 12, Category.DISABLED: 25,
                 Category.ODGJ: 45}, setup_minutes=10, weekdays=frozenset({4, 5}))
MOBILE = Programme(ProgrammeKind.MOBILE_UNIT, {Category.GENERAL: 12, Category.ELDERLY: 15},
                   setup_minutes=30, weekdays=frozenset({0, 1, 2, 3, 4}), session_max_minutes=120)
SCHOOL = Programme(ProgrammeKind.SCHOOL, {Category.STUDENT: 10}, setup_minutes=20,
                   weekdays=frozenset({0, 1, 2, 3, 4}))


def person(member_id: int, point: Point, *, desa: str = "D0", weight: int = 1,
           can_attend: bool = True, category: Category = Category.GENERAL,
           needs: frozenset[Skill] = frozenset(), npsn: str | None = None) -> Person:
    return Person(member_id=member_id, resident_id=member_id, name=f"Warga {member_id}",
                  nik_masked="3306************", desa_code=desa, point=point,
                  point_source=PointSource.OWN, category=category, weight=weight,
                  can_attend_session=can_attend, needs=needs, institution_npsn=npsn)


def near(rng: random.Random, spread: float = 0.04) -> Point:
    return Point(round(OFFICE.lat + rng.uniform(-spread, spread), 5),
                 round(OFFICE.lng + rng.uniform(-spread, spread), 5))


def village_problem(*, seed: int = 1, iterations: int = 400) -> PlanningProblem:
    """Five desa, a school, home visits needing escorts, a Friday with its prayer break."""
    rng = random.Random(7)
    people = []
    for i in range(1, 61):
        desa = f"D{i % 5}"
        if i % 10 == 0:
            people.append(person(i, near(rng), desa=desa, weight=5, can_attend=False,
                                 category=Category.ODGJ,
                                 needs=frozenset({Skill.ESCORT_DINSOS, Skill.ODGJ_EXPERIENCE})))
        elif i % 4 == 0:
            people.append(person(i, near(rng), desa=desa, weight=3, can_attend=False,
                                 category=Category.DISABLED))
        elif i % 7 == 0:
            people.append(person(i, near(rng), desa=desa, weight=2, category=Category.STUDENT,
                                 npsn="20300001"))
        elif i % 9 == 0:
            people.append(person(i, near(rng), desa=desa, needs=frozenset({Skill.SIGN_LANGUAGE})))
        else:
            people.append(person(i, near(rng), desa=desa,
                                 category=Category.ELDERLY if i % 3 == 0 else Category.GENERAL))
    sites = [Site(key=f"desa:D{k}", kind=StopKind.SESSION, name=f"Balai Desa {k}",
                  desa_code=f"D{k}", point=near(rng)) for k in range(5)]
    sites.append(Site(key="sekolah:20300001", kind=StopKind.SCHOOL, name="SMA 1",
                      desa_code="D1", point=near(rng), opens=7 * 60 + 30, closes=12 * 60))
    teams = (
        Team("T1", "Tim 1", OFFICE, skills=frozenset({Skill.ESCORT_DINSOS, Skill.ODGJ_EXPERIENCE})),
        Team("T2", "Tim 2", OFFICE, skills=frozenset({Skill.SIGN_LANGUAGE})),
        Team("T3", "Tim 3", near(rng), days=frozenset({SATURDAY, MONDAY})),
    )
    days = (
        WorkDay(FRIDAY, 8 * 60, 16 * 60, breaks=(PRAYER,)),
        WorkDay(SATURDAY, 8 * 60, 12 * 60),
        WorkDay(MONDAY, 8 * 60, 15 * 60, breaks=(Break(12 * 60, 12 * 60 + 30),)),
    )
    return PlanningProblem(days=days, teams=teams, programmes=(HOME, MOBILE, SCHOOL),
                           people=tuple(people), sites=tuple(sites), travel=Haversine(),
                           seed=seed, max_iterations=iterations)
