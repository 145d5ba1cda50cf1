"""Who may read and write care profiles, incidents and referrals: the one place.

Three circles, each inside the one before:
- the list (who needs what kind of help and approach, never a note): kepala, operator
  and desa within their region scope; a mitra only for *its own people* (below);
- care notes (what the desa reports, the guardian's contact and consent, safety notes,
  incidents): kepala and operator within their scope, the desa official of that desa,
  and a mitra or petugas only for a person given to them on a target list and still to
  be reached (or when a registered grant says so);
- writes: operator within scope and the desa official of that desa; referrals are made
  by desa and mitra, and reviewed by the operator.
Never the auditor (reads the log, not people), never admin (manages accounts), never
sekolah. Disability and mental-health status are specific personal data (UU 27/2022).

Why a partner agency sees so little (UU 27/2022 Pasal 16(1)(b): processing limited to
its purpose, and Pasal 4: disability and health are specific data). A mitra is an
outside body — Dinsos, the Bhabinkamtibmas, a Puskesmas — brought in to escort or
support particular people; the region-wide list told every partner which neighbours
are disabled, bedridden or ODGJ, which none of their tasks needs. So a mitra sees:
- the people the office gave it on a target list, while they are still to be reached
  (open, contacted, scheduled): that is the task, and the escort needs the safety
  notes to do it safely (seed 000: the chair), so these come with their notes;
- the people it referred itself, unless the office declined: it already knows them
  and follows what the office made of its report, but it was given no task, so the
  list entry only, no notes.
Once a person is reached, closed or declined, the partner's part is over and the
profile closes to it. Missing and not-yours are the same 404.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, and_, exists, false, or_, select
from sqlalchemy.orm import Session, object_session

from jemput.auth.access import has_role, region_in_scope, scope_filter
from jemput.auth.models import Role, User
from jemput.residents.models import Resident
from jemput.targets import service as targets
from jemput.vulnerable import codes
from jemput.vulnerable.models import Referral

LIST_READERS = (Role.KEPALA, Role.OPERATOR, Role.DESA, Role.MITRA)
# List readers who see only their own people, not their whole region (see above).
OWN_PEOPLE_ONLY = (Role.MITRA,)
NOTE_READERS = (Role.KEPALA, Role.OPERATOR, Role.DESA)
PROFILE_WRITERS = (Role.OPERATOR, Role.DESA)
REFERRERS = (Role.DESA, Role.MITRA)
REVIEWERS = (Role.OPERATOR,)
# Roles that read notes only of people given to them: on a target list (targets.service,
# petugas through their team), or through a registered grant.
ASSIGNED_ROLES = (Role.MITRA, Role.PETUGAS)

# A grant answers "is this resident assigned to this user?" beyond a target list (a
# domain still to come, e.g. a campaign's visit plan).
CareNoteGrant = Callable[[Session, User, Resident], bool]
_GRANTS: list[CareNoteGrant] = []


def grant_care_notes(rule: CareNoteGrant) -> CareNoteGrant:
    """Register a rule that lets a mitra or petugas read the notes of someone assigned."""
    if rule not in _GRANTS:
        _GRANTS.append(rule)
    return rule


def revoke_care_notes_grant(rule: CareNoteGrant) -> None:
    """Withdraw a rule registered with grant_care_notes (tests, a domain switched off)."""
    if rule in _GRANTS:
        _GRANTS.remove(rule)


def _given(user: User) -> ColumnElement[bool]:
    """SQL over Resident: given to `user` on a target list and still to be reached."""
    return targets.given_to_reach(user, Resident.id)


def _referred(user: User) -> ColumnElement[bool]:
    """SQL over Resident: referred by `user`, and the office has not declined it."""
    return exists().where(Referral.resident_id == Resident.id,
                          Referral.referred_by_user_id == user.id,
                          Referral.status != codes.DECLINED)


def _holds(resident: Resident, condition: ColumnElement[bool]) -> bool:
    # The same SQL the list uses, asked of one resident: one rule, one place.
    session = object_session(resident)
    if session is None:
        return False
    found = session.scalar(select(Resident.id).where(Resident.id == resident.id, condition)
                           .limit(1))
    return found is not None


def list_filter(user: User) -> ColumnElement[bool]:
    """SQL over Resident: whose profile `user` may see listed (no notes)."""
    if not has_role(user, *LIST_READERS):
        return false()
    in_scope = scope_filter(user, Resident.desa_code)
    if has_role(user, *OWN_PEOPLE_ONLY):
        return and_(in_scope, or_(_given(user), _referred(user)))
    return in_scope


def may_read_care_notes(user: User, resident: Resident) -> bool:
    """Whether `user` may read the care notes and incidents of `resident`."""
    if has_role(user, *NOTE_READERS):
        return region_in_scope(user, resident.desa_code)
    if has_role(user, *ASSIGNED_ROLES):
        if _holds(resident, _given(user)):
            return True
        session = object_session(resident)
        return session is not None and any(grant(session, user, resident) for grant in _GRANTS)
    return False


def may_read_list(user: User, resident: Resident) -> bool:
    """Whether `user` may see that `resident` has a profile (no notes)."""
    if not (has_role(user, *LIST_READERS) and region_in_scope(user, resident.desa_code)):
        return False
    return not has_role(user, *OWN_PEOPLE_ONLY) or _holds(resident, list_filter(user))


def may_open_profile(user: User, resident: Resident) -> bool:
    """Whether `user` may open the resident's profile page: a list reader, or a note reader."""
    return may_read_list(user, resident) or may_read_care_notes(user, resident)


def may_write_profile(user: User, desa_code: str) -> bool:
    """Whether `user` may create or change the profile of a resident of `desa_code`."""
    return has_role(user, *PROFILE_WRITERS) and region_in_scope(user, desa_code)


def may_review_referral(user: User, desa_code: str) -> bool:
    """Whether `user` may accept or decline a referral of a person in `desa_code`."""
    return has_role(user, *REVIEWERS) and region_in_scope(user, desa_code)
