"""Scope helpers: region prefixes on whole dotted segments, roles, NIK reveal."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jemput.auth.access import (
    Forbidden,
    institution_in_scope,
    may_reveal_nik,
    region_in_scope,
    require_role,
    scope_filter,
    team_in_scope,
)
from jemput.auth.models import User
from jemput.regions.models import Region


def _user(role: str, region: str | None = None, **scope: str) -> User:
    return User(
        username=f"u-{role}",
        full_name=role,
        role=role,
        scope_region=region,
        is_active=True,
        scope_institution=scope.get("institution"),
        scope_team=scope.get("team"),
    )


def test_kecamatan_scope_covers_its_desa_but_not_a_longer_segment() -> None:
    camat = _user("operator", "33.06.01")
    assert region_in_scope(camat, "33.06.01")
    assert region_in_scope(camat, "33.06.01.2001")
    assert not region_in_scope(camat, "33.06.010")
    assert not region_in_scope(camat, "33.06.010.2001")
    assert not region_in_scope(camat, "33.06.02.2001")
    assert not region_in_scope(camat, "33.06")


def test_village_official_cannot_see_the_neighbouring_desa() -> None:
    official = _user("desa", "33.06.01.2001")
    assert region_in_scope(official, "33.06.01.2001")
    assert not region_in_scope(official, "33.06.01.2002")


def test_disabled_user_has_no_scope() -> None:
    operator = _user("operator", "33.06")
    operator.is_active = False
    assert not region_in_scope(operator, "33.06.01.2001")


def test_school_and_team_roles_get_no_region_wide_reads() -> None:
    school = _user("sekolah", "33.06", institution="20300001")
    officer = _user("petugas", "33.06", team="Tim 1")
    assert not region_in_scope(school, "33.06.01.2001")
    assert not region_in_scope(officer, "33.06.01.2001")
    assert institution_in_scope(school, "20300001")
    assert not institution_in_scope(school, "20300002")
    assert team_in_scope(officer, "Tim 1")
    assert not team_in_scope(officer, "Tim 2")


def _count_in_scope(session: Session, user: User) -> int:
    query = select(func.count()).select_from(Region).where(scope_filter(user, Region.code))
    return session.execute(query).scalar_one()


def test_scope_filter_restricts_region_codes_in_sql(session: Session) -> None:
    villages_of_grabag = session.execute(
        select(func.count()).select_from(Region).where(Region.parent_code == "33.06.01")
    ).scalar_one()
    assert villages_of_grabag > 1
    assert _count_in_scope(session, _user("operator", "33.06.01")) == villages_of_grabag + 1
    assert _count_in_scope(session, _user("desa", "33.06.01.2001")) == 1
    # A prefix that is not a whole segment matches nothing (LIKE '33.06.1%' would).
    assert _count_in_scope(session, _user("operator", "33.06.1")) == 0
    assert _count_in_scope(session, _user("sekolah", "33.06", institution="X")) == 0


def test_require_role_refuses_other_roles() -> None:
    require_role(_user("admin", "33.06"), "admin", "auditor")
    with pytest.raises(Forbidden):
        require_role(_user("operator", "33.06"), "admin", "auditor")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("operator", True),
        ("kepala", True),
        ("desa", True),
        ("admin", False),
        ("auditor", False),
        ("mitra", False),
        ("petugas", False),
        ("sekolah", False),
    ],
)
def test_who_may_reveal_a_full_nik(role: str, allowed: bool) -> None:
    region = "33.06.01.2001" if role == "desa" else "33.06"
    assert may_reveal_nik(_user(role, region, institution="X", team="T")) is allowed


def test_village_official_may_reveal_nik_only_inside_own_desa() -> None:
    official = _user("desa", "33.06.01.2001")
    assert may_reveal_nik(official, "33.06.01.2001")
    assert not may_reveal_nik(official, "33.06.01.2002")
