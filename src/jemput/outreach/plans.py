"""Plans: solve a campaign, store the result as a version, record outcomes, replan.

`plan_campaign` and `replan` run the solver where they are called, with a time budget
(`max_seconds`) or an iteration limit (tests): in a background job for the pages
(plan_jobs.py: a regency-wide campaign is minutes of search), in the command itself for
`jemput campaigns plan`. `step` reports which phase they are in (the job's progress).

A replan keeps the days already worked (every route up to the last day with a recorded
outcome), rolls everyone not served forward into the days after it, and tries again
those a team found not at home: on another day (the days after the cut-off), first
(their weight is raised), under the planner's own retry rules
(`planning.simulator.retry`, one rule for the simulator and the office): not at home ->
the other half of the day (Person.visit_after/visit_before); absent from a session -> a
home visit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jemput.auth.access import NotFound
from jemput.auth.models import User
from jemput.outreach import campaigns, resources
from jemput.outreach.models import (
    Campaign,
    PlanLeftOut,
    PlanRoute,
    PlanStop,
    PlanStopMember,
    PlanVersion,
    Team,
)
from jemput.outreach.resources import ResourceError, hhmm
from jemput.planning import problem as p
from jemput.targets import members as target_members
from jemput.targets import service as target_service
from jemput.targets import states

NOT_HOME = "not_home"
# What the office records per person, and the follow-up state it moves the member to.
OUTCOMES: dict[str, tuple[str | None, str | None]] = {
    "recorded": (states.REACHED, "recorded"),
    "exception": (states.REACHED, "exception"),
    NOT_HOME: (states.CONTACTED, None),
    "refused": (states.CLOSED, "refused"),
    "moved": (states.CLOSED, "moved"),
    "died": (states.CLOSED, "died"),
    "not_found": (states.CLOSED, "not_found"),
}
OUTCOME_LABELS = {
    "recorded": ("sudah direkam", "recorded"), "exception": ("pengecualian", "exception"),
    NOT_HOME: ("tidak di rumah", "not home"), "refused": ("menolak", "refused"),
    "moved": ("pindah", "moved"), "died": ("meninggal", "died"),
    "not_found": ("tidak ditemukan", "not found"),
}
DONE = frozenset(OUTCOMES) - {NOT_HOME}
STATUS_LABELS = {"draft": ("Draf", "Draft"), "planned": ("Sudah direncanakan", "Planned"),
                 "approved": ("Disetujui kepala", "Approved")}


def current_plan(*, session: Session, campaign: Campaign) -> PlanVersion | None:
    return session.scalar(select(PlanVersion).where(PlanVersion.campaign_id == campaign.id)
                          .order_by(PlanVersion.version.desc()).limit(1))


def _solve(problem: p.PlanningProblem) -> p.Plan:
    from jemput.planning.solver import solve  # PyVRP loads only when a plan is made

    return solve(problem)


NO_PLAN_YET = "kampanye belum punya rencana: buat rencana dulu"
NOTHING_TO_REPLAN = ("belum ada hasil kunjungan yang dicatat: tidak ada yang perlu "
                     "dirancang ulang")


def check_request(*, session: Session, campaign: Campaign, replan: bool) -> None:
    """Refuse a plan or replan the campaign's state rules out (before a job is queued)."""
    previous = current_plan(session=session, campaign=campaign)
    if replan and previous is None:
        raise ResourceError(NO_PLAN_YET)
    if replan and previous is not None and not _outcome_count(session, previous):
        raise ResourceError(NOTHING_TO_REPLAN)
    if not replan and previous is not None and _outcome_count(session, previous):
        # A fresh plan would drop the field's results from the current version.
        raise ResourceError("rencana ini sudah punya hasil kunjungan: gunakan rancang ulang "
                            "agar yang sudah dikerjakan tetap tercatat")


def _no_step(index: int) -> None:
    """Phases: 0 preparing the problem, 1 searching, 2 storing the plan."""


@dataclass(frozen=True)
class Solved:
    """A solved campaign not yet stored, and the state of the campaign it was solved from.

    Solving only reads (plan jobs solve in a read-only session: on SQLite a job holding
    the write lock for a minute of search would stop every other writer); `store_plan`
    then writes it, if the campaign has not moved on meanwhile.
    """

    campaign_id: int
    based_on: int | None          # the PlanVersion id current when solving began
    outcomes_seen: int            # outcomes recorded on it then
    kept_through: date | None     # a replan: days kept from `based_on`
    prepared: campaigns.Prepared
    plan: p.Plan


def _outcome_count(session: Session, plan: PlanVersion | None) -> int:
    if plan is None:
        return 0
    return session.scalar(select(func.count()).where(
        PlanStopMember.plan_id == plan.id, PlanStopMember.outcome.is_not(None))) or 0


def search_seconds(people: int) -> float:
    """A background job's search budget: 5 s and a second more per 50 people, at most 60.

    A kecamatan's few hundred people settle within seconds; a regency's week (thousands)
    is within 1 % of a ten times longer run in under a minute (benchmarks/README.md).
    """
    return min(60.0, 5.0 + people / 50)


def solve_plan(*, session: Session, user: User, campaign_id: int, again: bool = False,
               seed: int = 1, max_seconds: float | None = 5.0,
               max_iterations: int | None = None,
               through: date | None = None, step: Callable[[int], None] = _no_step
               ) -> Solved:
    """Solve the campaign (`again`: replan it) without writing anything.

    `max_seconds` None: the budget grows with the campaign (search_seconds).
    """
    step(0)
    campaign = campaigns.access_managed_campaign(session=session, user=user,
                                                 campaign_id=campaign_id)
    previous = current_plan(session=session, campaign=campaign)
    if again:
        kept, prepared = _replan_problem(session, user, campaign, previous, seed=seed,
                                         max_iterations=max_iterations, through=through)
    else:
        check_request(session=session, campaign=campaign, replan=False)
        kept, prepared = None, campaigns.prepare(session, campaign, user=user, seed=seed,
                                                 max_iterations=max_iterations)
    budget = search_seconds(len(prepared.problem.people)) if max_seconds is None else max_seconds
    step(1)
    plan = _solve(replace(prepared.problem, max_seconds=budget))
    step(2)
    return Solved(campaign_id=campaign.id, based_on=previous.id if previous else None,
                  outcomes_seen=_outcome_count(session, previous), kept_through=kept,
                  prepared=prepared, plan=plan)


def store_plan(*, session: Session, user: User, solved: Solved) -> PlanVersion:
    """Store a solved plan as the campaign's new version; refused if the campaign moved on."""
    campaign = campaigns.access_managed_campaign(session=session, user=user,
                                                 campaign_id=solved.campaign_id)
    previous = current_plan(session=session, campaign=campaign)
    if (previous.id if previous else None) != solved.based_on or (
            _outcome_count(session, previous) != solved.outcomes_seen):
        raise ResourceError("rencana kampanye berubah selama penyusunan (versi baru atau "
                            "hasil kunjungan baru): susun rencana lagi")
    version = _store(session, campaign, user, solved.prepared, solved.plan,
                     kept=solved.kept_through)
    if previous is not None and solved.kept_through is not None:
        _copy_kept(session, previous, version, solved.kept_through)
    _follow_up(session, user, campaign, previous, version)
    return version


def plan_campaign(*, session: Session, user: User, campaign_id: int, seed: int = 1,
                  max_seconds: float | None = 5.0, max_iterations: int | None = None,
                  step: Callable[[int], None] = _no_step) -> PlanVersion:
    """Solve the campaign from its first day and store the plan as a new version."""
    solved = solve_plan(session=session, user=user, campaign_id=campaign_id, seed=seed,
                        max_seconds=max_seconds, max_iterations=max_iterations, step=step)
    return store_plan(session=session, user=user, solved=solved)


def replan(*, session: Session, user: User, campaign_id: int, seed: int = 1,
           max_seconds: float | None = 5.0, max_iterations: int | None = None,
           through: date | None = None, step: Callable[[int], None] = _no_step
           ) -> PlanVersion:
    """Keep what was done through the last worked day, plan the rest again (a new version)."""
    solved = solve_plan(session=session, user=user, campaign_id=campaign_id, again=True,
                        seed=seed, max_seconds=max_seconds, max_iterations=max_iterations,
                        through=through, step=step)
    return store_plan(session=session, user=user, solved=solved)


def _replan_problem(session: Session, user: User, campaign: Campaign,
                    previous: PlanVersion | None, *, seed: int,
                    max_iterations: int | None, through: date | None
                    ) -> tuple[date, campaigns.Prepared]:
    """The days kept (through the last worked day) and the problem of the days after."""
    if previous is None:
        raise ResourceError(NO_PLAN_YET)
    routes = list(session.scalars(select(PlanRoute).where(PlanRoute.plan_id == previous.id)))
    people = list(session.scalars(select(PlanStopMember).where(
        PlanStopMember.plan_id == previous.id)))
    stops = {s.id: s for s in session.scalars(select(PlanStop).where(
        PlanStop.route_id.in_([r.id for r in routes] or [0])))}
    route_day = {r.id: r.day for r in routes}
    if through is None:
        worked = [route_day[stops[m.stop_id].route_id] for m in people if m.outcome]
        if not worked:
            raise ResourceError(NOTHING_TO_REPLAN)
        through = max(worked)
    served = frozenset(m.member_id for m in people if m.outcome in DONE)
    retry = {m.member_id: (f"tidak di rumah pada kunjungan {route_day[stops[m.stop_id].route_id]}"
                           f" pukul {hhmm(stops[m.stop_id].arrives)}: dicoba hari lain, "
                           "waktu lain", stops[m.stop_id].arrives,
                           stops[m.stop_id].kind != str(p.StopKind.HOME))
             for m in people if m.outcome == NOT_HOME}
    prepared = campaigns.prepare(
        session, campaign, user=user, seed=seed, max_iterations=max_iterations,
        starts=date.fromordinal(through.toordinal() + 1),
        exclude=served, retry_notes=retry)
    return through, prepared


def _waiting(session: Session, plan_ids: list[int]) -> set[tuple[int, int]]:
    """(list, member) of everyone the plans expect and whose visit has no outcome yet."""
    return {(row.list_id, row.member_id) for row in session.execute(
        select(PlanStopMember.list_id, PlanStopMember.member_id).where(
            PlanStopMember.plan_id.in_(plan_ids or [0]), PlanStopMember.outcome.is_(None)))}


def _follow_up(session: Session, user: User, campaign: Campaign, previous: PlanVersion | None,
               version: PlanVersion) -> None:
    """Move the target members to match the new version, through targets' own rules.

    Everyone the version expects (no outcome yet) becomes "scheduled"; whoever the
    previous version expected and this one drops steps back to "contacted" (the one
    move back that targets allow: the visit was called off), unless another campaign's
    current plan still expects them. Members already further on (reached, closed) keep
    their state. Each move is a history entry naming the campaign and the version.
    """
    note = f"kampanye #{campaign.id} versi {version.version}"
    now = _waiting(session, [version.id])
    dropped = (_waiting(session, [previous.id]) if previous is not None else set()) - now
    if dropped:
        latest = (select(func.max(PlanVersion.id)).where(PlanVersion.campaign_id
                                                         != campaign.id)
                  .group_by(PlanVersion.campaign_id))
        dropped -= _waiting(session, list(session.scalars(latest)))
    # Only lists the planner manages move (targets' rule for moves): a kecamatan operator
    # planning from a regency list leaves that list's states to its owners.
    managed = {list_id for list_id in {li for li, _ in now | dropped}
               if target_service.manages(user, target_service.access_list(
                   session=session, user=user, list_id=list_id))}
    for list_id, member_id, state, why in sorted(
            [(li, m, states.SCHEDULED, "dijadwalkan") for li, m in now if li in managed]
            + [(li, m, states.CONTACTED, "tidak lagi dijadwalkan") for li, m in dropped
               if li in managed]):
        _, member = target_members.access_member(session=session, user=user,
                                                 list_id=list_id, member_id=member_id)
        if member.state == state or state not in states.MOVES.get(member.state, frozenset()):
            continue
        if state == states.CONTACTED and member.state != states.SCHEDULED:
            continue
        target_members.move_member(session=session, user=user, list_id=list_id,
                                   member_id=member_id, state=state, note=f"{note}: {why}")


def _copy_kept(session: Session, old: PlanVersion, new: PlanVersion, through: date) -> None:
    """Copy the routes up to `through` into `new`, outcomes and all: what was done stays."""
    for route in session.scalars(select(PlanRoute).where(PlanRoute.plan_id == old.id,
                                                         PlanRoute.day <= through)):
        copy = PlanRoute(plan_id=new.id, day=route.day, team_id=route.team_id,
                         leaves=route.leaves, returns=route.returns, metres=route.metres,
                         base_name=route.base_name, base_latitude=route.base_latitude,
                         base_longitude=route.base_longitude)
        session.add(copy)
        session.flush()
        for stop in session.scalars(select(PlanStop).where(PlanStop.route_id == route.id)):
            stop_copy = PlanStop(**{c: getattr(stop, c) for c in _STOP_COLUMNS},
                                 route_id=copy.id)
            session.add(stop_copy)
            session.flush()
            for person in session.scalars(select(PlanStopMember).where(
                    PlanStopMember.stop_id == stop.id)):
                session.add(PlanStopMember(**{c: getattr(person, c) for c in _PERSON_COLUMNS},
                                           plan_id=new.id, stop_id=stop_copy.id))
    session.flush()


_STOP_COLUMNS = ("position", "kind", "arrives", "departs", "site_key", "place", "desa_code",
                 "latitude", "longitude", "escort", "travel_metres")
_PERSON_COLUMNS = ("member_id", "list_id", "desa_code", "name", "nik_masked", "category",
                   "address", "contact", "outcome", "outcome_note", "outcome_by", "outcome_at")


def _store(session: Session, campaign: Campaign, user: User, prepared: campaigns.Prepared,
           plan: p.Plan, *, kept: date | None) -> PlanVersion:
    number = (session.scalar(select(func.max(PlanVersion.version)).where(
        PlanVersion.campaign_id == campaign.id)) or 0) + 1
    notes = (list(plan.notes) + [f"{d}: {why}" for d, why in prepared.skipped_days]
             + list(prepared.notes))
    version = PlanVersion(
        campaign_id=campaign.id, version=number, kept_through=kept, solver=plan.solver,
        seed=plan.seed, served_weight=plan.served_weight,
        total_weight=plan.total_weight + sum(1 for _ in prepared.unplaced),
        notes="\n".join(notes), created_by=user.username, created_at=datetime.now(UTC))
    session.add(version)
    session.flush()
    people = {person.member_id: person for person in prepared.problem.people}
    sites = {site.key: site for site in prepared.problem.sites}
    bases = {team.key: team.base for team in prepared.problem.teams}
    for route in plan.routes:
        base, team_row = bases[route.team_key], session.get(Team, int(route.team_key))
        row = PlanRoute(plan_id=version.id, day=route.day, team_id=int(route.team_key),
                        leaves=route.leaves, returns=route.returns, metres=route.metres,
                        base_name=(team_row.base_name if team_row else "")[:120]
                        or campaign.area_code, base_latitude=base.lat,
                        base_longitude=base.lng)
        session.add(row)
        session.flush()
        for position, stop in enumerate(route.stops, start=1):
            site = sites.get(stop.site_key or "")
            first = people.get(stop.member_ids[0]) if stop.member_ids else None
            point = stop.point or (site.point if site else first.point if first else None)
            place = site.name if site else (first.address or first.name if first else "")
            stop_row = PlanStop(
                route_id=row.id, position=position, kind=str(stop.kind), arrives=stop.arrives,
                departs=stop.departs, site_key=stop.site_key, place=place[:200],
                desa_code=site.desa_code if site else (first.desa_code if first else None),
                latitude=point.lat if point else None, longitude=point.lng if point else None,
                escort=",".join(sorted(stop.escort)), travel_metres=stop.travel_metres)
            session.add(stop_row)
            session.flush()
            for member_id in stop.member_ids:
                person = people[member_id]
                session.add(PlanStopMember(
                    plan_id=version.id, stop_id=stop_row.id, member_id=member_id,
                    list_id=prepared.list_of_member[member_id], desa_code=person.desa_code,
                    name=person.name[:120], nik_masked=person.nik_masked,
                    category=str(person.category), address=person.address[:200],
                    contact=person.contact[:60]))
    for left in (*plan.left_out, *prepared.unplaced):
        known = people.get(left.member_id)
        session.add(PlanLeftOut(
            plan_id=version.id, member_id=left.member_id,
            name=(known.name if known else f"anggota #{left.member_id}")[:120],
            desa_code=known.desa_code if known else None,
            category=str(known.category) if known else "",
            weight=known.weight if known else 1, reason=left.reason[:300]))
    campaign.status = "planned"
    campaign.approved_by = campaign.approved_at = None  # a new plan needs a new approval
    session.flush()
    return version


# --- outcomes and approval --------------------------------------------------------------


def record_outcome(*, session: Session, user: User, campaign_id: int, entry_id: int,
                   outcome: str, note: str | None = None) -> PlanStopMember:
    """Record what happened to one planned person; move their target member to match."""
    campaign = campaigns.access_managed_campaign(session=session, user=user,
                                                 campaign_id=campaign_id)
    plan = current_plan(session=session, campaign=campaign)
    entry = session.get(PlanStopMember, entry_id)
    if entry is None or plan is None or entry.plan_id != plan.id:
        raise NotFound(entry_id)
    if outcome not in OUTCOMES:
        raise ResourceError(f"hasil tidak dikenal: {outcome[:20]!r} "
                            f"(pilih: {', '.join(OUTCOMES)})")
    if entry.outcome in DONE:
        raise ResourceError(f"hasil {entry.name} sudah dicatat "
                            f"({OUTCOME_LABELS[entry.outcome][0]}) dan tidak bisa diubah")
    state, target_outcome = OUTCOMES[outcome]
    _, member = target_members.access_member(session=session, user=user,
                                             list_id=entry.list_id, member_id=entry.member_id)
    # The follow-up moves through targets' own rules; a member already moved further
    # (reached elsewhere) keeps their state, and "not home" twice stays contacted.
    if state is not None and state in states.MOVES.get(member.state, frozenset()):
        target_members.move_member(session=session, user=user, list_id=entry.list_id,
                                   member_id=entry.member_id, state=state,
                                   outcome=target_outcome,
                                   note=f"kampanye #{campaign.id}: {OUTCOME_LABELS[outcome][0]}")
    entry.outcome, entry.outcome_note = outcome, (note or "").strip()[:200] or None
    entry.outcome_by, entry.outcome_at = user.username, datetime.now(UTC)
    session.flush()
    return entry


def approve(*, session: Session, user: User, campaign_id: int) -> Campaign:
    """Approve the campaign's current plan (kepala, in scope)."""
    campaign = campaigns.access_campaign(session=session, user=user, campaign_id=campaign_id)
    if user.role not in campaigns.APPROVERS:
        raise NotFound(campaign_id)
    if current_plan(session=session, campaign=campaign) is None:
        raise ResourceError("kampanye belum punya rencana untuk disetujui")
    campaign.status, campaign.approved_by = "approved", user.username
    campaign.approved_at = datetime.now(UTC)
    session.flush()
    return campaign


# --- reading ----------------------------------------------------------------------------


def plan_context(*, session: Session, user: User, campaign_id: int,
                 locale: str = "id") -> dict[str, Any]:
    """The campaign and its current plan: per day and team, stops, people, the left-out."""
    campaign = campaigns.access_campaign(session=session, user=user, campaign_id=campaign_id)
    plan = current_plan(session=session, campaign=campaign)
    data: dict[str, Any] = {
        "campaign": campaign_summary(campaign, locale),
        "may_plan": campaigns.manages(user, campaign),
        "may_approve": user.role in campaigns.APPROVERS and plan is not None
        and campaign.status != "approved",
        "outcomes": [{"code": c, "label": OUTCOME_LABELS[c][1 if locale == "en" else 0]}
                     for c in OUTCOMES],
        "plan": None,
    }
    if plan is None:
        return data
    days, planned = plan_days(session, plan, locale=locale)
    left_out = [{"member_id": row.member_id, "name": row.name, "desa_code": row.desa_code,
                 "category": row.category, "weight": row.weight, "reason": row.reason}
                for row in session.scalars(select(PlanLeftOut).where(
                    PlanLeftOut.plan_id == plan.id).order_by(PlanLeftOut.weight.desc(),
                                                             PlanLeftOut.id))]
    data["plan"] = {
        "version": plan.version, "solver": plan.solver, "seed": plan.seed,
        "kept_through": plan.kept_through.isoformat() if plan.kept_through else None,
        "served_weight": plan.served_weight, "total_weight": plan.total_weight,
        "people_planned": planned, "people_left_out": len(left_out),
        "notes": [n for n in plan.notes.split("\n") if n],
        "created_by": plan.created_by, "created_at": plan.created_at.isoformat(),
        "days": days,
        "left_out": left_out,
    }
    return data


# The plan's days as the page, the JSON twin, the day sheets and the field node read them:
#   [{"day": "YYYY-MM-DD", "routes": [{
#       "route_id", "team_id", "team", "leaves", "returns" ("HH:MM"), "km",
#       "base": {"name", "point": [lat, lng] | None} (where the day starts, as planned),
#       "stops": [{"id", "position", "kind" (sesi | sekolah | rumah), "arrives", "departs",
#                  "place", "site_key" ("desa:CODE" | "sekolah:NPSN" | None), "desa_code",
#                  "point": [lat, lng] | None, "escort": [Skill codes], "travel_metres",
#                  "people": [{"id" (plan entry: POST .../hasil), "member_id", "list_id",
#                              "name", "nik" (masked), "category", "address", "contact",
#                              "desa_code", "outcome", "outcome_label"}]}]}]}]
def plan_days(session: Session, plan: PlanVersion, *, locale: str = "id",
              team_ids: set[int] | None = None,
              day: date | None = None) -> tuple[list[dict[str, Any]], int]:
    """The plan's routes by day (optionally one day, some teams) and how many are planned."""
    teams = {t.id: t.name for t in session.scalars(select(Team))}
    query = select(PlanRoute).where(PlanRoute.plan_id == plan.id)
    if team_ids is not None:
        query = query.where(PlanRoute.team_id.in_(sorted(team_ids) or [0]))
    if day is not None:
        query = query.where(PlanRoute.day == day)
    routes = list(session.scalars(query.order_by(PlanRoute.day, PlanRoute.team_id)))
    stops_by_route: dict[int, list[PlanStop]] = defaultdict(list)
    for stop in session.scalars(select(PlanStop).where(
            PlanStop.route_id.in_([r.id for r in routes] or [0])).order_by(PlanStop.position)):
        stops_by_route[stop.route_id].append(stop)
    people_by_stop: dict[int, list[PlanStopMember]] = defaultdict(list)
    for person in session.scalars(select(PlanStopMember).where(
            PlanStopMember.plan_id == plan.id).order_by(PlanStopMember.id)):
        people_by_stop[person.stop_id].append(person)
    days: dict[str, list[dict[str, Any]]] = defaultdict(list)
    planned = 0
    for route in routes:
        stops = []
        for stop in stops_by_route[route.id]:
            people = [{"id": m.id, "member_id": m.member_id, "list_id": m.list_id,
                       "name": m.name, "nik": m.nik_masked, "category": m.category,
                       "address": m.address, "contact": m.contact,
                       "desa_code": m.desa_code, "outcome": m.outcome,
                       "outcome_label": OUTCOME_LABELS[m.outcome][1 if locale == "en" else 0]
                       if m.outcome else None} for m in people_by_stop[stop.id]]
            planned += len(people)
            stops.append({"id": stop.id, "position": stop.position, "kind": stop.kind,
                          "arrives": hhmm(stop.arrives), "departs": hhmm(stop.departs),
                          "place": stop.place, "site_key": stop.site_key,
                          "desa_code": stop.desa_code,
                          "point": [stop.latitude, stop.longitude]
                          if stop.latitude is not None else None,
                          "escort": resources.codes(stop.escort),
                          "travel_metres": stop.travel_metres, "people": people})
        days[route.day.isoformat()].append({
            "route_id": route.id, "team_id": route.team_id,
            "team": teams.get(route.team_id, str(route.team_id)),
            "leaves": hhmm(route.leaves), "returns": hhmm(route.returns),
            "km": round(route.metres / 1000, 1),
            "base": {"name": route.base_name, "point": [route.base_latitude,
                                                        route.base_longitude]
                     if route.base_latitude is not None else None},
            "stops": stops})
    return [{"day": d, "routes": day_routes} for d, day_routes in days.items()], planned


def campaign_summary(campaign: Campaign, locale: str = "id") -> dict[str, Any]:
    words = STATUS_LABELS.get(campaign.status, (campaign.status, campaign.status))
    return {"id": campaign.id, "name": campaign.name, "area_code": campaign.area_code,
            "starts": campaign.starts.isoformat(), "ends": campaign.ends.isoformat(),
            "status": campaign.status, "status_label": words[1 if locale == "en" else 0],
            "programme_ids": resources.ids(campaign.programme_ids),
            "team_ids": resources.ids(campaign.team_ids),
            "list_ids": resources.ids(campaign.list_ids),
            "approved_by": campaign.approved_by, "href": f"/kampanye/{campaign.id}"}
