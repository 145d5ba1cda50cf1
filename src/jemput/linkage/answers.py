"""What the linked rosters answer: per school, per desa and TPS, and who is out of school.

Only the current roster of each school or desa counts (a replaced one is history), and
only links that stand (`auto`, which includes a reviewer's acceptance): a pair still in
review is nobody's student yet. Who each figure counts is written once, in
selections.py, which the target lists built from these pages use too.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import not_, select
from sqlalchemy.orm import Session

from jemput.auth.access import Forbidden, has_role, scope_filter
from jemput.auth.models import Role, User
from jemput.linkage import selections
from jemput.linkage.models import Decision
from jemput.residents.codes import KtpStatus
from jemput.residents.eligibility import (
    RECORDING_AGE,
    WAJIB_KTP_AGE,
    age_on,
    living_here_sql,
    recorded_sql,
    wajib_ktp_sql,
)
from jemput.residents.models import Resident
from jemput.residents.nik import mask_nik
from jemput.rosters.models import Roster, RosterRow
from jemput.schools.models import School

MINUTES_PER_PERSON = 15  # one recording, queue included (the office's rule of thumb)
LIST_LIMIT = 500


def _school_scope(user: User) -> Any:
    if has_role(user, Role.OPERATOR, Role.KEPALA):
        return scope_filter(user, School.desa_code)
    if has_role(user, Role.SEKOLAH) and user.scope_institution:
        return School.npsn == user.scope_institution
    raise Forbidden(user.role)


def _region_reader(user: User) -> None:
    if not has_role(user, Role.OPERATOR, Role.KEPALA, Role.DESA):
        raise Forbidden(user.role)


def _student(row: RosterRow, resident: Resident, on: date) -> dict[str, Any]:
    return {"name": resident.name, "nik": mask_nik(resident.nik), "class": row.class_name,
            "line": row.line, "birth_date": resident.birth_date.isoformat(),
            "age": age_on(resident.birth_date, on), "desa_code": resident.desa_code}


def schools(
    *, session: Session, user: User, on: date, minutes_per_person: int = MINUTES_PER_PERSON,
) -> dict[str, Any]:
    """Per school and pesantren: who may record on `on` and has not, and who waits for 17."""
    in_scope = _school_scope(user)
    linked = (selections.student_links(School, RosterRow, Resident).where(in_scope)
              .order_by(School.name, RosterRow.class_name, Resident.name))
    # The students a session on `on` should record: the same condition as the per-school
    # target list (target_rules.py), so the figure and the list hold the same people.
    not_recorded = session.execute(linked.where(
        selections.student_to_record_sql(on=on))).all()
    waiting = session.execute(linked.where(
        living_here_sql(on=on), recorded_sql(on=on), not_(wajib_ktp_sql(on=on)))).all()
    by_school: dict[int, dict[str, Any]] = {}

    def entry(school: School) -> dict[str, Any]:
        return by_school.setdefault(school.id, {
            "npsn": school.npsn, "name": school.name, "kind": school.kind,
            "desa_code": school.desa_code, "not_recorded": [], "waiting_for_17": []})

    for school, row, resident in not_recorded:
        entry(school)["not_recorded"].append(_student(row, resident, on))
    for school, row, resident in waiting:
        student = _student(row, resident, on)
        student["card_from"] = birth_cutoff_inverse(resident.birth_date, WAJIB_KTP_AGE)
        entry(school)["waiting_for_17"].append(student)
    for school_entry in by_school.values():
        school_entry["session_minutes"] = len(school_entry["not_recorded"]) * minutes_per_person
    return {"on": on.isoformat(), "minutes_per_person": minutes_per_person,
            "recording_age": RECORDING_AGE, "schools": list(by_school.values())}


def birth_cutoff_inverse(born: date, years: int) -> str:
    """Return the date someone born on `born` turns `years` (29 February: 1 March)."""
    try:
        return born.replace(year=born.year + years).isoformat()
    except ValueError:
        return date(born.year + years, 3, 1).isoformat()


def voters(*, session: Session, user: User) -> dict[str, Any]:
    """Per desa and TPS: voters without a KTP-el recording, and voters SIAK does not know."""
    _region_reader(user)
    found = session.execute(
        selections.voter_rows().where(scope_filter(user, Roster.desa_code))).all()
    tally: dict[tuple[str, str], dict[str, int]] = defaultdict(
        lambda: {"voters": 0, "not_recorded": 0, "unknown": 0, "in_review": 0,
                 "unmatched": 0})
    for desa_code, tps, decision, unrecorded in found:
        counts = tally[(desa_code or "", tps or "")]
        counts["voters"] += 1
        if decision == Decision.AUTO:
            counts["not_recorded"] += int(bool(unrecorded))
            continue
        # Unknown or in review: the rows of the belum-padan list of this TPS.
        counts["unmatched"] += 1
        if decision == Decision.REVIEW:
            counts["in_review"] += 1
        else:
            counts["unknown"] += 1
    rows: list[dict[str, Any]] = [{"desa_code": desa, "tps": tps, **counts}
                                  for (desa, tps), counts in sorted(tally.items())]
    totals = {key: sum(counts[key] for counts in tally.values())
              for key in ("voters", "not_recorded", "unknown", "in_review", "unmatched")}
    return {"by_tps": rows, "totals": totals}


def out_of_school(
    *, session: Session, user: User, on: date, limit: int = LIST_LIMIT,
) -> dict[str, Any]:
    """Residents aged 16-17 on `on` whom no current school or pesantren roster lists."""
    _region_reader(user)
    chosen = (
        select(Resident)
        .where(scope_filter(user, Resident.desa_code), selections.out_of_school_sql(on=on))
        .order_by(Resident.desa_code, Resident.name, Resident.id)
    )
    people = session.scalars(chosen.limit(limit + 1)).all()
    by_desa: dict[str, int] = defaultdict(int)
    for (desa_code,) in session.execute(select(chosen.subquery().c.desa_code)).all():
        by_desa[desa_code] += 1
    return {
        "on": on.isoformat(),
        "total": sum(by_desa.values()),
        "by_desa": [{"desa_code": code, "count": count} for code, count in sorted(by_desa.items())],
        "people": [{"resident_id": r.id, "name": r.name, "nik": mask_nik(r.nik),
                    "birth_date": r.birth_date.isoformat(), "age": age_on(r.birth_date, on),
                    "desa_code": r.desa_code, "recorded": r.ktp_status not in (
                        None, KtpStatus.UNREGISTERED.value)}
                   for r in people[:limit]],
        "truncated": len(people) > limit,
    }
