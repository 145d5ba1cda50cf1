"""Play a campaign day by day with the field's luck, for a planner or the naive baseline.

`simulate(problem, planner)` plans, executes one work day with noise drawn from a seed,
keeps what was done, rolls the unserved forward and plans again (the replan core), until
99.5 % of the recordable people are recorded or the day limit is hit. The noise is drawn
per person and per attempt from the seed alone (not from the order things happen in), so
two planners played with the same seed meet the same households at home, the same
refusals and the same roads: their difference is the planner's.

Field rules played here:

* a person invited to a session comes with `session_presence`; one who stays away
  `no_shows_before_home` times is visited at home afterwards (the mobile unit's
  "session, then homes");
* a household is home with `home_presence`; after a "not home" the next visit is
  planned on another day and in the other half of the day (before / after noon);
* a person with a failed attempt (not home, or away from their session) may be planned
  again with `retry_weight` more weight, once (outreach's replan adds 3 by default);
  the default here is 0, as measured (RETRY_WEIGHT);
* a person refuses with `refusal` (drawn once): they are contacted, not recorded, and no
  longer recordable;
* travel takes the model's time x a log-normal factor (`travel_sigma`); a stop the team
  cannot finish before office hours end is not made, and its people roll forward.

`naive_plan` is the baseline the issue names: village by village in desa code order, no
routing, everyone visited at home, each team filling its day from the front of the queue.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from jemput.planning import reasons
from jemput.planning.problem import (
    LeftOut,
    Person,
    Plan,
    PlannedStop,
    PlanningProblem,
    Programme,
    ProgrammeKind,
    Route,
    StopKind,
    Team,
    WorkDay,
)
from jemput.planning.ways import programme_of, runs_on, service_minutes

Planner = Callable[[PlanningProblem], Plan]
NOON = 12 * 60
# What a failed attempt adds to a person's weight. Outreach's replan adds its campaign
# weight "vulnerable" (3 by default) to a retried member; played here with 3 on the
# full-scale demo it cost up to 5 team-days (Ngombol seed 2: 291 against 286) and left
# ODGJ retries for the end (benchmarks/README.md), so the simulator's default is 0.
RETRY_WEIGHT = 0


@dataclass(frozen=True)
class Noise:
    home_presence: float = 0.8
    session_presence: float = 0.7
    refusal: float = 0.01
    travel_sigma: float = 0.2
    no_shows_before_home: int = 1


@dataclass(frozen=True)
class DayLog:
    day: str
    team_days: int
    recorded: int
    metres: int


@dataclass(frozen=True)
class SimulationResult:
    planner: str
    reached: bool              # the target share was recorded within max_days
    work_days: int             # calendar work days played
    team_days: int             # (team, day) pairs that went out
    recorded: int
    recordable: int            # targets minus refusals
    metres: int
    left_behind: dict[str, int]   # not recorded at the end, by category
    stops: dict[str, int] = field(default_factory=dict)   # stops made, by kind
    log: tuple[DayLog, ...] = field(repr=False, default=())

    @property
    def per_team_day(self) -> float:
        return self.recorded / self.team_days if self.team_days else 0.0

    @property
    def km_per_person(self) -> float:
        return self.metres / 1000 / self.recorded if self.recorded else 0.0


def _draw(seed: int, *key: object) -> float:
    """A uniform [0, 1) number fixed by the seed and the key alone."""
    digest = hashlib.sha256(repr((seed, *key)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def calendar(days: tuple[WorkDay, ...], index: int) -> WorkDay:
    """Work day `index` of a campaign that repeats its own days week after week."""
    ordered = sorted(days, key=lambda d: d.day)
    weeks = math.ceil(((ordered[-1].day - ordered[0].day).days + 1) / 7)
    block, position = divmod(index, len(ordered))
    day = ordered[position]
    return dataclasses.replace(day, day=day.day + timedelta(weeks=weeks * block))


def simulate(problem: PlanningProblem, planner: Planner, *, name: str,
             noise: Noise | None = None, seed: int = 1, target: float = 0.995,
             max_days: int = 60, horizon: int = 5,
             retry_weight: int = RETRY_WEIGHT) -> SimulationResult:
    """Play the campaign until `target` of the recordable people are recorded.

    Each work day the planner sees the people still to reach and the next `horizon`
    work days; only the first day's routes are played, then it plans again.
    """
    noise = noise or Noise()
    people = {p.member_id: p for p in problem.people}
    refused = {m for m in people if _draw(seed, "refuses", m) < noise.refusal}
    recordable = len(people) - len(refused)
    open_ids = set(people)
    recorded: set[int] = set()
    attempts: Counter[int] = Counter()
    no_shows: Counter[int] = Counter()
    failed: set[int] = set()   # had a failed attempt: their weight is raised once
    team_days = metres = 0
    stops: Counter[str] = Counter()
    log: list[DayLog] = []
    day_index = 0
    while len(recorded) < target * recordable and day_index < max_days:
        days = tuple(calendar(problem.days, day_index + k) for k in range(horizon))
        today = days[0]
        remaining = tuple(people[m] for m in sorted(open_ids))
        plan = planner(dataclasses.replace(problem, days=days, people=remaining))
        done_today = metres_today = routes_today = 0
        for route in plan.routes:
            if route.day != today.day or not route.stops:
                continue
            routes_today += 1
            outcome = _play(problem, today, route, people, noise, seed, attempts)
            metres_today += outcome.metres
            stops.update(outcome.stops)
            for m in outcome.contacted:
                attempts[m] += 1
            for m in outcome.contacted & refused:
                open_ids.discard(m)
            for m in outcome.present - refused:
                recorded.add(m)
                open_ids.discard(m)
                done_today += 1
            for m in outcome.absent:
                no_shows[m] += outcome.session_of.get(m, False)
                people[m] = retry(people[m], at_session=outcome.session_of.get(m, False),
                                  attempted_at=outcome.started.get(m, NOON),
                                  no_shows=no_shows[m],
                                  no_shows_before_home=noise.no_shows_before_home,
                                  extra_weight=0 if m in failed else retry_weight)
                failed.add(m)
        team_days += routes_today
        metres += metres_today
        log.append(DayLog(today.day.isoformat(), routes_today, done_today, metres_today))
        day_index += 1
    left = Counter(people[m].category.value for m in open_ids - refused)
    return SimulationResult(planner=name, reached=len(recorded) >= target * recordable,
                            work_days=day_index, team_days=team_days,
                            recorded=len(recorded), recordable=recordable, metres=metres,
                            left_behind=dict(sorted(left.items())),
                            stops=dict(sorted(stops.items())), log=tuple(log))


def retry(person: Person, *, at_session: bool, attempted_at: int, no_shows: int = 1,
          no_shows_before_home: int = 1, extra_weight: int = 0) -> Person:
    """The person to plan again after a failed attempt (replan's retry rules).

    A session no-show is visited at home once they have stayed away
    `no_shows_before_home` times; a household not home is tried again on another day
    (every replan starts with a later day) and in the other half of the day than
    `attempted_at` (minutes since midnight). `extra_weight` is added to their weight: a
    second try comes before a first (the caller adds it once, not at every failure).
    """
    person = dataclasses.replace(person, weight=person.weight + extra_weight)
    if at_session:
        if no_shows >= no_shows_before_home:
            return dataclasses.replace(person, can_attend_session=False)
        return person
    morning = attempted_at < NOON
    return dataclasses.replace(person, visit_after=NOON if morning else None,
                               visit_before=None if morning else NOON)


@dataclass
class _Outcome:
    contacted: set[int] = field(default_factory=set)
    present: set[int] = field(default_factory=set)
    absent: set[int] = field(default_factory=set)
    session_of: dict[int, bool] = field(default_factory=dict)
    started: dict[int, int] = field(default_factory=dict)
    stops: Counter[str] = field(default_factory=Counter)
    metres: int = 0


def _play(problem: PlanningProblem, day: WorkDay, route: Route, people: dict[int, Person],
          noise: Noise, seed: int, attempts: Counter[int]) -> _Outcome:
    """One team's day in the field: late roads, empty houses, the day's end."""
    team = next(t for t in problem.teams if t.key == route.team_key)
    outcome = _Outcome()
    where, clock = team.base, route.leaves * 60
    for index, stop in enumerate(route.stops):
        assert stop.point is not None
        metres, seconds = problem.travel([where, stop.point])
        factor = math.exp(noise.travel_sigma * _normal(seed, "road", route.day, team.key, index))
        arrive = clock + round(seconds[0][1] * factor)
        start = max(arrive, stop.arrives * 60)
        session = stop.kind != StopKind.HOME
        chance = noise.session_presence if session else noise.home_presence
        present = [m for m in stop.member_ids
                   if _draw(seed, "present", m, attempts[m]) < chance]
        programme = _programme_for(problem, stop.kind)
        minutes = programme.setup_minutes + sum(
            service_minutes(programme, people[m].category) for m in present)
        start = _after_breaks(day, start, minutes * 60)
        _, back = problem.travel([stop.point, team.base])
        if start + minutes * 60 + back[0][1] > day.ends * 60:
            break   # the day is over: this stop and the rest roll forward, untouched
        outcome.metres += int(metres[0][1])
        outcome.stops[stop.kind.value] += 1
        for m in stop.member_ids:
            outcome.contacted.add(m)
            outcome.session_of[m] = session
            outcome.started[m] = start // 60 % 1440
        outcome.present.update(present)
        outcome.absent.update(set(stop.member_ids) - set(present))
        where, clock = stop.point, start + minutes * 60
    back_m, _ = problem.travel([where, team.base])
    outcome.metres += int(back_m[0][1])
    return outcome


def _after_breaks(day: WorkDay, start: int, seconds: int) -> int:
    """The first start at or after `start` whose service does not overlap a break."""
    offset = start - start % 86_400
    for brk in sorted(day.breaks, key=lambda b: b.starts):
        b0, b1 = offset + brk.starts * 60, offset + brk.ends * 60
        if start < b1 and start + seconds > b0:
            start = b1
    return start


def _normal(seed: int, *key: object) -> float:
    u1 = max(_draw(seed, *key, 1), 1e-12)
    u2 = _draw(seed, *key, 2)
    return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)


def _programme_for(problem: PlanningProblem, kind: StopKind) -> Programme:
    if kind == StopKind.SCHOOL:
        found = programme_of(problem, ProgrammeKind.SCHOOL)
    elif kind == StopKind.SESSION:
        found = programme_of(problem, ProgrammeKind.MOBILE_UNIT)
    else:
        found = (programme_of(problem, ProgrammeKind.DOOR_TO_DOOR)
                 or programme_of(problem, ProgrammeKind.MOBILE_UNIT))
    assert found is not None
    return found


def naive_plan(problem: PlanningProblem) -> Plan:
    """The baseline: desa by desa in code order, no routing, everyone visited at home.

    Every team works every day the home-visit programme runs. Each team, in key order, takes
    people from the front of the queue — skipping only those needing a skill it lacks —
    and stops at the first one that no longer fits the day (breaks are waited out).
    """
    home = _programme_for(problem, StopKind.HOME)
    queue = sorted(problem.people, key=lambda p: (p.desa_code, p.member_id))
    routes: list[Route] = []
    ordered_days = sorted(problem.days, key=lambda d: d.day)
    for day in ordered_days:
        if not runs_on(home, day):
            continue
        for team in sorted(problem.teams, key=lambda t: t.key):
            if team.kits < 1 or (team.days is not None and day.day not in team.days):
                continue
            stops, queue, metres = _naive_day(problem, day, team, queue, home)
            if stops:
                routes.append(Route(day=day.day, team_key=team.key, stops=tuple(stops),
                                    leaves=day.starts, returns=stops[-1].departs,
                                    metres=metres))
    served = {m for r in routes for s in r.stops for m in s.member_ids}
    weight = sum(p.weight for p in problem.people if p.member_id in served)
    left = tuple(LeftOut(p.member_id, reasons.NO_TIME) for p in queue)
    return Plan(routes=tuple(routes), left_out=left, served_weight=weight,
                total_weight=sum(p.weight for p in problem.people), solver="naive",
                seed=problem.seed)


def _naive_day(problem: PlanningProblem, day: WorkDay, team: Team, queue: list[Person],
               home: Programme) -> tuple[list[PlannedStop], list[Person], int]:
    stops: list[PlannedStop] = []
    where, clock, metres = team.base, day.starts * 60, 0
    rest: list[Person] = []
    full = False
    for person in queue:
        if full or not person.needs <= team.skills:
            rest.append(person)
            continue
        dist, secs = problem.travel([where, person.point])
        minutes = home.setup_minutes + service_minutes(home, person.category)
        start = _after_breaks(day, clock + int(secs[0][1]), minutes * 60)
        if person.visit_after is not None:
            start = max(start, person.visit_after * 60)
        _, back = problem.travel([person.point, team.base])
        if start + minutes * 60 + back[0][1] > day.ends * 60 or (
                person.visit_before is not None
                and start + minutes * 60 > person.visit_before * 60):
            full = True   # no look-ahead: the day ends at the first visit that does not fit
            rest.append(person)
            continue
        arrives = start // 60
        stops.append(PlannedStop(kind=StopKind.HOME, arrives=arrives,
                                 departs=arrives + minutes, member_ids=(person.member_id,),
                                 point=person.point, escort=person.needs,
                                 travel_metres=int(dist[0][1])))
        metres += int(dist[0][1])
        where, clock = person.point, (arrives + minutes) * 60
    if stops:
        back_m, _ = problem.travel([where, team.base])
        metres += int(back_m[0][1])
    return stops, rest, metres


def compare(problem: PlanningProblem, planner: Planner, *, noise: Noise | None = None,
            seed: int = 1, max_days: int = 60,
            retry_weight: int = RETRY_WEIGHT) -> tuple[SimulationResult, SimulationResult]:
    """Jemput's planner and the naive baseline, played with the same luck.

    The baseline works its queue in desa order and ignores weights, so `retry_weight`
    changes only Jemput's plans.
    """
    ours = simulate(problem, planner, name="jemput", noise=noise, seed=seed, max_days=max_days,
                    retry_weight=retry_weight)
    base = simulate(problem, naive_plan, name="naive", noise=noise, seed=seed,
                    max_days=max_days)
    return ours, base


def table(results: tuple[SimulationResult, ...]) -> str:
    """The comparison as a Markdown table (Indonesian first, English second)."""
    lines = ["| perencana / planner | hari-tim / team-days | tercapai / reached | "
             "terekam per hari-tim / recorded per team-day | km per orang / per person | "
             "tertinggal / left behind |",
             "|---|---:|---|---:|---:|---|"]
    for r in results:
        behind = ", ".join(f"{k} {v}" for k, v in r.left_behind.items()) or "-"
        lines.append(f"| {r.planner} | {r.team_days} | {'ya' if r.reached else 'tidak'} "
                     f"({r.recorded}/{r.recordable}) | {r.per_team_day:.1f} | "
                     f"{r.km_per_person:.2f} | {behind} |")
    return "\n".join(lines)

