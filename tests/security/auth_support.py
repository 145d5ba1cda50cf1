"""Extra accounts for the auth security tests: the personas are all regency-wide."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import select

from jemput.auth.models import User
from jemput.db import unit_of_work
from tests.personas import PERSONA_PASSWORD, TestClient, sign_in

GRABAG = "33.06.01"  # a kecamatan of Purworejo
NGOMBOL = "33.06.02"  # another one


def add_user(
    url: str, password_hash: str, username: str, role: str, scope_region: str | None
) -> int:
    """Insert an account that signs in with the persona password; return its id."""
    with unit_of_work(url) as session:
        user = User(
            username=username,
            full_name=username.title(),
            role=role,
            scope_region=scope_region,
            password_hash=password_hash,
            is_active=True,
            failed_logins=0,
            locale="id",
        )
        session.add(user)
        session.flush()
        return user.id


def user_id(url: str, username: str) -> int:
    with unit_of_work(url) as session:
        return session.execute(select(User.id).where(User.username == username)).scalar_one()


def signed_in(app: FastAPI, username: str, ip: str = "testclient") -> TestClient:
    """A new browser at `ip`, signed in as `username` (close it when done)."""
    client = TestClient(app, client=(ip, 50000))
    return sign_in(client, username, PERSONA_PASSWORD)
