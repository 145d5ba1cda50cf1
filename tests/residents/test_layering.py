"""The registry does not reach into reports, and migrations do not reach into the app."""

from __future__ import annotations

import ast
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

import jemput
from jemput.config import Settings
from jemput.db import unit_of_work
from jemput.migrations.versions import __path__ as versions_path
from jemput.reports.models import CoverageSnapshot
from jemput.web import create_app
from tests.personas import page_csrf
from tests.residents.siak_files import Person, family, write_siak

SRC = Path(jemput.__file__).parent


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_residents_module_imports_reports():
    offenders = {path.name: sorted(m for m in imported_modules(path)
                                   if m.startswith("jemput.reports"))
                 for path in (SRC / "residents").glob("*.py")}
    assert {name: mods for name, mods in offenders.items() if mods} == {}


def test_loading_the_importer_loads_nothing_of_reports():
    code = ("import sys, jemput.residents.importer; "
            "print(sorted(m for m in sys.modules if m.startswith('jemput.reports')))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    assert output.strip() == "[]"


def test_no_migration_imports_application_code():
    versions = Path(next(iter(versions_path)))
    offenders = {path.name: sorted(m for m in imported_modules(path) if m.startswith("jemput"))
                 for path in versions.glob("*.py")}
    assert {name: mods for name, mods in offenders.items() if mods} == {}


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    # No worker thread: the test runs the upload's job itself with run_once.
    app = create_app(settings)
    app.state.job_worker = False
    return app


def test_a_web_import_still_records_coverage_snapshots(tmp_path, client_for):
    from jemput.jobs.worker import run_once

    operator = client_for("operator")
    people = [*family(), Person("JAUH", date(1981, 1, 1), 1, 3, desa="33.06.02.2001")]
    content = write_siak(tmp_path / "siak.csv", people).read_bytes()
    response = operator.post("/impor", data={"csrf_token": page_csrf(operator)},
                             files={"berkas": ("siak.csv", content, "text/csv")},
                             follow_redirects=False)
    assert response.status_code == 303, response.text
    assert run_once() is not None
    with unit_of_work() as session:
        assert session.scalar(select(func.count()).select_from(CoverageSnapshot)) == 1 + 16
