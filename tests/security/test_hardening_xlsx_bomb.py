"""A hostile workbook cannot exhaust the server's memory.

The archive's declared sizes refuse a zip bomb before anything inflates it; a workbook
that passes that check but needs more memory than a job may use kills only its job's
child process. The web process (here: the test process, which serves the TestClient)
is measured by its peak resident memory, reset just before the upload.
"""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from typer.testing import CliRunner

from jemput.cli import app as jemput_cli
from jemput.config import Settings
from jemput.db import unit_of_work
from jemput.jobs.models import Job
from jemput.jobs.worker import run_once
from jemput.residents.models import Resident
from jemput.web import create_app
from tests.personas import page_csrf

MIB = 1 << 20
# The web process may not grow by anything near what a file inflates to.
WEB_GROWTH_LIMIT = 64 * MIB
JOB_MEMORY_MB = 400

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
    '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    '</sheetData></worksheet>'
)
SST_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main">')


def workbook_with_strings(path: Path, chunks) -> Path:
    """Write a minimal XLSX whose sharedStrings.xml is streamed from `chunks` (bytes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", SHEET)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(SST_HEAD.encode())
            for chunk in chunks:
                member.write(chunk)
            member.write(b"</sst>")
    return path


def bomb(path: Path, inflated_mb: int) -> Path:
    """One shared string of `inflated_mb` MB of the same letter: ~1000:1 when zipped."""
    def chunks():
        yield b"<si><t>"
        for _ in range(inflated_mb):
            yield b"A" * MIB
        yield b"</t></si>"
    return workbook_with_strings(path, chunks())


def dense(path: Path, inflated_mb: int) -> Path:
    """One shared string of `inflated_mb` MB that zips about 70:1, under the ratio limit."""
    rng = random.Random(7)

    def chunks():
        yield b"<si><t>"
        for _ in range(inflated_mb):
            yield b"".join(b"A" * 400 + b"%06d" % rng.randrange(10**6) for _ in range(2573))
        yield b"</t></si>"
    return workbook_with_strings(path, chunks())


def reset_peak_memory() -> None:
    # Linux: "5" resets this process's peak resident set size (VmHWM) to its current RSS.
    Path("/proc/self/clear_refs").write_text("5")


def peak_growth() -> int:
    """Bytes the peak resident memory rose above the current RSS since the last reset."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return (int(status["VmHWM"].split()[0]) - int(status["VmRSS"].split()[0])) * 1024


@pytest.fixture
def settings(migrated_database: str) -> Settings:
    return Settings(database_url=migrated_database, environment="development",
                    job_memory_mb=JOB_MEMORY_MB)


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    app = create_app(settings)
    app.state.job_worker = False  # the test runs the queued job itself
    return app


def upload(client, path: Path):
    return client.post("/impor", data={"csrf_token": page_csrf(client), "terima_valid": "1"},
                       files={"berkas": (path.name, path.read_bytes(), "application/zip")},
                       follow_redirects=False)


def count(model) -> int:
    with unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path, client_for, settings):
    path = bomb(tmp_path / "penduduk.xlsx", inflated_mb=400)
    assert path.stat().st_size < MIB  # 400 MB of text, under 1 MB on the wire
    operator = client_for("operator")
    reset_peak_memory()
    response = upload(operator, path)
    assert response.status_code == 413, response.text[:300]
    assert "xl/sharedStrings.xml" in response.text and "mengembang" in response.text
    assert peak_growth() < WEB_GROWTH_LIMIT
    assert count(Job) == 0
    assert not any((settings.data_dir / "unggahan").rglob("*.xlsx"))


def test_a_zip_bomb_given_to_the_cli_is_refused_too(tmp_path):
    path = bomb(tmp_path / "penduduk.xlsx", inflated_mb=200)
    reset_peak_memory()
    result = CliRunner().invoke(jemput_cli, ["residents", "import", str(path)])
    assert result.exit_code != 0
    assert "mengembang" in result.output, result.output
    assert peak_growth() < WEB_GROWTH_LIMIT
    assert count(Resident) == 0


def test_a_workbook_needing_too_much_memory_fails_its_job_not_the_server(
    tmp_path, client_for, settings
):
    path = dense(tmp_path / "penduduk.xlsx", inflated_mb=200)
    assert path.stat().st_size < 4 * MIB
    operator = client_for("operator")
    reset_peak_memory()
    response = upload(operator, path)  # passes the archive check: an ordinary ratio
    assert response.status_code == 303, response.text[:300]
    job_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert run_once(settings) == job_id  # in a child process, under JOB_MEMORY_MB
    job = operator.get(f"/api/impor/{job_id}").json()
    assert job["status"] == "failed", job
    assert f"lebih dari {JOB_MEMORY_MB} MB memori" in job["message"]
    assert peak_growth() < WEB_GROWTH_LIMIT
    assert count(Resident) == 0
    assert not any((settings.data_dir / "unggahan").rglob("*.xlsx"))
    # The server goes on serving.
    assert operator.get("/impor").status_code == 200


def test_the_refusal_writes_its_ratio_and_sizes_the_indonesian_way(tmp_path):
    # 20 MB of one letter deflates about 1000:1: past the ratio limit, under the size one.
    path = bomb(tmp_path / "penduduk.xlsx", inflated_mb=20)
    result = CliRunner().invoke(jemput_cli, ["residents", "import", str(path)])
    assert result.exit_code != 0
    output = " ".join(result.output.split())
    ratio = re.search(r"rasio (\S+):1, batas 100:1", output)
    assert ratio is not None, output
    # Indonesian groups thousands with a dot (1.029:1), never a comma (1,029:1).
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", ratio.group(1)), ratio.group(1)
    assert int(ratio.group(1).replace(".", "")) > 1000
    assert "menjadi 20,0 MB" in output
