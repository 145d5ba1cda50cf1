"""The user's own sessions and API tokens: see them, end them, mint a token for oneself."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from jemput.auth import service, sessions
from jemput.auth.access import NotFound
from jemput.auth.admin_views import show_once, token_out
from jemput.auth.dependencies import (
    SESSION_COOKIE,
    CurrentAuth,
    DbSession,
    RowId,
    client_ip,
)
from jemput.auth.models import ApiToken, User
from jemput.auth.schemas import (
    AccountSessionsOut,
    SessionOut,
    TokenCreate,
    TokenCreated,
    TokenOut,
)
from jemput.templating import render

router = APIRouter()


def _own_sessions(session: DbSession, auth: CurrentAuth) -> AccountSessionsOut:
    current_id = auth.web_session.id if auth.web_session else None
    return AccountSessionsOut(
        sessions=[
            SessionOut(
                id=row.id,
                created_at=row.created_at,
                last_seen=row.last_seen,
                expires_at=row.expires_at,
                ip=row.ip,
                user_agent=row.user_agent,
                current=row.id == current_id,
            )
            for row in sessions.list_sessions(session=session, user=auth.user)
        ],
        tokens=[
            token_out(token, holder)
            for token, holder in sessions.list_tokens(session=session, user=auth.user)
        ],
    )


def _own_token(session: DbSession, user: User, token_id: int) -> ApiToken:
    token = sessions.get_token(session=session, token_id=token_id)
    if token.user_id != user.id:
        raise NotFound(f"token {token_id}")
    return token


@router.get("/api/akun/sesi", response_model=AccountSessionsOut)
def api_own_sessions(session: DbSession, auth: CurrentAuth) -> AccountSessionsOut:
    return _own_sessions(session, auth)


@router.get("/akun/sesi", include_in_schema=False)
def own_sessions_page(request: Request, session: DbSession, auth: CurrentAuth) -> Response:
    context = {"data": _own_sessions(session, auth), "errors": []}
    return render(request, "auth/sesi.html", context)


@router.post("/api/akun/sesi/keluar-semua")
def api_end_all_sessions(request: Request, session: DbSession, auth: CurrentAuth) -> dict[str, int]:
    ended = sessions.end_all_sessions(session=session, user=auth.user, ip=client_ip(request))
    return {"ended": ended}


@router.post("/akun/sesi/keluar-semua", include_in_schema=False)
def end_all_sessions_form(request: Request, session: DbSession, auth: CurrentAuth) -> Response:
    sessions.end_all_sessions(session=session, user=auth.user, ip=client_ip(request))
    response = RedirectResponse("/masuk", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.post("/akun/sesi/{session_id}/akhiri", include_in_schema=False)
def end_one_session_form(
    request: Request, session: DbSession, auth: CurrentAuth, session_id: RowId
) -> Response:
    sessions.end_own_session(
        session=session, user=auth.user, session_id=session_id, ip=client_ip(request)
    )
    if auth.web_session is not None and auth.web_session.id == session_id:
        response = RedirectResponse("/masuk", status_code=303)
        response.delete_cookie(SESSION_COOKIE)
        return response
    return RedirectResponse("/akun/sesi", status_code=303)


@router.post("/api/akun/token", response_model=TokenCreated, status_code=201)
def api_create_own_token(
    request: Request, session: DbSession, auth: CurrentAuth, body: TokenCreate
) -> TokenCreated:
    if body.username and body.username.strip().lower() != auth.user.username:
        raise HTTPException(403)
    try:
        plaintext, row = sessions.create_token(
            session=session, user=auth.user, name=body.name, actor=auth.user,
            ip=client_ip(request),
        )
    except service.UserError as error:
        raise HTTPException(422, str(error)) from None
    return TokenCreated(id=row.id, name=row.name, token=plaintext)


@router.post("/akun/token", include_in_schema=False)
def create_own_token_form(
    request: Request,
    session: DbSession,
    auth: CurrentAuth,
    name: Annotated[str, Form(max_length=80)],
) -> Response:
    try:
        plaintext, row = sessions.create_token(
            session=session, user=auth.user, name=name, actor=auth.user, ip=client_ip(request)
        )
    except service.UserError as error:
        context = {"data": _own_sessions(session, auth), "errors": [str(error)]}
        return render(request, "auth/sesi.html", context, 400)
    return show_once(request, f"Token API “{row.name}”", plaintext)


@router.delete("/api/akun/token/{token_id}", response_model=TokenOut)
def api_revoke_own_token(
    request: Request, session: DbSession, auth: CurrentAuth, token_id: RowId
) -> TokenOut:
    token = _own_token(session, auth.user, token_id)
    sessions.revoke_token(session=session, token=token, actor=auth.user, ip=client_ip(request))
    return token_out(token, auth.user)


@router.post("/akun/token/{token_id}/cabut", include_in_schema=False)
def revoke_own_token_form(
    request: Request, session: DbSession, auth: CurrentAuth, token_id: RowId
) -> Response:
    token = _own_token(session, auth.user, token_id)
    sessions.revoke_token(session=session, token=token, actor=auth.user, ip=client_ip(request))
    return RedirectResponse("/akun/sesi", status_code=303)
