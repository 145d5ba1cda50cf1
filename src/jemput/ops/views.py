"""/metrics: Prometheus' text format, for an admin or the office's scraper only."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from jemput.auth import sessions
from jemput.auth.access import NotFound
from jemput.auth.dependencies import SESSION_COOKIE, AppSettings, DbSession
from jemput.auth.models import Role
from jemput.config import Settings
from jemput.ops import metrics

router = APIRouter()


def _scraper_token_matches(request: Request, settings: Settings) -> bool:
    scheme, _, supplied = request.headers.get("authorization", "").partition(" ")
    if settings.metrics_token is None or scheme.lower() != "bearer" or not supplied.strip():
        return False
    expected = settings.metrics_token.get_secret_value()
    return bool(expected) and hmac.compare_digest(supplied.strip().encode(), expected.encode())


def _signed_in_admin(request: Request, session: DbSession) -> bool:
    cookie = request.cookies.get(SESSION_COOKIE)
    live = sessions.session_user(session=session, token=cookie) if cookie else None
    return live is not None and live[0].role == Role.ADMIN


@router.get("/metrics", include_in_schema=False)
def metrics_endpoint(request: Request, session: DbSession, settings: AppSettings) -> Response:
    """The counters hold no personal data, but route names and job counts are the
    office's business: anyone else is told there is nothing here (404)."""
    if not (_scraper_token_matches(request, settings) or _signed_in_admin(request, session)):
        raise NotFound
    return Response(metrics.exposition(settings.database_url), media_type=CONTENT_TYPE_LATEST)
