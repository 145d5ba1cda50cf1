"""A small kecamatan for the campaign tests: residents, a target list, the demo settings."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from jemput.cli import app
from jemput.outreach.settings_file import DEMO_FILE
from tests.personas import page_csrf
from tests.residents.siak_files import Person, write_siak

DATA_DATE = "2026-11-02"
# A Friday and the week after: door to door runs Friday-Saturday, the mobile unit Mon-Fri.
STARTS, ENDS = date(2026, 12, 4), date(2026, 12, 12)
GRABAG = "33.06.01"


def people() -> list[Person]:
    """Not-recorded residents of two Grabag desa, some who cannot come to a session."""
    crowd = [Person(f"WARGA {i}", date(1990, 1, 1 + i), 1, 100 + i, status="UNREGISTERED")
             for i in range(1, 9)]
    return crowd + [
        Person("MBAH SURIP", date(1940, 2, 2), 1, 201, status="UNREGISTERED",
               extra={"TIRAH_BARING": "1"}),
        Person("DARMI", date(1988, 3, 3), 2, 202, status="UNREGISTERED",
               extra={"ODGJ": "1", "LAT": "-7.8050", "LNG": "109.8790"}),
        Person("TETANGGA", date(1985, 4, 4), 1, 203, desa="33.06.01.2002",
               status="UNREGISTERED"),
        Person("JAUH", date(1981, 5, 5), 1, 204, desa="33.06.02.2001", status="UNREGISTERED"),
    ]


def invoke(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    return result


@pytest.fixture
def kecamatan(tmp_path: Path, personas) -> dict[str, Any]:
    """Residents imported, the demo settings loaded, as the office would through the CLI."""
    result = invoke("residents", "import", str(write_siak(tmp_path / "siak.csv", people())),
                    "--data-date", DATA_DATE)
    assert result.exit_code == 0, result.output
    result = invoke("campaigns", "load-settings", str(DEMO_FILE), "--as", "operator")
    assert result.exit_code == 0, result.output
    result = invoke("targets", "create", "--rule", "belum-rekam", "--area", GRABAG,
                    "--name", "Belum rekam Grabag", "--owner", "operator")
    assert result.exit_code == 0, result.output
    return {"list_id": int(result.output.split("#")[1].split()[0])}


def post_json(client: TestClient, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, json=body or {}, headers={"X-CSRF-Token": page_csrf(client)})


def post_form(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data={"csrf_token": page_csrf(client), **data},
                       follow_redirects=False)


def resources_of(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/kampanye/sumber-daya")
    assert response.status_code == 200, response.text
    return dict(response.json())


def ids_by_name(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {row["name"]: row["id"] for row in rows}


def create_campaign(client: TestClient, list_id: int, **changes: Any) -> Any:
    data = resources_of(client)
    programmes, teams = ids_by_name(data["programmes"]), ids_by_name(data["teams"])
    body = {"name": "Grabag Desember", "area_code": GRABAG, "starts": STARTS.isoformat(),
            "ends": ENDS.isoformat(),
            "programme_ids": [programmes["Door to door penduduk rentan"],
                              programmes["Mobil keliling: sesi balai desa lalu rumah"]],
            "team_ids": [teams["Tim 1"], teams["Tim Grabag"]], "list_ids": [list_id]} | changes
    return post_json(client, "/api/kampanye", body)
