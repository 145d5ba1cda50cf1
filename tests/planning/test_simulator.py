"""The simulator: the naive baseline and the day-by-day play, on a small campaign."""

from __future__ import annotations

import dataclasses

from jemput.planning.problem import StopKind
from jemput.planning.simulator import Noise, compare, naive_plan, simulate, table
from jemput.planning.solver import solve
from tests.planning.builders import village_problem
from tests.planning.feasibility import check_plan


def test_naive_plan_visits_everyone_at_home_desa_by_desa_and_is_feasible():
    problem = village_problem()
    plan = naive_plan(problem)
    check_plan(problem, plan)
    stops = [s for r in plan.routes for s in r.stops]
    assert {s.kind for s in stops} == {StopKind.HOME}
    people = {p.member_id: p for p in problem.people}
    first_route = plan.routes[0]
    desa = [people[s.member_ids[0]].desa_code for s in first_route.stops]
    assert desa == sorted(desa)          # village by village, in code order


def test_a_perfect_field_records_everyone_the_planner_can_reach():
    problem = village_problem(iterations=200)
    calm = Noise(home_presence=1.0, session_presence=1.0, refusal=0.0, travel_sigma=0.0)
    result = simulate(problem, solve, name="jemput", noise=calm, seed=1, max_days=20)
    assert result.reached
    assert result.recorded == result.recordable == len(problem.people)
    assert result.left_behind == {}
    assert sum(d.recorded for d in result.log) == result.recorded
    assert sum(d.team_days for d in result.log) == result.team_days


def test_the_same_seed_plays_the_same_campaign():
    problem = village_problem(iterations=150)
    first = simulate(problem, solve, name="jemput", seed=3, max_days=15)
    again = simulate(problem, solve, name="jemput", seed=3, max_days=15)
    assert first == again and first.log == again.log


def test_jemput_needs_fewer_team_days_than_the_naive_baseline_with_the_same_luck():
    problem = village_problem(iterations=300)
    ours, naive = compare(problem, solve, seed=1, max_days=40)
    assert ours.reached and naive.reached
    assert ours.recordable == naive.recordable           # the same refusals
    assert ours.team_days < naive.team_days
    assert ours.km_per_person < naive.km_per_person
    assert "jemput" in table((ours, naive)) and "naive" in table((ours, naive))


def test_people_left_behind_are_counted_by_category_when_days_run_out():
    problem = village_problem(iterations=100)
    result = simulate(dataclasses.replace(problem, teams=problem.teams[:1]), solve,
                      name="jemput", seed=1, max_days=1)
    assert not result.reached
    assert sum(result.left_behind.values()) == result.recordable - result.recorded


def test_retry_rules_send_no_shows_home_and_households_to_the_other_half_of_the_day():
    from jemput.planning.simulator import retry

    problem = village_problem()
    someone = next(p for p in problem.people if p.can_attend_session)
    assert not retry(someone, at_session=True, attempted_at=9 * 60).can_attend_session
    assert retry(someone, at_session=True, attempted_at=9 * 60, no_shows=1,
                 no_shows_before_home=2) == someone
    morning = retry(someone, at_session=False, attempted_at=9 * 60)
    assert (morning.visit_after, morning.visit_before) == (12 * 60, None)
    afternoon = retry(someone, at_session=False, attempted_at=14 * 60)
    assert (afternoon.visit_after, afternoon.visit_before) == (None, 12 * 60)
