"""Checks a Plan against its PlanningProblem from first principles (no solver code used).

Every rule is re-derived here from the problem's own data: the travel matrix the problem
carries, office and school hours, breaks, programmes' days and service times, skills.
"""

from __future__ import annotations

from jemput.planning.problem import (
    Category,
    Plan,
    PlanningProblem,
    Point,
    Programme,
    ProgrammeKind,
    StopKind,
)

ROUNDING_S = 60  # times are whole minutes, travel is in seconds


def programme(problem: PlanningProblem, kind: ProgrammeKind) -> Programme | None:
    return next((p for p in problem.programmes if p.kind == kind), None)


def minutes(prog: Programme, category: Category) -> int:
    return prog.service_minutes.get(category, prog.service_minutes.get(Category.GENERAL, 12))


def check_plan(problem: PlanningProblem, plan: Plan) -> None:
    people = {p.member_id: p for p in problem.people}
    days = {d.day: d for d in problem.days}
    teams = {t.key: t for t in problem.teams}
    sites = {s.key: s for s in problem.sites}
    seen: list[int] = []
    for route in plan.routes:
        day, team = days[route.day], teams[route.team_key]
        assert team.kits >= 1
        assert team.days is None or route.day in team.days
        assert day.starts <= route.leaves and route.returns <= day.ends
        where: Point = team.base
        clock = route.leaves * 60
        for stop in route.stops:
            assert stop.point is not None
            _, secs = problem.travel([where, stop.point])
            # On time: the team can get here from its last place before it starts.
            assert stop.arrives * 60 + ROUNDING_S > clock + secs[0][1], (route, stop)
            assert stop.arrives >= day.starts
            for brk in day.breaks:
                assert stop.departs <= brk.starts or stop.arrives >= brk.ends, (stop, brk)
            members = [people[m] for m in stop.member_ids]
            assert members
            # A pemula's deadline: recorded on or before it.
            assert all(p.deadline is None or route.day <= p.deadline for p in members), stop
            needs = frozenset().union(*(p.needs for p in members))
            assert needs <= team.skills, (stop, team)
            assert stop.escort == needs
            if stop.kind == StopKind.HOME:
                assert len(members) == 1
                prog = programme(problem, ProgrammeKind.DOOR_TO_DOOR) or programme(
                    problem, ProgrammeKind.MOBILE_UNIT)
                assert stop.point == members[0].point
                after, before = members[0].visit_after, members[0].visit_before
                assert after is None or stop.arrives >= after
                assert before is None or stop.departs <= before
            else:
                site = sites[stop.site_key]
                assert site.kind == stop.kind and stop.point == site.point
                assert all(p.can_attend_session for p in members)
                if stop.kind == StopKind.SCHOOL:
                    prog = programme(problem, ProgrammeKind.SCHOOL)
                    assert all(site.key == f"sekolah:{p.institution_npsn}" for p in members)
                    assert site.opens is None or stop.arrives >= site.opens
                    assert site.closes is None or stop.departs <= site.closes
                else:
                    prog = programme(problem, ProgrammeKind.MOBILE_UNIT)
                    assert all(p.desa_code == site.desa_code for p in members)
            assert prog is not None
            assert prog.kind in day.programmes and route.day.weekday() in prog.weekdays
            setup = prog.setup_minutes
            assert stop.departs - stop.arrives == setup + sum(
                minutes(prog, p.category) for p in members), stop
            seen.extend(stop.member_ids)
            where, clock = stop.point, stop.departs * 60
        _, secs = problem.travel([where, team.base])
        assert clock + secs[0][1] <= day.ends * 60 + ROUNDING_S
    assert len(seen) == len(set(seen)), "somebody is planned twice"
    left = [lo.member_id for lo in plan.left_out]
    assert set(seen).isdisjoint(left)
    assert set(seen) | set(left) == set(people)
    assert all(lo.reason for lo in plan.left_out)
    assert plan.served_weight == sum(people[m].weight for m in seen)
    assert plan.total_weight == sum(p.weight for p in problem.people)
