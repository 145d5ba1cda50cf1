"""The FastAPI app factory and the error pages.

Run with `jemput serve`, or `uvicorn --factory jemput.web:create_app`. Pages render
through `jemput.templating`, so this module imports the domain routers like any other.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from jemput import db, domains, migrate
from jemput.admission import RETRY_AFTER_SECONDS, AdmissionLimit, busy_body
from jemput.auth.access import Forbidden, NotFound
from jemput.auth.admin_views import router as admin_router
from jemput.auth.dependencies import CsrfError, NotAuthenticated, PasswordChangeRequired
from jemput.auth.views import router as auth_router
from jemput.config import Settings, get_settings
from jemput.i18n import DEFAULT_LOCALE, translate
from jemput.linkage.views import router as linkage_router
from jemput.ops import metrics
from jemput.ops.views import router as metrics_router
from jemput.outreach.views import router as outreach_router
from jemput.reports.views import router as reports_router
from jemput.residents.views import router as residents_router
from jemput.rosters.views import router as rosters_router
from jemput.serving import lifespan
from jemput.targets.views import router as targets_router
from jemput.templating import STATIC_DIR, render
from jemput.vulnerable.views import router as vulnerable_router

log = logging.getLogger(__name__)


# What an office's monitor (or its one administrator) reads when Jemput is not ready.
_NOT_READY = {
    "empty": "Basis data belum berisi skema Jemput: jalankan `jemput db upgrade`.",
    "behind": "Ada migrasi yang belum dijalankan: jalankan `jemput db upgrade`.",
    "ahead": "Basis data sudah dinaikkan oleh Jemput versi yang lebih baru: pasang versi itu "
             "atau pulihkan cadangan; versi ini tidak melayaninya.",
}


def _readiness(settings: Settings) -> JSONResponse:
    """Ready to serve: the database answers and its schema is this code's (`/readyz`).

    `/healthz` says only that the process answers. The reasons name no URL, host or error
    text: the endpoint needs no sign-in.
    """
    try:
        with db.get_engine(settings.database_url).connect() as connection:
            state = migrate.schema_state(connection)
    except SQLAlchemyError as error:
        # The class only: a driver's message can carry the host and the user name.
        log.warning("readiness: the database did not answer (%s)", type(error).__name__)
        return JSONResponse({"status": "tidak siap", "database": "tidak menjawab"},
                            status_code=503)
    if state == "current":
        return JSONResponse({"status": "siap", "database": "ok", "migrations": "mutakhir"})
    return JSONResponse({"status": "tidak siap", "database": "ok", "migrations": state,
                         "pesan": _NOT_READY[state]}, status_code=503)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, key: str) -> Response:
    viewer = getattr(request.state, "viewer", None)
    locale = viewer.locale if viewer else DEFAULT_LOCALE
    message = translate(key, locale)
    if _wants_json(request):
        return JSONResponse({"detail": message}, status_code=status)
    return render(request, "auth/error.html", {"message": message, "status": status}, status)


# Scripts and styles come only from /static (no inline code, no CDN: see STYLE.md), so a
# name that slips past escaping still cannot run; no page may be framed (the NIK reveal
# button must not be clickjacked).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def content_security_policy(tile_origin: str | None) -> str:
    """The pages' policy; a configured map tile server (JEMPUT_MAP_TILE_URL) may serve images."""
    if not tile_origin:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace("img-src 'self' data:;",
                                           f"img-src 'self' data: {tile_origin};")
# FastAPI's interactive docs (development only) load Swagger UI from a CDN with an
# inline bootstrap script; that page alone gets what it needs.
DOCS_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
_OURS = {b"content-security-policy", *(name for name, _ in SECURITY_HEADERS)}
_CACHING = {b"cache-control", b"pragma", b"expires"}


class SecurityHeaders:
    """Adds the security headers to every response, and no-store to all but /static.

    Pure ASGI rather than BaseHTTPMiddleware: file downloads and streamed reports pass
    through untouched. Pages and JSON carry names and NIKs, so no browser or proxy may
    keep a copy (a shared office PC's cache outlives the session).
    """

    def __init__(self, app: Any, docs_path: str | None,
                 policy: str = CONTENT_SECURITY_POLICY) -> None:
        self.app = app
        self.docs_path = docs_path
        self.policy = policy

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        policy = (DOCS_CONTENT_SECURITY_POLICY if self.docs_path and path == self.docs_path
                  else self.policy)
        static = path.startswith("/static/")

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                replaced = _OURS if static else _OURS | _CACHING
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in replaced]
                headers += [(b"content-security-policy", policy.encode()), *SECURITY_HEADERS]
                if not static:
                    headers += [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(PasswordChangeRequired)
    async def _password_change_required(request: Request, _exc: Exception) -> Response:
        if _wants_json(request):
            viewer = getattr(request.state, "viewer", None)
            locale = viewer.locale if viewer else DEFAULT_LOCALE
            return JSONResponse({"detail": translate("account.must_change", locale)},
                                status_code=403)
        return RedirectResponse("/akun?ganti=1", status_code=303)

    @app.exception_handler(NotAuthenticated)
    async def _not_authenticated(request: Request, _exc: NotAuthenticated) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"detail": "Belum masuk"}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method == "GET" and target != "/":
            return RedirectResponse(f"/masuk?next={quote(target, safe='/')}", status_code=303)
        return RedirectResponse("/masuk", status_code=303)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, _exc: NotFound) -> Response:
        return _error(request, 404, "error.not_found")

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, _exc: Forbidden) -> Response:
        return _error(request, 403, "error.forbidden")

    @app.exception_handler(CsrfError)
    async def _csrf(request: Request, _exc: CsrfError) -> Response:
        return _error(request, 403, "error.csrf")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _error(request, 404, "error.not_found")
        if exc.status_code == 403:
            return _error(request, 403, "error.forbidden")
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        # Field names and messages only: echoing the input could echo a password.
        problems = [
            {"loc": list(error.get("loc", ())), "msg": error.get("msg", "")}
            for error in exc.errors()
        ]
        return JSONResponse({"detail": "Data tidak sah", "errors": problems}, status_code=422)

    @app.exception_handler(PoolTimeout)
    async def _pool_exhausted(request: Request, _exc: PoolTimeout) -> Response:
        # Every pooled connection stayed busy for JEMPUT_QUEUE_SECONDS (a long import's
        # look-ups, say): the client is told to retry, as when admission is full.
        log.warning("no database connection free for %s %s", request.method, request.url.path)
        body, content_type = busy_body(request.url.path)
        return Response(body, status_code=503, media_type=content_type.decode(),
                        headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(Exception)
    async def _server_error(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _error(request, 500, "error.server")


def admission_limit(settings: Settings) -> int:
    """Requests one worker lets in at once: fewer than its pooled connections.

    Each admitted request holds one connection; one more is kept for the job worker's
    thread, so an admitted request never waits for the pool.
    """
    return max(1, min(settings.max_active_requests, settings.pool_size - 1))


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the Jemput web app for `settings` (default: from the environment)."""
    settings = settings or get_settings()
    domains.connect()
    is_development = settings.environment == "development"
    app = FastAPI(
        title="Jemput",
        description="Jemput bola perekaman KTP-el — API",
        version="0.1.0",
        docs_url="/api/docs" if is_development else None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.add_middleware(AdmissionLimit, limit=admission_limit(settings),
                       queue_seconds=settings.queue_seconds,
                       observe=metrics.observe_admission)
    # Outside admission: a request refused as busy (503) is counted too.
    app.add_middleware(metrics.RequestMetrics)
    metrics.watch_pool(db.get_engine(settings.database_url))
    # Added last, so outermost: even a response that waited for admission carries them.
    app.add_middleware(SecurityHeaders, docs_path=app.docs_url,
                       policy=content_security_policy(settings.map_tile_origin))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _install_error_handlers(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        return _readiness(settings)

    # Browsers ask for /favicon.ico on every site, signed in or not, whatever the page says.
    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(STATIC_DIR / "favicon.ico", media_type="image/x-icon",
                            headers={"Cache-Control": "public, max-age=86400"})

    app.include_router(auth_router)
    app.include_router(admin_router)
    app.include_router(residents_router)
    app.include_router(rosters_router)
    app.include_router(reports_router)
    app.include_router(linkage_router)
    app.include_router(targets_router)
    app.include_router(vulnerable_router)
    app.include_router(outreach_router)
    app.include_router(metrics_router)
    return app
