"""Target lists: create, refresh against the registry, and decide who reaches which.

Managers (operator) build and assign lists inside their region scope; kepala and the
auditor read them; desa, sekolah, mitra and petugas see only the members assigned to
them (members.py). Missing and not-yours are the same NotFound.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, select, true
from sqlalchemy.orm import Session

from jemput import clock
from jemput.auth import audit
from jemput.auth.access import (
    NotFound,
    has_role,
    region_filter,
    region_in_scope,
    require_role,
    within_region,
)
from jemput.auth.models import Role, User
from jemput.regions.models import Region
from jemput.residents import eligibility
from jemput.residents.models import Resident
from jemput.residents.service import latest_applied_import
from jemput.schools.models import School
from jemput.targets import rules as rule_registry
from jemput.targets import states
from jemput.targets.models import TargetEvent, TargetList, TargetMember

MANAGERS = (Role.OPERATOR,)
READERS = (Role.OPERATOR, Role.KEPALA, Role.AUDITOR)
# Roles a list (or part of it) can be given to; petugas through their team.
ASSIGNEE_ROLES = (Role.DESA, Role.SEKOLAH, Role.MITRA)
WORKERS = (*ASSIGNEE_ROLES, Role.PETUGAS)
NAME_LENGTH = 120


def now() -> datetime:
    return datetime.now(UTC)


def data_date(*, session: Session) -> date:
    """Return the date ages are taken on: the registry's data date (today before any)."""
    latest = latest_applied_import(session=session)
    return latest.data_date if latest else clock.today()


def params_of(target: TargetList) -> dict[str, Any]:
    rule = rule_registry.get_rule(target.rule)
    return rule_registry.parse_params(rule, json.loads(target.params or "{}"))


def manages(user: User, target: TargetList) -> bool:
    return has_role(user, *MANAGERS) and region_in_scope(user, target.area_code)


def reads_whole(user: User, target: TargetList) -> bool:
    return has_role(user, *READERS) and region_in_scope(user, target.area_code)


def worker_filter(user: User) -> ColumnElement[bool]:
    """The members a worker (desa, sekolah, mitra, petugas) sees: theirs, in their scope."""
    m = TargetMember
    if not user.is_active:
        return false()
    if user.role == Role.PETUGAS:
        return m.assigned_team == user.scope_team if user.scope_team else false()
    if user.role == Role.SEKOLAH:
        return m.assigned_user_id == user.id
    if user.role in (Role.DESA, Role.MITRA):
        if not user.scope_region:
            return false()
        return and_(m.assigned_user_id == user.id, region_filter(user.scope_region, m.desa_code))
    return false()


def member_filter(user: User, target: TargetList) -> ColumnElement[bool]:
    """The members of `target` the user may see: all of them, or those given to them."""
    if reads_whole(user, target):
        return true()
    return worker_filter(user)


def given_to_reach(user: User, resident_id: Any) -> ColumnElement[bool]:
    """SQL: the resident (`resident_id`, a column) is given to `user` and still to be reached.

    For the domains that follow a worker's assignments (vulnerable: who may read a care
    profile); a member reached, closed or off the list is no longer anyone's task.
    """
    m = TargetMember
    return exists().where(m.resident_id == resident_id, m.state.in_(sorted(states.ACTIVE)),
                          worker_filter(user))


def access_list(*, session: Session, user: User, list_id: int) -> TargetList:
    """Return the list if the user may see it (or part of it); NotFound otherwise."""
    target = session.get(TargetList, list_id)
    if target is None:
        raise NotFound(list_id)
    if reads_whole(user, target):
        return target
    if not has_role(user, *WORKERS):
        raise NotFound(list_id)
    mine = exists().where(TargetMember.list_id == target.id, worker_filter(user))
    if not session.scalar(select(mine)):
        raise NotFound(list_id)
    return target


def access_managed_list(*, session: Session, user: User, list_id: int) -> TargetList:
    """Return the list if the user may change it (refresh, assign); NotFound otherwise."""
    target = access_list(session=session, user=user, list_id=list_id)
    if not manages(user, target):
        raise NotFound(list_id)
    return target


def visible_lists(*, session: Session, user: User) -> list[TargetList]:
    """Return the lists the user sees, newest first."""
    t = TargetList
    statement = select(t).order_by(t.created_at.desc(), t.id.desc())
    if has_role(user, *READERS) and user.scope_region:
        return list(session.scalars(statement.where(region_filter(user.scope_region,
                                                                  t.area_code))))
    if has_role(user, *WORKERS):
        mine = exists().where(TargetMember.list_id == t.id, worker_filter(user))
        return list(session.scalars(statement.where(mine)))
    return []


def create_list(
    *, session: Session, user: User, name: str, rule: str, params: dict[str, str],
    area_code: str, institution_npsn: str | None = None,
) -> TargetList:
    """Create a target list in the user's scope and fill it from the registry."""
    require_role(user, *MANAGERS)
    name = name.strip()
    if not name or len(name) > NAME_LENGTH:
        raise rule_registry.RuleError(f"nama daftar wajib diisi (paling panjang {NAME_LENGTH})")
    chosen = rule_registry.get_rule(rule)
    parsed = rule_registry.parse_params(chosen, params)
    region = session.get(Region, area_code)
    if region is None or not region_in_scope(user, area_code):
        raise NotFound(area_code)
    _check_place(session, chosen, area_code=area_code, institution_npsn=institution_npsn)
    target = TargetList(name=name, rule=chosen.key,
                        params=json.dumps(rule_registry.dump_params(parsed), sort_keys=True),
                        area_code=area_code, institution_npsn=institution_npsn or None,
                        owner_id=user.id, created_at=now())
    session.add(target)
    session.flush()
    result = refresh_list(session=session, target=target, actor=user,
                          on=data_date(session=session))
    audit.record(session=session, actor=user, action="sasaran.buat", object_type="sasaran",
                 object_id=target.id, region=area_code,
                 detail={"aturan": chosen.key, "parameter": rule_registry.dump_params(parsed),
                         "anggota": result.joined})
    return target


def _check_place(
    session: Session, rule: rule_registry.Rule, *, area_code: str,
    institution_npsn: str | None,
) -> None:
    """Refuse an institution the rule cannot use, or one outside the list's area."""
    if rule.institution == "must" and not institution_npsn:
        raise rule_registry.RuleError(
            f"aturan {rule.key} dibuat untuk satu sekolah/pesantren: isi NPSN-nya")
    if not institution_npsn:
        return
    if rule.institution == "never":
        raise rule_registry.RuleError(
            f"aturan {rule.key} berlaku untuk wilayah, bukan untuk satu sekolah/pesantren")
    school = session.scalar(select(School).where(School.npsn == institution_npsn))
    if school is None or not within_region(area_code, school.desa_code):
        raise rule_registry.RuleError(
            f"sekolah {institution_npsn} tidak dikenal di wilayah {area_code}")


@dataclass(frozen=True)
class RefreshResult:
    joined: int = 0
    left: int = 0
    rejoined: int = 0


def _event(
    session: Session, member: TargetMember, *, actor: User | None, actor_name: str, kind: str,
    old: str | None, new: str | None, outcome: str | None = None, note: str | None = None,
    at: datetime,
) -> None:
    session.add(TargetEvent(member_id=member.id, at=at, actor_id=actor.id if actor else None,
                            actor_name=actor_name, kind=kind, old_state=old, new_state=new,
                            outcome=outcome, note=note))


def _place(target: TargetList, rule: rule_registry.Rule,
           params: dict[str, Any]) -> ColumnElement[bool]:
    """Which residents the list's area or institution holds, before the rule is applied."""
    if target.institution_npsn:
        # A school's people are its students wherever they live: those its current
        # roster links to a resident (linkage answers; targets never reads its tables).
        students = rule_registry.roster_source().students(target.institution_npsn)
        return Resident.id.in_(students)
    if rule.place is not None:
        return rule.place(target.area_code, params)
    return region_filter(target.area_code, Resident.desa_code)


def _resident_candidates(
    session: Session, target: TargetList, rule: rule_registry.Rule, params: dict[str, Any],
    on: date,
) -> dict[int, tuple[str | None, rule_registry.Words]]:
    assert rule.condition is not None
    r = Resident
    rows = session.execute(
        select(r.id, r.desa_code, r.ktp_status, r.bedridden, r.odgj, r.disability,
               r.birth_date)
        .where(_place(target, rule, params), eligibility.counted_sql(on=on),
               rule.condition(on, params))
    )
    found = {}
    for row in rows:
        facts = rule_registry.Candidate(status=row.ktp_status, bedridden=bool(row.bedridden),
                                        odgj=bool(row.odgj), disability=row.disability,
                                        birth_date=row.birth_date)
        found[row.id] = (row.desa_code, rule.because(facts, params, on))
    return found


# A roster row that leaves an unmatched list was linked to a resident: it is no longer
# unknown to the registry, and the resident's own lists take it from there.
LINKED = "linked"


def _roster_candidates(
    session: Session, target: TargetList, rule: rule_registry.Rule, params: dict[str, Any],
    on: date,
) -> dict[int, tuple[str | None, rule_registry.Words]]:
    kind = params.get("kind")
    kinds = rule_registry.ROSTER_KINDS[kind] if kind else tuple(
        k for ks in rule_registry.ROSTER_KINDS.values() for k in ks)
    found = rule_registry.roster_source().unmatched(
        session=session, area_code=target.area_code, institution_npsn=target.institution_npsn,
        kinds=tuple(sorted(set(kinds))), tps=params.get("tps"))
    return {row_id: (desa_code, rule.because(rule_registry.RosterCandidate(kind=row_kind,
                                                                           tps=tps),
                                             params, on))
            for row_id, desa_code, row_kind, tps in found}


def refresh_list(
    *, session: Session, target: TargetList, actor: User | None, on: date,
    actor_name: str | None = None,
) -> RefreshResult:
    """Bring the list in line with the registry: newcomers join, the no-longer-selected leave.

    A member the rule no longer selects leaves with a history row: `reached` (recorded)
    when the registry now shows them recorded, `left` otherwise (a roster row with the
    outcome `linked` when a standing link now places it in the registry). Members already reached
    or closed keep their state; someone who left and matches again is reopened.
    """
    rule = rule_registry.get_rule(target.rule)
    params = params_of(target)
    name = actor_name or (actor.username if actor else "sistem")
    at = now()
    by_resident = rule.source == "residents"
    key = TargetMember.resident_id if by_resident else TargetMember.roster_row_id
    if by_resident:
        found = _resident_candidates(session, target, rule, params, on)
        recorded = set(session.scalars(select(Resident.id).where(
            Resident.id.in_(list(session.scalars(select(TargetMember.resident_id).where(
                TargetMember.list_id == target.id, TargetMember.resident_id.is_not(None))))),
            eligibility.recorded_sql(on=on))))
        done = (states.REACHED, "recorded")
    else:
        found = _roster_candidates(session, target, rule, params, on)
        # Rows that left because a link now stands (not because their roster was replaced
        # or the row moved out of the area) leave as "linked".
        gone = [row_id for row_id in session.scalars(select(TargetMember.roster_row_id).where(
            TargetMember.list_id == target.id, TargetMember.roster_row_id.is_not(None),
            TargetMember.state.in_(sorted(states.ACTIVE)))) if row_id not in found]
        recorded = rule_registry.roster_source().linked(session=session, row_ids=gone)
        done = (states.LEFT, LINKED)
    members = {getattr(m, key.key): m for m in session.scalars(
        select(TargetMember).where(TargetMember.list_id == target.id, key.is_not(None)))}
    joined = left = rejoined = 0
    for resident_id, member in members.items():
        if resident_id in found:
            member.in_rule = True
            if member.state == states.LEFT:
                member.state, member.outcome, member.updated_at = states.OPEN, None, at
                _event(session, member, actor=actor, actor_name=name, kind="rejoin",
                       old=states.LEFT, new=states.OPEN, at=at)
                rejoined += 1
            continue
        if not member.in_rule and member.state not in states.ACTIVE:
            continue
        member.in_rule = False
        if member.state in states.ACTIVE:
            new, outcome = (done if resident_id in recorded
                            else (states.LEFT, states.NO_LONGER_MATCHES))
            _event(session, member, actor=actor, actor_name=name, kind="leave",
                   old=member.state, new=new, outcome=outcome, at=at)
            member.state, member.outcome, member.updated_at = new, outcome, at
            left += 1
    newcomers = []
    for resident_id, (desa_code, (why_id, why_en)) in found.items():
        if resident_id in members:
            continue
        member = TargetMember(list_id=target.id, desa_code=desa_code,
                              reason_id=why_id[:200], reason_en=why_en[:200],
                              state=states.OPEN, in_rule=True, joined_at=at, updated_at=at)
        setattr(member, key.key, resident_id)
        session.add(member)
        newcomers.append(member)
    session.flush()
    for member in newcomers:
        _event(session, member, actor=actor, actor_name=name, kind="join", old=None,
               new=states.OPEN, note=member.reason_id, at=at)
        joined += 1
    target.refreshed_at = at
    session.flush()
    return RefreshResult(joined=joined, left=left, rejoined=rejoined)


def refresh_by_user(*, session: Session, user: User, list_id: int) -> RefreshResult:
    """Refresh one list at a manager's request (the Perbarui button)."""
    target = access_managed_list(session=session, user=user, list_id=list_id)
    return refresh_list(session=session, target=target, actor=user,
                        on=data_date(session=session))


def refresh_lists_in(
    *, session: Session, desa_codes: tuple[str, ...] | None, on: date, actor_name: str,
) -> int:
    """Refresh every list whose area holds one of `desa_codes` (all lists with None)."""
    count = 0
    for target in session.scalars(select(TargetList).order_by(TargetList.id)):
        if desa_codes is not None and not any(
                within_region(target.area_code, code) or within_region(code, target.area_code)
                for code in desa_codes):
            continue
        refresh_list(session=session, target=target, actor=None, on=on, actor_name=actor_name)
        count += 1
    return count



def members_to_reach(*, session: Session, user: User, list_id: int) -> list[TargetMember]:
    """Return the members still to reach (open, contacted, scheduled) the user may see.

    The input of a campaign plan (issue 9): each member names a resident (or a roster
    row), their desa, and who it is assigned to.
    """
    target = access_list(session=session, user=user, list_id=list_id)
    return list(session.scalars(
        select(TargetMember)
        .where(TargetMember.list_id == target.id, member_filter(user, target),
               TargetMember.state.in_(sorted(states.ACTIVE)))
        .order_by(TargetMember.desa_code, TargetMember.id)))
