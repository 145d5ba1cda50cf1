"""The members of a list as a page: filter, sort, page; move a member; give members out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from jemput.auth import audit
from jemput.auth.access import NotFound, may_reveal_nik, within_region
from jemput.auth.models import Role, User
from jemput.regions.models import Region
from jemput.residents.eligibility import age_on
from jemput.residents.models import Resident
from jemput.residents.nik import mask_nik
from jemput.rosters.models import RosterRow
from jemput.targets import rules as rule_registry
from jemput.targets import service, states
from jemput.targets.models import TargetEvent, TargetList, TargetMember

SORTS = ("name", "dusun", "state", "age")
PER_PAGE = 50
MAX_PER_PAGE = 200


class AssignError(ValueError):
    """An assignment that cannot be made; the message says why."""


@dataclass(frozen=True)
class MemberQuery:
    """Filters, order and page of a list's members, validated."""

    state: str | None = None
    desa: str | None = None
    dusun: str | None = None
    rt: str | None = None
    q: str | None = None
    sort: str = "name"
    descending: bool = False
    page: int = 1
    per_page: int = PER_PAGE

    def params(self, **changes: Any) -> dict[str, Any]:
        values = {"state": self.state, "desa": self.desa, "dusun": self.dusun, "rt": self.rt,
                  "q": self.q, "sort": self.sort, "dir": "desc" if self.descending else "asc",
                  "page": self.page}
        values.update(changes)
        return {key: value for key, value in values.items() if value not in (None, "")}


def parse_query(
    *, state: str | None = None, desa: str | None = None, dusun: str | None = None,
    rt: str | None = None, q: str | None = None, sort: str | None = None,
    direction: str | None = None, page: int = 1, per_page: int = PER_PAGE,
) -> MemberQuery:
    """Validate member filters; unknown values fall back to defaults."""
    return MemberQuery(
        state=state if state in states.STATES else None, desa=(desa or "").strip() or None,
        dusun=(dusun or "").strip()[:80] or None, rt=(rt or "").strip()[:3] or None,
        q=(q or "").strip()[:60] or None, sort=sort if sort in SORTS else "name",
        descending=direction == "desc", page=max(1, page),
        per_page=min(max(1, per_page), MAX_PER_PAGE),
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# A member is a resident or, on an unmatched-roster list, a roster row: what the page
# shows comes from whichever it is.
_ro = RosterRow
NAME = func.coalesce(Resident.name, _ro.name)
NIK = func.coalesce(Resident.nik, _ro.nik)
SEX = func.coalesce(Resident.sex, _ro.sex)
BORN = func.coalesce(Resident.birth_date, _ro.birth_date)
RT = func.coalesce(Resident.rt, _ro.rt)
RW = func.coalesce(Resident.rw, _ro.rw)


def _joined(statement: Any) -> Any:
    return statement.outerjoin(Resident, Resident.id == TargetMember.resident_id).outerjoin(
        _ro, _ro.id == TargetMember.roster_row_id)


def _rt_matches(rt: str) -> ColumnElement[bool]:
    # SIAK writes RT as "1" or "001": compare the number, not the text.
    return func.ltrim(RT, "0") == (rt.lstrip("0") or "0")


def _filtered(statement: Any, user: User, target: TargetList, query: MemberQuery) -> Any:
    m, r = TargetMember, Resident
    statement = statement.where(m.list_id == target.id, service.member_filter(user, target))
    if query.state:
        statement = statement.where(m.state == query.state)
    if query.desa:
        statement = statement.where(m.desa_code == query.desa)
    if query.dusun:
        statement = statement.where(func.upper(r.dusun) == query.dusun.upper())
    if query.rt:
        statement = statement.where(_rt_matches(query.rt))
    if query.q:
        pattern = f"%{_escape_like(query.q.upper())}%"
        statement = statement.where(func.upper(NAME).like(pattern, escape="\\"))
    return statement


def _order(query: MemberQuery) -> list[Any]:
    m, r = TargetMember, Resident
    orders: dict[str, list[Any]] = {
        "name": [NAME], "dusun": [r.dusun, RW, RT, NAME], "state": [m.state, NAME],
        "age": [BORN] if query.descending else [BORN.desc()]}
    columns = orders[query.sort]
    if query.sort != "age" and query.descending:
        columns = [column.desc() for column in columns]
    return [*columns, m.id]


def _rows_statement(user: User, target: TargetList, query: MemberQuery) -> Any:
    m, r = TargetMember, Resident
    base = _joined(select(m, NIK.label("nik"), NAME.label("name"), SEX.label("sex"),
                          BORN.label("birth_date"), r.dusun, RT.label("rt"), RW.label("rw")))
    return _filtered(base, user, target, query).order_by(*_order(query))


def member_row(row: Any, *, user: User, on: date, locale: str = "id",
               reveal: bool = False) -> dict[str, Any]:
    """One member as pages and exports show them; the NIK in full only if `reveal` and
    the user may see it (the XLSX; pages mask, as the named lists do)."""
    member: TargetMember = row[0]
    reveal = reveal and bool(row.nik) and may_reveal_nik(user, member.desa_code)
    return {
        "id": member.id, "resident_id": member.resident_id,
        "nik": (row.nik if reveal else mask_nik(row.nik)) if row.nik else None,
        "nik_full": reveal,
        "name": row.name, "sex": "L" if row.sex == 1 else "P",
        "age": age_on(row.birth_date, on) if row.birth_date else None,
        "desa_code": member.desa_code, "dusun": row.dusun, "rt": row.rt, "rw": row.rw,
        "reason": member.reason_en if locale == "en" else member.reason_id,
        "reason_id": member.reason_id, "reason_en": member.reason_en,
        "state": member.state, "state_label": states.label(member.state, locale),
        "outcome": member.outcome, "outcome_label": states.label(member.outcome, locale),
        "in_rule": member.in_rule, "assigned_user_id": member.assigned_user_id,
        "assigned_team": member.assigned_team,
        "moves": sorted(states.MOVES[member.state]) if may_move(user) else [],
    }


def may_move(user: User) -> bool:
    """Whether the role moves members at all (kepala and the auditor only read)."""
    return user.is_active and user.role in (*service.MANAGERS, *service.WORKERS)


def summary(target: TargetList, *, counts: dict[str, int] | None = None,
            locale: str = "id") -> dict[str, Any]:
    rule = rule_registry.get_rule(target.rule)
    return {"id": target.id, "name": target.name, "rule": target.rule,
            "rule_label": rule.label[1] if locale == "en" else rule.label[0],
            "params": rule_registry.dump_params(service.params_of(target)),
            "area_code": target.area_code, "institution_npsn": target.institution_npsn,
            "owner_id": target.owner_id, "created_at": target.created_at.isoformat(),
            "refreshed_at": target.refreshed_at.isoformat() if target.refreshed_at else None,
            "href": f"/sasaran/{target.id}", "counts": counts or {}}


def state_counts(*, session: Session, user: User, target: TargetList) -> dict[str, int]:
    m = TargetMember
    rows = session.execute(select(m.state, func.count()).where(
        m.list_id == target.id, service.member_filter(user, target)).group_by(m.state))
    return {state: int(count) for state, count in rows}


def lists_context(*, session: Session, user: User, locale: str = "id") -> dict[str, Any]:
    """Return the lists the user sees with their members' states counted."""
    found = service.visible_lists(session=session, user=user)
    return {"lists": [summary(t, counts=state_counts(session=session, user=user, target=t),
                              locale=locale) for t in found],
            "may_create": user.role in service.MANAGERS,
            "rules": [{"key": r.key, "label": r.label[1] if locale == "en" else r.label[0],
                       "params": list(r.params)} for r in rule_registry.RULES.values()]}


def members_context(
    *, session: Session, user: User, list_id: int, query: MemberQuery, ip: str | None = None,
    locale: str = "id",
) -> dict[str, Any]:
    """Return one page of a list's members the user may see; every read is audited."""
    target = service.access_list(session=session, user=user, list_id=list_id)
    on = service.data_date(session=session)
    total = int(session.scalar(_filtered(
        _joined(select(func.count()).select_from(TargetMember)), user, target, query)) or 0)
    pages = max(1, -(-total // query.per_page))
    statement = _rows_statement(user, target, query).limit(query.per_page).offset(
        (query.page - 1) * query.per_page)
    rows = [member_row(row, user=user, on=on, locale=locale)
            for row in session.execute(statement)]
    audit.record(session=session, actor=user, action="sasaran.daftar", object_type="sasaran",
                 object_id=target.id, ip=ip, region=target.area_code,
                 detail={"page": query.page, "rows": len(rows), "state": query.state})
    desa_names = {row.code: row.name for row in session.execute(
        select(Region.code, Region.name).where(Region.code.in_(
            select(TargetMember.desa_code).where(TargetMember.list_id == target.id,
                                                 service.member_filter(user, target)))))}
    return {"list": summary(target, counts=state_counts(session=session, user=user,
                                                         target=target), locale=locale),
            "data_date": on.isoformat(), "manages": service.manages(user, target),
            "filters": {"state": query.state, "desa": query.desa, "dusun": query.dusun,
                        "rt": query.rt, "q": query.q, "sort": query.sort,
                        "dir": "desc" if query.descending else "asc"},
            "page": query.page, "per_page": query.per_page, "pages": pages, "total": total,
            "desa_options": [{"code": c, "name": n} for c, n in sorted(desa_names.items())],
            "rows": rows}


def all_rows(*, session: Session, user: User, target: TargetList,
             query: MemberQuery) -> list[Any]:
    """Every member the user sees under `query`, for exports."""
    return list(session.execute(_rows_statement(user, target, query)))


def access_member(*, session: Session, user: User, list_id: int,
                  member_id: int) -> tuple[TargetList, TargetMember]:
    """Return a member the user may see; NotFound if missing or not theirs."""
    target = service.access_list(session=session, user=user, list_id=list_id)
    member = session.scalar(select(TargetMember).where(
        TargetMember.id == member_id, TargetMember.list_id == target.id,
        service.member_filter(user, target)))
    if member is None:
        raise NotFound(member_id)
    return target, member


def move_member(
    *, session: Session, user: User, list_id: int, member_id: int, state: str,
    outcome: str | None = None, note: str | None = None,
) -> TargetMember:
    """Move a member to `state`; the manager or the member's assignee, history kept."""
    target, member = access_member(session=session, user=user, list_id=list_id,
                                   member_id=member_id)
    if not (service.manages(user, target) or user.role in service.WORKERS):
        raise NotFound(member_id)  # kepala and the auditor read, never move
    stored = states.check_move(current=member.state, new=state, outcome=outcome or None)
    at = service.now()
    session.add(TargetEvent(member_id=member.id, at=at, actor_id=user.id,
                            actor_name=user.username, kind="state", old_state=member.state,
                            new_state=state, outcome=stored, note=(note or "")[:500] or None))
    member.state, member.outcome, member.updated_at = state, stored, at
    session.flush()
    return member


def history(*, session: Session, user: User, list_id: int,
            member_id: int) -> list[dict[str, Any]]:
    """Return a member's history, oldest first."""
    _, member = access_member(session=session, user=user, list_id=list_id, member_id=member_id)
    events = session.scalars(select(TargetEvent).where(TargetEvent.member_id == member.id)
                             .order_by(TargetEvent.at, TargetEvent.id))
    return [{"at": e.at.isoformat(), "actor": e.actor_name, "kind": e.kind,
             "old_state": e.old_state, "new_state": e.new_state, "outcome": e.outcome,
             "note": e.note} for e in events]


def _assignee(session: Session, *, username: str | None, team: str | None) -> User | None:
    if team and username:
        raise AssignError("pilih satu: pengguna atau tim")
    if team:
        return None
    if not username:
        raise AssignError("pilih pengguna atau tim yang ditugasi")
    assignee = session.scalar(select(User).where(User.username == username))
    if assignee is None or not assignee.is_active or assignee.role not in service.ASSIGNEE_ROLES:
        raise AssignError(f"pengguna {username!r} tidak ada atau bukan desa/sekolah/mitra")
    return assignee


def _overlaps(assignee: User, target: TargetList) -> bool:
    """Whether a region-bound assignee (desa, mitra) can hold any member of the list."""
    if assignee.role not in (Role.DESA, Role.MITRA):
        return True  # sekolah: the office sends students to the school's coordinator
    scope = assignee.scope_region or ""
    return within_region(scope, target.area_code) or within_region(target.area_code, scope)


def assign(
    *, session: Session, user: User, list_id: int, member_ids: list[int] | None = None,
    desa: str | None = None, dusun: str | None = None, rt: str | None = None,
    username: str | None = None, team: str | None = None,
) -> int:
    """Give members (chosen, or all matching desa/dusun/RT) to a user or a team.

    Only members inside the assignee's own scope are given: a desa official gets only
    people of their desa, a mitra only people of their region. Returns how many.
    """
    target = service.access_managed_list(session=session, user=user, list_id=list_id)
    team = (team or "").strip()[:60] or None
    assignee = _assignee(session, username=(username or "").strip() or None, team=team)
    if assignee is not None and not _overlaps(assignee, target):
        raise AssignError(f"pengguna {assignee.username} di luar wilayah daftar ini")
    query = parse_query(desa=desa, dusun=dusun, rt=rt, per_page=MAX_PER_PAGE)
    statement = _filtered(_joined(select(TargetMember)), user, target, query)
    if member_ids is not None:
        statement = statement.where(TargetMember.id.in_(member_ids))
    statement = statement.where(TargetMember.state.in_(sorted(states.ACTIVE)))
    at = service.now()
    given = 0
    for member in session.scalars(statement):
        if assignee is not None and assignee.role in (Role.DESA, Role.MITRA) and not (
                member.desa_code and within_region(assignee.scope_region or "",
                                                   member.desa_code)):
            continue
        who = assignee.username if assignee else f"tim {team}"
        session.add(TargetEvent(member_id=member.id, at=at, actor_id=user.id,
                                actor_name=user.username, kind="assign",
                                old_state=member.state, new_state=member.state,
                                note=f"ditugaskan ke {who}"))
        member.assigned_user_id = assignee.id if assignee else None
        member.assigned_team = team if assignee is None else None
        member.updated_at = at
        given += 1
    session.flush()
    audit.record(session=session, actor=user, action="sasaran.tugaskan", object_type="sasaran",
                 object_id=target.id, region=target.area_code,
                 detail={"kepada": assignee.username if assignee else f"tim {team}",
                         "anggota": given, "desa": desa, "dusun": dusun, "rt": rt})
    return given
