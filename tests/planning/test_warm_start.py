"""The greedy start (planning.warmstart) seen through the solver's entry point.

With `max_iterations=0` PyVRP's search makes no move, so the plan returned is the start
itself: these tests hold the start to every rule check_plan derives from first principles.
"""

from __future__ import annotations

import dataclasses
import random

from jemput.planning.problem import Category, Skill, Team
from jemput.planning.solver import solve
from tests.planning.builders import OFFICE, near, person, village_problem
from tests.planning.feasibility import check_plan


def test_the_start_alone_is_a_feasible_plan_that_serves_most_of_the_weight():
    problem = village_problem(iterations=0)
    start = solve(problem)
    check_plan(problem, start)
    served = [m for r in start.routes for s in r.stops for m in s.member_ids]
    assert len(served) == len(set(served))
    assert start.served_weight > 0.6 * start.total_weight


def test_the_search_only_improves_on_the_start():
    start = solve(village_problem(iterations=0))
    searched = solve(village_problem(iterations=300))
    assert searched.served_weight >= start.served_weight


def test_the_start_gives_skilled_visits_only_to_the_skilled_team_even_when_it_comes_last():
    # The skilled team sorts last, so the unskilled teams are filled first: the start must
    # still leave the escorted ODGJ visits to it (barred edges), never hand them to others.
    problem = village_problem(iterations=0)
    skilled = frozenset({Skill.ESCORT_DINSOS, Skill.ODGJ_EXPERIENCE})
    teams = (Team("A1", "Tim A", OFFICE), Team("A2", "Tim B", OFFICE),
             Team("Z9", "Tim Z", OFFICE, skills=skilled))
    problem = dataclasses.replace(problem, teams=teams)
    start = solve(problem)
    check_plan(problem, start)
    odgj = {p.member_id for p in problem.people if skilled <= p.needs}
    placed = [r.team_key for r in start.routes for s in r.stops if odgj & set(s.member_ids)]
    assert placed and set(placed) == {"Z9"}


def test_an_over_full_day_starts_with_the_heaviest_visits():
    rng = random.Random(3)
    people = [person(i, near(rng, 0.02), can_attend=False, category=Category.DISABLED,
                     weight=10 if i <= 4 else 1) for i in range(1, 41)]
    problem = dataclasses.replace(village_problem(iterations=0), people=tuple(people),
                                  sites=(), teams=(Team("T1", "Tim 1", OFFICE),))
    start = solve(problem)
    check_plan(problem, start)
    served = {m for r in start.routes for s in r.stops for m in s.member_ids}
    assert set(range(1, 5)) <= served


def test_a_time_budget_spent_before_the_search_still_returns_the_start():
    # max_seconds covers the whole solve (ways, travel, neighbourhood): with none left for
    # the search, the plan is the greedy start, not an error from a negative budget.
    start = solve(village_problem(iterations=0))
    out_of_time = solve(dataclasses.replace(village_problem(), max_iterations=None,
                                            max_seconds=0.0))
    check_plan(village_problem(), out_of_time)
    assert out_of_time == start
