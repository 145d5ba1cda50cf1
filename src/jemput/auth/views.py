"""Sign-in and sign-out, and the user's own account."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from jemput.auth import passwords, service, sessions, throttle
from jemput.auth.access import may_reveal_nik
from jemput.auth.account_views import router as account_router
from jemput.auth.dependencies import (
    SESSION_COOKIE,
    AppSettings,
    CsrfError,
    CurrentAuth,
    CurrentUser,
    DbSession,
    client_ip,
)
from jemput.auth.models import Role, User
from jemput.auth.schemas import (
    MeOut,
    NavItem,
    UserOut,
)
from jemput.config import Settings
from jemput.i18n import DEFAULT_LOCALE, translate
from jemput.templating import nav_for, render

router = APIRouter()

LOGIN_CSRF_COOKIE = "jemput_login_csrf"
ROLES = [role.value for role in Role]


# --- sign-in and sign-out ---------------------------------------------------------------


def _sign(settings: Settings, nonce: str) -> str:
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, nonce.encode(), hashlib.sha256).hexdigest()


def _safe_next(target: str | None) -> str:
    # Only same-site paths: "//evil.example" and "/\\evil" are off-site to a browser.
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def _cookie_secure(settings: Settings) -> bool:
    return settings.environment != "development"


def _login_page(
    request: Request, settings: Settings, *, next_path: str, error: str | None, status: int
) -> Response:
    # No session exists yet, so the sign-in form uses a signed double-submit token:
    # a cross-site page can neither read our cookie nor forge its signature.
    nonce = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(16)
    response = render(
        request,
        "auth/masuk.html",
        {"login_csrf": f"{nonce}.{_sign(settings, nonce)}", "next": next_path, "error": error},
        status,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        nonce,
        max_age=3600,
        httponly=True,
        samesite="lax",
        secure=_cookie_secure(settings),
    )
    return response


@router.get("/masuk", include_in_schema=False)
def login_form(request: Request, settings: AppSettings, next: str = "/") -> Response:
    return _login_page(request, settings, next_path=_safe_next(next), error=None, status=200)


@router.post("/masuk", include_in_schema=False)
def login(
    request: Request,
    settings: AppSettings,
    session: DbSession,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    nonce = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    supplied_nonce, _, signature = csrf_token.partition(".")
    if (
        not nonce
        or not hmac.compare_digest(supplied_nonce, nonce)
        or not hmac.compare_digest(signature, _sign(settings, nonce))
    ):
        raise CsrfError
    ip = client_ip(request)
    try:
        user = sessions.authenticate(
            session=session, username=username, password=password, ip=ip
        )
    except throttle.Throttled as throttled:
        # Returned, not raised: the attempt just recorded must be committed.
        response = _login_page(
            request,
            settings,
            next_path=_safe_next(next),
            error=throttled_message(throttled.seconds, DEFAULT_LOCALE),
            status=429,
        )
        response.headers["Retry-After"] = str(throttled.seconds)
        return response
    if user is None:
        return _login_page(
            request,
            settings,
            next_path=_safe_next(next),
            error=sessions.LOGIN_FAILED_MESSAGE,
            status=401,
        )
    previous = request.cookies.get(SESSION_COOKIE)
    if previous:
        sessions.end_browser_session(session=session, token=previous)
    response = RedirectResponse(_safe_next(next), status_code=303)
    _start_session(request, response, settings, session=session, user=user)
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def throttled_message(seconds: int, locale: str) -> str:
    """Say how long to wait, in whole minutes once it is a minute or more."""
    if seconds < 60:
        wait = translate("login.seconds", locale).format(n=seconds)
    else:
        wait = translate("login.minutes", locale).format(n=-(-seconds // 60))
    return translate("login.throttled", locale).format(wait=wait)


def _start_session(
    request: Request, response: Response, settings: Settings, *, session: DbSession, user: User
) -> None:
    token, _ = sessions.create_session(
        session=session,
        user=user,
        hours=settings.session_hours,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=_cookie_secure(settings),
    )


@router.post("/keluar", include_in_schema=False)
def logout(request: Request, session: DbSession, auth: CurrentAuth) -> Response:
    if auth.web_session is not None:
        sessions.end_session(
            session=session, web_session=auth.web_session, user=auth.user, ip=client_ip(request)
        )
    response = RedirectResponse("/masuk", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


# --- own account (the dashboard lives in reports/views.py) ------------------------------


def _me(user: User) -> MeOut:
    return MeOut(
        user=UserOut.model_validate(user),
        may_reveal_nik=may_reveal_nik(user),
        nav=[NavItem(**item) for item in nav_for(user.role, user.locale)],
    )


@router.get("/api/me", response_model=MeOut)
def api_me(user: CurrentUser) -> MeOut:
    return _me(user)


@router.get("/akun", include_in_schema=False)
def account(request: Request, user: CurrentUser, ok: int = 0) -> Response:
    context = {"data": _me(user), "ok": bool(ok), "errors": [],
               "must_change": user.must_change_password}
    return render(request, "auth/akun.html", context)


@router.post("/akun/sandi", include_in_schema=False)
def change_password(
    request: Request,
    settings: AppSettings,
    session: DbSession,
    user: CurrentUser,
    current_password: Annotated[str, Form(max_length=200)],
    new_password: Annotated[str, Form(max_length=200)],
    repeat_password: Annotated[str, Form(max_length=200)],
) -> Response:
    errors: list[str] = []
    if new_password != repeat_password:
        errors.append("Kata sandi baru dan ulangannya tidak sama.")
    else:
        try:
            service.change_own_password(
                session=session,
                user=user,
                current=current_password,
                new=new_password,
                ip=client_ip(request),
            )
        except passwords.PasswordPolicyError as error:
            errors.extend(error.messages(user.locale))
        except service.UserError as error:
            errors.append(str(error))
    if errors:
        context = {"data": _me(user), "ok": False, "errors": errors}
        return render(request, "auth/akun.html", context, 400)
    # Changing the password ended every session, this one too; give this browser a new one.
    response = RedirectResponse("/akun?ok=1", status_code=303)
    _start_session(request, response, settings, session=session, user=user)
    return response


@router.post("/akun/bahasa", include_in_schema=False)
def set_language(
    session: DbSession,
    user: CurrentUser,
    locale: Annotated[str, Form(max_length=2)],
    next: Annotated[str, Form(max_length=500)] = "/akun",
) -> Response:
    service.set_locale(session=session, user=user, locale=locale if locale == "en" else "id")
    return RedirectResponse(_safe_next(next), status_code=303)


# The account's sessions and tokens live in their own module, under this router.
router.include_router(account_router)
