"""Who may read and write care profiles, incidents and referrals: the one place.

Three circles, each inside the one before:
- the list (who needs what kind of help and approach, never a note): kepala, operator,
  desa and mitra within their region scope;
- care notes (what the desa reports, the guardian's contact and consent, safety notes,
  incidents): kepala and operator within their scope, the desa official of that desa,
  and a mitra or petugas only when a grant says the person is assigned to them (the
  targets domain registers that grant);
- writes: operator within scope and the desa official of that desa; referrals are made
  by desa and mitra, and reviewed by the operator.
Never the auditor (reads the log, not people), never admin (manages accounts), never
sekolah. Disability and mental-health status are specific personal data (UU 27/2022).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session, object_session

from jemput.auth.access import has_role, region_in_scope
from jemput.auth.models import Role, User
from jemput.residents.models import Resident

LIST_READERS = (Role.KEPALA, Role.OPERATOR, Role.DESA, Role.MITRA)
NOTE_READERS = (Role.KEPALA, Role.OPERATOR, Role.DESA)
PROFILE_WRITERS = (Role.OPERATOR, Role.DESA)
REFERRERS = (Role.DESA, Role.MITRA)
REVIEWERS = (Role.OPERATOR,)
# Roles that read notes only of people assigned to them, through a grant.
ASSIGNED_ROLES = (Role.MITRA, Role.PETUGAS)

# A grant answers "is this resident assigned to this user?" (a target list's assignment).
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


def may_read_care_notes(user: User, resident: Resident) -> bool:
    """Whether `user` may read the care notes and incidents of `resident`."""
    if has_role(user, *NOTE_READERS):
        return region_in_scope(user, resident.desa_code)
    if has_role(user, *ASSIGNED_ROLES):
        session = object_session(resident)
        return session is not None and any(grant(session, user, resident) for grant in _GRANTS)
    return False


def may_read_list(user: User, desa_code: str) -> bool:
    """Whether `user` may see that a resident of `desa_code` has a profile (no notes)."""
    return has_role(user, *LIST_READERS) and region_in_scope(user, desa_code)


def may_open_profile(user: User, resident: Resident) -> bool:
    """Whether `user` may open the resident's profile page: a list reader, or a note reader."""
    return may_read_list(user, resident.desa_code) or may_read_care_notes(user, resident)


def may_write_profile(user: User, desa_code: str) -> bool:
    """Whether `user` may create or change the profile of a resident of `desa_code`."""
    return has_role(user, *PROFILE_WRITERS) and region_in_scope(user, desa_code)


def may_review_referral(user: User, desa_code: str) -> bool:
    """Whether `user` may accept or decline a referral of a person in `desa_code`."""
    return has_role(user, *REVIEWERS) and region_in_scope(user, desa_code)
