"""Users: creation with scope and password checks, disabling, passwords, demo accounts.

Sign-in, browser sessions and API tokens are in `jemput.auth.sessions`. Never commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jemput.auth import audit, passwords
from jemput.auth.access import NotFound, region_in_scope
from jemput.auth.models import Role, User, WebSession, now_utc
from jemput.config import get_settings
from jemput.regions import service as regions

_REGION_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")

# The demo school coordinator's school before any school is loaded; once the demo's
# schools are there, the account is given the first of them (see _demo_school), so its
# pages show a real roster instead of nothing.
DEMO_SCHOOL = "DEMO-SMA"

# One demo account per role, all inside Kabupaten Purworejo (33.06).
DEMO_USERS = (
    ("demo-admin", "Admin Demo", Role.ADMIN, "33.06", None, None),
    ("demo-kepala", "Kepala Dinas Demo", Role.KEPALA, "33.06", None, None),
    ("demo-operator", "Operator Demo", Role.OPERATOR, "33.06", None, None),
    ("demo-petugas", "Petugas Demo", Role.PETUGAS, "33.06", None, "Tim 1"),
    ("demo-desa", "Perangkat Desa Demo", Role.DESA, "33.06.01.2001", None, None),
    ("demo-sekolah", "Koordinator Sekolah Demo", Role.SEKOLAH, "33.06", DEMO_SCHOOL, None),
    ("demo-mitra", "Mitra Demo", Role.MITRA, "33.06", None, None),
    ("demo-auditor", "Auditor Demo", Role.AUDITOR, "33.06", None, None),
)


# What a role may do, coarsely: nobody grants a role ranked above their own.
ROLE_RANK: dict[str, int] = {
    Role.ADMIN: 3,
    Role.KEPALA: 2,
    Role.OPERATOR: 2,
    Role.AUDITOR: 2,
    Role.DESA: 1,
    Role.MITRA: 1,
    Role.SEKOLAH: 1,
    Role.PETUGAS: 1,
}


class UserError(ValueError):
    """A user change was refused; the message is Indonesian and safe to show."""


def reach_of(role: str, scope_region: str | None) -> str:
    """Return the region an account with this role and scope reaches.

    sekolah and petugas accounts read by institution or team, and nothing ties either
    to a region: whatever region code they carry, they count as reaching the regency.
    """
    regency = get_settings().regency_code
    if role in (Role.SEKOLAH, Role.PETUGAS) or not scope_region:
        if scope_region and regency.startswith(scope_region + "."):
            return scope_region  # wider than the regency, e.g. the province
        return regency
    return scope_region


def may_grant(actor: User, *, role: str, scope_region: str | None) -> bool:
    """Whether `actor` may give an account this role and scope: never more than its own."""
    return (
        actor.is_active
        and ROLE_RANK.get(role, 99) <= ROLE_RANK.get(actor.role, 0)
        and region_in_scope(actor, reach_of(role, scope_region))
    )


def within_reach(actor: User, user: User) -> bool:
    """Whether `actor` may see and manage `user` (the same test as granting its access)."""
    return may_grant(actor, role=user.role, scope_region=user.scope_region)


def _require_grant(actor: User | str | None, role: str, scope_region: str | None) -> None:
    # A string actor is the server's command line: whoever holds it owns the database.
    if isinstance(actor, User) and not may_grant(actor, role=role, scope_region=scope_region):
        raise UserError(
            f"Peran {role} dengan wilayah {reach_of(role, scope_region)} di luar lingkup Anda "
            f"({actor.scope_region}); pengguna hanya dapat dibuat di dalam wilayah Anda."
        )


def _require_reach(actor: User | str | None, user: User) -> None:
    # The same NotFound as for a missing user, so an admin cannot probe other scopes.
    if isinstance(actor, User) and actor is not user and not within_reach(actor, user):
        raise NotFound(f"user {user.id}")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str | None  # None: the account already existed and keeps its password


def _validate_scope(
    role: str, scope_region: str | None, scope_institution: str | None, scope_team: str | None
) -> None:
    if role not in set(Role):
        raise UserError(f"Peran tidak dikenal: {role}.")
    if scope_region is not None and not _REGION_CODE.match(scope_region):
        raise UserError("Kode wilayah harus bertitik, mis. 33.06 atau 33.06.01.2001.")
    if role == Role.SEKOLAH and not scope_institution:
        raise UserError("Peran sekolah memerlukan kode lembaga (NPSN).")
    if role == Role.PETUGAS and not scope_team:
        raise UserError("Peran petugas memerlukan nama tim.")
    if role not in (Role.SEKOLAH, Role.PETUGAS) and not scope_region:
        raise UserError("Peran ini memerlukan kode wilayah.")
    if role == Role.DESA and (scope_region or "").count(".") != 3:
        raise UserError("Peran desa memerlukan kode desa, mis. 33.06.01.2001.")


def get_user(*, session: Session, user_id: int) -> User:
    """Return the user with `user_id` or raise NotFound."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id}")
    return user


def access_user(*, session: Session, actor: User, user_id: int) -> User:
    """Return the user with `user_id` if `actor` may manage them; NotFound otherwise."""
    user = get_user(session=session, user_id=user_id)
    _require_reach(actor, user)
    return user


def get_user_by_username(*, session: Session, username: str) -> User:
    """Return the user called `username` or raise NotFound."""
    user = session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        raise NotFound(f"user {username}")
    return user


def list_users(*, session: Session, viewer: User | None = None) -> list[User]:
    """Return every user (or those `viewer` may manage), by username."""
    users = session.execute(select(User).order_by(User.username)).scalars()
    # Offices have hundreds of accounts, not millions: the rule is applied in Python,
    # the one place it is written.
    return [user for user in users if viewer is None or within_reach(viewer, user)]


def attempt_usernames(*, session: Session, viewer: User) -> set[str] | None:
    """Return the usernames whose sign-in attempts `viewer` may review; None: every one.

    Only a regency-wide viewer sees names that match no account in its area: what was
    typed into the username box is sometimes a password.
    """
    if region_in_scope(viewer, get_settings().regency_code):
        return None
    users = session.execute(select(User)).scalars()
    return {
        user.username
        for user in users
        if region_in_scope(viewer, reach_of(user.role, user.scope_region))
    }


def password_context(*, session: Session, full_name: str, scope_region: str | None) -> list[str]:
    """Return the names a password must not contain: the person's, the regency's, the area's."""
    names = [full_name]
    for code in dict.fromkeys([get_settings().regency_code, scope_region]):
        region = regions.get_region(session=session, code=code) if code else None
        if region is not None:
            names.append(region.name)
    return passwords.context_words(*names)


def create_user(
    *,
    session: Session,
    username: str,
    full_name: str,
    role: str,
    password: str,
    scope_region: str | None = None,
    scope_institution: str | None = None,
    scope_team: str | None = None,
    actor: User | str | None,
    ip: str | None = None,
) -> User:
    """Create a user after checking username, scope and password policy; audited."""
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise UserError("Nama pengguna 3–60 huruf kecil, angka, titik, garis bawah atau strip.")
    _validate_scope(role, scope_region, scope_institution, scope_team)
    _require_grant(actor, role, scope_region)
    context = password_context(session=session, full_name=full_name, scope_region=scope_region)
    passwords.check_policy(password, username=username, context=context)
    exists = session.execute(select(User.id).where(User.username == username)).first()
    if exists:
        raise UserError(f"Nama pengguna {username} sudah dipakai.")
    user = User(
        username=username,
        full_name=full_name.strip() or username,
        role=str(role),
        scope_region=scope_region or None,
        scope_institution=scope_institution or None,
        scope_team=scope_team or None,
        password_hash=passwords.hash_password(password),
        is_active=True,
        failed_logins=0,
        locale="id",
        # Whoever created the account chose its first password: it is one-time.
        must_change_password=True,
    )
    session.add(user)
    session.flush()
    audit.record(
        session=session,
        actor=actor,
        action="user.create",
        object_type="user",
        object_id=user.id,
        detail={
            "username": user.username,
            "role": user.role,
            "scope_region": user.scope_region,
            "scope_institution": user.scope_institution,
            "scope_team": user.scope_team,
        },
        ip=ip,
    )
    return user


def update_user(
    *,
    session: Session,
    user: User,
    actor: User | str | None,
    full_name: str | None = None,
    role: str | None = None,
    scope_region: str | None = None,
    scope_institution: str | None = None,
    scope_team: str | None = None,
    ip: str | None = None,
) -> User:
    """Change a user's name, role or scope (None: unchanged, "": cleared); audited.

    The user must be within the actor's reach before and after: an admin neither edits
    an account outside its scope nor moves one out of it, and never widens its own.
    """
    _require_reach(actor, user)
    before = {
        "role": user.role,
        "scope_region": user.scope_region,
        "scope_institution": user.scope_institution,
        "scope_team": user.scope_team,
    }
    after = dict(before)
    for key, value in (
        ("role", role),
        ("scope_region", scope_region),
        ("scope_institution", scope_institution),
        ("scope_team", scope_team),
    ):
        if value is not None:
            after[key] = value.strip() or None
    changed = {key for key in after if after[key] != before[key]}
    if changed and actor is user:
        raise UserError(
            "Anda tidak dapat mengubah peran atau wilayah akun sendiri; minta admin lain."
        )
    if after["role"] is None:
        raise UserError("Peran wajib diisi.")
    _validate_scope(after["role"], after["scope_region"], after["scope_institution"],
                    after["scope_team"])
    _require_grant(actor, after["role"], after["scope_region"])
    if full_name is not None and full_name.strip():
        user.full_name = full_name.strip()
    user.role = after["role"]
    user.scope_region = after["scope_region"]
    user.scope_institution = after["scope_institution"]
    user.scope_team = after["scope_team"]
    if changed:
        # New reach, new sessions: a page opened under the old scope must not linger.
        _end_all_sessions(session, user)
    audit.record(
        session=session,
        actor=actor,
        action="user.update",
        object_type="user",
        object_id=user.id,
        detail={"username": user.username, "before": before, "after": after},
        ip=ip,
    )
    return user


def _audit_user(
    session: Session, actor: User | str | None, action: str, user: User, ip: str | None
) -> None:
    detail = {"username": user.username}
    audit.record(
        session=session,
        actor=actor,
        action=action,
        object_type="user",
        object_id=user.id,
        detail=detail,
        ip=ip,
    )


def _end_all_sessions(session: Session, user: User) -> None:
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))


def disable_user(
    *, session: Session, user: User, actor: User | str | None, ip: str | None = None
) -> None:
    """Disable a user and sign them out everywhere; audited."""
    _require_reach(actor, user)
    if actor is user:
        raise UserError("Tidak dapat menonaktifkan akun sendiri.")
    user.is_active = False
    _end_all_sessions(session, user)
    _audit_user(session, actor, "user.disable", user, ip)


def set_password(
    *,
    session: Session,
    user: User,
    password: str,
    actor: User | str | None,
    ip: str | None = None,
) -> None:
    """Set a new password (policy-checked), unlock, and end the user's sessions; audited."""
    _require_reach(actor, user)
    context = password_context(
        session=session, full_name=user.full_name, scope_region=user.scope_region
    )
    passwords.check_policy(password, username=user.username, context=context)
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = now_utc()
    # A password chosen by someone else (a reset) is one-time; one's own is not.
    user.must_change_password = actor is not user
    user.failed_logins = 0
    user.locked_until = None
    _end_all_sessions(session, user)
    action = "user.change_password" if actor is user else "user.reset_password"
    _audit_user(session, actor, action, user, ip)


def change_own_password(
    *, session: Session, user: User, current: str, new: str, ip: str | None = None
) -> None:
    """Change the user's own password after checking the current one."""
    if not passwords.verify_password(user.password_hash, current):
        raise UserError("Kata sandi saat ini salah.")
    if new == current:
        # Above all for a one-time password: keeping it would keep it known to its giver.
        raise UserError("Kata sandi baru harus berbeda dari yang sekarang.")
    set_password(session=session, user=user, password=new, actor=user, ip=ip)


def set_locale(*, session: Session, user: User, locale: str) -> None:
    """Store the user's interface language (id or en)."""
    if locale not in ("id", "en"):
        raise UserError("Bahasa harus id atau en.")
    user.locale = locale


def _demo_school(session: Session) -> str:
    """The first school or pesantren of the demo regency (by NPSN), or the placeholder."""
    from jemput.schools import service as schools  # schools never imports auth back

    npsns = sorted(school.npsn for school in schools.list_schools(session=session)
                   if school.desa_code.startswith("33.06."))
    return npsns[0] if npsns else DEMO_SCHOOL


def create_demo_users(
    *, session: Session, actor: User | str | None, reset_passwords: bool = False
) -> list[DemoAccount]:
    """Create one demo user per role (idempotent); new ones get a random password.

    With `reset_passwords`, existing demo users get a fresh one too, so that every
    start of the demo can print passwords that work.
    """
    accounts = []
    school = _demo_school(session)
    for username, full_name, role, region, institution, team in DEMO_USERS:
        if institution == DEMO_SCHOOL:
            institution = school
        existing = session.scalar(select(User).where(User.username == username))
        if existing is not None:
            if existing.scope_institution == DEMO_SCHOOL and institution != DEMO_SCHOOL:
                existing.scope_institution = institution
            fresh = None
            if reset_passwords:
                fresh = passwords.generate_password(username=username)
                set_password(session=session, user=existing, password=fresh, actor=actor)
            accounts.append(DemoAccount(username, role, fresh))
            continue
        password = passwords.generate_password(username=username)
        create_user(
            session=session,
            username=username,
            full_name=full_name,
            role=role,
            password=password,
            scope_region=region,
            scope_institution=institution,
            scope_team=team,
            actor=actor,
        )
        accounts.append(DemoAccount(username, role, password))
    return accounts
