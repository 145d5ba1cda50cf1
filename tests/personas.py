"""Named personas, shared by every test folder: one place for the cast.

Registered as a pytest plugin by tests/conftest.py, so tests/reports, tests/residents,
tests/browser and the rest all sign in the same people. "outsider" has no account.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient  # its httpx notice is silenced in pyproject

from jemput.auth import passwords
from jemput.auth.models import User
from jemput.config import Settings
from jemput.db import unit_of_work
from jemput.web import create_app

PERSONA_PASSWORD = "Kuda-lumping-7"
DESA_CODE = "33.06.01.2001"
OTHER_DESA_CODE = "33.06.01.2002"
KECAMATAN_CODE = "33.06.01"


@dataclass(frozen=True)
class Persona:
    username: str
    role: str
    scope_region: str | None
    password: str = PERSONA_PASSWORD
    scope_institution: str | None = None
    scope_team: str | None = None


# The cast every test speaks of; "outsider" has no account at all.
PERSONAS = {
    "admin": Persona("admin", "admin", "33.06"),
    "kepala": Persona("kepala", "kepala", "33.06"),
    "operator": Persona("operator", "operator", "33.06"),
    # An office of one kecamatan (Grabag): reaches nothing of its neighbours.
    "kecamatan_operator": Persona("operator-grabag", "operator", "33.06.01"),
    "desa": Persona("desa", "desa", DESA_CODE),
    "auditor": Persona("auditor", "auditor", "33.06"),
    "auditor_kecamatan": Persona("auditor_kecamatan", "auditor", KECAMATAN_CODE),
    "petugas": Persona("petugas", "petugas", None, scope_team="Tim 1"),
    "sekolah": Persona("sekolah", "sekolah", None, scope_institution="20300001"),
    "mitra": Persona("mitra", "mitra", "33.06"),
}


@pytest.fixture(scope="session")
def _persona_hash() -> str:
    # Argon2id is slow on purpose; hash the shared persona password once per run.
    return passwords.hash_password(PERSONA_PASSWORD)


@pytest.fixture
def personas(migrated_database: str, _persona_hash: str) -> dict[str, Persona]:
    # Rows go in directly with the precomputed hash; service.create_user has its own tests.
    with unit_of_work(migrated_database) as session:
        for persona in PERSONAS.values():
            session.add(
                User(
                    username=persona.username,
                    full_name=f"{persona.role.title()} Purworejo",
                    role=persona.role,
                    scope_region=persona.scope_region,
                    scope_institution=persona.scope_institution,
                    scope_team=persona.scope_team,
                    password_hash=_persona_hash,
                    is_active=True,
                    failed_logins=0,
                    locale="id",
                )
            )
    return PERSONAS


@pytest.fixture
def settings(migrated_database: str) -> Settings:
    # The URL comes from the shared migrated_database fixture (SQLite or PostgreSQL).
    return Settings(database_url=migrated_database, environment="development")


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


_HIDDEN_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def csrf_from(html: str) -> str:
    """Return the first hidden csrf_token value in a page."""
    match = _HIDDEN_CSRF.search(html)
    assert match, "page has no csrf_token field"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str) -> TestClient:
    """Sign `client` in through the real form; return it for chaining."""
    form = client.get("/masuk")
    response = client.post(
        "/masuk",
        data={"username": username, "password": password, "csrf_token": csrf_from(form.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def signed_in_cookies(base_url: str, persona: str) -> httpx.Cookies:
    """Sign a persona in to a server running at `base_url`; return the session cookies."""
    with httpx.Client(base_url=base_url) as client:
        form = client.get("/masuk")
        response = client.post("/masuk", data={
            "username": PERSONAS[persona].username, "password": PERSONAS[persona].password,
            "csrf_token": csrf_from(form.text),
        })
        assert response.status_code in (200, 303), response.text
        return client.cookies


def page_csrf(client: TestClient) -> str:
    """Return the signed-in session's CSRF token, read from the account page."""
    return csrf_from(client.get("/akun").text)


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def client_for(app: FastAPI, personas: dict[str, Persona]) -> Iterator[Callable[[str], TestClient]]:
    """Return a factory: persona name -> a TestClient signed in as that persona."""
    with ExitStack() as stack:

        def make(name: str) -> TestClient:
            client = stack.enter_context(TestClient(app))
            if name == "outsider":
                return client
            persona = personas[name]
            return sign_in(client, persona.username, persona.password)

        yield make
