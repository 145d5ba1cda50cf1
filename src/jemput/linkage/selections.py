"""Who the linked rosters name, written once: for the roster pages (answers.py) and for
the target lists built from them (target_rules.py), so a page's figure and the list of
the same people cannot drift apart.

Only current rosters count (a replaced one is history), and only standing links
(`auto`, which includes a reviewer's acceptance): a pair in review is nobody's yet.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, not_, select
from sqlalchemy.orm import Session

from jemput.auth.access import region_filter
from jemput.linkage.models import Decision, RosterLink
from jemput.residents.codes import KtpStatus
from jemput.residents.eligibility import (
    RECORDING_AGE,
    WAJIB_KTP_AGE,
    birth_cutoff,
    counted_sql,
    may_record_sql,
)
from jemput.residents.models import Resident
from jemput.rosters.models import Roster, RosterKind, RosterRow
from jemput.schools.models import School

SCHOOL_KINDS = (RosterKind.DAPODIK, RosterKind.PESANTREN)


def current_roster() -> ColumnElement[bool]:
    return Roster.replaced_by_id.is_(None)


def standing(link: type[RosterLink] = RosterLink) -> ColumnElement[bool]:
    """A link that places its row in the registry: `auto` (a reviewer's yes is stored so)."""
    return link.decision == Decision.AUTO


def _not_recorded() -> ColumnElement[bool]:
    # Two-valued: a status the export did not give is not "not recorded".
    return and_(Resident.ktp_status.is_not(None),
                Resident.ktp_status == KtpStatus.UNREGISTERED.value)


# --- schools and pesantren ----------------------------------------------------------------


def student_links(*columns: Any) -> Select[Any]:
    """SELECT `columns` over (school, roster row, resident) of every standing student link."""
    return (
        select(*columns)
        .select_from(School)
        .join(Roster, Roster.school_id == School.id)
        .join(RosterRow, RosterRow.roster_id == Roster.id)
        .join(RosterLink, and_(RosterLink.roster_row_id == RosterRow.id, standing()))
        .join(Resident, Resident.id == RosterLink.resident_id)
        .where(Roster.kind.in_(SCHOOL_KINDS), current_roster())
    )


def students_of(npsn: str) -> Select[Any]:
    """The resident ids the current roster of school or pesantren `npsn` links to."""
    return student_links(Resident.id).where(School.npsn == npsn)


def student_to_record_sql(*, on: Any) -> ColumnElement[bool]:
    """A student a session on `on` should record: counted, may record by then, has not."""
    return and_(counted_sql(on=on), _not_recorded(), may_record_sql(on=on))


def on_a_school_roster() -> ColumnElement[bool]:
    """Whether the resident is linked from any current school or pesantren roster."""
    return exists(
        select(RosterLink.roster_row_id)
        .join(RosterRow, RosterRow.id == RosterLink.roster_row_id)
        .join(Roster, Roster.id == RosterRow.roster_id)
        .where(RosterLink.resident_id == Resident.id, standing(),
               Roster.kind.in_(SCHOOL_KINDS), current_roster())
    )


def out_of_school_sql(*, on: Any) -> ColumnElement[bool]:
    """Counted, aged 16-17 on `on`, and on no current school or pesantren roster."""
    return and_(counted_sql(on=on),
                Resident.birth_date <= birth_cutoff(on, RECORDING_AGE),
                Resident.birth_date > birth_cutoff(on, WAJIB_KTP_AGE + 1),
                not_(on_a_school_roster()))


# --- voter lists --------------------------------------------------------------------------


def voter_rows() -> Select[str | None, str | None, str, bool]:
    """The rows of the current voter lists with their link, if any, and its resident."""
    return (
        select(Roster.desa_code, RosterRow.tps, RosterLink.decision,
               and_(standing(), voter_not_recorded_sql()).label("not_recorded"))
        .select_from(Roster)
        .join(RosterRow, RosterRow.roster_id == Roster.id)
        .outerjoin(RosterLink, RosterLink.roster_row_id == RosterRow.id)
        .outerjoin(Resident, Resident.id == RosterLink.resident_id)
        .where(Roster.kind == RosterKind.DPT, current_roster())
    )


def voters_in(area_code: str, tps: str | None = None) -> Select[Any]:
    """The resident ids the current voter lists of `area_code` (one TPS) link to."""
    chosen = (
        select(Resident.id)
        .select_from(Roster)
        .join(RosterRow, RosterRow.roster_id == Roster.id)
        .join(RosterLink, and_(RosterLink.roster_row_id == RosterRow.id, standing()))
        .join(Resident, Resident.id == RosterLink.resident_id)
        .where(Roster.kind == RosterKind.DPT, current_roster(),
               region_filter(area_code, Roster.desa_code))
    )
    return chosen.where(RosterRow.tps == tps) if tps else chosen


def voter_not_recorded_sql(*, on: Any = None) -> ColumnElement[bool]:
    """A voter without a KTP-el recording: counted, and SIAK shows no biometrics.

    No age test: the KPU lists voters, and a voter is 17 or married, so wajib KTP.
    """
    return and_(counted_sql(on=on), _not_recorded())


# --- rows no standing link places ---------------------------------------------------------


def unmatched_rows(
    *, session: Session, area_code: str, institution_npsn: str | None,
    kinds: tuple[str, ...], tps: str | None,
) -> list[tuple[int, str | None, str, str | None]]:
    """Rows of current rosters of the area (or institution) with no standing link.

    A voter list belongs to its desa; a school's roster to the school's desa. A row in
    review is among them: until a person accepts it, the registry does not know it.
    """
    linked = exists().where(RosterLink.roster_row_id == RosterRow.id, standing())
    owner_desa = func.coalesce(Roster.desa_code, School.desa_code)
    chosen = (
        select(RosterRow.id, func.coalesce(RosterRow.desa_code, owner_desa), Roster.kind,
               RosterRow.tps)
        .select_from(RosterRow)
        .join(Roster, Roster.id == RosterRow.roster_id)
        .outerjoin(School, School.id == Roster.school_id)
        .where(current_roster(), Roster.kind.in_(kinds), not_(linked))
    )
    if institution_npsn:
        chosen = chosen.where(School.npsn == institution_npsn)
    else:
        chosen = chosen.where(region_filter(area_code, owner_desa))
    if tps:
        chosen = chosen.where(RosterRow.tps == tps)
    return [(row_id, desa, kind, row_tps) for row_id, desa, kind, row_tps
            in session.execute(chosen.order_by(RosterRow.id))]


def linked_rows(*, session: Session, row_ids: list[int]) -> set[int]:
    """Those of `row_ids` a standing link now places in the registry."""
    found: set[int] = set()
    for start in range(0, len(row_ids), 500):
        found.update(session.scalars(select(RosterLink.roster_row_id).where(
            RosterLink.roster_row_id.in_(row_ids[start:start + 500]), standing())))
    return found
