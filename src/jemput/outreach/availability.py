"""Which team works which day: absences (leave, another assignment) and the office's kits.

An office marks a team, or one of its members, unavailable on dates (the resources page,
or `unavailable` in the settings file). `team_days` then gives each campaign team the
work days it has, which become its PyVRP vehicles (Team.days, solver.py):

* a team marked away, or whose every listed member is away, has no team-day then;
* kits are counted per day: the teams out on one day carry at most the office's
  recording kits (CalendarSettings.kits). When more teams could go than there are kits,
  the teams able to do most (the most skills, then the lowest id) take them, and the
  plan's notes say who stayed in. A deterministic rule before the solver, not the
  solver's choice: PyVRP has no resource shared between vehicles.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from jemput import clock
from jemput.auth.access import NotFound, has_role, region_in_scope
from jemput.auth.models import User
from jemput.outreach import resources
from jemput.outreach.models import CalendarSettings, Team, TeamAbsence
from jemput.outreach.resources import MANAGERS, ResourceError, codes

MAX_SPAN_DAYS = 92


def _managed_team(session: Session, user: User, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None or not has_role(user, *MANAGERS) or not region_in_scope(user,
                                                                          team.area_code):
        raise NotFound(team_id)
    return team


def mark_unavailable(*, session: Session, user: User, team_id: int, starts: date,
                     ends: date, member: str = "", reason: str = "") -> list[TeamAbsence]:
    """Mark a team (or one member) unavailable from `starts` to `ends`; return the days."""
    team = _managed_team(session, user, team_id)
    member, reason = member.strip(), reason.strip()
    if ends < starts or (ends - starts).days >= MAX_SPAN_DAYS:
        raise ResourceError(f"tidak tersedia {starts}–{ends}: tanggal tidak sah (selesai "
                            f"tidak sebelum mulai, paling lama {MAX_SPAN_DAYS} hari)")
    if member and member not in codes(team.members):
        raise ResourceError(f"{member[:60]!r} bukan anggota {team.name} "
                            f"(anggota: {', '.join(codes(team.members)) or 'belum diisi'})")
    if len(reason) > 120:
        raise ResourceError("alasan tidak tersedia paling panjang 120 huruf")
    existing = {a.day: a for a in session.scalars(select(TeamAbsence).where(
        TeamAbsence.team_id == team.id, TeamAbsence.member == member,
        TeamAbsence.day >= starts, TeamAbsence.day <= ends))}
    rows = []
    day = starts
    while day <= ends:
        row = existing.get(day) or TeamAbsence(team_id=team.id, day=day, member=member)
        row.reason = reason
        session.add(row)
        rows.append(row)
        day += timedelta(days=1)
    session.flush()
    return rows


def remove_absence(*, session: Session, user: User, absence_id: int) -> None:
    """Make the team (or member) available again on that day."""
    row = session.get(TeamAbsence, absence_id)
    if row is None:
        raise NotFound(absence_id)
    _managed_team(session, user, row.team_id)
    session.delete(row)
    session.flush()


def absences_of(*, session: Session, team_ids: list[int], since: date | None = None
                ) -> list[TeamAbsence]:
    query = select(TeamAbsence).where(TeamAbsence.team_id.in_(team_ids or [0]))
    if since is not None:
        query = query.where(TeamAbsence.day >= since)
    return list(session.scalars(query.order_by(TeamAbsence.day, TeamAbsence.team_id,
                                               TeamAbsence.member)))


def team_days(*, session: Session, teams: list[Team], days: list[date],
              calendar: CalendarSettings | None) -> tuple[dict[int, frozenset[date]], list[str]]:
    """The days each team works, and planner notes saying who stays in when and why."""
    away: dict[tuple[int, date], dict[str, str]] = defaultdict(dict)
    for row in absences_of(session=session, team_ids=[t.id for t in teams],
                           since=min(days) if days else None):
        away[(row.team_id, row.day)][row.member] = row.reason
    # Kits go first to the teams able to do most (skills), then by id: deterministic.
    order = sorted((t for t in teams if t.kits >= 1),
                   key=lambda t: (-len(codes(t.skills)), t.id))
    office_kits = calendar.kits if calendar is not None else sum(t.kits for t in order)
    works: dict[int, set[date]] = {t.id: set() for t in teams}
    notes: list[str] = []
    for day in days:
        used = 0
        for team in order:
            marks = away.get((team.id, day), {})
            members = codes(team.members)
            if "" in marks or (members and set(members) <= set(marks)):
                why = marks.get("") or "; ".join(sorted(v for v in marks.values() if v))
                notes.append(f"{day}: {team.name} tidak tersedia" + (f" ({why})" if why else ""))
                continue
            if used + team.kits > office_kits:
                notes.append(f"{day}: {team.name} tidak berangkat: alat rekam kantor "
                             f"({office_kits}) sudah dibawa tim lain")
                continue
            used += team.kits
            works[team.id].add(day)
            if marks:
                notes.append(f"{day}: {team.name} berangkat tanpa {', '.join(sorted(marks))}")
    return {team_id: frozenset(d) for team_id, d in works.items()}, notes


def absence_rows(*, session: Session, user: User) -> list[dict[str, object]]:
    """The resources page's list: absences of the teams the user sees, from today on."""
    teams = {t.id: t for t in resources.visible(session=session, user=user, model=Team)}
    return [{"id": a.id, "team_id": a.team_id, "team": teams[a.team_id].name,
             "day": a.day.isoformat(), "member": a.member, "reason": a.reason,
             "may_manage": has_role(user, *MANAGERS)
             and region_in_scope(user, teams[a.team_id].area_code)}
            for a in absences_of(session=session, team_ids=sorted(teams),
                                 since=clock.today() - timedelta(days=30))]
