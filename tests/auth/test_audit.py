"""The hash-chained audit log: records, verifies, and shows tampering."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from jemput.auth import audit
from jemput.auth.audit_cli import audit_app
from jemput.db import unit_of_work
from tests.personas import TestClient

runner = CliRunner()


def _write_entries(url: str, count: int) -> None:
    with unit_of_work(url) as session:
        for number in range(count):
            audit.record(
                session=session,
                actor="pytest",
                action="resident.view",
                object_type="resident",
                object_id=number,
                detail={"n": number},
                ip="10.0.0.1",
            )


def test_first_entry_starts_from_the_genesis_hash(session: Session) -> None:
    entry = audit.record(session=session, actor=None, action="auth.login")
    assert entry.id == 1
    assert entry.prev_hash == "0" * 64
    assert entry.hash == audit.compute_hash(entry)
    second = audit.record(session=session, actor=None, action="auth.logout")
    assert second.prev_hash == entry.hash


def test_intact_chain_verifies(session: Session) -> None:
    for number in range(5):
        audit.record(session=session, actor="pytest", action="export.xlsx", object_id=number)
    result = audit.verify_chain(session=session)
    assert result.ok
    assert result.count == 5


def test_detail_never_holds_a_full_nik_or_a_password(session: Session) -> None:
    entry = audit.record(
        session=session,
        actor="pytest",
        action="resident.reveal_nik",
        detail={
            "nik": "3306014501900012",
            "note": "NIK 3306014501900012",
            "password": "x",
            "new_password": "y",
            "count": 3,
        },
    )
    detail = json.loads(entry.detail)
    assert "3306014501900012" not in entry.detail
    assert detail["nik"] == "3306••••••••0012"
    assert detail["password"] == detail["new_password"] == "[disembunyikan]"
    assert detail["count"] == 3


def test_raw_sql_edit_is_caught_by_the_cli(migrated_database: str) -> None:
    _write_entries(migrated_database, 4)
    intact = runner.invoke(audit_app, ["verify"])
    assert intact.exit_code == 0, intact.output
    assert "4 entri" in intact.output
    with unit_of_work(migrated_database) as session:
        session.execute(text("UPDATE audit_log SET actor_name = 'orang lain' WHERE id = 3"))
    tampered = runner.invoke(audit_app, ["verify"])
    assert tampered.exit_code == 1
    assert "#3" in tampered.output


def test_rehashed_edit_still_breaks_the_next_link(migrated_database: str) -> None:
    _write_entries(migrated_database, 3)
    with unit_of_work(migrated_database) as session:
        session.execute(text("UPDATE audit_log SET detail = '{}' WHERE id = 2"))
        forged = session.get(audit.AuditEntry, 2)
        assert forged is not None
        session.execute(
            text("UPDATE audit_log SET hash = :hash WHERE id = 2"),
            {"hash": audit.compute_hash(forged)},
        )
    with unit_of_work(migrated_database) as session:
        result = audit.verify_chain(session=session)
    assert not result.ok
    assert result.first_bad_id == 3


def test_deleted_middle_entry_is_caught(migrated_database: str) -> None:
    _write_entries(migrated_database, 3)
    with unit_of_work(migrated_database) as session:
        session.execute(text("DELETE FROM audit_log WHERE id = 2"))
    result = runner.invoke(audit_app, ["verify"])
    assert result.exit_code == 1
    assert "#3" in result.output


def test_audit_list_cli_shows_newest_entries(migrated_database: str) -> None:
    _write_entries(migrated_database, 3)
    result = runner.invoke(audit_app, ["list", "--limit", "2"])
    assert result.exit_code == 0
    assert "resident.view" in result.output


def test_audit_page_filters_by_action_actor_object_and_date(
    client_for: Callable[[str], TestClient], migrated_database: str
) -> None:
    auditor = client_for("auditor")
    _write_entries(migrated_database, 3)
    logins = auditor.get("/api/audit", params={"action": "auth.login"}).json()["entries"]
    assert {entry["actor_name"] for entry in logins} == {"auditor"}
    assert logins[0]["ip"] == "testclient"
    by_object = auditor.get("/api/audit", params={"object_id": "2", "actor": "pytest"}).json()
    assert [entry["object_id"] for entry in by_object["entries"]] == ["2"]
    future = auditor.get("/api/audit", params={"since": "2999-01-01"}).json()
    assert future["entries"] == []
    past = auditor.get("/api/audit", params={"until": "2000-01-01"}).json()
    assert past["entries"] == []
    page = auditor.get("/audit", params={"action": "resident.view"})
    assert page.status_code == 200
    assert "resident.view" in page.text


def test_concurrent_writers_keep_one_unbroken_chain(migrated_database: str) -> None:
    def writer(number: int) -> None:
        for step in range(10):
            with unit_of_work(migrated_database) as session:
                audit.record(
                    session=session,
                    actor=f"writer-{number}",
                    action="resident.view",
                    object_id=step,
                )

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(writer, range(4)))
    with unit_of_work(migrated_database) as session:
        result = audit.verify_chain(session=session)
    assert result.ok, result
    assert result.count == 40
