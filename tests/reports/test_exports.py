"""XLSX exports of the named lists: audited, NIK full only for who may reveal it."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from jemput.auth.models import AuditEntry
from jemput.db import unit_of_work
from jemput.reports import exports
from tests.personas import TestClient

Clients = Callable[[str], TestClient]
DESA = "33.06.01.2001"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_rows(content: bytes) -> list[list]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
    workbook.close()
    return rows


def export_audits(url: str) -> list[AuditEntry]:
    with unit_of_work(url) as session:
        return list(session.scalars(
            select(AuditEntry).where(AuditEntry.action == "export.xlsx").order_by(AuditEntry.id)
        ))


def test_operator_exports_with_full_nik_and_it_is_audited(
    regency, client_for: Clients, migrated_database
):
    response = client_for("operator").get(f"/wilayah/{DESA}/daftar/belum-rekam.xlsx")
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    assert "belum-rekam-33.06.01.2001-20260630.xlsx" in response.headers["content-disposition"]
    rows = sheet_rows(response.content)
    assert rows[1][:5] == ["No", "NIK", "Nama", "L/P", "Umur"]
    body = rows[2:]
    assert len(body) == 5
    full = {p.name: p.nik for p in regency}
    assert {row[2]: row[1] for row in body} == {
        name: full[name] for name in ("BUDI SANTOSO", "MBAH KARTO", "ADI", "WARSINI",
                                      "<script>alert(1)</script>")}
    [entry] = export_audits(migrated_database)
    assert entry.actor_name == "operator"
    assert (entry.object_type, entry.object_id) == ("wilayah", DESA)
    detail = json.loads(entry.detail)
    assert detail["list"] == "belum-rekam"
    assert detail["rows"] == 5
    assert detail["nik_full"] is True


def test_auditor_export_masks_nik(regency, client_for: Clients, migrated_database):
    response = client_for("auditor").get(f"/wilayah/{DESA}/daftar/rentan.xlsx")
    assert response.status_code == 200
    body = sheet_rows(response.content)[2:]
    assert {row[2] for row in body} == {"MBAH KARTO", "WARSINI"}
    assert all("••••••••" in row[1] for row in body)
    assert all(p.nik not in response.content.decode("latin-1") for p in regency)
    [entry] = export_audits(migrated_database)
    assert json.loads(entry.detail)["nik_full"] is False


def test_export_follows_the_filters_and_the_sort(regency, client_for: Clients):
    response = client_for("kepala").get(
        "/wilayah/33.06.01/daftar/belum-rekam.xlsx",
        params={"reason": "lainnya", "sort": "age", "dir": "desc"},
    )
    body = sheet_rows(response.content)[2:]
    assert [row[2] for row in body] == ["LAIN DESA", "<script>alert(1)</script>",
                                        "BUDI SANTOSO"]
    assert {row[11] for row in body} == {"Lainnya"}


@pytest.mark.parametrize("code", ["33.06.01.2002", "33.06.01", "99.99"])
def test_village_official_cannot_export_other_areas(
    regency, client_for: Clients, migrated_database, code
):
    assert client_for("desa").get(f"/wilayah/{code}/daftar/rentan.xlsx").status_code == 404
    assert export_audits(migrated_database) == []


@pytest.mark.parametrize("persona", ["admin", "mitra", "petugas"])
def test_roles_without_named_lists_cannot_export(regency, client_for: Clients, persona):
    assert client_for(persona).get(f"/wilayah/{DESA}/daftar/rentan.xlsx").status_code == 403


def test_an_export_too_large_is_refused_with_a_clear_message(
    regency, client_for: Clients, migrated_database, monkeypatch
):
    # The limit is a setting of the module; five rows stand in for a hundred thousand.
    monkeypatch.setattr(exports, "MAX_EXPORT_ROWS", 4)
    response = client_for("operator").get(f"/wilayah/{DESA}/daftar/belum-rekam.xlsx")
    assert response.status_code == 400
    assert "terlalu besar" in response.text
    assert "Saring per desa" in response.text
    assert export_audits(migrated_database) == []
