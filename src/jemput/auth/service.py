"""Users: creation with scope and password checks, disabling, passwords, demo accounts.

Sign-in, browser sessions and API tokens are in `jemput.auth.sessions`. Never commits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from jemput.auth import audit, passwords
from jemput.auth.access import NotFound
from jemput.auth.models import Role, User, WebSession, now_utc

_REGION_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,59}$")

# One demo account per role, all inside Kabupaten Purworejo (33.06).
DEMO_USERS = (
    ("demo-admin", "Admin Demo", Role.ADMIN, "33.06", None, None),
    ("demo-kepala", "Kepala Dinas Demo", Role.KEPALA, "33.06", None, None),
    ("demo-operator", "Operator Demo", Role.OPERATOR, "33.06", None, None),
    ("demo-petugas", "Petugas Demo", Role.PETUGAS, "33.06", None, "Tim 1"),
    ("demo-desa", "Perangkat Desa Demo", Role.DESA, "33.06.01.2001", None, None),
    ("demo-sekolah", "Koordinator Sekolah Demo", Role.SEKOLAH, "33.06", "DEMO-SMA", None),
    ("demo-mitra", "Mitra Demo", Role.MITRA, "33.06", None, None),
    ("demo-auditor", "Auditor Demo", Role.AUDITOR, "33.06", None, None),
)


class UserError(ValueError):
    """A user change was refused; the message is Indonesian and safe to show."""


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


def get_user_by_username(*, session: Session, username: str) -> User:
    """Return the user called `username` or raise NotFound."""
    user = session.execute(
        select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        raise NotFound(f"user {username}")
    return user


def list_users(*, session: Session) -> list[User]:
    """Return every user, by username."""
    return list(session.execute(select(User).order_by(User.username)).scalars())


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
    passwords.check_policy(password, username=username)
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
    passwords.check_policy(password, username=user.username)
    user.password_hash = passwords.hash_password(password)
    user.password_changed_at = now_utc()
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
    set_password(session=session, user=user, password=new, actor=user, ip=ip)


def set_locale(*, session: Session, user: User, locale: str) -> None:
    """Store the user's interface language (id or en)."""
    if locale not in ("id", "en"):
        raise UserError("Bahasa harus id atau en.")
    user.locale = locale


def create_demo_users(
    *, session: Session, actor: User | str | None, reset_passwords: bool = False
) -> list[DemoAccount]:
    """Create one demo user per role (idempotent); new ones get a random password.

    With `reset_passwords`, existing demo users get a fresh one too, so that every
    start of the demo can print passwords that work.
    """
    accounts = []
    for username, full_name, role, region, institution, team in DEMO_USERS:
        existing = session.scalar(select(User).where(User.username == username))
        if existing is not None:
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
