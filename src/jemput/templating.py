"""The Jinja environment and `render`, shared by every page of every domain.

A module of its own, so views import it without importing the app factory, and the
factory in `web.py` imports the views at the top like any other module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from jemput.auth.models import Role
from jemput.i18n import DEFAULT_LOCALE, date_filter, datetime_filter, number_filter, t, translate

PACKAGE_DIR = Path(__file__).parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"

# (path, i18n key, roles that see the link). Pages still enforce access themselves.
NAV: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("/", "nav.dashboard", frozenset(Role)),
    ("/peta", "nav.map",
     frozenset({Role.ADMIN, Role.KEPALA, Role.OPERATOR, Role.DESA, Role.AUDITOR})),
    ("/penduduk", "nav.residents", frozenset({Role.KEPALA, Role.OPERATOR, Role.DESA})),
    ("/sasaran", "nav.targets",
     frozenset({Role.OPERATOR, Role.KEPALA, Role.AUDITOR, Role.PETUGAS})),
    ("/kampanye", "nav.campaigns", frozenset({Role.OPERATOR, Role.KEPALA})),
    ("/impor", "nav.import", frozenset({Role.OPERATOR, Role.ADMIN})),
    ("/daftar", "nav.rosters", frozenset({Role.OPERATOR, Role.ADMIN})),
    ("/daftar/tinjau", "nav.review_links", frozenset({Role.OPERATOR})),
    ("/daftar/sekolah", "nav.roster_schools",
     frozenset({Role.OPERATOR, Role.KEPALA, Role.SEKOLAH})),
    ("/daftar/pemilih", "nav.roster_voters", frozenset({Role.OPERATOR, Role.KEPALA, Role.DESA})),
    ("/rentan", "nav.care", frozenset({Role.KEPALA, Role.OPERATOR, Role.DESA, Role.MITRA})),
    ("/rujukan", "nav.referrals", frozenset({Role.OPERATOR, Role.DESA, Role.MITRA})),
    ("/admin/pengguna", "nav.users", frozenset({Role.ADMIN})),
    ("/admin/perangkat", "nav.devices", frozenset({Role.ADMIN})),
    ("/audit", "nav.audit", frozenset({Role.ADMIN, Role.AUDITOR})),
)

_env = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    # Every template is HTML: escape all of them, whatever their file name.
    autoescape=True,
    auto_reload=False,
)
_env.globals["t"] = t
_env.filters["tanggal"] = date_filter
_env.filters["angka"] = number_filter
_env.filters["waktu"] = datetime_filter
templates = Jinja2Templates(env=_env)


def nav_for(role: str | None, locale: str = DEFAULT_LOCALE) -> list[dict[str, str]]:
    """Return the navigation links a role sees, labelled in `locale`."""
    if role is None:
        return []
    return [
        {"path": path, "label": translate(key, locale)} for path, key, roles in NAV if role in roles
    ]


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    """Render `template` with the signed-in user, locale, CSRF token and nav in context."""
    viewer = getattr(request.state, "viewer", None)
    locale = viewer.locale if viewer else DEFAULT_LOCALE
    full = {
        "current_user": viewer,
        "locale": locale,
        "csrf_token": viewer.csrf_token if viewer else "",
        "nav": nav_for(viewer.role if viewer else None, locale),
        "path": request.url.path,
    }
    full.update(context or {})
    return templates.TemplateResponse(request, template, full, status_code=status_code)
