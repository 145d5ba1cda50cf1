"""The planner: a PlanningProblem becomes a Plan, solved by PyVRP.

How the rules of the field are expressed in PyVRP's model (each decision once, here):

* **Time line.** Every work day is placed on one absolute line in seconds:
  calendar days since the campaign's first day x 86,400 + seconds since midnight. One
  solver run thus plans the whole period, and a stop's time window can say which days
  (and which hours of them) it may be served on.
* **Teams and days.** Each (team, work day) is a vehicle type with `num_available=1`
  whose shift window is that day's office hours, starting and ending at the depot of the
  team's base. A team without a recording kit gets no vehicle; a team with `days` gets
  vehicles on those days only.
* **Stops.** ways.py decides who is served how (school session, balai desa session,
  home visit) and splits sessions into stops; a stop's service time is the programme's
  setup time plus each person's service time by category.
* **Prize-collecting.** Every stop is an optional client whose prize is its people's
  summed weight x PRIZE_PER_WEIGHT. PyVRP minimises distance + fixed team-day costs +
  uncollected prizes; a weight unit is worth more driving than one day can hold, so the
  plan first serves the most weight, then uses the fewest and earliest team-days, and
  only then drives the least.
* **Scarce skills first (off).** A stop only some teams can serve (an ODGJ visit needing
  the one team with ODGJ experience) can be made worth more than its people's weight:
  its prize x `scarcity_factor` of the share of the stop's team-days that can serve it,
  so those teams do not leave the visits only they can make for the end of the campaign.
  Measured with `jemput simulate` on the full-scale demo it did not pay (+4 team-days
  alone on Ngombol seed 2; benchmarks/README.md), so SCARCITY is 0. The plan's
  `served_weight` is the people's own weight either way.
* **Alternative days, nobody twice.** A stop that may be served in several disjoint
  windows (before / after a break, on non-consecutive days) becomes one client per
  window, joined in a mutually exclusive client group (`required=False`): at most one of
  them is visited, so its people are planned once at most.
* **Deadlines.** A pemula who must be recorded before an election (Person.deadline) has
  windows only on work days up to it (ways.py); sessions group people by deadline, so a
  pemula's session is held to the date and nobody else's is. Left out, the reason names
  the date.
* **Breaks (Friday prayer).** A stop's windows end `service` minutes before each break
  and open again when it ends, so no service overlaps a break. The team may drive or
  wait during the break (going to the mosque near the next stop); what is never planned
  in it is work at a stop.
* **Skills and escorts.** One routing profile per distinct (barred locations, speed) of
  the teams.
  A stop needing skills gets its own location (even at a shared point); in the profile
  of teams lacking any of those skills, every edge to and from that location is
  UNREACHABLE_*, so visiting it can never pay off, and the extraction below double-checks.
* **Start.** PyVRP's search starts from warmstart.py's greedy plan (each team-day filled
  by weight per minute), not from its random one: on an over-full campaign the random
  start cost a 60 s run 12 % of the weight a 600 s run served; from the greedy start the
  gap is under 1 % (benchmarks/README.md). The greedy start is deterministic too.
* **Why copies, not one window.** PyVRP has one time window per client and no driver
  breaks (PyVRP issues #352, #415, #671), so a break is expressed through the copies
  above; a team-day cannot be cut into a morning and an afternoon vehicle either, since
  each PyVRP route starts and ends at a depot (the team would drive back at noon).
* **Determinism.** Everything handed to PyVRP is built in sorted order (never set or
  dict-of-set order, which varies with PYTHONHASHSEED); with `max_iterations` the run
  stops after that many iterations, so the same seed gives the same plan.
* **Budget.** `max_seconds` is the whole solve's: the ways, the travel matrix, the greedy
  start and PyVRP's granular neighbourhood are timed, and the search gets what is left
  (`MaxRuntime` starts its clock only when the search starts). On a regency-scale problem
  the setup took 5-34 s that a budget given to the search alone did not count
  (benchmarks/README.md). A budget spent before the search still returns a plan: the
  search then makes one pass from the greedy start.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyvrp
from pyvrp import (
    Client,
    ClientGroup,
    Depot,
    IteratedLocalSearch,
    Location,
    PenaltyManager,
    ProblemData,
    RandomNumberGenerator,
    Result,
    Solution,
    VehicleType,
)
from pyvrp.exceptions import PenaltyBoundWarning
from pyvrp.search import LocalSearch, PerturbationManager, compute_neighbours
from pyvrp.solve import SolveParams
from pyvrp.stop import MaxIterations, MaxRuntime

from jemput.planning import reasons
from jemput.planning.problem import (
    LeftOut,
    Plan,
    PlannedStop,
    PlanningProblem,
    Point,
    Route,
    Skill,
    Team,
    WorkDay,
)
from jemput.planning.warmstart import greedy_solution
from jemput.planning.ways import Way, day_offset, merged_windows, plan_ways

PRIZE_PER_WEIGHT = 1_000_000   # metres of driving one unit of weight is worth (1,000 km)
# Sending a team out costs as much as 20 km of driving, and each later day 5 km more:
# among plans serving the same people, the one with fewer team-days, done sooner, wins.
# Without the "sooner", a plan replanned every day (simulator, replan) could push the
# same visits to tomorrow forever. Both stay far below one person's prize.
TEAM_DAY_COST = 20_000
LATER_DAY_COST = 5_000
# A barred edge (a team lacking a stop's skill): 10 million km and 115 days. Far more than
# any stop's prize and any shift, so visiting never pays and is never feasible; yet small
# enough that PyVRP's penalised sums (time warp x penalty) cannot overflow int64. With
# PyVRP's own MAX_VALUE (2^44) here, a 3,000-person search looped forever: the sums
# wrapped round and every move looked like an improvement.
# Scarce skills: a stop that a share s of its team-days can serve gets its prize x
# (1 + SCARCITY x (1/s - 1)), at most x SCARCITY_CAP (x1.5 at SCARCITY 0.5 when half
# the team-days can serve it, x2 for a third). OFF (0): measured on the full-scale demo
# with `jemput simulate`, 0.5 cost 4 more team-days on Ngombol seed 2 (290 against 286);
# with the retry weight too, -1 to +5 team-days over four runs (benchmarks/README.md).
# Kept so an office's case can be re-measured.
SCARCITY = 0.0
SCARCITY_CAP = 3.0
UNREACHABLE_METRES = 10**10
UNREACHABLE_SECONDS = 10**7


@dataclass(frozen=True)
class _Vehicle:
    team: Team
    day_index: int
    profile: int


def solve(problem: PlanningProblem) -> Plan:
    """Plan routes for every (team, work day) that serve the most weighted people.

    Parameters
    ----------
    problem
        The campaign in plain data (problem.py). `seed` and `max_iterations` make the
        result reproducible; without `max_iterations` the run stops after `max_seconds`.

    Returns
    -------
    Plan
        Routes (one per team and day that has stops), the people left out with a reason in
        Indonesian, and the served and total weight.
    """
    started = time.perf_counter()
    days = tuple(sorted(problem.days, key=lambda d: d.day))
    total = sum(p.weight for p in problem.people)
    ways, unserved = plan_ways(problem)
    left: dict[int, str] = {p.member_id: reason for p, reason in unserved}

    teams = [t for t in sorted(problem.teams, key=lambda t: t.key) if t.kits >= 1]
    if not teams:
        for way in ways:
            for person in way.people:
                left[person.member_id] = reasons.NO_KIT
        return _plan(problem, [], left, total)

    # Locations: team bases first, then one per (point, needs) of the stops.
    loc_index: dict[tuple[Point, tuple[Skill, ...]], int] = {}
    for team in teams:
        loc_index.setdefault((team.base, ()), len(loc_index))
    for way in ways:
        loc_index.setdefault((way.point, tuple(sorted(way.needs))), len(loc_index))
    unique_points = sorted({point for point, _ in loc_index}, key=lambda p: (p.lat, p.lng))
    point_row = {p: i for i, p in enumerate(unique_points)}
    metres, seconds = problem.travel(unique_points)
    rows = np.array([point_row[point] for point, _ in loc_index], dtype=np.int64)
    base_dist = np.asarray(metres, dtype=np.int64)[np.ix_(rows, rows)]
    base_dur = np.asarray(seconds, dtype=np.int64)[np.ix_(rows, rows)]
    loc_needs = [frozenset(needs) for _, needs in loc_index]

    # Profiles: one per distinct (locations barred, speed) of the teams that can record.
    # Teams whose skills differ only in what no stop needs share one: each profile is two
    # full matrices, and PyVRP's setup grows with their number.
    def profile_key(team: Team) -> tuple[tuple[int, ...], float]:
        barred = tuple(i for i, needs in enumerate(loc_needs) if not needs <= team.skills)
        return barred, team.speed_kmh or 0.0

    profile_keys = sorted({profile_key(t) for t in teams})
    profile_of = {key: i for i, key in enumerate(profile_keys)}
    team_profile = {team.key: profile_of[profile_key(team)] for team in teams}
    vehicles = [
        _Vehicle(team, index, team_profile[team.key])
        for index, day in enumerate(days)
        for team in teams
        if team.days is None or day.day in team.days
    ]

    distances, durations = [], []
    for barred_locs, speed in profile_keys:
        dist, dur = base_dist.copy(), base_dur.copy()
        if speed and hasattr(problem.travel, "speed_kmh"):
            # The travel model's durations are at its own speed; this vehicle's differ.
            dur = np.rint(dur * (problem.travel.speed_kmh / speed)).astype(np.int64)
        barred = list(barred_locs)
        dist[barred, :] = UNREACHABLE_METRES
        dist[:, barred] = UNREACHABLE_METRES
        dur[barred, :] = UNREACHABLE_SECONDS
        dur[:, barred] = UNREACHABLE_SECONDS
        np.fill_diagonal(dist, 0)
        np.fill_diagonal(dur, 0)
        distances.append(dist)
        durations.append(dur)

    base_of = {team.key: loc_index[(team.base, ())] for team in teams}
    # Which stops can be served at all, and why not.
    clients: list[Client] = []
    groups: list[ClientGroup] = []
    client_way: list[Way] = []
    client_stop: list[int] = []   # which stop (way) each client is a copy of
    for way_index, way in enumerate(ways):
        loc = loc_index[(way.point, tuple(sorted(way.needs)))]
        reason = _why_unservable(way, loc, teams, vehicles, days, durations, base_of)
        if reason:
            for person in way.people:
                left[person.member_id] = reason
            continue
        windows = merged_windows(way, days)
        group = len(groups) if len(windows) > 1 else None
        first = len(clients)
        prize = round(way.weight * PRIZE_PER_WEIGHT
                      * scarcity_factor(capable_share(way, vehicles)))
        for early, late in windows:
            clients.append(Client(location=loc, service_duration=way.service_minutes * 60,
                                  tw_early=early, tw_late=late, prize=prize, required=False,
                                  group=group))
            client_way.append(way)
            client_stop.append(way_index)
        if group is not None:
            groups.append(ClientGroup(list(range(first, len(clients))), required=False))

    if not clients or not vehicles:
        for way in ways:
            for person in way.people:
                left.setdefault(person.member_id, _no_time(person.deadline))
        return _plan(problem, [], left, total)

    depot_of = {team.key: i for i, team in enumerate(teams)}
    depots = [Depot(location=loc_index[(team.base, ())]) for team in teams]
    vehicle_types = []
    for v in vehicles:
        day, offset = days[v.day_index], day_offset(days, v.day_index)
        vehicle_types.append(VehicleType(
            num_available=1, start_depot=depot_of[v.team.key], end_depot=depot_of[v.team.key],
            tw_early=offset + day.starts * 60, tw_late=offset + day.ends * 60,
            fixed_cost=TEAM_DAY_COST + LATER_DAY_COST * v.day_index,
            profile=v.profile, name=f"{v.team.key}@{day.day.isoformat()}"))
    locations = [Location(x=point.lng, y=point.lat) for point, _ in loc_index]
    # PyVRP's stubs type matrices as ndarray[int]; these are int64 ndarrays as it wants.
    data = ProblemData(locations, clients, depots, vehicle_types,
                       distances, durations, groups)  # type: ignore[arg-type]

    with warnings.catch_warnings(record=True) as caught:
        # PyVRP warns when its time-warp penalty hits its ceiling on a crowded problem; the
        # plan it returns is still its best *feasible* one, so the warning becomes a note.
        warnings.simplefilter("always", PenaltyBoundWarning)
        start = greedy_solution(data, client_stop, UNREACHABLE_SECONDS)
        result = _search(data, start, problem, started)

    routes: list[Route] = []
    served: set[int] = set()
    notes: list[str] = []
    if any(issubclass(w.category, PenaltyBoundWarning) for w in caught):
        notes.append("pencarian sulit: batas penalti PyVRP tercapai (rencana tetap layak)")
    for route in result.best.routes():
        vehicle = vehicles[route.vehicle_type()]
        visits = [a for a in route.schedule() if a.is_client()]
        allowed = all(client_way[a.idx].needs <= vehicle.team.skills for a in visits)
        if not route.is_feasible() or not allowed:
            # Never expected (PyVRP keeps the best *feasible* solution); if it happens the
            # route is dropped whole rather than handed to a team half-broken.
            notes.append(f"rute {vehicle.team.key} {days[vehicle.day_index].day} dibuang")
            for a in visits:
                for person in client_way[a.idx].people:
                    left[person.member_id] = reasons.SOLVER_DROPPED
            continue
        routes.append(_route(route, visits, vehicle, days, client_way, clients, base_dist,
                             base_of[vehicle.team.key]))
        served.update(m for a in visits for m in client_way[a.idx].member_ids)

    for way in ways:
        for person in way.people:
            if person.member_id not in served:
                left.setdefault(person.member_id, _no_time(person.deadline))
    return _plan(problem, routes, left, total, notes)


def _no_time(deadline: date | None) -> str:
    return reasons.NO_TIME if deadline is None else reasons.no_time_before(deadline)


def capable_share(way: Way, vehicles: list[_Vehicle]) -> float:
    """Of the team-days on the stop's days, the share whose team has what it needs."""
    on_days = [v for v in vehicles if v.day_index in way.day_windows]
    if not way.needs or not on_days:
        return 1.0
    return sum(way.needs <= v.team.skills for v in on_days) / len(on_days)


def scarcity_factor(share: float) -> float:
    """How much more a stop is worth when only `share` of the team-days can serve it."""
    if share <= 0:
        return 1.0   # nobody can: _why_unservable has left it out already
    return min(SCARCITY_CAP, 1 + SCARCITY * (1 / share - 1))


def _search(data: ProblemData, start: Solution | None, problem: PlanningProblem,
            started: float) -> Result:
    """PyVRP's iterated local search from `start`, within what is left of the budget.

    What `pyvrp.solve` does, step by step, so that its neighbourhood (seconds on
    thousands of clients) is computed before the clock is read: the search gets
    `max_seconds` minus everything spent since `started`. With `max_iterations` the
    budget is the iteration count alone (deterministic for a seed).
    """
    params = SolveParams()
    rng = RandomNumberGenerator(seed=problem.seed)
    neighbours = compute_neighbours(data, params.neighbourhood)
    search = LocalSearch(data, rng, neighbours, PerturbationManager(params.perturbation))
    for operator in params.operators:
        if operator.supports(data):
            search.add_operator(operator(data))
    penalties = PenaltyManager(params.penalty.midpoint_penalties(data), params.penalty)
    if start is None:
        # PyVRP's own start (the benchmarks' baseline): random, then one full descent.
        start = search(Solution.make_random(data, rng), penalties.max_cost_evaluator(),
                       exhaustive=True)
    algorithm = IteratedLocalSearch(data, penalties, search, start, params.ils)
    if problem.max_iterations is not None:
        stop: MaxIterations | MaxRuntime = MaxIterations(problem.max_iterations)
    else:
        stop = MaxRuntime(max(0.0, problem.max_seconds - (time.perf_counter() - started)))
    return algorithm.run(stop, collect_stats=False, display=False)


def _why_unservable(way: Way, loc: int, teams: list[Team], vehicles: list[_Vehicle],
                    days: tuple[WorkDay, ...], durations: list[np.ndarray],
                    base_of: dict[str, int]) -> str | None:
    """None when some team, alone on some day, could serve this stop; else the reason.

    A filter before the solver (its answer also names the reason): a stop no single
    vehicle can reach, serve and return from inside one day is left out here.
    """
    kind = way.programme.kind
    if not way.day_windows:
        return (reasons.no_day_before(way.deadline, kind) if way.deadline is not None
                else reasons.no_work_day(kind))
    if not any(way.needs <= team.skills for team in teams):
        return reasons.no_skill(way.needs)
    on_days = [v for v in vehicles
               if way.needs <= v.team.skills and v.day_index in way.day_windows]
    if not on_days:
        return reasons.no_skill_day(way.needs, kind) if way.needs else reasons.no_work_day(kind)
    for v in on_days:
        day, offset = days[v.day_index], day_offset(days, v.day_index)
        base = base_of[v.team.key]
        out = int(durations[v.profile][base, loc])
        back = int(durations[v.profile][loc, base])
        for early, late in way.day_windows[v.day_index]:
            start = max(early, offset + day.starts * 60 + out)
            if start <= late and start + way.service_minutes * 60 + back <= offset + day.ends * 60:
                return None
    return reasons.TOO_FAR


def _route(route: pyvrp.Route, visits: list[pyvrp.ScheduledActivity], vehicle: _Vehicle,
           days: tuple[WorkDay, ...], client_way: list[Way], clients: list[Client],
           dist: np.ndarray, base: int) -> Route:
    """One team's day as the contract's Route: times back in minutes since midnight."""
    offset = day_offset(days, vehicle.day_index)
    stops = []
    previous = base
    for activity in visits:
        way = client_way[activity.idx]
        loc = clients[activity.idx].location
        # Rounding the start down keeps every window: they all open and close on whole
        # minutes, and the service lasts exactly its minutes from there.
        arrives = (activity.start_time - offset) // 60
        escort = frozenset().union(*(p.needs for p in way.people))
        stops.append(PlannedStop(
            kind=way.kind, arrives=arrives, departs=arrives + way.service_minutes,
            member_ids=way.member_ids, site_key=way.site.key if way.site else None,
            point=way.point, escort=escort, travel_metres=int(dist[previous, loc])))
        previous = loc
    return Route(day=days[vehicle.day_index].day, team_key=vehicle.team.key, stops=tuple(stops),
                 leaves=(route.start_time() - offset) // 60,
                 returns=-(-(route.end_time() - offset) // 60),
                 metres=int(sum(s.travel_metres for s in stops) + dist[previous, base]))


def _plan(problem: PlanningProblem, routes: list[Route], left: dict[int, str], total: int,
          notes: list[str] | None = None) -> Plan:
    weight = {p.member_id: p.weight for p in problem.people}
    served = sum(weight[m] for r in routes for s in r.stops for m in s.member_ids)
    routes = sorted(routes, key=lambda r: (r.day, r.team_key))
    return Plan(routes=tuple(routes),
                left_out=tuple(LeftOut(m, left[m]) for m in sorted(left)),
                served_weight=served, total_weight=total, seed=problem.seed,
                notes=tuple(notes or ()))
