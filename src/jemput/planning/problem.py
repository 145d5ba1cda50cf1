"""The planning problem and its plan, in plain data: the contract between the domains.

`outreach` builds a PlanningProblem from a campaign (its period, teams, programmes,
calendar, places and target lists); `planning.solver` turns it into a Plan; `outreach`
stores the plan, and the pages, day sheets, the field node and the simulator read it.
Nothing here touches the database or the solver, so either side can be tested alone and
the simulator can play the same problem many times.

Times are minutes since midnight of the stop's own day (office clock, JEMPUT_TIME_ZONE);
distances are metres and durations seconds, as a travel matrix gives them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


@dataclass(frozen=True)
class Point:
    lat: float
    lng: float


class PointSource(StrEnum):
    """How well we know where a person is: their own point, else their dusun's or desa's."""

    OWN = "own"
    DUSUN = "dusun"
    DESA = "desa"


class Category(StrEnum):
    """What decides a person's service time and priority (configurable per programme)."""

    GENERAL = "umum"
    STUDENT = "pelajar"
    ELDERLY = "lansia"
    DISABLED = "disabilitas"
    BEDRIDDEN = "terbaring"
    ODGJ = "odgj"


class Skill(StrEnum):
    """What a visit may need from the team that makes it."""

    ESCORT_DINSOS = "pendamping_dinsos"
    ESCORT_POLICE = "pendamping_bhabinkamtibmas"
    ESCORT_HEALTH = "pendamping_puskesmas"
    ODGJ_EXPERIENCE = "pengalaman_odgj"
    SIGN_LANGUAGE = "bahasa_isyarat"


class ProgrammeKind(StrEnum):
    DOOR_TO_DOOR = "rumah"        # home visits for those who cannot come
    MOBILE_UNIT = "keliling"      # collective session at the balai desa, then homes
    SCHOOL = "sekolah"            # school and pesantren sessions within school hours


class StopKind(StrEnum):
    SESSION = "sesi"              # collective session at a balai desa
    SCHOOL = "sekolah"            # session at a school or pesantren
    HOME = "rumah"                # one home visit


@dataclass(frozen=True)
class Person:
    """One member of a target list the campaign must reach."""

    member_id: int                # targets.TargetMember.id: the plan's key for a person
    resident_id: int | None       # None for a roster row the registry does not know
    name: str
    nik_masked: str
    desa_code: str
    point: Point
    point_source: PointSource
    category: Category
    weight: int                   # priority: what serving this person is worth (>= 1)
    can_attend_session: bool      # False: bedridden, ODGJ at home, ... -> a home visit
    needs: frozenset[Skill] = frozenset()
    institution_npsn: str | None = None   # a student: served at their school's session
    deadline: date | None = None          # e.g. turns 17 before an election
    address: str = ""
    contact: str = ""             # guardian or family contact for a home visit
    reason: str = ""              # why on the list, in words (from the target list)
    # A home visit only in this part of the day (minutes since midnight), e.g. after an
    # earlier "not home" in the morning: replan's "another time of day" rule.
    visit_after: int | None = None
    visit_before: int | None = None


@dataclass(frozen=True)
class Site:
    """A place where a collective or school session can be held."""

    key: str                      # "desa:33.06.01.2001" or "sekolah:20312345"
    kind: StopKind                # SESSION or SCHOOL
    name: str
    desa_code: str
    point: Point
    contact: str = ""
    # School hours (minutes since midnight); None for a balai desa (office hours apply).
    opens: int | None = None
    closes: int | None = None


@dataclass(frozen=True)
class Programme:
    kind: ProgrammeKind
    service_minutes: dict[Category, int]   # per person, by category
    setup_minutes: int                     # per stop (unpacking the kit, the queue)
    weekdays: frozenset[int]               # date.weekday(): 0 Monday ... 6 Sunday
    # A collective session longer than this is split into several stops (the invitation
    # lists of one site, highest weight first), each a stop the solver places on its own.
    session_max_minutes: int = 180


@dataclass(frozen=True)
class Break:
    """A time no work is planned in, e.g. the Friday prayer 11:30-13:00."""

    starts: int
    ends: int


@dataclass(frozen=True)
class WorkDay:
    """A day the calendar allows field work: not a holiday, office queue below threshold."""

    day: date
    starts: int                   # office hours
    ends: int
    breaks: tuple[Break, ...] = ()
    programmes: frozenset[ProgrammeKind] = frozenset(ProgrammeKind)


@dataclass(frozen=True)
class Team:
    key: str
    name: str
    base: Point                   # the office or a kecamatan office
    skills: frozenset[Skill] = frozenset()
    kits: int = 1                 # recording kits carried; a team without one can't record
    days: frozenset[date] | None = None   # None: every work day of the campaign
    speed_kmh: float | None = None        # its vehicle's; None: the travel model's default


# Travel between points: (distance metres, duration seconds) matrices, row = from.
TravelMatrix = Callable[[Sequence[Point]], tuple[list[list[int]], list[list[int]]]]


@dataclass(frozen=True)
class PlanningProblem:
    days: tuple[WorkDay, ...]
    teams: tuple[Team, ...]
    programmes: tuple[Programme, ...]
    people: tuple[Person, ...]
    sites: tuple[Site, ...]
    travel: TravelMatrix
    seed: int = 1
    max_iterations: int | None = None     # tests: a fixed number of iterations
    max_seconds: float = 10.0             # pages and jobs: a time budget


@dataclass(frozen=True)
class PlannedStop:
    kind: StopKind
    arrives: int                  # minutes since midnight
    departs: int
    member_ids: tuple[int, ...]   # who is expected here (the invitation list of a session)
    site_key: str | None = None   # SESSION and SCHOOL stops
    point: Point | None = None
    escort: frozenset[Skill] = frozenset()
    travel_metres: int = 0        # from the previous stop


@dataclass(frozen=True)
class Route:
    day: date
    team_key: str
    stops: tuple[PlannedStop, ...]
    leaves: int                   # from the base
    returns: int
    metres: int


@dataclass(frozen=True)
class LeftOut:
    member_id: int
    reason: str                   # in words (Indonesian): why no place was found


@dataclass(frozen=True)
class Plan:
    routes: tuple[Route, ...]
    left_out: tuple[LeftOut, ...]
    served_weight: int
    total_weight: int
    solver: str = "pyvrp"
    seed: int = 1
    notes: tuple[str, ...] = field(default_factory=tuple)
