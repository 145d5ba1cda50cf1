"""Wrong passwords slow the address that sends them, never the account's owner (issue 7)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi import FastAPI
from sqlalchemy import select
from typer.testing import CliRunner

from jemput.auth import sessions, throttle
from jemput.auth.cli import users_app
from jemput.auth.models import LoginAttempt, now_utc
from jemput.db import unit_of_work
from tests.personas import PERSONA_PASSWORD, Persona, TestClient, csrf_from

WRONG = "Salah-sandi-99"


def _attempt(client: TestClient, username: str, password: str) -> object:
    form = client.get("/masuk")
    return client.post(
        "/masuk",
        data={"username": username, "password": password, "csrf_token": csrf_from(form.text)},
        follow_redirects=False,
    )


def test_wrong_passwords_from_one_address_do_not_lock_the_owner_out_elsewhere(
    app: FastAPI, anonymous: TestClient, personas: dict[str, Persona]
) -> None:
    for _ in range(throttle.PAIR_FREE):
        assert _attempt(anonymous, "admin", WRONG).status_code == 401  # type: ignore[attr-defined]
    refused = _attempt(anonymous, "admin", PERSONA_PASSWORD)
    assert refused.status_code == 429  # type: ignore[attr-defined]
    assert 0 < int(refused.headers["retry-after"]) <= 15  # type: ignore[attr-defined]
    assert "Terlalu banyak percobaan masuk" in refused.text  # type: ignore[attr-defined]
    with TestClient(app, client=("192.0.2.10", 50000)) as office:
        assert _attempt(office, "admin", PERSONA_PASSWORD).status_code == 303  # type: ignore[attr-defined]


def test_each_further_failure_doubles_the_wait_up_to_a_cap(
    personas: dict[str, Persona], migrated_database: str
) -> None:
    now = now_utc()
    waits = []
    with unit_of_work(migrated_database) as session:
        for _ in range(14):
            wait = throttle.retry_after(session=session, username="admin", ip="198.51.100.7",
                                        now=now)
            if wait:
                waits.append(wait)
                now += timedelta(seconds=wait)
            assert sessions.authenticate(session=session, username="admin", password=WRONG,
                                         ip="198.51.100.7", now=now) is None
    assert waits[:4] == [15, 30, 60, 120]
    assert max(waits) == throttle.PAIR_CAP.total_seconds()
    assert waits == sorted(waits)


def test_a_success_clears_the_address_own_count(
    anonymous: TestClient, personas: dict[str, Persona]
) -> None:
    for _ in range(throttle.PAIR_FREE - 1):
        _attempt(anonymous, "operator", WRONG)
    assert _attempt(anonymous, "operator", PERSONA_PASSWORD).status_code == 303  # type: ignore[attr-defined]
    for _ in range(throttle.PAIR_FREE - 1):
        assert _attempt(anonymous, "operator", WRONG).status_code == 401  # type: ignore[attr-defined]


def test_an_address_guessing_many_accounts_is_slowed_across_all_of_them(
    app: FastAPI, anonymous: TestClient, personas: dict[str, Persona]
) -> None:
    for n in range(throttle.IP_FREE):
        assert _attempt(anonymous, f"tebak{n}", WRONG).status_code == 401  # type: ignore[attr-defined]
    assert _attempt(anonymous, "kepala", PERSONA_PASSWORD).status_code == 429  # type: ignore[attr-defined]
    with TestClient(app, client=("192.0.2.11", 50000)) as elsewhere:
        assert _attempt(elsewhere, "kepala", PERSONA_PASSWORD).status_code == 303  # type: ignore[attr-defined]


def test_every_attempt_is_recorded_and_shown_to_admin_and_auditor(
    client_for: Callable[[str], TestClient],
    anonymous: TestClient,
    migrated_database: str,
) -> None:
    admin = client_for("admin")
    for _ in range(throttle.PAIR_FREE + 1):
        _attempt(anonymous, "desa", WRONG)
    with unit_of_work(migrated_database) as session:
        rows = session.execute(select(LoginAttempt).where(LoginAttempt.username == "desa")).all()
    assert len(rows) == throttle.PAIR_FREE + 1
    listed = admin.get("/api/login-attempts", params={"username": "desa"}).json()["attempts"]
    assert [a["outcome"] for a in listed][:2] == ["throttled", "bad_password"]
    assert listed[0]["ip"] == "testclient"
    assert client_for("auditor").get("/admin/percobaan-masuk").status_code == 200
    assert "desa" in admin.get("/admin/percobaan-masuk").text
    assert client_for("operator").get("/api/login-attempts").status_code == 403
    cli = CliRunner().invoke(users_app, ["attempts", "--username", "desa"])
    assert cli.exit_code == 0, cli.output
    assert "throttled" in cli.output


def test_old_attempts_can_be_purged_from_the_command_line(
    anonymous: TestClient, personas: dict[str, Persona], migrated_database: str
) -> None:
    _attempt(anonymous, "desa", WRONG)
    with unit_of_work(migrated_database) as session:
        throttle.record_attempt(session=session, username="desa", ip="192.0.2.30",
                                outcome="bad_password", now=now_utc() - timedelta(days=120))
    result = CliRunner().invoke(users_app, ["attempts", "--purge-older-than", "90"])
    assert result.exit_code == 0, result.output
    assert "1 catatan" in result.output
    with unit_of_work(migrated_database) as session:
        assert [row.ip for row in session.execute(select(LoginAttempt)).scalars()] == [
            "testclient"
        ]
