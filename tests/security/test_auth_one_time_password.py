"""A password someone else chose is one-time: its user replaces it before anything else.

The demo's printed passwords, an admin's reset and a new account's first password were
all usable for ever before; whoever handed them out knew the password in use.
"""

from __future__ import annotations

import re

from typer.testing import CliRunner

from jemput.cli import app as cli
from tests.personas import page_csrf, sign_in

NEW_PASSWORD = "Embung-Kedungputri-musim-hujan-8"


def _demo_password(output: str, username: str) -> str:
    match = re.search(rf"{username}\s*│\s*\w+\s*│\s*(\S+)", output)
    assert match, output
    return match.group(1)


def _change(client, current: str, new: str = NEW_PASSWORD):
    return client.post("/akun/sandi", data={
        "csrf_token": page_csrf(client), "current_password": current,
        "new_password": new, "repeat_password": new,
    }, follow_redirects=False)


def test_a_demo_password_opens_only_the_account_page_until_it_is_changed(anonymous,
                                                                         migrated_database):
    result = CliRunner().invoke(cli, ["users", "create-demo", "--reset-passwords"])
    assert result.exit_code == 0, result.output
    password = _demo_password(result.output, "demo-operator")
    client = sign_in(anonymous, "demo-operator", password)

    page = client.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/akun?ganti=1"
    assert client.get("/api/dasbor").status_code == 403
    assert "sementara" in client.get("/akun").text

    assert _change(client, password).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 200
    assert client.get("/api/dasbor").status_code == 200


def test_the_one_time_password_cannot_be_kept_as_the_new_one(anonymous, migrated_database):
    result = CliRunner().invoke(cli, ["users", "create-demo", "--reset-passwords"])
    password = _demo_password(result.output, "demo-kepala")
    client = sign_in(anonymous, "demo-kepala", password)
    response = _change(client, password, password)
    assert response.status_code == 400
    assert "harus berbeda" in response.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_an_admin_reset_is_one_time_and_ones_own_change_is_not(client_for, anonymous, personas):
    admin = client_for("admin")
    users = admin.get("/api/users").json()["users"]
    kepala_id = next(u["id"] for u in users if u["username"] == "kepala")
    shown = admin.post(f"/admin/pengguna/{kepala_id}/reset-sandi",
                       data={"csrf_token": page_csrf(admin)})
    assert shown.status_code == 200
    temporary = re.search(r"<code[^>]*>([^<]+)</code>", shown.text)
    assert temporary, shown.text
    kepala = sign_in(anonymous, "kepala", temporary.group(1))
    assert kepala.get("/api/dasbor").status_code == 403

    assert _change(kepala, temporary.group(1)).status_code == 303
    assert kepala.get("/api/dasbor").status_code == 200
