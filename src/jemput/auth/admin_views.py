"""Admin and auditor pages with their JSON twins: users, API tokens, the audit log."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from jemput import clock
from jemput.auth import audit, passwords, service, sessions, throttle
from jemput.auth.access import Forbidden
from jemput.auth.dependencies import AdminUser, AuditReader, DbSession, RowId, client_ip
from jemput.auth.models import ApiToken, Role, User
from jemput.auth.schemas import (
    AuditEntryOut,
    AuditFilters,
    AuditOut,
    LoginAttemptFilters,
    LoginAttemptOut,
    LoginAttemptsOut,
    TokenCreate,
    TokenCreated,
    TokenOut,
    TokensOut,
    UserCreate,
    UserOut,
    UsersOut,
    UserUpdate,
)
from jemput.templating import render

router = APIRouter()

ROLES = [role.value for role in Role]


# --- users (admin) ---------------------------------------------------------------------


def _users(session: DbSession, admin: User) -> UsersOut:
    users = service.list_users(session=session, viewer=admin)
    return UsersOut(users=[UserOut.model_validate(u) for u in users])


def _policy_message(error: Exception, admin: User) -> str:
    if isinstance(error, passwords.PasswordPolicyError):
        return " ".join(error.messages(admin.locale))
    return str(error)


@router.get("/api/users", response_model=UsersOut)
def api_users(session: DbSession, admin: AdminUser) -> UsersOut:
    return _users(session, admin)


@router.post("/api/users", response_model=UserOut, status_code=201)
def api_create_user(
    request: Request, session: DbSession, admin: AdminUser, body: UserCreate
) -> UserOut:
    try:
        user = service.create_user(
            session=session, actor=admin, ip=client_ip(request), **body.model_dump()
        )
    except (service.UserError, passwords.PasswordPolicyError) as error:
        raise HTTPException(422, _policy_message(error, admin)) from None
    return UserOut.model_validate(user)


@router.patch("/api/users/{user_id}", response_model=UserOut)
def api_update_user(
    request: Request, session: DbSession, admin: AdminUser, user_id: RowId, body: UserUpdate
) -> UserOut:
    user = service.access_user(session=session, actor=admin, user_id=user_id)
    try:
        service.update_user(
            session=session,
            user=user,
            actor=admin,
            ip=client_ip(request),
            **body.model_dump(exclude_unset=True),
        )
    except service.UserError as error:
        raise HTTPException(422, str(error)) from None
    return UserOut.model_validate(user)


def _users_page(
    request: Request, session: DbSession, admin: User, errors: list[str], status: int
) -> Response:
    context = {"data": _users(session, admin), "roles": ROLES, "errors": errors}
    return render(request, "auth/pengguna.html", context, status)


@router.get("/admin/pengguna", include_in_schema=False)
def users_page(request: Request, session: DbSession, admin: AdminUser) -> Response:
    return _users_page(request, session, admin, [], 200)


@router.post("/admin/pengguna", include_in_schema=False)
def create_user_form(
    request: Request,
    session: DbSession,
    admin: AdminUser,
    username: Annotated[str, Form(max_length=60)],
    role: Annotated[str, Form(max_length=10)],
    full_name: Annotated[str, Form(max_length=120)] = "",
    scope_region: Annotated[str, Form(max_length=13)] = "",
    scope_institution: Annotated[str, Form(max_length=40)] = "",
    scope_team: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    # The office hands out a generated password, shown once, instead of choosing one.
    password = passwords.generate_password(username=username.strip().lower())
    try:
        user = service.create_user(
            session=session,
            username=username,
            full_name=full_name,
            role=role,
            password=password,
            scope_region=scope_region.strip() or None,
            scope_institution=scope_institution.strip() or None,
            scope_team=scope_team.strip() or None,
            actor=admin,
            ip=client_ip(request),
        )
    except (service.UserError, passwords.PasswordPolicyError) as error:
        return _users_page(request, session, admin, [_policy_message(error, admin)], 400)
    return show_once(request, f"Kata sandi awal untuk {user.username}", password)


def show_once(request: Request, label: str, secret: str) -> Response:
    response = render(request, "auth/sekali.html", {"label": label, "secret": secret})
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/admin/pengguna/{user_id}/ubah", include_in_schema=False)
def update_user_form(
    request: Request,
    session: DbSession,
    admin: AdminUser,
    user_id: RowId,
    role: Annotated[str, Form(max_length=10)],
    full_name: Annotated[str, Form(max_length=120)] = "",
    scope_region: Annotated[str, Form(max_length=13)] = "",
    scope_institution: Annotated[str, Form(max_length=40)] = "",
    scope_team: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    user = service.access_user(session=session, actor=admin, user_id=user_id)
    try:
        service.update_user(
            session=session,
            user=user,
            actor=admin,
            full_name=full_name,
            role=role,
            scope_region=scope_region,
            scope_institution=scope_institution,
            scope_team=scope_team,
            ip=client_ip(request),
        )
    except service.UserError as error:
        return _users_page(request, session, admin, [str(error)], 400)
    return RedirectResponse("/admin/pengguna", status_code=303)


@router.post("/admin/pengguna/{user_id}/nonaktifkan", include_in_schema=False)
def disable_user_form(
    request: Request, session: DbSession, admin: AdminUser, user_id: RowId
) -> Response:
    user = service.access_user(session=session, actor=admin, user_id=user_id)
    try:
        service.disable_user(session=session, user=user, actor=admin, ip=client_ip(request))
    except service.UserError as error:
        return _users_page(request, session, admin, [str(error)], 400)
    return RedirectResponse("/admin/pengguna", status_code=303)


@router.post("/admin/pengguna/{user_id}/reset-sandi", include_in_schema=False)
def reset_password_form(
    request: Request, session: DbSession, admin: AdminUser, user_id: RowId
) -> Response:
    user = service.access_user(session=session, actor=admin, user_id=user_id)
    password = passwords.generate_password(username=user.username)
    service.set_password(
        session=session, user=user, password=password, actor=admin, ip=client_ip(request)
    )
    return show_once(request, f"Kata sandi baru untuk {user.username}", password)


# --- API tokens / devices (admin) -------------------------------------------------------


def token_out(token: ApiToken, holder: User) -> TokenOut:
    return TokenOut(
        id=token.id,
        name=token.name,
        username=holder.username,
        created_at=token.created_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
        created_by=token.created_by_name,
    )


def _tokens(session: DbSession, admin: User) -> TokensOut:
    # An admin sees (and may revoke) the tokens of the accounts it manages.
    owners = {user.id for user in service.list_users(session=session, viewer=admin)}
    rows = sessions.list_tokens(session=session, owners=owners)
    return TokensOut(tokens=[token_out(token, holder) for token, holder in rows])


def _managed_token(session: DbSession, admin: User, token_id: int) -> ApiToken:
    token = sessions.get_token(session=session, token_id=token_id)
    service.access_user(session=session, actor=admin, user_id=token.user_id)
    return token


def _token_holder(admin: User, username: str | None) -> User:
    # A token is minted by and for its holder: naming anyone else is refused.
    if username and username.strip().lower() != admin.username:
        raise Forbidden("token for another user")
    return admin


@router.get("/api/tokens", response_model=TokensOut)
def api_tokens(session: DbSession, admin: AdminUser) -> TokensOut:
    return _tokens(session, admin)


@router.post("/api/tokens", response_model=TokenCreated, status_code=201)
def api_create_token(
    request: Request, session: DbSession, admin: AdminUser, body: TokenCreate
) -> TokenCreated:
    holder = _token_holder(admin, body.username)
    try:
        plaintext, row = sessions.create_token(
            session=session, user=holder, name=body.name, actor=admin, ip=client_ip(request)
        )
    except service.UserError as error:
        raise HTTPException(422, str(error)) from None
    return TokenCreated(id=row.id, name=row.name, token=plaintext)


@router.delete("/api/tokens/{token_id}", response_model=TokenOut)
def api_revoke_token(
    request: Request, session: DbSession, admin: AdminUser, token_id: RowId
) -> TokenOut:
    token = _managed_token(session, admin, token_id)
    sessions.revoke_token(session=session, token=token, actor=admin, ip=client_ip(request))
    return token_out(token, service.get_user(session=session, user_id=token.user_id))


@router.get("/admin/perangkat", include_in_schema=False)
def devices_page(request: Request, session: DbSession, admin: AdminUser) -> Response:
    context = {"data": _tokens(session, admin), "errors": []}
    return render(request, "auth/perangkat.html", context)


@router.post("/admin/perangkat", include_in_schema=False)
def create_token_form(
    request: Request,
    session: DbSession,
    admin: AdminUser,
    name: Annotated[str, Form(max_length=80)],
    username: Annotated[str, Form(max_length=60)] = "",
) -> Response:
    holder = _token_holder(admin, username)
    try:
        plaintext, _ = sessions.create_token(
            session=session, user=holder, name=name, actor=admin, ip=client_ip(request)
        )
    except service.UserError as error:
        context = {"data": _tokens(session, admin), "errors": [str(error)]}
        return render(request, "auth/perangkat.html", context, 400)
    return show_once(request, f"Token API “{name}” untuk {holder.username}", plaintext)


@router.post("/admin/perangkat/{token_id}/cabut", include_in_schema=False)
def revoke_token_form(
    request: Request, session: DbSession, admin: AdminUser, token_id: RowId
) -> Response:
    token = _managed_token(session, admin, token_id)
    sessions.revoke_token(session=session, token=token, actor=admin, ip=client_ip(request))
    return RedirectResponse("/admin/perangkat", status_code=303)


# --- audit log (admin, auditor) ---------------------------------------------------------


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _audit(
    session: DbSession,
    reader: AuditReader,
    actor: str | None,
    action: str | None,
    since: str | None,
    until: str | None,
    object_id: str | None,
    limit: int,
) -> AuditOut:
    filters = AuditFilters(
        actor=actor or None,
        action=action or None,
        since=_day(since),
        until=_day(until),
        object_id=object_id or None,
        limit=max(1, min(limit, 1000)),
    )
    zone = clock.office_zone()
    entries = audit.list_entries(
        session=session,
        reader=reader,
        actor=filters.actor,
        action=filters.action,
        # Days on the office's clock, the one the page shows times in.
        since=datetime.combine(filters.since, time(), zone) if filters.since else None,
        until=(
            datetime.combine(filters.until + timedelta(days=1), time(), zone)
            if filters.until
            else None
        ),
        object_id=filters.object_id,
        limit=filters.limit,
    )
    return AuditOut(
        filters=filters,
        scope=audit.reader_scope(reader),
        entries=[AuditEntryOut.model_validate(e) for e in entries],
    )


@router.get("/api/audit", response_model=AuditOut)
def api_audit(
    session: DbSession,
    reader: AuditReader,
    actor: str | None = None,
    action: str | None = None,
    since: str | None = None,
    until: str | None = None,
    object_id: str | None = None,
    limit: int = 100,
) -> AuditOut:
    return _audit(session, reader, actor, action, since, until, object_id, limit)


@router.get("/audit", include_in_schema=False)
def audit_page(
    request: Request,
    session: DbSession,
    reader: AuditReader,
    actor: str | None = None,
    action: str | None = None,
    since: str | None = None,
    until: str | None = None,
    object_id: str | None = None,
    limit: int = 100,
) -> Response:
    data = _audit(session, reader, actor, action, since, until, object_id, limit)
    return render(request, "auth/audit.html", {"data": data})


# --- sign-in attempts (admin, auditor) --------------------------------------------------


def _attempts(
    session: DbSession, reader: User, username: str | None, ip: str | None, limit: int
) -> LoginAttemptsOut:
    filters = LoginAttemptFilters(
        username=username or None, ip=ip or None, limit=max(1, min(limit, 1000))
    )
    rows = throttle.list_attempts(
        session=session,
        usernames=service.attempt_usernames(session=session, viewer=reader),
        username=filters.username,
        ip=filters.ip,
        limit=filters.limit,
    )
    return LoginAttemptsOut(
        filters=filters, attempts=[LoginAttemptOut.model_validate(row) for row in rows]
    )


@router.get("/api/login-attempts", response_model=LoginAttemptsOut)
def api_login_attempts(
    session: DbSession,
    reader: AuditReader,
    username: str | None = None,
    ip: str | None = None,
    limit: int = 100,
) -> LoginAttemptsOut:
    return _attempts(session, reader, username, ip, limit)


@router.get("/admin/percobaan-masuk", include_in_schema=False)
def login_attempts_page(
    request: Request,
    session: DbSession,
    reader: AuditReader,
    username: str | None = None,
    ip: str | None = None,
    limit: int = 100,
) -> Response:
    data = _attempts(session, reader, username, ip, limit)
    return render(request, "auth/percobaan.html", {"data": data})
