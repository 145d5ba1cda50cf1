"""An admin acts only inside its own scope, and a token acts only for its holder (issue 7)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from typer.testing import CliRunner

from jemput.auth import audit
from jemput.auth.cli import users_app
from jemput.auth.models import ApiToken, User
from jemput.db import unit_of_work
from tests.personas import PERSONAS, Persona, TestClient, csrf_from, page_csrf
from tests.security.auth_support import GRABAG, NGOMBOL, add_user, signed_in, user_id

NEW_PASSWORD = "Wayang-kulit-88"


@pytest.fixture
def kec_admin(
    app: FastAPI, personas: dict[str, Persona], migrated_database: str, _persona_hash: str
) -> Iterator[TestClient]:
    """An admin of kecamatan Grabag (33.06.01), signed in."""
    add_user(migrated_database, _persona_hash, "admin-grabag", "admin", GRABAG)
    with signed_in(app, "admin-grabag") as client:
        yield client


def _create(client: TestClient, **fields: str) -> object:
    body = {"username": "baru01", "full_name": "Baru", "password": NEW_PASSWORD, **fields}
    return client.post("/api/users", json=body, headers={"X-CSRF-Token": page_csrf(client)})


@pytest.mark.parametrize(
    "fields",
    [
        {"role": "kepala", "scope_region": "33.06"},  # the whole regency
        {"role": "operator", "scope_region": NGOMBOL},  # a neighbouring kecamatan
        {"role": "admin", "scope_region": "33"},  # the province
        # A team or a school is tied to no region: such an account reaches the regency.
        {"role": "petugas", "scope_team": "Tim 1"},
        {"role": "petugas", "scope_team": "Tim 1", "scope_region": GRABAG},
        {"role": "sekolah", "scope_institution": "20300001", "scope_region": GRABAG},
    ],
)
def test_kecamatan_admin_cannot_create_a_user_wider_than_itself(
    kec_admin: TestClient, migrated_database: str, fields: dict[str, str]
) -> None:
    response = _create(kec_admin, **fields)
    assert response.status_code == 422, response.text  # type: ignore[attr-defined]
    assert "lingkup" in response.json()["detail"]  # type: ignore[attr-defined]
    with unit_of_work(migrated_database) as session:
        assert session.execute(select(User).where(User.username == "baru01")).first() is None


def test_kecamatan_admin_gets_a_readable_refusal_on_the_form(kec_admin: TestClient) -> None:
    response = kec_admin.post(
        "/admin/pengguna",
        data={
            "csrf_token": page_csrf(kec_admin),
            "username": "kepala2",
            "role": "kepala",
            "scope_region": "33.06",
        },
    )
    assert response.status_code == 400
    assert "di luar lingkup Anda (33.06.01)" in response.text


def test_kecamatan_admin_creates_users_inside_its_scope(kec_admin: TestClient) -> None:
    response = _create(kec_admin, role="desa", scope_region="33.06.01.2003")
    assert response.status_code == 201, response.text  # type: ignore[attr-defined]


def test_kecamatan_admin_lists_only_users_inside_its_scope(kec_admin: TestClient) -> None:
    names = {u["username"] for u in kec_admin.get("/api/users").json()["users"]}
    inside = {p.username for p in PERSONAS.values()
              if p.scope_region and p.scope_region.startswith("33.06.01")}
    assert inside >= {"desa", "operator-grabag"}  # the cast has people on both sides
    assert names == {"admin-grabag"} | inside
    assert "Kepala Purworejo" not in kec_admin.get("/admin/pengguna").text


def test_kecamatan_admin_cannot_disable_or_reset_a_user_outside_its_scope(
    kec_admin: TestClient, migrated_database: str, anonymous: TestClient
) -> None:
    kepala = user_id(migrated_database, "kepala")
    csrf = {"csrf_token": page_csrf(kec_admin)}
    assert kec_admin.post(f"/admin/pengguna/{kepala}/reset-sandi", data=csrf).status_code == 404
    assert kec_admin.post(f"/admin/pengguna/{kepala}/nonaktifkan", data=csrf).status_code == 404
    with unit_of_work(migrated_database) as session:
        assert session.get(User, kepala).is_active  # type: ignore[union-attr]
    desa = user_id(migrated_database, "desa")
    response = kec_admin.post(
        f"/admin/pengguna/{desa}/nonaktifkan", data=csrf, follow_redirects=False
    )
    assert response.status_code == 303


def test_admin_cannot_raise_its_own_role_or_scope(
    kec_admin: TestClient, migrated_database: str
) -> None:
    me = user_id(migrated_database, "admin-grabag")
    headers = {"X-CSRF-Token": page_csrf(kec_admin)}
    wider = kec_admin.patch(f"/api/users/{me}", json={"scope_region": "33.06"}, headers=headers)
    assert wider.status_code == 422, wider.text
    with unit_of_work(migrated_database) as session:
        assert session.get(User, me).scope_region == GRABAG  # type: ignore[union-attr]


def test_admin_edits_a_user_only_within_its_own_scope(
    kec_admin: TestClient, migrated_database: str
) -> None:
    desa = user_id(migrated_database, "desa")
    kepala = user_id(migrated_database, "kepala")
    headers = {"X-CSRF-Token": page_csrf(kec_admin)}
    moved = kec_admin.patch(
        f"/api/users/{desa}", json={"scope_region": "33.06.01.2002"}, headers=headers
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["scope_region"] == "33.06.01.2002"
    promoted = kec_admin.patch(
        f"/api/users/{desa}", json={"role": "kepala", "scope_region": "33.06"}, headers=headers
    )
    assert promoted.status_code == 422
    outside = kec_admin.patch(
        f"/api/users/{kepala}", json={"scope_region": GRABAG}, headers=headers
    )
    assert outside.status_code == 404


def test_admin_cannot_mint_a_token_for_another_user(
    client_for: Callable[[str], TestClient], migrated_database: str
) -> None:
    admin = client_for("admin")
    csrf = page_csrf(admin)
    api = admin.post(
        "/api/tokens",
        json={"username": "kepala", "name": "Laptop"},
        headers={"X-CSRF-Token": csrf},
    )
    assert api.status_code == 403
    form = admin.post(
        "/admin/perangkat",
        data={"username": "kepala", "name": "Laptop", "csrf_token": csrf},
    )
    assert form.status_code == 403
    with unit_of_work(migrated_database) as session:
        assert session.execute(select(ApiToken)).first() is None


def test_token_made_by_its_holder_is_named_in_the_audit_log(
    client_for: Callable[[str], TestClient], anonymous: TestClient, migrated_database: str
) -> None:
    operator = client_for("operator")
    page = operator.get("/akun/sesi")
    assert page.status_code == 200
    created = operator.post(
        "/akun/token", data={"name": "Skrip laporan", "csrf_token": csrf_from(page.text)}
    )
    assert created.status_code == 200
    token = created.text.split('id="secret">')[1].split("<")[0]
    bearer = {"Authorization": f"Bearer {token}"}
    assert anonymous.get("/api/penduduk", params={"q": "Budi Santoso"}, headers=bearer).is_success
    with unit_of_work(migrated_database) as session:
        entry = audit.list_entries(session=session, action="resident.search")[0]
        row = session.execute(select(ApiToken)).scalar_one()
    assert entry.actor_name == "operator"
    detail = json.loads(entry.detail)
    assert detail["api_key_id"] == row.id
    assert "api_key_minted_by" not in detail  # the holder made it


def test_token_minted_on_the_server_for_a_user_names_both_in_the_audit_log(
    personas: dict[str, Persona], anonymous: TestClient, migrated_database: str
) -> None:
    minted = CliRunner().invoke(users_app, ["token", "create", "operator", "--name", "Tablet"])
    assert minted.exit_code == 0, minted.output
    token = minted.output.strip().splitlines()[-1]
    bearer = {"Authorization": f"Bearer {token}"}
    assert anonymous.get("/api/penduduk", params={"q": "Budi Santoso"}, headers=bearer).is_success
    with unit_of_work(migrated_database) as session:
        entry = audit.list_entries(session=session, action="resident.search")[0]
    assert entry.actor_name == "operator"
    assert json.loads(entry.detail)["api_key_minted_by"].startswith("cli:")


def test_kecamatan_admin_neither_sees_nor_revokes_tokens_outside_its_scope(
    app: FastAPI, kec_admin: TestClient, anonymous: TestClient
) -> None:
    with signed_in(app, "kepala") as kepala:
        page = kepala.get("/akun/sesi")
        created = kepala.post(
            "/akun/token", data={"name": "Laptop", "csrf_token": csrf_from(page.text)}
        )
        token = created.text.split('id="secret">')[1].split("<")[0]
        token_id = kepala.get("/api/akun/sesi").json()["tokens"][0]["id"]
    assert kec_admin.get("/api/tokens").json()["tokens"] == []
    revoke = kec_admin.delete(
        f"/api/tokens/{token_id}", headers={"X-CSRF-Token": page_csrf(kec_admin)}
    )
    assert revoke.status_code == 404
    assert anonymous.get("/api/me", headers={"Authorization": f"Bearer {token}"}).is_success
