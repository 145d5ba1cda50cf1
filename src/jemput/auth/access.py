"""Scope helpers every domain's service layer uses to check role and region.

A scope is a dotted Kemendagri region code prefix ("33.06", "33.06.01",
"33.06.01.2001"), an institution id (sekolah) or a team name (petugas). Region
matching is on whole dotted segments: "33.06.01" covers "33.06.01.2001" but not
"33.06.010".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, or_

from jemput.auth.models import Role, User


class Forbidden(Exception):
    """The user is known but their role may not do this."""


class NotFound(Exception):
    """Missing, or not in the user's scope: the same error, so scope does not leak."""


# Roles whose reads are bounded by a region prefix. sekolah and petugas are not:
# their reads go through institution_in_scope / team_in_scope, never region-wide.
REGION_ROLES = frozenset(
    {Role.ADMIN, Role.KEPALA, Role.OPERATOR, Role.DESA, Role.MITRA, Role.AUDITOR}
)

# Who may see a full NIK (always logged as resident.reveal_nik by the caller):
# operator and kepala across their scope; desa only inside their own desa, which
# their scope already is. admin manages accounts, not people; auditor reads the
# log; mitra, sekolah and petugas work from masked lists and names.
NIK_REVEAL_ROLES = frozenset({Role.OPERATOR, Role.KEPALA, Role.DESA})


def _region_scope(user: User) -> str | None:
    if not user.is_active or user.role not in REGION_ROLES:
        return None
    return user.scope_region or None


def within_region(scope: str, region_code: str) -> bool:
    """Whether `region_code` lies inside the region prefix `scope` (whole segments)."""
    if not scope or not region_code:
        return False
    return region_code == scope or region_code.startswith(scope + ".")


def region_in_scope(user: User, region_code: str) -> bool:
    """Whether `region_code` lies inside the user's region scope (whole segments)."""
    scope = _region_scope(user)
    return scope is not None and within_region(scope, region_code)


def institution_in_scope(user: User, institution_id: str) -> bool:
    """Whether a sekolah user coordinates `institution_id`."""
    return (
        user.is_active
        and user.role == Role.SEKOLAH
        and bool(user.scope_institution)
        and user.scope_institution == institution_id
    )


def team_in_scope(user: User, team: str) -> bool:
    """Whether a petugas user belongs to `team`."""
    return (
        user.is_active
        and user.role == Role.PETUGAS
        and bool(user.scope_team)
        and user.scope_team == team
    )


def scope_filter(user: User, column: Any) -> ColumnElement[bool]:
    """Return a SQL condition restricting a dotted region-code column to the user's scope."""
    scope = _region_scope(user)
    if scope is None:
        return false()
    return region_filter(scope, column)


def region_filter(scope: str, column: Any) -> ColumnElement[bool]:
    """Return a SQL condition: a dotted region-code column inside the prefix `scope`."""
    if not scope:
        return false()
    # "." and digits are not LIKE wildcards, so the prefix needs no escaping.
    return or_(column == scope, column.like(scope + ".%"))


def has_role(user: User, *roles: Role | str) -> bool:
    return user.is_active and user.role in roles


def require_role(user: User, *roles: Role | str) -> None:
    """Raise Forbidden unless the user is active and holds one of `roles`."""
    if not has_role(user, *roles):
        raise Forbidden(user.role)


def may_reveal_nik(user: User, region_code: str | None = None) -> bool:
    """Whether the user may see a full NIK (of a resident living in `region_code`)."""
    if not has_role(user, *NIK_REVEAL_ROLES):
        return False
    if region_code is not None:
        return region_in_scope(user, region_code)
    return True
