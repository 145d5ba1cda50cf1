"""Every auth endpoint refuses the wrong persona (healthchecks' _ownership tests)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.personas import TestClient, page_csrf

ADMIN_ONLY_GETS = ["/admin/pengguna", "/admin/perangkat", "/api/users", "/api/tokens"]
AUDIT_GETS = ["/audit", "/api/audit"]
SIGNED_IN_GETS = ["/", "/akun", "/api/me"]
# (path, form) of every admin-only form POST; ids point at rows that exist.
ADMIN_ONLY_POSTS = [
    ("/admin/pengguna", {"username": "baru01", "role": "operator", "scope_region": "33.06"}),
    ("/admin/pengguna/1/nonaktifkan", {}),
    ("/admin/pengguna/1/reset-sandi", {}),
    ("/admin/pengguna/1/ubah", {"role": "operator", "scope_region": "33.06"}),
    ("/admin/perangkat", {"name": "Laptop"}),
    ("/admin/perangkat/1/cabut", {}),
]


@pytest.mark.parametrize("persona", ["operator", "desa", "auditor"])
@pytest.mark.parametrize("path", ADMIN_ONLY_GETS)
def test_only_the_admin_sees_users_and_devices(
    client_for: Callable[[str], TestClient], persona: str, path: str
) -> None:
    response = client_for(persona).get(path)
    assert response.status_code == 403
    assert "Tidak berwenang" in response.text


@pytest.mark.parametrize("path", ADMIN_ONLY_GETS + AUDIT_GETS)
def test_admin_sees_admin_pages(client_for: Callable[[str], TestClient], path: str) -> None:
    assert client_for("admin").get(path).status_code == 200


@pytest.mark.parametrize("persona", ["operator", "desa"])
@pytest.mark.parametrize("path", AUDIT_GETS)
def test_only_admin_and_auditor_read_the_audit_log(
    client_for: Callable[[str], TestClient], persona: str, path: str
) -> None:
    assert client_for(persona).get(path).status_code == 403


@pytest.mark.parametrize("path", AUDIT_GETS)
def test_auditor_reads_the_audit_log(client_for: Callable[[str], TestClient], path: str) -> None:
    assert client_for("auditor").get(path).status_code == 200


@pytest.mark.parametrize("persona", ["operator", "desa", "auditor"])
@pytest.mark.parametrize(("path", "form"), ADMIN_ONLY_POSTS)
def test_non_admins_cannot_change_users_or_tokens(
    client_for: Callable[[str], TestClient], persona: str, path: str, form: dict[str, str]
) -> None:
    client = client_for(persona)
    response = client.post(path, data={**form, "csrf_token": page_csrf(client)})
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["operator", "desa", "auditor"])
def test_non_admins_cannot_use_the_json_admin_api(
    client_for: Callable[[str], TestClient], persona: str
) -> None:
    client = client_for(persona)
    headers = {"X-CSRF-Token": page_csrf(client)}
    body = {
        "username": "x-baru",
        "role": "admin",
        "password": "Wayang-kulit-88",
        "scope_region": "33.06",
    }
    assert client.post("/api/users", json=body, headers=headers).status_code == 403
    token = {"username": persona, "name": "Laptop"}
    assert client.post("/api/tokens", json=token, headers=headers).status_code == 403
    assert client.delete("/api/tokens/1", headers=headers).status_code == 403
    assert client.patch("/api/users/1", json={"role": "admin"}, headers=headers).status_code == 403
    if persona != "auditor":  # the auditor reviews sign-in attempts
        assert client.get("/api/login-attempts").status_code == 403


@pytest.mark.parametrize("path", ADMIN_ONLY_GETS + AUDIT_GETS + SIGNED_IN_GETS)
def test_outsider_is_refused_everywhere(anonymous: TestClient, path: str) -> None:
    response = anonymous.get(path, follow_redirects=False)
    if path.startswith("/api/"):
        assert response.status_code == 401
    else:
        assert response.status_code == 303
        assert response.headers["location"].startswith("/masuk")


@pytest.mark.parametrize(
    "path", ["/keluar", "/akun/sandi", "/akun/bahasa"] + [path for path, _ in ADMIN_ONLY_POSTS]
)
def test_outsider_cannot_post(anonymous: TestClient, path: str) -> None:
    response = anonymous.post(path, data={"csrf_token": "x"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/masuk"


@pytest.mark.parametrize("persona", ["admin", "operator", "desa", "auditor"])
@pytest.mark.parametrize("path", SIGNED_IN_GETS)
def test_every_persona_sees_their_own_pages(
    client_for: Callable[[str], TestClient], persona: str, path: str
) -> None:
    assert client_for(persona).get(path).status_code == 200


def test_nav_shows_each_role_its_own_links(client_for: Callable[[str], TestClient]) -> None:
    paths = {
        name: {item["path"] for item in client_for(name).get("/api/me").json()["nav"]}
        for name in ("admin", "operator", "desa", "auditor")
    }
    assert "/admin/pengguna" in paths["admin"]
    assert "/admin/pengguna" not in paths["operator"] | paths["desa"] | paths["auditor"]
    assert "/audit" in paths["auditor"]
    assert "/audit" not in paths["operator"] | paths["desa"]
    assert "/impor" in paths["operator"]
    assert "/penduduk" in paths["desa"]
