"""Who is served how: from people to candidate stops ("ways"), before any routing.

Every person gets exactly one way family, chosen in this order:

1. a student who can attend, whose school is a Site and when a SCHOOL programme exists:
   the session at their school, within school hours;
2. anyone else who can attend, when their desa has a balai desa Site and a MOBILE_UNIT
   programme exists: the collective session at the balai desa;
3. otherwise (cannot attend, or no session for them): a home visit, by the DOOR_TO_DOOR
   programme, else the MOBILE_UNIT programme ("session, then homes").

A session is one stop for many people, so its people are split into stops no longer than
the programme's `session_max_minutes` (highest weight first, so the first stop of a site
is its most valuable), and apart by what they need from the team (a deaf attendee's stop
needs a team with sign language; the others' does not). Each person is therefore in one
stop only: nobody can be planned twice.

A stop may be served on any of several days; its `windows` are the times (on the solver's
absolute time line, seconds) at which its service may *start*, so that it also *ends*
inside office hours, school hours and outside every break.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from jemput.planning.problem import (
    Category,
    Person,
    PlanningProblem,
    Point,
    Programme,
    ProgrammeKind,
    Site,
    Skill,
    StopKind,
    WorkDay,
)

DAY_SECONDS = 86_400
SessionKey = tuple[str, ProgrammeKind, frozenset[Skill], date | None]
DEFAULT_SERVICE_MINUTES = 12


@dataclass
class Way:
    """One candidate stop: a fixed set of people served together at one point."""

    kind: StopKind
    programme: Programme
    people: tuple[Person, ...]
    point: Point
    site: Site | None
    needs: frozenset[Skill]
    service_minutes: int
    # Per work day (index into the sorted days): (earliest start, latest start), seconds.
    day_windows: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    @property
    def deadline(self) -> date | None:
        """The last day this stop may be on: its people's earliest deadline (a pemula's
        election day). Sessions group people by deadline, so one never delays another."""
        return min((p.deadline for p in self.people if p.deadline is not None), default=None)

    @property
    def weight(self) -> int:
        return sum(p.weight for p in self.people)

    @property
    def member_ids(self) -> tuple[int, ...]:
        return tuple(p.member_id for p in self.people)


def service_minutes(programme: Programme, category: Category) -> int:
    """One person's service time under a programme (its general time when not listed)."""
    general = programme.service_minutes.get(Category.GENERAL, DEFAULT_SERVICE_MINUTES)
    return programme.service_minutes.get(category, general)


def day_offset(days: tuple[WorkDay, ...], index: int) -> int:
    """Where a work day starts on the solver's time line: calendar days since the first."""
    return (days[index].day - days[0].day).days * DAY_SECONDS


def runs_on(programme: Programme, day: WorkDay) -> bool:
    return programme.kind in day.programmes and day.day.weekday() in programme.weekdays


def segments(day: WorkDay, site: Site | None) -> list[tuple[int, int]]:
    """The minutes of a day in which work may happen: office (and school) hours minus breaks."""
    start, end = day.starts, day.ends
    if site is not None and site.opens is not None:
        start = max(start, site.opens)
    if site is not None and site.closes is not None:
        end = min(end, site.closes)
    pieces = [(start, end)]
    for brk in sorted(day.breaks, key=lambda b: b.starts):
        cut: list[tuple[int, int]] = []
        for a, b in pieces:
            if brk.ends <= a or brk.starts >= b:
                cut.append((a, b))
                continue
            if a < brk.starts:
                cut.append((a, brk.starts))
            if brk.ends < b:
                cut.append((brk.ends, b))
        pieces = cut
    return [(a, b) for a, b in pieces if b > a]


def longest_segment(problem: PlanningProblem, programme: Programme, site: Site | None) -> int:
    """The longest stretch (minutes) a stop of this programme at this site could last."""
    lengths = [b - a for day in problem.days if runs_on(programme, day)
               for a, b in segments(day, site)]
    return max(lengths, default=0)


def fill_windows(way: Way, days: tuple[WorkDay, ...]) -> None:
    """Set the start windows of a stop on every day its programme runs (up to its deadline)."""
    deadline = way.deadline
    for index, day in enumerate(days):
        if not runs_on(way.programme, day) or (deadline is not None and day.day > deadline):
            continue
        offset = day_offset(days, index)
        for a, b in segments(day, way.site):
            if way.kind == StopKind.HOME:
                # The household's own hours (replan's "another time of day").
                person = way.people[0]
                a = max(a, person.visit_after if person.visit_after is not None else a)
                b = min(b, person.visit_before if person.visit_before is not None else b)
            latest = b - way.service_minutes
            if latest >= a:
                way.day_windows.setdefault(index, []).append(
                    (offset + a * 60, offset + latest * 60))


def programme_of(problem: PlanningProblem, kind: ProgrammeKind) -> Programme | None:
    return next((p for p in problem.programmes if p.kind == kind), None)


def plan_ways(problem: PlanningProblem) -> tuple[list[Way], list[tuple[Person, str]]]:
    """Candidate stops for everyone, and the people no programme can serve at all."""
    from jemput.planning import reasons

    days = tuple(sorted(problem.days, key=lambda d: d.day))
    school = programme_of(problem, ProgrammeKind.SCHOOL)
    mobile = programme_of(problem, ProgrammeKind.MOBILE_UNIT)
    home = programme_of(problem, ProgrammeKind.DOOR_TO_DOOR) or mobile
    schools = {s.key: s for s in problem.sites if s.kind == StopKind.SCHOOL}
    balai: dict[str, Site] = {}
    for site in sorted(problem.sites, key=lambda s: s.key):
        if site.kind == StopKind.SESSION:
            balai.setdefault(site.desa_code, site)

    # One session per site, kind, needs and deadline: a pemula who must be recorded before
    # an election is invited to a session on or before it; the others are not held to it.
    sessions: dict[SessionKey, list[Person]] = defaultdict(list)
    site_of: dict[str, Site] = {}
    ways: list[Way] = []
    unserved: list[tuple[Person, str]] = []
    for person in sorted(problem.people, key=lambda p: p.member_id):
        school_site = schools.get(f"sekolah:{person.institution_npsn}")
        if person.can_attend_session and school and school_site and person.institution_npsn:
            sessions[(school_site.key, ProgrammeKind.SCHOOL, person.needs,
                      person.deadline)].append(person)
            site_of[school_site.key] = school_site
        elif person.can_attend_session and mobile and person.desa_code in balai:
            site = balai[person.desa_code]
            sessions[(site.key, ProgrammeKind.MOBILE_UNIT, person.needs,
                      person.deadline)].append(person)
            site_of[site.key] = site
        elif home is not None:
            ways.append(Way(kind=StopKind.HOME, programme=home, people=(person,),
                            point=person.point, site=None, needs=person.needs,
                            service_minutes=home.setup_minutes
                            + service_minutes(home, person.category)))
        else:
            unserved.append((person, reasons.NO_PROGRAMME))

    for (key, kind, needs, _deadline), people in sorted(sessions.items(), key=_session_order):
        programme = school if kind == ProgrammeKind.SCHOOL else mobile
        assert programme is not None
        site = site_of[key]
        cap = min(programme.session_max_minutes, longest_segment(problem, programme, site))
        # Highest weight first, so the first stop of a site carries its priorities.
        ordered = sorted(people, key=lambda p: (-p.weight, p.member_id))
        chunk: list[Person] = []
        minutes = programme.setup_minutes
        for person in ordered:
            extra = service_minutes(programme, person.category)
            if chunk and minutes + extra > cap:
                ways.append(_session(site, kind, programme, needs, chunk, minutes))
                chunk, minutes = [], programme.setup_minutes
            chunk.append(person)
            minutes += extra
        if chunk:
            ways.append(_session(site, kind, programme, needs, chunk, minutes))

    for way in ways:
        fill_windows(way, days)
    return ways, unserved


def _session_order(item: tuple[SessionKey, list[Person]]
                   ) -> tuple[str, str, tuple[str, ...], date]:
    (key, kind, needs, deadline), _ = item
    return key, kind.value, tuple(sorted(needs)), deadline or date.max


def _session(site: Site, kind: ProgrammeKind, programme: Programme, needs: frozenset[Skill],
             people: list[Person], minutes: int) -> Way:
    stop = StopKind.SCHOOL if kind == ProgrammeKind.SCHOOL else StopKind.SESSION
    return Way(kind=stop, programme=programme, people=tuple(people), point=site.point,
               site=site, needs=needs, service_minutes=minutes)


def merged_windows(way: Way, days: tuple[WorkDay, ...]) -> list[tuple[int, int]]:
    """The stop's start windows with nights joined, so most stops need one solver client.

    A window that runs to the end of one work day and one that opens the next work day
    become one: no team works in between (vehicles exist only in office hours), so the
    join adds no time anyone could use, and the team's own shift keeps the service
    inside its day. Windows cut by a break or by school hours stay apart.
    """
    merged: list[list[int]] = []
    previous_end_of_day: int | None = None
    for index in sorted(way.day_windows):
        day = days[index]
        offset = day_offset(days, index)
        day_start = offset + day.starts * 60
        for early, late in way.day_windows[index]:
            opens_day = early == day_start
            if merged and opens_day and previous_end_of_day == index - 1:
                merged[-1][1] = late
            else:
                merged.append([early, late])
            closes_day = late == offset + (day.ends - way.service_minutes) * 60
            previous_end_of_day = index if closes_day else None
    return [(a, b) for a, b in merged]
