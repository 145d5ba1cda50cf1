"""Campaigns: a period, an area, programmes, teams and target lists, and the problem they make.

An operator creates a campaign for an area in their scope (a kecamatan or a desa) from
resources that serve that area and target lists they may read; kepala reads every
campaign in scope and approves its plan. `build_problem` turns a campaign into the
solver's PlanningProblem (planning/problem.py) from the lists' open members
(targets' `members_to_reach`), the registry and the care profiles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput.auth.access import NotFound, has_role, region_in_scope, scope_filter
from jemput.auth.models import Role, User
from jemput.outreach import availability, resources
from jemput.outreach.models import Campaign, Programme, Team
from jemput.outreach.resources import ResourceError, ids
from jemput.places import service as places
from jemput.planning import problem as p
from jemput.planning.simulator import retry
from jemput.regions.models import Region
from jemput.residents.models import Resident
from jemput.residents.nik import mask_nik
from jemput.schools.models import School
from jemput.targets import service as targets
from jemput.targets.models import TargetMember
from jemput.vulnerable import codes as care_codes
from jemput.vulnerable.models import CareProfile

MANAGERS = (Role.OPERATOR,)
READERS = (Role.OPERATOR, Role.KEPALA)
APPROVERS = (Role.KEPALA,)
MAX_DAYS = 92
# What serving one person is worth: a base of 1 plus each that applies. The office
# changes them per campaign; these follow the order of priorities.
DEFAULT_WEIGHTS = {"vulnerable": 3, "pemula": 2, "deactivation": 2, "waiting_per_month": 1,
                   "waiting_cap": 6}
LANSIA_AGE = 60
DEACTIVATION_AGE = 21  # the NIK is deactivated at 22 without a recording (DOMAIN.md §3)
# Care-profile approaches that a visiting team must bring (vulnerable/codes.py).
APPROACH_SKILLS = {"dinsos": p.Skill.ESCORT_DINSOS, "bhabinkamtibmas": p.Skill.ESCORT_POLICE,
                   "puskesmas": p.Skill.ESCORT_HEALTH, "bahasa_isyarat": p.Skill.SIGN_LANGUAGE}
VULNERABLE = {p.Category.ELDERLY, p.Category.DISABLED, p.Category.BEDRIDDEN, p.Category.ODGJ}


def manages(user: User, campaign: Campaign) -> bool:
    return has_role(user, *MANAGERS) and region_in_scope(user, campaign.area_code)


def access_campaign(*, session: Session, user: User, campaign_id: int) -> Campaign:
    """Return the campaign if the user may read it; NotFound (missing or not theirs)."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(campaign_id)
    if not has_role(user, *READERS):
        raise NotFound(campaign_id)
    if not region_in_scope(user, campaign.area_code):
        raise NotFound(campaign_id)
    return campaign


def access_managed_campaign(*, session: Session, user: User, campaign_id: int) -> Campaign:
    """Return the campaign if the user may change it (plan, record outcomes)."""
    campaign = access_campaign(session=session, user=user, campaign_id=campaign_id)
    if not manages(user, campaign):
        raise NotFound(campaign_id)
    return campaign


def visible_campaigns(*, session: Session, user: User) -> list[Campaign]:
    if not has_role(user, *READERS):
        return []
    return list(session.scalars(select(Campaign).where(scope_filter(user, Campaign.area_code))
                                .order_by(Campaign.starts.desc(), Campaign.id.desc())))


def parse_weights(given: dict[str, int] | None) -> dict[str, int]:
    weights = dict(DEFAULT_WEIGHTS)
    for key, value in (given or {}).items():
        if key not in weights:
            raise ResourceError(f"bobot tidak dikenal: {key[:30]!r} (pilih: {', '.join(weights)})")
        if not isinstance(value, int) or not 0 <= value <= 100:
            raise ResourceError(f"bobot {key}: {value!r} tidak sah (0–100)")
        weights[key] = value
    return weights


def create_campaign(
    *, session: Session, user: User, name: str, area_code: str, starts: date, ends: date,
    programme_ids: list[int], team_ids: list[int], list_ids: list[int],
    weights: dict[str, int] | None = None,
) -> Campaign:
    """Create a campaign in the user's scope from resources and lists that serve its area."""
    resources.require_manager(user, area_code)
    if session.get(Region, area_code) is None:
        raise NotFound(area_code)
    name = name.strip()
    if not name or len(name) > 120:
        raise ResourceError("nama kampanye wajib diisi (paling panjang 120)")
    if ends < starts or (ends - starts).days >= MAX_DAYS:
        raise ResourceError(f"periode {starts}–{ends} tidak sah (selesai setelah mulai, "
                            f"paling lama {MAX_DAYS} hari)")
    for what, chosen in (("program", programme_ids), ("tim", team_ids),
                         ("daftar sasaran", list_ids)):
        if not chosen:
            raise ResourceError(f"pilih paling sedikit satu {what}")
    resources.usable(session=session, user=user, model=Programme, area_code=area_code,
                     wanted=programme_ids)
    # More teams than kits is allowed: kits are counted per day when planning
    # (availability.team_days), so teams take turns.
    resources.usable(session=session, user=user, model=Team, area_code=area_code,
                     wanted=team_ids)
    for list_id in list_ids:
        targets.access_list(session=session, user=user, list_id=list_id)
    campaign = Campaign(
        name=name, area_code=area_code, starts=starts, ends=ends,
        programme_ids=",".join(map(str, programme_ids)), team_ids=",".join(map(str, team_ids)),
        list_ids=",".join(map(str, list_ids)), weights=json.dumps(parse_weights(weights)),
        status="draft", created_by=user.username, created_at=datetime.now(UTC))
    session.add(campaign)
    session.flush()
    return campaign


def programmes_of(session: Session, campaign: Campaign) -> list[Programme]:
    return [session.get_one(Programme, i) for i in ids(campaign.programme_ids)]


def teams_of(session: Session, campaign: Campaign) -> list[Team]:
    return [session.get_one(Team, i) for i in ids(campaign.team_ids)]


# --- the planning problem ---------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    """A campaign's problem, and who could not be put in it (no place known), with why."""

    problem: p.PlanningProblem
    unplaced: tuple[p.LeftOut, ...]
    skipped_days: tuple[tuple[date, str], ...]
    list_of_member: dict[int, int]
    notes: tuple[str, ...] = ()   # who stays in on which day (absences, kits)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def category_of(resident: Resident | None, needs: list[str], on: date,
                student: bool) -> p.Category:
    """The category that decides service time: the hardest condition first."""
    if resident is None:
        return p.Category.STUDENT if student else p.Category.GENERAL
    if resident.odgj or "odgj" in needs:
        return p.Category.ODGJ
    if resident.bedridden or "terbaring" in needs:
        return p.Category.BEDRIDDEN
    if resident.disability or any(n.startswith("disabilitas_") for n in needs):
        return p.Category.DISABLED
    if _age(resident.birth_date, on) >= LANSIA_AGE or "lansia" in needs:
        return p.Category.ELDERLY
    return p.Category.STUDENT if student else p.Category.GENERAL


def base_of(team: Team, points: dict[str, p.Point], area_code: str) -> p.Point | None:
    """Where a team's day starts and ends: its own base, else the campaign area's point."""
    if team.base_latitude is not None and team.base_longitude is not None:
        return p.Point(team.base_latitude, team.base_longitude)
    return _nearest_point(points, area_code)[0]


def area_points(session: Session, area_code: str) -> dict[str, p.Point]:
    """The points of the area, the regions inside it and those above it, by code."""
    regions = session.scalars(select(Region).where(
        (Region.code == area_code) | Region.code.like(area_code + ".%")
        | Region.code.in_(_parents(area_code))))
    return {r.code: p.Point(r.latitude, r.longitude) for r in regions
            if r.latitude is not None and r.longitude is not None}


def _parents(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(1, len(parts))]


def _nearest_point(points: dict[str, p.Point], code: str) -> tuple[p.Point | None, bool]:
    """The desa's point (True), else its kecamatan's or regency's (False); None if none."""
    if code in points:
        return points[code], True
    for parent in reversed(_parents(code)):
        if parent in points:
            return points[parent], False
    return None, False


def build_problem(session: Session, campaign: Campaign, *, user: User | None = None,
                  seed: int = 1,
                  max_seconds: float = 5.0, max_iterations: int | None = None,
                  starts: date | None = None,
                  exclude: frozenset[int] = frozenset(),
                  retry_notes: dict[int, tuple[str, int, bool]] | None = None) -> p.PlanningProblem:
    """Return the campaign's PlanningProblem (see `prepare` for who was left out before).

    Read with `user`'s rights; by default those of the operator who created the campaign
    (the simulator and benchmarks call it without a request).
    """
    if user is None:
        user = session.scalars(select(User).where(User.username == campaign.created_by)).one()
    return prepare(session, campaign, user=user, seed=seed, max_seconds=max_seconds,
                   max_iterations=max_iterations, starts=starts, exclude=exclude,
                   retry_notes=retry_notes).problem


def prepare(session: Session, campaign: Campaign, *, user: User, seed: int = 1,
            max_seconds: float = 5.0, max_iterations: int | None = None,
            starts: date | None = None, exclude: frozenset[int] = frozenset(),
            retry_notes: dict[int, tuple[str, int, bool]] | None = None) -> Prepared:
    """Build the problem: days, teams, programmes, people and sites of a campaign.

    `starts` plans only from that day (a replan); `exclude` leaves members out (already
    served); `retry_notes` marks members a team did not find (why, the minute the team
    came, whether at a session): they come first, under the planner's retry rules
    (`planning.simulator.retry`: a home visit after a session no-show, the other half of
    the day after "not home" at home).
    """
    from jemput.planning import travel  # the planning branch's travel model

    weights = parse_weights(json.loads(campaign.weights))
    programmes = programmes_of(session, campaign)
    days, skipped = resources.day_calendar(
        session=session, area_code=campaign.area_code, starts=max(starts or campaign.starts,
                                                                  campaign.starts),
        ends=campaign.ends, programmes=programmes)
    calendar = resources.calendar_for(session=session, area_code=campaign.area_code)
    points = area_points(session, campaign.area_code)
    team_rows = teams_of(session, campaign)
    # Absences and the office's kits, day by day: each team's days become its vehicles.
    working, team_notes = availability.team_days(
        session=session, teams=team_rows, days=[d.day for d in days], calendar=calendar)
    teams = []
    for team in team_rows:
        base = base_of(team, points, campaign.area_code)
        if base is None or team.kits < 1:
            continue  # no base to start from, or no kit to record with: not a team today
        teams.append(p.Team(key=str(team.id), name=team.name, base=base,
                            skills=frozenset(p.Skill(s) for s in resources.codes(team.skills)),
                            kits=team.kits, days=working[team.id]))
    people, unplaced, list_of = _people(session, campaign, user=user, weights=weights,
                                        points=points, exclude=exclude,
                                        retry_notes=retry_notes or {})
    sites = _sites(session, campaign, points=points, calendar=calendar,
                   programmes=programmes)
    problem = p.PlanningProblem(
        days=tuple(days), teams=tuple(teams),
        programmes=tuple(resources.to_problem_programme(row) for row in programmes),
        people=tuple(people), sites=tuple(sites),
        # Haversine/Osrm are TravelMatrix callables; their numpy-typed returns trip mypy.
        travel=cast(p.TravelMatrix, travel.travel_from_settings()),
        seed=seed, max_iterations=max_iterations, max_seconds=max_seconds)
    return Prepared(problem=problem, unplaced=tuple(unplaced), skipped_days=tuple(skipped),
                    list_of_member=list_of, notes=tuple(team_notes))


def _people(session: Session, campaign: Campaign, *, user: User, weights: dict[str, int],
            points: dict[str, p.Point], exclude: frozenset[int],
            retry_notes: dict[int, tuple[str, int, bool]]
            ) -> tuple[list[p.Person], list[p.LeftOut], dict[int, int]]:
    members: list[tuple[TargetMember, dict]] = []
    for list_id in ids(campaign.list_ids):
        target = targets.access_list(session=session, user=user, list_id=list_id)
        params = targets.params_of(target)
        info = {"deadline": params.get("before"), "deactivation": target.rule == "nonaktif",
                "npsn": target.institution_npsn}
        for member in targets.members_to_reach(session=session, user=user, list_id=list_id):
            if member.desa_code and not _inside(campaign.area_code, member.desa_code):
                continue
            members.append((member, info))
    resident_ids = {m.resident_id for m, _ in members if m.resident_id}
    # One bulk read each of the registry and the care profiles: a campaign holds thousands.
    residents = {r.id: r for r in _chunked(session, Resident, Resident.id, resident_ids)}
    profiles = {c.resident_id: c for c in _chunked(session, CareProfile,
                                                   CareProfile.resident_id, resident_ids)}
    # Where each person is best found: one rule for all of Jemput (places.service:
    # own point, else their dusun's, else their desa's).
    placed = places.points_for(session=session, user=user, resident_ids=resident_ids)
    school_points = {s.npsn: p.Point(s.latitude, s.longitude)
                     for s in session.scalars(select(School)) if s.latitude is not None
                     and s.longitude is not None}
    on = campaign.starts
    people: list[p.Person] = []
    unplaced: list[p.LeftOut] = []
    seen: set[tuple[str, int | None]] = set()
    list_of: dict[int, int] = {}
    for member, info in members:
        key = ("r", member.resident_id) if member.resident_id else ("m", member.id)
        if key in seen or member.id in exclude:
            continue  # nobody planned twice: a person on two lists is one person
        seen.add(key)
        list_of[member.id] = member.list_id
        resident = residents.get(member.resident_id) if member.resident_id else None
        profile = profiles.get(member.resident_id) if member.resident_id else None
        needs = care_codes.split_codes(profile.needs) if profile else []
        approaches = care_codes.split_codes(profile.approaches) if profile else []
        npsn = info["npsn"]
        category = category_of(resident, needs, on, student=bool(npsn))
        skills = {APPROACH_SKILLS[a] for a in approaches if a in APPROACH_SKILLS}
        if category == p.Category.ODGJ:
            skills.add(p.Skill.ODGJ_EXPERIENCE)
        if resident is not None and resident.disability == 3:  # SIAK: rungu/wicara
            skills.add(p.Skill.SIGN_LANGUAGE)
        at_home = (category in (p.Category.ODGJ, p.Category.BEDRIDDEN)
                   or bool(resident and resident.needs_home_visit)
                   or "kunjungan_rumah" in approaches)
        desa = member.desa_code or (resident.desa_code if resident else "") or ""
        known = placed.get(member.resident_id) if member.resident_id else None
        point: p.Point | None
        source: p.PointSource
        if known is not None and known.source == p.PointSource.OWN:
            point, source = known.point, known.source
        elif npsn and npsn in school_points and not at_home:
            point, source = school_points[npsn], p.PointSource.DESA  # a student at school
        elif known is not None:
            point, source = known.point, known.source  # their dusun's, else their desa's
        else:
            # Not on the registry, or a desa without a point: the kecamatan's, the regency's.
            point, _exact = _nearest_point(points, desa)
            source = p.PointSource.DESA
        if point is None:
            unplaced.append(p.LeftOut(member.id, f"tidak ada titik lokasi untuk desa {desa}"))
            continue
        weight = 1
        if category in VULNERABLE:
            weight += weights["vulnerable"]
        # A deadline already past when the campaign starts holds nobody to it (the
        # election is over); one still ahead is both a priority and a limit.
        deadline = info["deadline"] if isinstance(info["deadline"], date) else None
        if deadline is not None and deadline < on:
            deadline = None
        if deadline is not None:
            weight += weights["pemula"]
        if info["deactivation"] or (resident and _age(resident.birth_date, on)
                                    >= DEACTIVATION_AGE and category == p.Category.GENERAL
                                    and resident.ktp_status in (None, "UNREGISTERED")):
            weight += weights["deactivation"]
        months = max(0, (datetime.now(UTC) - member.joined_at).days // 30)
        weight += min(weights["waiting_cap"], months * weights["waiting_per_month"])
        reason = member.reason_id
        retried = retry_notes.get(member.id)
        if retried:
            reason = f"{reason}; {retried[0]}"
        name = resident.name if resident else f"anggota #{member.id}"
        person = p.Person(
            member_id=member.id, resident_id=member.resident_id, name=name,
            nik_masked=mask_nik(resident.nik) if resident else "", desa_code=desa,
            point=point, point_source=source, category=category, weight=weight,
            can_attend_session=not at_home, needs=frozenset(skills),
            institution_npsn=npsn if not at_home else None,
            deadline=deadline,
            address=_address(resident), reason=reason,
            contact=(profile.guardian_phone or "") if profile else (
                resident.phone or "" if resident else ""))
        if retried:
            # A second try comes before a first: the same rule the simulator plays.
            person = retry(person, at_session=retried[2], attempted_at=retried[1],
                           extra_weight=weights["vulnerable"])
        people.append(person)
    return people, unplaced, list_of


def _address(resident: Resident | None) -> str:
    if resident is None:
        return ""
    parts = [resident.address or "", f"RT {resident.rt}" if resident.rt else "",
             f"RW {resident.rw}" if resident.rw else "", resident.dusun or ""]
    return ", ".join(part for part in parts if part)


def _inside(area: str, code: str) -> bool:
    return code == area or code.startswith(area + ".")


def _chunked(session: Session, model: Any, column: Any, wanted: set[int]) -> list[Any]:
    found: list[Any] = []
    values = sorted(wanted)
    for start in range(0, len(values), 500):  # SQLite caps bound parameters
        found += session.scalars(select(model).where(column.in_(values[start:start + 500])))
    return found


def _sites(session: Session, campaign: Campaign, *, points: dict[str, p.Point],
           calendar, programmes: list[Programme]) -> list[p.Site]:
    kinds = {row.kind for row in programmes}
    sites = []
    if p.ProgrammeKind.MOBILE_UNIT in kinds:
        for desa in session.scalars(select(Region).where(
                Region.level == "desa", Region.code.like(campaign.area_code + ".%")
                | (Region.code == campaign.area_code)).order_by(Region.code)):
            if desa.code in points:
                sites.append(p.Site(key=f"desa:{desa.code}", kind=p.StopKind.SESSION,
                                    name=f"Balai desa {desa.name}", desa_code=desa.code,
                                    point=points[desa.code]))
    if p.ProgrammeKind.SCHOOL in kinds:
        for school in session.scalars(select(School).where(
                (School.desa_code == campaign.area_code)
                | School.desa_code.like(campaign.area_code + ".%")).order_by(School.npsn)):
            if school.latitude is None or school.longitude is None:
                continue
            sites.append(p.Site(key=f"sekolah:{school.npsn}", kind=p.StopKind.SCHOOL,
                                name=school.name, desa_code=school.desa_code,
                                point=p.Point(school.latitude, school.longitude),
                                opens=calendar.school_opens if calendar else None,
                                closes=calendar.school_closes if calendar else None))
    return sites
