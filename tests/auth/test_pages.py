"""Pages: escaping, language, error pages, health check, the admin's user screens."""

from __future__ import annotations

from collections.abc import Callable

from tests.personas import TestClient, page_csrf, sign_in


def test_script_in_a_full_name_is_shown_as_text(
    client_for: Callable[[str], TestClient], anonymous: TestClient
) -> None:
    admin = client_for("admin")
    response = admin.post(
        "/admin/pengguna",
        data={
            "csrf_token": page_csrf(admin),
            "username": "jahil",
            "role": "operator",
            "scope_region": "33.06",
            "full_name": "<script>alert(1)</script>",
        },
    )
    assert response.status_code == 200
    password = response.text.split('id="secret">')[1].split("<")[0]
    listing = admin.get("/admin/pengguna").text
    assert "<script>alert(1)</script>" not in listing
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    sign_in(anonymous, "jahil", password)
    account = anonymous.get("/akun").text
    assert "<script>alert(1)</script>" not in account
    assert "&lt;script&gt;" in account


def test_admin_creates_user_with_a_one_time_password(
    client_for: Callable[[str], TestClient],
) -> None:
    admin = client_for("admin")
    response = admin.post(
        "/admin/pengguna",
        data={
            "csrf_token": page_csrf(admin),
            "username": "sma1",
            "role": "sekolah",
            "scope_institution": "20300001",
        },
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    users = {user["username"]: user for user in admin.get("/api/users").json()["users"]}
    assert users["sma1"]["scope_institution"] == "20300001"
    assert "password_hash" not in users["sma1"]


def test_admin_gets_a_readable_error_for_a_bad_scope(
    client_for: Callable[[str], TestClient],
) -> None:
    admin = client_for("admin")
    response = admin.post(
        "/admin/pengguna",
        data={
            "csrf_token": page_csrf(admin),
            "username": "salah",
            "role": "operator",
            "scope_region": "3306",
        },
    )
    assert response.status_code == 400
    assert "Kode wilayah harus bertitik" in response.text


def test_admin_resets_a_password_and_the_old_one_stops_working(
    client_for: Callable[[str], TestClient], anonymous: TestClient
) -> None:
    admin = client_for("admin")
    desa_id = next(
        user["id"] for user in admin.get("/api/users").json()["users"] if user["username"] == "desa"
    )
    response = admin.post(
        f"/admin/pengguna/{desa_id}/reset-sandi", data={"csrf_token": page_csrf(admin)}
    )
    assert response.status_code == 200
    new_password = response.text.split('id="secret">')[1].split("<")[0]
    sign_in(anonymous, "desa", new_password)


def test_admin_cannot_disable_themselves(client_for: Callable[[str], TestClient]) -> None:
    admin = client_for("admin")
    admin_id = admin.get("/api/me").json()["user"]["id"]
    response = admin.post(
        f"/admin/pengguna/{admin_id}/nonaktifkan", data={"csrf_token": page_csrf(admin)}
    )
    assert response.status_code == 400


def test_missing_user_is_not_found_in_indonesian(client_for: Callable[[str], TestClient]) -> None:
    admin = client_for("admin")
    response = admin.post("/admin/pengguna/9999/nonaktifkan", data={"csrf_token": page_csrf(admin)})
    assert response.status_code == 404
    assert "Tidak ditemukan" in response.text
    assert "Traceback" not in response.text
    assert admin.get("/api/tidak-ada").json() == {"detail": "Tidak ditemukan"}


def test_english_user_sees_english_navigation(client_for: Callable[[str], TestClient]) -> None:
    operator = client_for("operator")
    assert "Cari penduduk" in operator.get("/").text
    operator.post("/akun/bahasa", data={"locale": "en", "csrf_token": page_csrf(operator)})
    page = operator.get("/").text
    assert "Find residents" in page
    assert '<html lang="en">' in page


def test_health_check_needs_no_account(anonymous: TestClient) -> None:
    assert anonymous.get("/healthz").json() == {"status": "ok"}


def test_stylesheet_is_served_locally(anonymous: TestClient) -> None:
    response = anonymous.get("/static/jemput.css")
    assert response.status_code == 200
    page = anonymous.get("/masuk").text
    assert "/static/jemput.css" in page
    assert "https://" not in page


def test_admin_moves_a_desa_official_to_another_desa_with_the_form(
    client_for: Callable[[str], TestClient],
) -> None:
    desa = client_for("desa")
    admin = client_for("admin")
    users = {user["username"]: user for user in admin.get("/api/users").json()["users"]}
    response = admin.post(
        f"/admin/pengguna/{users['desa']['id']}/ubah",
        data={"csrf_token": page_csrf(admin), "role": "desa", "scope_region": "33.06.01.2002"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    moved = {user["username"]: user for user in admin.get("/api/users").json()["users"]}
    assert moved["desa"]["scope_region"] == "33.06.01.2002"
    # A new scope means new sessions: nothing opened under the old one lingers.
    assert desa.get("/api/me").status_code == 401


def test_admin_page_offers_no_edit_of_its_own_account(
    client_for: Callable[[str], TestClient],
) -> None:
    admin = client_for("admin")
    admin_id = admin.get("/api/me").json()["user"]["id"]
    assert f"/admin/pengguna/{admin_id}/ubah" not in admin.get("/admin/pengguna").text
    response = admin.post(
        f"/admin/pengguna/{admin_id}/ubah",
        data={"csrf_token": page_csrf(admin), "role": "admin", "scope_region": "33"},
    )
    assert response.status_code == 400
    assert "akun sendiri" in response.text
