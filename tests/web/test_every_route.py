"""Every route refuses the wrong person: checked over the app's whole route table.

New routes are covered the day they are added: nobody has to remember to write the
refusal test.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from jemput.config import Settings
from jemput.web import create_app

PUBLIC = {"/masuk", "/healthz", "/readyz", "/favicon.ico", "/api/openapi.json", "/api/docs",
          "/api/docs/oauth2-redirect"}
# Not found for anyone but an admin or the office's scraper, so a sign-in page would only
# tell that it exists (tests/ops/test_metrics.py has its persona tests).
NOT_FOUND_UNLESS_ALLOWED = {"/metrics"}
SAMPLE = {"code": "33.06.01.2001", "name": "belum-rekam", "resident_id": "1", "job_id": "1",
          "id": "1", "token_id": "1", "user_id": "1"}
# What a field officer (petugas) must never read: the registry, its figures and the admin.
REGISTRY_PREFIXES = ("/api/penduduk", "/api/wilayah", "/api/dasbor", "/api/peta", "/api/impor",
                     "/api/users", "/api/audit", "/api/tokens", "/penduduk", "/wilayah",
                     "/peta", "/impor", "/admin", "/audit")


def _api_routes(routes: list) -> list[APIRoute]:
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):  # FastAPI wraps included routers
            found += _api_routes(route.original_router.routes)
    return found


def _get_routes() -> list[str]:
    app = create_app(Settings(environment="development"))
    paths = []
    for route in _api_routes(app.routes):
        if "GET" in route.methods and route.path not in PUBLIC:
            paths.append(re.sub(r"\{(\w+)(:[^}]*)?\}", lambda m: SAMPLE.get(m.group(1), "1"),
                                route.path))
    return sorted(set(paths))


ROUTES = _get_routes()


def test_the_route_table_was_read():
    assert len(ROUTES) > 15


@pytest.mark.parametrize("path", ROUTES)
def test_outsider_gets_nothing(path, client_for):
    response = client_for("outsider").get(path, follow_redirects=False)
    if path in NOT_FOUND_UNLESS_ALLOWED:
        assert response.status_code == 404, (path, response.status_code)
    elif path.startswith("/api/"):
        assert response.status_code == 401, (path, response.status_code)
    else:
        assert response.status_code in (303, 307), (path, response.status_code)
        assert response.headers["location"].startswith("/masuk")


@pytest.mark.parametrize("path", [p for p in ROUTES if p.startswith(REGISTRY_PREFIXES)])
def test_field_officer_cannot_read_the_registry(path, client_for):
    response = client_for("petugas").get(path, follow_redirects=False)
    assert response.status_code in (403, 404), (path, response.status_code)
