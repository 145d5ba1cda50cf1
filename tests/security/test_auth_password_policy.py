"""Weak, common and context-derived passwords are refused, saying which rule (issue 7)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner

from jemput.auth import passwords
from jemput.auth.cli import users_app
from tests.personas import PERSONA_PASSWORD, TestClient, page_csrf

runner = CliRunner()


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("aaaaaaaaaaaa", "berulang"),
        (" " * 12, "berulang"),
        ("Password12", "minimal 12"),
        ("Password1234", "terlalu umum"),
        ("passwordpassword", "berulang"),
        ("abcdefghijklmn", "berulang"),
        ("Sayangku-2026", "terlalu umum"),
        ("Michael19851", "mudah ditebak"),
        ("budi-santoso-77", "nama pengguna"),
        ("Jemput-kantor-9", "“jemput”"),
        ("Purworejo-sawah-9", "“purworejo”"),
        ("Disdukcapil#2026", "“disdukcapil”"),
        ("D1sdukc4pil-baru", "“disdukcapil”"),
    ],
)
def test_cli_refuses_a_weak_password_and_names_the_rule(
    migrated_database: str, password: str, rule: str
) -> None:
    result = runner.invoke(
        users_app,
        ["create", "budi-santoso", "--role", "operator", "--scope", "33.06", "--password-stdin"],
        input=password + "\n",
    )
    assert result.exit_code == 1, result.output
    assert rule in result.output


def test_cli_accepts_a_long_unrelated_passphrase(migrated_database: str) -> None:
    result = runner.invoke(
        users_app,
        ["create", "budi-santoso", "--role", "operator", "--scope", "33.06", "--password-stdin"],
        input="Kerupuk-kulit-di-pasar-7\n",
    )
    assert result.exit_code == 0, result.output


def test_the_bundled_list_of_common_passwords_is_a_real_list() -> None:
    assert len(passwords.common_passwords()) > 20000
    assert "bismillah" in passwords.common_passwords()


def test_password_change_names_the_rule_in_the_users_language(
    client_for: Callable[[str], TestClient],
) -> None:
    client = client_for("operator")
    client.post("/akun/bahasa", data={"locale": "en", "csrf_token": page_csrf(client)})
    response = client.post(
        "/akun/sandi",
        data={
            "csrf_token": page_csrf(client),
            "current_password": PERSONA_PASSWORD,
            "new_password": "passwordpassword",
            "repeat_password": "passwordpassword",
        },
    )
    assert response.status_code == 400
    assert "repeats" in response.text
