"""Person.deadline: a pemula who must be recorded before an election is planned on a day on
or before it, or left out with the date in the reason."""

from __future__ import annotations

import dataclasses
import random
from datetime import date

from jemput.planning.problem import (
    PlanningProblem,
    Site,
    StopKind,
    Team,
    WorkDay,
)
from jemput.planning.solver import solve
from jemput.planning.travel import Haversine
from tests.planning.builders import FRIDAY, HOME, MOBILE, OFFICE, SATURDAY, near, person
from tests.planning.feasibility import check_plan

THURSDAY = date(2026, 12, 3)


def problem_of(people, *, days, programmes=(HOME,), sites=()) -> PlanningProblem:
    return PlanningProblem(days=days, teams=(Team("T1", "Tim 1", OFFICE),),
                           programmes=programmes, people=tuple(people), sites=tuple(sites),
                           travel=Haversine(), seed=1, max_iterations=300)


def day_of(plan, member_id: int) -> date:
    return next(r.day for r in plan.routes for s in r.stops if member_id in s.member_ids)


def test_a_pemula_is_visited_by_their_deadline_even_when_others_weigh_more():
    rng = random.Random(3)
    # Friday holds about two visits; Saturday the rest. Without the deadline the heavier
    # neighbours would take Friday (earlier days cost less) and the pemula go on Saturday.
    pemula = dataclasses.replace(person(1, near(rng, 0.01), can_attend=False),
                                 deadline=FRIDAY)
    heavier = [person(i, near(rng, 0.01), can_attend=False, weight=8) for i in range(2, 5)]
    days = (WorkDay(FRIDAY, 8 * 60, 9 * 60), WorkDay(SATURDAY, 8 * 60, 12 * 60))
    problem = problem_of([pemula, *heavier], days=days)
    plan = solve(problem)
    check_plan(problem, plan)
    assert day_of(plan, 1) == FRIDAY
    assert not plan.left_out


def test_a_pemula_whose_deadline_comes_before_any_work_day_is_left_out_with_the_date():
    rng = random.Random(4)
    late = dataclasses.replace(person(1, near(rng), can_attend=False), deadline=THURSDAY)
    problem = problem_of([late, person(2, near(rng), can_attend=False)],
                         days=(WorkDay(FRIDAY, 8 * 60, 16 * 60),))
    plan = solve(problem)
    check_plan(problem, plan)
    (left,) = plan.left_out
    assert left.member_id == 1
    assert left.reason == ("tidak ada hari kerja untuk kunjungan rumah sampai batas waktunya "
                           "03-12-2026 (pemula: harus direkam sebelum hari itu)")


def test_a_session_keeps_pemula_to_their_date_without_holding_the_others_to_it():
    rng = random.Random(5)
    balai = Site(key="desa:D0", kind=StopKind.SESSION, name="Balai Desa 0", desa_code="D0",
                 point=near(rng, 0.01))
    pemula = [dataclasses.replace(person(i, near(rng, 0.01)), deadline=FRIDAY)
              for i in (1, 2)]
    others = [person(i, near(rng, 0.01), weight=3) for i in (3, 4)]
    monday = date(2026, 12, 7)
    # The mobile unit runs Monday-Friday: Friday is the pemula's only day.
    days = (WorkDay(FRIDAY, 8 * 60, 16 * 60), WorkDay(monday, 8 * 60, 15 * 60))
    problem = problem_of([*pemula, *others], days=days, programmes=(MOBILE, HOME),
                         sites=(balai,))
    plan = solve(problem)
    check_plan(problem, plan)
    sessions = [(r.day, set(s.member_ids)) for r in plan.routes for s in r.stops
                if s.kind == StopKind.SESSION]
    assert (FRIDAY, {1, 2}) in sessions          # their own session, by their date
    assert any(members == {3, 4} for _, members in sessions)
    assert not plan.left_out
