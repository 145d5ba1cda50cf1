"""An import run from the command line is on the audit log, as an upload from the web is."""

from __future__ import annotations

import getpass
import json
from datetime import date

from sqlalchemy import select
from typer.testing import CliRunner

from jemput.auth.models import AuditEntry
from jemput.cli import app
from jemput.db import unit_of_work
from jemput.residents.models import ImportRun
from tests.residents.siak_files import Person, family, write_siak

runner = CliRunner()


def import_entries() -> list[AuditEntry]:
    with unit_of_work() as session:
        return list(session.scalars(
            select(AuditEntry).where(AuditEntry.action == "import.cli").order_by(AuditEntry.id)
        ))


def test_a_cli_import_is_on_the_audit_log_with_who_what_and_the_outcome(tmp_path):
    path = write_siak(tmp_path / "siak.csv", family())
    result = runner.invoke(app, ["residents", "import", str(path), "--data-date", "2026-06-30"])
    assert result.exit_code == 0, result.output
    with unit_of_work() as session:
        run = session.scalars(select(ImportRun)).one()
        run_id, sha256, imported_by = run.id, run.file_sha256, run.imported_by
    [entry] = import_entries()
    assert entry.actor_name == f"cli:{getpass.getuser()}" == imported_by
    assert entry.object_type == "import" and entry.object_id == str(run_id)
    detail = json.loads(entry.detail)
    assert detail["berkas"] == "siak.csv" and detail["sha256"] == sha256
    assert (detail["hasil"], detail["baris"]) == ("applied", 5)
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0


def test_rejected_and_refused_cli_imports_are_on_the_audit_log_too(tmp_path):
    bad = write_siak(tmp_path / "salah.csv", [Person("", date(1990, 1, 1))])
    assert runner.invoke(app, ["residents", "import", str(bad)]).exit_code == 1
    unknown = tmp_path / "lain.csv"
    unknown.write_text("kolom,lain\n1,2\n")
    assert runner.invoke(app, ["residents", "import", str(unknown)]).exit_code == 2
    outcomes = [(json.loads(e.detail)["berkas"], json.loads(e.detail)["hasil"])
                for e in import_entries()]
    assert outcomes == [("salah.csv", "rejected"), ("lain.csv", "ditolak")]
