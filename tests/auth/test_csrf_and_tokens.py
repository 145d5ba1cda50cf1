"""CSRF on cookie-authenticated writes, and API bearer tokens."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from jemput.auth import audit
from jemput.auth.models import ApiToken, User
from jemput.db import unit_of_work
from tests.personas import TestClient, csrf_from, page_csrf

NEW_USER = {
    "username": "operator2",
    "full_name": "Operator Dua",
    "role": "operator",
    "password": "Wayang-kulit-88",
    "scope_region": "33.06",
}


def test_form_post_without_csrf_token_is_refused(client_for: Callable[[str], TestClient]) -> None:
    client = client_for("operator")
    missing = client.post("/akun/bahasa", data={"locale": "en"})
    wrong = client.post("/akun/bahasa", data={"locale": "en", "csrf_token": "x" * 43})
    assert missing.status_code == wrong.status_code == 403
    assert "Formulir kedaluwarsa" in missing.text
    assert client.get("/api/me").json()["user"]["locale"] == "id"


def test_form_post_with_the_session_token_goes_through(
    client_for: Callable[[str], TestClient],
) -> None:
    client = client_for("operator")
    response = client.post(
        "/akun/bahasa",
        data={"locale": "en", "csrf_token": page_csrf(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    me = client.get("/api/me").json()
    assert me["user"]["locale"] == "en"
    assert {"path": "/", "label": "Dashboard"} in me["nav"]


def test_another_sessions_csrf_token_does_not_work(
    client_for: Callable[[str], TestClient],
) -> None:
    first, second = client_for("operator"), client_for("operator")
    response = second.post("/akun/bahasa", data={"locale": "en", "csrf_token": page_csrf(first)})
    assert response.status_code == 403


def test_json_request_by_cookie_needs_the_csrf_header(
    client_for: Callable[[str], TestClient],
) -> None:
    admin = client_for("admin")
    assert admin.post("/api/users", json=NEW_USER).status_code == 403
    created = admin.post("/api/users", json=NEW_USER, headers={"X-CSRF-Token": page_csrf(admin)})
    assert created.status_code == 201
    assert created.json()["username"] == "operator2"


def _admin_token(client: TestClient) -> tuple[int, str]:
    page = client.get("/admin/perangkat")
    response = client.post(
        "/admin/perangkat", data={"name": "Laptop Tim 1", "csrf_token": csrf_from(page.text)}
    )
    assert response.status_code == 200
    token = response.text.split('id="secret">')[1].split("<")[0]
    token_id = client.get("/api/tokens").json()["tokens"][0]["id"]
    return token_id, token


def _own_token(client: TestClient) -> str:
    page = client.get("/akun/sesi")
    response = client.post(
        "/akun/token", data={"name": "Skrip laporan", "csrf_token": csrf_from(page.text)}
    )
    assert response.status_code == 200
    return response.text.split('id="secret">')[1].split("<")[0]


def test_bearer_token_works_without_csrf_and_is_stored_only_as_a_hash(
    client_for: Callable[[str], TestClient], anonymous: TestClient, migrated_database: str
) -> None:
    token_id, token = _admin_token(client_for("admin"))
    bearer = {"Authorization": f"Bearer {token}"}
    assert anonymous.get("/api/me", headers=bearer).json()["user"]["username"] == "admin"
    assert anonymous.post("/api/users", json=NEW_USER, headers=bearer).status_code == 201
    with unit_of_work(migrated_database) as session:
        row = session.get(ApiToken, token_id)
        assert row is not None
        assert token not in row.token_hash
        assert row.last_used_at is not None
        assert audit.list_entries(session=session, action="token.create")[0].ip == "testclient"


def test_revoked_token_is_refused(
    client_for: Callable[[str], TestClient], anonymous: TestClient
) -> None:
    admin = client_for("admin")
    token_id, token = _admin_token(admin)
    bearer = {"Authorization": f"Bearer {token}"}
    assert anonymous.get("/api/me", headers=bearer).status_code == 200
    response = admin.post(
        f"/admin/perangkat/{token_id}/cabut",
        data={"csrf_token": page_csrf(admin)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert anonymous.get("/api/me", headers=bearer).status_code == 401
    assert admin.get("/api/tokens").json()["tokens"][0]["revoked_at"] is not None


def test_token_revoked_through_the_api(
    client_for: Callable[[str], TestClient], anonymous: TestClient
) -> None:
    operator = client_for("operator")
    created = operator.post(
        "/api/akun/token",
        json={"name": "Skrip laporan"},
        headers={"X-CSRF-Token": page_csrf(operator)},
    )
    assert created.status_code == 201
    bearer = {"Authorization": f"Bearer {created.json()['token']}"}
    assert anonymous.get("/api/me", headers=bearer).json()["user"]["username"] == "operator"
    admin = client_for("admin")
    revoked = admin.delete(
        f"/api/tokens/{created.json()['id']}", headers={"X-CSRF-Token": page_csrf(admin)}
    )
    assert revoked.status_code == 200
    assert anonymous.get("/api/me", headers=bearer).status_code == 401


def test_holder_revokes_their_own_token_through_the_api(
    client_for: Callable[[str], TestClient], anonymous: TestClient
) -> None:
    desa = client_for("desa")
    token = _own_token(desa)
    bearer = {"Authorization": f"Bearer {token}"}
    token_id = anonymous.get("/api/akun/sesi", headers=bearer).json()["tokens"][0]["id"]
    revoked = anonymous.delete(f"/api/akun/token/{token_id}", headers=bearer)
    assert revoked.status_code == 200
    assert anonymous.get("/api/me", headers=bearer).status_code == 401


def test_token_of_a_disabled_user_is_refused(
    client_for: Callable[[str], TestClient], anonymous: TestClient, migrated_database: str
) -> None:
    token = _own_token(client_for("operator"))
    with unit_of_work(migrated_database) as session:
        operator = session.execute(select(User).where(User.username == "operator")).scalar_one()
        operator.is_active = False
    assert anonymous.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_garbage_bearer_token_is_refused(anonymous: TestClient) -> None:
    response = anonymous.get("/api/me", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Belum masuk"}
