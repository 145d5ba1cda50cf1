"""`jemput users`: create, disable, reset, list, tokens and demo users; all audited."""

from __future__ import annotations

from sqlalchemy import select
from typer.testing import CliRunner

from jemput.auth import audit, sessions
from jemput.auth.cli import users_app
from jemput.auth.models import ApiToken, User
from jemput.db import unit_of_work
from jemput.schools.models import School
from tests.personas import TestClient, sign_in

runner = CliRunner()


def _create(*args: str, password: str = "Wayang-kulit-88") -> object:  # noqa: S107
    return runner.invoke(users_app, ["create", *args, "--password-stdin"], input=password + "\n")


def _user(url: str, username: str) -> User:
    with unit_of_work(url) as session:
        return session.execute(select(User).where(User.username == username)).scalar_one()


def test_create_desa_official_and_sign_in(migrated_database: str, anonymous: TestClient) -> None:
    result = _create(
        "budi", "--role", "desa", "--scope", "33.06.01.2001", "--full-name", "Budi Santoso"
    )
    assert result.exit_code == 0, result.output
    user = _user(migrated_database, "budi")
    assert (user.role, user.scope_region, user.full_name) == (
        "desa",
        "33.06.01.2001",
        "Budi Santoso",
    )
    sign_in(anonymous, "budi", "Wayang-kulit-88")
    with unit_of_work(migrated_database) as session:
        entry = audit.list_entries(session=session, action="user.create")[0]
        assert entry.actor_name.startswith("cli:")
        assert "Wayang" not in entry.detail


def test_create_prompts_for_the_password_twice(migrated_database: str) -> None:
    result = runner.invoke(
        users_app,
        ["create", "siti", "--role", "operator", "--scope", "33.06"],
        input="Wayang-kulit-88\nWayang-kulit-88\n",
    )
    assert result.exit_code == 0, result.output
    assert _user(migrated_database, "siti").role == "operator"


def test_create_refuses_a_weak_password_in_indonesian(migrated_database: str) -> None:
    result = _create("siti", "--role", "operator", "--scope", "33.06", password="1234567890")
    assert result.exit_code == 1
    assert "hanya angka" in result.output


def test_create_refuses_a_desa_role_without_a_desa_code(migrated_database: str) -> None:
    result = _create("siti", "--role", "desa", "--scope", "33.06.01")
    assert result.exit_code == 1
    assert "kode desa" in result.output


def test_create_school_and_team_scopes(migrated_database: str) -> None:
    assert _create("sma1", "--role", "sekolah", "--institution", "20300001").exit_code == 0
    assert _create("tim1", "--role", "petugas", "--team", "Tim 1").exit_code == 0
    assert _create("tim2", "--role", "petugas").exit_code == 1
    assert _user(migrated_database, "sma1").scope_institution == "20300001"
    assert _user(migrated_database, "tim1").scope_team == "Tim 1"


def test_duplicate_username_is_refused(migrated_database: str) -> None:
    assert _create("siti", "--role", "operator", "--scope", "33.06").exit_code == 0
    result = _create("Siti", "--role", "operator", "--scope", "33.06")
    assert result.exit_code == 1
    assert "sudah dipakai" in result.output


def test_disable_and_reset_password_are_audited(migrated_database: str) -> None:
    _create("siti", "--role", "operator", "--scope", "33.06")
    reset = runner.invoke(
        users_app, ["reset-password", "siti", "--password-stdin"], input="Gamelan-baru-42\n"
    )
    assert reset.exit_code == 0, reset.output
    assert runner.invoke(users_app, ["disable", "siti"]).exit_code == 0
    assert not _user(migrated_database, "siti").is_active
    assert runner.invoke(users_app, ["disable", "tidak-ada"]).exit_code == 1
    with unit_of_work(migrated_database) as session:
        actions = [entry.action for entry in audit.list_entries(session=session)]
    assert actions[:3] == ["user.disable", "user.reset_password", "user.create"]


def test_list_shows_users(migrated_database: str) -> None:
    _create("siti", "--role", "operator", "--scope", "33.06")
    result = runner.invoke(users_app, ["list"])
    assert result.exit_code == 0
    assert "siti" in result.output


def test_token_create_prints_it_once_and_revoke_stops_it(
    migrated_database: str, anonymous: TestClient
) -> None:
    _create("siti", "--role", "operator", "--scope", "33.06")
    created = runner.invoke(users_app, ["token", "create", "siti", "--name", "Laptop Tim 1"])
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]
    bearer = {"Authorization": f"Bearer {token}"}
    assert anonymous.get("/api/me", headers=bearer).status_code == 200
    with unit_of_work(migrated_database) as session:
        row = session.execute(select(ApiToken)).scalar_one()
        assert row.token_hash == sessions.token_digest(token)
        token_id = row.id
    assert runner.invoke(users_app, ["token", "revoke", str(token_id)]).exit_code == 0
    assert anonymous.get("/api/me", headers=bearer).status_code == 401
    assert runner.invoke(users_app, ["token", "revoke", "999"]).exit_code == 1


def test_create_demo_is_idempotent(migrated_database: str, anonymous: TestClient) -> None:
    first = runner.invoke(users_app, ["create-demo"])
    assert first.exit_code == 0, first.output
    assert "sudah ada" not in first.output
    with unit_of_work(migrated_database) as session:
        users = session.execute(select(User)).scalars().all()
        assert {user.role for user in users} == {
            "admin",
            "kepala",
            "operator",
            "petugas",
            "desa",
            "sekolah",
            "mitra",
            "auditor",
        }
        desa = next(user for user in users if user.role == "desa")
        assert desa.scope_region == "33.06.01.2001"
        hashes = {user.username: user.password_hash for user in users}
    line = next(line for line in first.output.splitlines() if "demo-desa" in line)
    password = line.split("│")[3].strip()
    sign_in(anonymous, "demo-desa", password)
    second = runner.invoke(users_app, ["create-demo"])
    assert second.exit_code == 0
    assert second.output.count("sudah ada") == 8
    with unit_of_work(migrated_database) as session:
        again = {u.username: u.password_hash for u in session.execute(select(User)).scalars()}
    assert again == hashes


def test_create_demo_can_hand_out_fresh_passwords_on_every_start(anonymous: TestClient) -> None:
    runner.invoke(users_app, ["create-demo"])
    again = runner.invoke(users_app, ["create-demo", "--reset-passwords"])
    assert again.exit_code == 0, again.output
    assert "sudah ada" not in again.output
    line = next(line for line in again.output.splitlines() if "demo-operator" in line)
    sign_in(anonymous, "demo-operator", line.split("│")[3].strip())


def test_demo_school_coordinator_is_given_a_school_of_the_demo_once_there_is_one(
    migrated_database: str,
) -> None:
    # Before any school is loaded the account holds a placeholder; after the demo's
    # schools are in, the next create-demo gives it the first real one, so the school
    # coordinator's pages show a roster instead of nothing.
    assert runner.invoke(users_app, ["create-demo"]).exit_code == 0
    assert _user(migrated_database, "demo-sekolah").scope_institution == "DEMO-SMA"
    with unit_of_work(migrated_database) as session:
        session.add_all([School(npsn="20399999", name="SMA Demo Dua", kind="sma",
                                desa_code="33.06.01.2001"),
                         School(npsn="20300002", name="SMA Demo Satu", kind="sma",
                                desa_code="33.06.01.2001")])
    assert runner.invoke(users_app, ["create-demo"]).exit_code == 0
    assert _user(migrated_database, "demo-sekolah").scope_institution == "20300002"
