"""Sign-in, lockout, sign-out and session expiry through the real pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from jemput.auth import audit, sessions
from jemput.auth.dependencies import SESSION_COOKIE
from jemput.auth.models import User, WebSession
from jemput.db import unit_of_work
from tests.personas import PERSONA_PASSWORD, Persona, TestClient, csrf_from, page_csrf, sign_in


def _attempt(client: TestClient, username: str, password: str) -> object:
    form = client.get("/masuk")
    return client.post(
        "/masuk",
        data={"username": username, "password": password, "csrf_token": csrf_from(form.text)},
        follow_redirects=False,
    )


def test_operator_signs_in_and_gets_a_hardened_session_cookie(
    anonymous: TestClient, personas: dict[str, Persona]
) -> None:
    response = _attempt(anonymous, "operator", PERSONA_PASSWORD)
    assert response.status_code == 303
    cookie = next(
        value
        for name, value in response.headers.multi_items()
        if name == "set-cookie" and value.startswith(SESSION_COOKIE)
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert anonymous.get("/api/me").json()["user"]["username"] == "operator"


def test_wrong_password_and_unknown_user_get_the_same_message(
    anonymous: TestClient, personas: dict[str, Persona]
) -> None:
    wrong = _attempt(anonymous, "operator", "Salah-sandi-99")
    unknown = _attempt(anonymous, "tidak-ada", "Salah-sandi-99")
    assert wrong.status_code == unknown.status_code == 401
    assert sessions.LOGIN_FAILED_MESSAGE in wrong.text
    assert sessions.LOGIN_FAILED_MESSAGE in unknown.text


def test_failed_sign_in_is_audited_with_the_client_ip(
    anonymous: TestClient, personas: dict[str, Persona], migrated_database: str
) -> None:
    _attempt(anonymous, "operator", "Salah-sandi-99")
    with unit_of_work(migrated_database) as session:
        entry = audit.list_entries(session=session, action="auth.login_failed")[0]
    assert entry.actor_name == "operator"
    assert entry.ip == "testclient"
    assert "Salah-sandi-99" not in entry.detail


def test_success_resets_the_failure_count(
    anonymous: TestClient, personas: dict[str, Persona], migrated_database: str
) -> None:
    for _ in range(4):
        _attempt(anonymous, "operator", "Salah-sandi-99")
    assert _attempt(anonymous, "operator", PERSONA_PASSWORD).status_code == 303
    with unit_of_work(migrated_database) as session:
        user = session.execute(select(User).where(User.username == "operator")).scalar_one()
        assert user.failed_logins == 0


def test_sign_in_without_the_form_token_is_refused(
    anonymous: TestClient, personas: dict[str, Persona]
) -> None:
    anonymous.get("/masuk")
    response = anonymous.post("/masuk", data={"username": "operator", "password": PERSONA_PASSWORD})
    assert response.status_code == 403
    forged = anonymous.post(
        "/masuk",
        data={"username": "operator", "password": PERSONA_PASSWORD, "csrf_token": "abc.def"},
    )
    assert forged.status_code == 403


def test_sign_in_never_redirects_off_site(
    anonymous: TestClient, personas: dict[str, Persona]
) -> None:
    form = anonymous.get("/masuk")
    response = anonymous.post(
        "/masuk",
        data={
            "username": "operator",
            "password": PERSONA_PASSWORD,
            "csrf_token": csrf_from(form.text),
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_outsider_is_sent_to_the_sign_in_page(anonymous: TestClient) -> None:
    response = anonymous.get("/akun", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/masuk?next=/akun"
    assert anonymous.get("/api/me").status_code == 401


def test_sign_out_deletes_the_session(
    client_for: Callable[[str], TestClient], migrated_database: str
) -> None:
    client = client_for("desa")
    cookie = client.cookies[SESSION_COOKIE]
    response = client.post(
        "/keluar", data={"csrf_token": page_csrf(client)}, follow_redirects=False
    )
    assert response.status_code == 303
    with unit_of_work(migrated_database) as session:
        digest = sessions.token_digest(cookie)
        assert (
            session.execute(select(WebSession).where(WebSession.token_hash == digest)).first()
            is None
        )
        assert audit.list_entries(session=session, action="auth.logout")[0].actor_name == "desa"
    # Replaying the old cookie gets nowhere.
    with TestClient(client.app, cookies={SESSION_COOKIE: cookie}) as replay:
        assert replay.get("/api/me").status_code == 401


def test_expired_session_is_refused(
    app: object, personas: dict[str, Persona], migrated_database: str
) -> None:
    with unit_of_work(migrated_database) as session:
        user = session.execute(select(User).where(User.username == "operator")).scalar_one()
        token, _ = sessions.create_session(
            session=session,
            user=user,
            hours=8,
            expires_at=datetime.now(UTC) - timedelta(minutes=1),
        )
    with TestClient(app, cookies={SESSION_COOKIE: token}) as client:  # type: ignore[arg-type]
        assert client.get("/api/me").status_code == 401
        assert client.get("/", follow_redirects=False).headers["location"] == "/masuk"


def test_disabled_user_loses_their_session(
    client_for: Callable[[str], TestClient], migrated_database: str
) -> None:
    desa = client_for("desa")
    assert desa.get("/api/me").status_code == 200
    admin = client_for("admin")
    with unit_of_work(migrated_database) as session:
        user_id = session.execute(select(User.id).where(User.username == "desa")).scalar_one()
    response = admin.post(
        f"/admin/pengguna/{user_id}/nonaktifkan",
        data={"csrf_token": page_csrf(admin)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert desa.get("/api/me").status_code == 401
    relogin = TestClient(desa.app)
    form = relogin.get("/masuk")
    refused = relogin.post(
        "/masuk",
        data={"username": "desa", "password": PERSONA_PASSWORD, "csrf_token": csrf_from(form.text)},
    )
    assert refused.status_code == 401
    relogin.close()


def test_password_change_keeps_this_browser_signed_in(
    client_for: Callable[[str], TestClient], anonymous: TestClient
) -> None:
    client = client_for("operator")
    response = client.post(
        "/akun/sandi",
        data={
            "csrf_token": page_csrf(client),
            "current_password": PERSONA_PASSWORD,
            "new_password": "Gamelan-baru-42",
            "repeat_password": "Gamelan-baru-42",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert client.get("/api/me").status_code == 200
    sign_in(anonymous, "operator", "Gamelan-baru-42")


def test_password_change_enforces_the_policy(client_for: Callable[[str], TestClient]) -> None:
    client = client_for("operator")
    response = client.post(
        "/akun/sandi",
        data={
            "csrf_token": page_csrf(client),
            "current_password": PERSONA_PASSWORD,
            "new_password": "1234567890123",
            "repeat_password": "1234567890123",
        },
    )
    assert response.status_code == 400
    assert "hanya angka" in response.text
