"""Typed FastAPI dependencies: the request's database session and its signed-in user."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from jemput.auth import acting, sessions
from jemput.auth.access import require_role
from jemput.auth.models import Role, User, WebSession
from jemput.config import Settings
from jemput.db import unit_of_work

SESSION_COOKIE = "jemput_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class NotAuthenticated(Exception):
    """No valid session cookie or bearer token: redirect to /masuk, or 401 for the API."""


class PasswordChangeRequired(Exception):
    """A signed-in user still holds a password someone else chose: /akun first."""


# What a user with a one-time password may still reach: the page to change it, and out.
ONE_TIME_PASSWORD_PATHS = frozenset({"/akun", "/akun/sandi", "/akun/bahasa", "/keluar"})


class CsrfError(Exception):
    """A state-changing request carried no matching CSRF token."""


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """Open one session per request; commit if the handler returned, roll back if it raised."""
    read_only = request.method in SAFE_METHODS
    with unit_of_work(get_settings(request).database_url, read_only=read_only) as session:
        yield session


# scope="function": commit before the response is sent, so a client that gets a
# 200 can rely on the write, and a failed commit becomes a 500 instead of a lie.
DbSession = Annotated[Session, Depends(get_session, scope="function")]
AppSettings = Annotated[Settings, Depends(get_settings)]


# Ids are INTEGER on both engines; a larger one in a path would be a 500 on PostgreSQL.
RowId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


@dataclass
class Auth:
    """Who made the request and how: a browser session ("cookie") or a bearer token."""

    user: User
    web_session: WebSession | None
    via: str
    credential: acting.Credential | None = None


def _authenticate(request: Request, session: DbSession) -> Auth:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        found = sessions.token_auth(session=session, token=credentials.strip())
        if found is None:
            raise NotAuthenticated
        return Auth(found[0], None, "token", found[1])
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        live = sessions.session_user(session=session, token=cookie)
        if live is not None:
            return Auth(live[0], live[1], "cookie")
    raise NotAuthenticated


@dataclass(frozen=True)
class Viewer:
    """What pages need of the signed-in user, copied so error pages render after rollback."""

    user_id: int
    username: str
    full_name: str
    role: str
    locale: str
    csrf_token: str


async def check_csrf(request: Request, expected: str) -> None:
    """Raise CsrfError unless the X-CSRF-Token header or csrf_token field equals `expected`."""
    supplied = request.headers.get("x-csrf-token")
    content_type = request.headers.get("content-type", "")
    if supplied is None and content_type.startswith(FORM_TYPES):
        # Starlette caches the parsed form, so the route's Form(...) fields still work.
        value = (await request.form()).get("csrf_token")
        supplied = value if isinstance(value, str) else None
    if not supplied or not hmac.compare_digest(supplied.encode(), expected.encode()):
        raise CsrfError


async def current_auth(request: Request, auth: Annotated[Auth, Depends(_authenticate)]) -> Auth:
    """Resolve the signed-in user and enforce CSRF on cookie-authenticated writes."""
    user = auth.user
    # Set here, in the request's own context: a sync dependency runs in a worker thread
    # whose context the endpoint never sees.
    acting.act_with(auth.credential)
    request.state.viewer = Viewer(
        user.id,
        user.username,
        user.full_name,
        user.role,
        user.locale,
        auth.web_session.csrf_token if auth.web_session else "",
    )
    # A bearer token is never sent by a browser on its own, so it needs no CSRF check.
    if auth.via == "cookie" and request.method not in SAFE_METHODS:
        assert auth.web_session is not None
        await check_csrf(request, auth.web_session.csrf_token)
    if (auth.via == "cookie" and user.must_change_password
            and request.url.path not in ONE_TIME_PASSWORD_PATHS):
        raise PasswordChangeRequired
    return auth


async def current_user(auth: Annotated[Auth, Depends(current_auth)]) -> User:
    return auth.user


CurrentAuth = Annotated[Auth, Depends(current_auth)]
CurrentUser = Annotated[User, Depends(current_user)]


def _admin(user: CurrentUser) -> User:
    require_role(user, Role.ADMIN)
    return user


def _admin_or_auditor(user: CurrentUser) -> User:
    require_role(user, Role.ADMIN, Role.AUDITOR)
    return user


AdminUser = Annotated[User, Depends(_admin)]
AuditReader = Annotated[User, Depends(_admin_or_auditor)]
