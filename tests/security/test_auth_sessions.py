"""Sign-in rotates the browser's session; a user sees and ends their sessions (issue 7)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI

from jemput.auth.dependencies import SESSION_COOKIE
from tests.personas import PERSONA_PASSWORD, Persona, TestClient, csrf_from, page_csrf, sign_in
from tests.security.auth_support import signed_in


def test_signing_in_again_ends_the_previous_session_of_that_browser(
    app: FastAPI, client_for: Callable[[str], TestClient]
) -> None:
    client = client_for("operator")
    first = client.cookies[SESSION_COOKIE]
    sign_in(client, "operator", PERSONA_PASSWORD)
    assert client.cookies[SESSION_COOKIE] != first
    assert client.get("/api/me").status_code == 200
    with TestClient(app, cookies={SESSION_COOKIE: first}) as replay:
        assert replay.get("/api/me").status_code == 401
    assert len(client.get("/api/akun/sesi").json()["sessions"]) == 1


def test_a_planted_session_cookie_is_not_kept_at_sign_in(
    app: FastAPI, personas: dict[str, Persona]
) -> None:
    with signed_in(app, "mitra") as attacker:
        planted = attacker.cookies[SESSION_COOKIE]
    with TestClient(app) as victim:
        victim.cookies.set(SESSION_COOKIE, planted, domain="testserver.local")
        sign_in(victim, "kepala", PERSONA_PASSWORD)
        assert victim.cookies[SESSION_COOKIE] != planted
        assert victim.get("/api/me").json()["user"]["username"] == "kepala"
    with TestClient(app, cookies={SESSION_COOKIE: planted}) as replay:
        assert replay.get("/api/me").status_code == 401


def test_user_sees_their_active_sessions(app: FastAPI, personas: dict[str, Persona]) -> None:
    with signed_in(app, "desa", ip="192.0.2.20") as laptop, signed_in(app, "desa") as phone:
        listed = phone.get("/api/akun/sesi").json()["sessions"]
        assert len(listed) == 2
        assert sorted(s["current"] for s in listed) == [False, True]
        assert {s["ip"] for s in listed} == {"192.0.2.20", "testclient"}
        page = laptop.get("/akun/sesi")
        assert page.status_code == 200
        assert "Keluar dari semua perangkat" in page.text
        assert "192.0.2.20" in page.text


def test_sign_out_everywhere_ends_every_session_of_the_user(
    app: FastAPI, client_for: Callable[[str], TestClient]
) -> None:
    other_user = client_for("kepala")
    with signed_in(app, "operator", ip="192.0.2.21") as laptop:
        phone = client_for("operator")
        page = phone.get("/akun/sesi")
        response = phone.post(
            "/akun/sesi/keluar-semua",
            data={"csrf_token": csrf_from(page.text)},
            follow_redirects=False,
        )
        assert response.status_code == 303
        assert response.headers["location"] == "/masuk"
        assert laptop.get("/api/me").status_code == 401
        assert phone.get("/api/me").status_code == 401
    assert other_user.get("/api/me").status_code == 200


def test_user_ends_one_other_session_but_not_someone_elses(
    app: FastAPI, client_for: Callable[[str], TestClient]
) -> None:
    kepala = client_for("kepala")
    kepala_session = kepala.get("/api/akun/sesi").json()["sessions"][0]["id"]
    with signed_in(app, "operator", ip="192.0.2.22") as laptop:
        phone = client_for("operator")
        sessions = phone.get("/api/akun/sesi").json()["sessions"]
        laptop_session = next(s["id"] for s in sessions if s["ip"] == "192.0.2.22")
        csrf = {"csrf_token": page_csrf(phone)}
        assert phone.post(f"/akun/sesi/{kepala_session}/akhiri", data=csrf).status_code == 404
        ended = phone.post(
            f"/akun/sesi/{laptop_session}/akhiri", data=csrf, follow_redirects=False
        )
        assert ended.status_code == 303
        assert laptop.get("/api/me").status_code == 401
        assert phone.get("/api/me").status_code == 200
    assert kepala.get("/api/me").status_code == 200


def test_a_token_name_with_a_control_character_is_refused_not_a_server_error(client_for):
    # Found by the API fuzzer on PostgreSQL, which refuses a NUL in text with a 500.
    operator = client_for("operator")
    for name in ("\x00", "laptop\x07", "tab\there"):
        response = operator.post("/api/akun/token", json={"name": name},
                                 headers={"X-CSRF-Token": page_csrf(operator)})
        assert response.status_code == 422, (name, response.status_code, response.text)
