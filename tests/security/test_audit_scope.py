"""An auditor of one kecamatan reads that kecamatan's part of the audit log, not the regency's.

Issue 7: "An auditor scoped to a kecamatan reads the whole regency's audit log." Entries
carry the region they concern and the actor's own region; a narrow reader sees entries
about its scope and entries by users inside it, and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, select, text
from typer.testing import CliRunner

from jemput import migrate
from jemput.cli import app as cli
from jemput.db import unit_of_work
from jemput.residents.models import Resident
from tests.personas import KECAMATAN_CODE, TestClient, page_csrf
from tests.residents.siak_files import Person, write_siak

runner = CliRunner()

INSIDE = Person("SRI RAHAYU", date(1980, 2, 3), 2, 11)  # 33.06.01.2001, inside the kecamatan
OUTSIDE = Person("SLAMET RIYADI", date(1979, 6, 7), 1, 12, desa="33.06.02.2001",
                 kk="3306020101200002")


@pytest.fixture
def residents(tmp_path) -> dict[str, int]:
    path = write_siak(tmp_path / "siak.csv", [INSIDE, OUTSIDE])
    result = runner.invoke(cli, ["residents", "import", str(path)])
    assert result.exit_code == 0, result.output
    with unit_of_work() as session:
        ids = {nik: id_ for nik, id_ in session.execute(select(Resident.nik, Resident.id))}
    return {"inside": ids[INSIDE.nik], "outside": ids[OUTSIDE.nik]}


def _reveal(client: TestClient, resident_id: int) -> None:
    response = client.post(f"/api/penduduk/{resident_id}/nik",
                           headers={"X-CSRF-Token": page_csrf(client)})
    assert response.status_code == 200, response.text


def _seen(client: TestClient, **params: str) -> list[dict[str, str]]:
    response = client.get("/api/audit", params=params | {"limit": "1000"})
    assert response.status_code == 200, response.text
    entries: list[dict[str, str]] = response.json()["entries"]
    return entries


def test_kecamatan_auditor_reads_only_entries_about_or_by_its_kecamatan(
    residents: dict[str, int], client_for: Callable[[str], TestClient]
) -> None:
    kepala = client_for("kepala")  # the regency's head: acts everywhere
    _reveal(kepala, residents["inside"])
    _reveal(kepala, residents["outside"])
    kepala.get(f"/api/wilayah/{KECAMATAN_CODE}/daftar/belum-rekam")
    kepala.get("/api/wilayah/33.06.02/daftar/belum-rekam")
    desa = client_for("desa")  # a desa official inside the kecamatan signs in
    desa.get("/api/penduduk", params={"q": "SRI RAHAYU"})
    auditor = client_for("auditor_kecamatan")

    reveals = _seen(auditor, action="resident.reveal_nik")
    assert [e["object_id"] for e in reveals] == [str(residents["inside"])]
    assert reveals[0]["region_code"] == INSIDE.desa
    everything = _seen(auditor)
    assert {e["actor_name"] for e in everything} >= {"desa", "auditor_kecamatan"}
    for entry in everything:
        inside = [code for code in (entry["region_code"], entry["actor_region"])
                  if code and (code + ".").startswith(KECAMATAN_CODE + ".")]
        assert inside, entry
    assert not any(e["object_id"] == "33.06.02" for e in everything)
    assert not any(e["action"] == "auth.login" and e["actor_name"] == "kepala"
                   for e in everything)
    page = auditor.get("/audit", params={"action": "resident.reveal_nik"})
    assert page.status_code == 200
    assert KECAMATAN_CODE in page.text and "33.06.02.2001" not in page.text
    assert auditor.get("/api/audit").json()["scope"] == KECAMATAN_CODE


def test_regency_auditor_still_reads_the_whole_log(
    residents: dict[str, int], client_for: Callable[[str], TestClient]
) -> None:
    kepala = client_for("kepala")
    _reveal(kepala, residents["inside"])
    _reveal(kepala, residents["outside"])
    auditor = client_for("auditor")
    reveals = _seen(auditor, action="resident.reveal_nik")
    assert sorted(int(e["object_id"]) for e in reveals) == sorted(residents.values())
    assert any(e["action"] == "auth.login" and e["actor_name"] == "kepala"
               for e in _seen(auditor))
    assert auditor.get("/api/audit").json()["scope"] is None


def test_user_accounts_made_inside_the_kecamatan_are_on_its_auditors_log(
    client_for: Callable[[str], TestClient]
) -> None:
    admin = client_for("admin")
    headers = {"X-CSRF-Token": page_csrf(admin)}
    for username, scope in (("kades_a", "33.06.01.2003"), ("kades_b", "33.06.02.2002")):
        body = {"username": username, "role": "desa", "scope_region": scope,
                "password": "Wayang-golek-81"}
        assert admin.post("/api/users", json=body, headers=headers).status_code == 201
    created = _seen(client_for("auditor_kecamatan"), action="user.create")
    assert [e["region_code"] for e in created] == ["33.06.01.2003"]


def test_entries_written_before_the_upgrade_get_the_regions_the_database_knows(
    fresh_database_url: str,
) -> None:
    url = fresh_database_url
    migrate.upgrade(url, "0005")
    now = datetime(2026, 6, 30, 8, 0, tzinfo=UTC)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO regions (code, name, level, source) "
            "VALUES ('33.06.02.2001', 'Ngentak', 'desa', '')"))
        connection.execute(text(
            "INSERT INTO residents (id, nik, name, sex, birth_date, marital_status, desa_code, "
            "updated_at) VALUES (7, '3306020101800001', 'SLAMET', 1, :born, 1, "
            "'33.06.02.2001', :now)"), {"born": date(1980, 1, 1), "now": now})
        connection.execute(text(
            "INSERT INTO users (id, username, full_name, role, scope_region, password_hash, "
            "password_changed_at, created_at) VALUES (3, 'kades', 'Kades', 'desa', "
            "'33.06.01.2003', 'x', :now, :now)"), {"now": now})
        for number, (actor, action, kind, object_id) in enumerate([
            (3, "resident.view", "resident", "7"),
            (None, "wilayah.daftar", "wilayah", "33.06.05"),
            (None, "user.create", "user", "3"),
            (None, "auth.login", None, None),
        ], start=1):
            connection.execute(text(
                "INSERT INTO audit_log (id, at, actor_user_id, actor_name, action, object_type, "
                "object_id, detail, prev_hash, hash) VALUES (:id, :at, :actor, 'x', :action, "
                ":kind, :object_id, '{}', :prev, :hash)"),
                {"id": number, "at": now, "actor": actor, "action": action, "kind": kind,
                 "object_id": object_id, "prev": f"{number - 1:064d}", "hash": f"{number:064d}"})
    migrate.upgrade(url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT id, region_code, actor_region FROM audit_log ORDER BY id")).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [
        (1, "33.06.02.2001", "33.06.01.2003"),
        (2, "33.06.05", None),
        (3, "33.06.01.2003", None),
        (4, None, None),
    ]
