"""Every response carries the security headers; nothing with personal data is cached.

The routes are read from the app's route table, so a page added tomorrow is checked
the day it is added.
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute

from jemput.config import Settings
from jemput.web import create_app

SAMPLE = {"code": "33.06.01.2001", "name": "belum-rekam", "resident_id": "1", "job_id": "1",
          "id": "1", "token_id": "1", "user_id": "1"}
# Inline code the policy would block, so a page that needs it would break in a browser.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def _api_routes(routes: list) -> list[APIRoute]:
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):  # FastAPI wraps included routers
            found += _api_routes(route.original_router.routes)
    return found


def _get_paths() -> list[str]:
    app = create_app(Settings(environment="development"))
    paths = {"/api/docs", "/api/openapi.json"}
    for route in _api_routes(app.routes):
        if "GET" in route.methods:
            paths.add(re.sub(r"\{(\w+)(:[^}]*)?\}", lambda m: SAMPLE.get(m.group(1), "1"),
                             route.path))
    return sorted(paths)


PATHS = _get_paths()


def assert_protected(response, path: str) -> None:
    headers = response.headers
    policy = headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in policy, (path, policy)
    if path != "/api/docs":
        assert "script-src 'self';" in policy and "style-src 'self';" in policy, (path, policy)
        assert "unsafe-inline" not in policy
    assert headers.get("x-frame-options") == "DENY", path
    assert headers.get("x-content-type-options") == "nosniff", path
    assert headers.get("referrer-policy") in ("no-referrer", "same-origin"), path
    assert headers.get("cache-control") == "no-store", (path, headers.get("cache-control"))


def test_the_route_table_was_read():
    assert len(PATHS) > 15 and "/penduduk/1" in PATHS and "/impor/1/laporan" in PATHS


# One signed-in client per persona walks the whole table (signing in is slow on purpose).
@pytest.mark.parametrize("who", ["outsider", "operator", "admin", "desa", "kepala", "petugas"])
def test_every_get_route_sends_the_security_headers_and_needs_no_inline_code(who, client_for):
    client = client_for(who)
    for path in PATHS:
        response = client.get(path, follow_redirects=False)
        assert_protected(response, path)
        # /api/docs is FastAPI's own Swagger page, served in development only.
        if "text/html" in response.headers.get("content-type", "") and path != "/api/docs":
            assert not INLINE_SCRIPT.search(response.text), (who, path)
            assert not INLINE_STYLE.search(response.text), (who, path)


def test_error_and_json_responses_are_not_cached(client_for):
    operator = client_for("operator")
    for response in (operator.get("/tidak-ada"), operator.get("/api/penduduk/999999"),
                     client_for("outsider").get("/api/dasbor"), operator.get("/healthz")):
        assert_protected(response, "?")


def test_static_files_are_cacheable_but_protected(anonymous):
    response = anonymous.get("/static/jemput.css")
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers.get("cache-control") != "no-store"
