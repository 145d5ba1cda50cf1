"""Sign-in with throttling, server-side browser sessions and API bearer tokens. Never commits.

Only SHA-256 digests of session and API tokens are stored: a copy of the database
does not let anyone sign in.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from jemput.auth import acting, audit, passwords, throttle
from jemput.auth.access import Forbidden, NotFound
from jemput.auth.models import ApiToken, User, WebSession, now_utc
from jemput.auth.service import UserError
from jemput.db import is_read_only, side_unit_of_work

# Writing last_seen on every request would make each page view a write.
LAST_SEEN_GRANULARITY = timedelta(minutes=1)
LOGIN_FAILED_MESSAGE = "Nama pengguna atau kata sandi salah."


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _audit(
    session: Session,
    actor: User | str | None,
    action: str,
    object_type: str,
    object_id: int | None,
    ip: str | None,
    **detail: str,
) -> None:
    audit.record(
        session=session,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        detail=detail,
        ip=ip,
    )


def authenticate(
    *,
    session: Session,
    username: str,
    password: str,
    ip: str | None = None,
    now: datetime | None = None,
) -> User | None:
    """Return the user if the credentials are right and the account open; audited.

    Returns None on wrong credentials and raises throttle.Throttled, before looking at
    the password, while this address must wait. Either way the attempt is recorded, so
    the caller must commit even though sign-in did not succeed.
    """
    now = now or now_utc()
    name = username.strip().lower()
    address = ip or "?"
    wait = throttle.retry_after(session=session, username=name, ip=address, now=now)
    if wait > 0:
        # Not audited: a flood of refusals would flood the chain; login_attempts keeps them.
        throttle.record_attempt(
            session=session, username=name, ip=address, outcome="throttled", now=now
        )
        raise throttle.Throttled(wait)
    user = session.execute(select(User).where(User.username == name)).scalar_one_or_none()
    # Verify even for unknown users so timing does not reveal which names exist.
    password_ok = passwords.verify_password(user.password_hash if user else None, password)
    if user is None or not user.is_active or not password_ok:
        reason = "bad_password"
        if user is None:
            reason = "unknown_user"
        elif not user.is_active:
            reason = "inactive"
        throttle.record_attempt(session=session, username=name, ip=address, outcome=reason,
                                now=now)
        actor = user if user else name[:80] or "?"
        user_id = user.id if user else None
        _audit(session, actor, "auth.login_failed", "user", user_id, ip, reason=reason)
        return None
    throttle.record_attempt(session=session, username=name, ip=address, outcome="ok", now=now)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    _audit(session, user, "auth.login", "user", user.id, ip)
    return user


def create_session(
    *,
    session: Session,
    user: User,
    hours: int,
    ip: str | None = None,
    user_agent: str | None = None,
    now: datetime | None = None,
    expires_at: datetime | None = None,
) -> tuple[str, WebSession]:
    """Open a browser session; return the cookie token (shown once) and its row."""
    now = now or now_utc()
    token = secrets.token_urlsafe(32)
    web_session = WebSession(
        token_hash=token_digest(token),
        user_id=user.id,
        created_at=now,
        expires_at=expires_at or now + timedelta(hours=hours),
        last_seen=now,
        ip=ip,
        user_agent=(user_agent or "")[:300] or None,
        csrf_token=secrets.token_urlsafe(32),
    )
    session.add(web_session)
    session.flush()
    return token, web_session


def session_user(
    *, session: Session, token: str, now: datetime | None = None
) -> tuple[User, WebSession] | None:
    """Return the user and session behind a cookie token, if live and the user active."""
    now = now or now_utc()
    web_session = session.execute(
        select(WebSession).where(WebSession.token_hash == token_digest(token))
    ).scalar_one_or_none()
    if web_session is None:
        return None
    # An expired row is left alone: the refused request rolls back anyway, and
    # purging old rows is a job's work, not a page view's.
    if web_session.expires_at <= now:
        return None
    user = session.get(User, web_session.user_id)
    if user is None or not user.is_active:
        return None
    if now - web_session.last_seen >= LAST_SEEN_GRANULARITY:
        _touch(session, WebSession, web_session.id, "last_seen", now)
        web_session.last_seen = now
    return user, web_session


def end_session(
    *, session: Session, web_session: WebSession, user: User, ip: str | None = None
) -> None:
    """Sign out: delete the session row; audited."""
    session.delete(web_session)
    _audit(session, user, "auth.logout", "user", user.id, ip)


def end_browser_session(*, session: Session, token: str) -> None:
    """End the session a browser brings to the sign-in form, whoever it belongs to.

    Signing in always starts a fresh session; the old one must not live on beside it,
    nor can a session planted in the browser (fixation) outlast the sign-in.
    """
    session.execute(delete(WebSession).where(WebSession.token_hash == token_digest(token)))


def list_sessions(
    *, session: Session, user: User, now: datetime | None = None
) -> list[WebSession]:
    """Return the user's live browser sessions, most recently used first."""
    now = now or now_utc()
    query = (
        select(WebSession)
        .where(WebSession.user_id == user.id, WebSession.expires_at > now)
        .order_by(WebSession.last_seen.desc(), WebSession.id.desc())
    )
    return list(session.execute(query).scalars())


def end_own_session(
    *, session: Session, user: User, session_id: int, ip: str | None = None
) -> None:
    """End one of the user's own sessions; another user's is NotFound; audited."""
    row = session.get(WebSession, session_id)
    if row is None or row.user_id != user.id:
        raise NotFound(f"session {session_id}")
    session.delete(row)
    _audit(session, user, "auth.session_end", "user", user.id, ip, session_id=str(session_id))


def end_all_sessions(*, session: Session, user: User, ip: str | None = None) -> int:
    """Sign the user out of every browser ("keluar dari semua perangkat"); audited."""
    ended = session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    count = int(getattr(ended, "rowcount", 0) or 0)
    _audit(session, user, "auth.logout_all", "user", user.id, ip, sessions=str(count))
    return count


def create_token(
    *,
    session: Session,
    user: User,
    name: str,
    actor: User | str | None,
    ip: str | None = None,
) -> tuple[str, ApiToken]:
    """Create an API token for `user`; return the plaintext (shown once) and its row.

    A signed-in user mints tokens only for themselves: a token carries its holder's
    whole reach, so minting one for another person would be acting as them. Only the
    server's command line (a string actor) mints for someone else, and the token
    keeps its minter's name for the audit log.
    """
    if isinstance(actor, User) and actor.id != user.id:
        raise Forbidden("token for another user")
    name = name.strip()
    if not name:
        raise UserError("Nama token wajib diisi.")
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        # PostgreSQL refuses a NUL in text; no control character belongs in a name.
        raise UserError("Nama token tidak boleh berisi karakter kendali.")
    if not user.is_active:
        raise UserError("Pengguna nonaktif tidak dapat diberi token.")
    plaintext = secrets.token_urlsafe(32)
    minter = actor.username if isinstance(actor, User) else (actor or "sistem")
    row = ApiToken(
        name=name[:80],
        user_id=user.id,
        token_hash=token_digest(plaintext),
        created_by_user_id=actor.id if isinstance(actor, User) else None,
        created_by_name=minter[:80],
    )
    session.add(row)
    session.flush()
    _audit(
        session,
        actor,
        "token.create",
        "api_token",
        row.id,
        ip,
        name=row.name,
        username=user.username,
    )
    return plaintext, row


def get_token(*, session: Session, token_id: int) -> ApiToken:
    """Return the API token row with `token_id` or raise NotFound."""
    row = session.get(ApiToken, token_id)
    if row is None:
        raise NotFound(f"token {token_id}")
    return row


def list_tokens(
    *, session: Session, user: User | None = None, owners: set[int] | None = None
) -> list[tuple[ApiToken, User]]:
    """Return API tokens with their holders (of one user, of `owners`, or all), newest first."""
    query = (
        select(ApiToken, User).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id.desc())
    )
    if user is not None:
        query = query.where(ApiToken.user_id == user.id)
    if owners is not None:
        query = query.where(ApiToken.user_id.in_(owners))
    return [(token, owner) for token, owner in session.execute(query)]


def revoke_token(
    *, session: Session, token: ApiToken, actor: User | str | None, ip: str | None = None
) -> None:
    """Revoke an API token (idempotent); audited."""
    if token.revoked_at is not None:
        return
    token.revoked_at = now_utc()
    _audit(session, actor, "token.revoke", "api_token", token.id, ip, name=token.name)


def token_auth(
    *, session: Session, token: str, now: datetime | None = None
) -> tuple[User, acting.Credential] | None:
    """Return the active user behind a live bearer token and the token as a credential.

    The credential lets every audit entry of the request name the token, and who
    minted it when that was not its holder. Marks the token used.
    """
    row = session.execute(
        select(ApiToken).where(ApiToken.token_hash == token_digest(token))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    now = now or now_utc()
    minted_by_other = row.created_by_name is not None and row.created_by_user_id != user.id
    credential = acting.Credential(
        user_id=user.id,
        token_id=row.id,
        token_name=row.name,
        created_by=row.created_by_name if minted_by_other else None,
    )
    if row.last_used_at is None or now - row.last_used_at >= LAST_SEEN_GRANULARITY:
        _touch(session, ApiToken, row.id, "last_used_at", now)
        row.last_used_at = now
    return user, credential


def token_user(*, session: Session, token: str, now: datetime | None = None) -> User | None:
    """Return the active user behind a live bearer token, marking it used."""
    found = token_auth(session=session, token=token, now=now)
    return found[0] if found else None


def _touch(session: Session, model: Any, row_id: int, column: str, now: datetime) -> None:
    # A read-only request writes its "last seen" beside its reading transaction.
    if is_read_only(session):
        with side_unit_of_work(session) as writer:
            writer.execute(update(model).where(model.id == row_id).values({column: now}))
        session.expunge(session.get(model, row_id))  # keep the read session clean
