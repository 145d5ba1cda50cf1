"""The resident page's facts follow the same rules as the figures: citizenship, life status."""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from sqlalchemy import select
from typer.testing import CliRunner

from jemput.cli import app as cli
from jemput.db import unit_of_work
from jemput.residents.models import Resident
from tests.residents.siak_files import Person, make_nik, write_siak
from tests.residents.test_import_layouts import OPENSID_HEADER

runner = CliRunner()
DESA = "33.06.01.2001"


def ids_by_name() -> dict[str, int]:
    with unit_of_work() as session:
        return {row.name: row.id for row in session.execute(select(Resident.name, Resident.id))}


def facts(client, name: str) -> dict:
    response = client.get(f"/api/penduduk/{ids_by_name()[name]}")
    assert response.status_code == 200, response.text
    return response.json()["facts"]


def test_a_foreigner_without_an_itap_may_not_record(tmp_path, client_for):
    people = [
        Person("JOHN SMITH", date(1980, 1, 1), 1, 1, status="UNREGISTERED",
               extra={"KEWARGANEGARAAN": "WNA", "ITAP": "0"}),
        Person("ANNA MEIER", date(1982, 2, 2), 2, 2, status="UNREGISTERED",
               extra={"KEWARGANEGARAAN": "WNA", "ITAP": "1"}),
    ]
    result = runner.invoke(cli, ["residents", "import", str(write_siak(tmp_path / "s.csv",
                                                                       people))])
    assert result.exit_code == 0, result.output
    operator = client_for("operator")
    itas = facts(operator, "JOHN SMITH")
    assert not itas["may_record"]
    assert not itas["wajib_ktp"] and not itas["due_for_deactivation"]
    itap = facts(operator, "ANNA MEIER")
    assert itap["may_record"] and itap["wajib_ktp"] and itap["due_for_deactivation"]
    page = operator.get(f"/penduduk/{ids_by_name()['JOHN SMITH']}").text
    assert "Boleh direkam" in page


def opensid_file(tmp_path, rows: list[dict[str, str]]):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(OPENSID_HEADER)
    for values in rows:
        row = dict.fromkeys(OPENSID_HEADER, None)
        row.update({"alamat": "JL. MAWAR", "dusun": "DUSUN SATU", "rw": "2", "rt": "4",
                    "no_kk": "3306012001200004", "sex": "1", "tempatlahir": "PURWOREJO",
                    "agama_id": "1", "status_kawin": "KAWIN", "kk_level": "1",
                    "warganegara_id": "1", "cacat_id": "7", "status_rekam": "2"})
        row.update(values)
        sheet.append([row[c] for c in OPENSID_HEADER])
    path = tmp_path / "opensid.xlsx"
    workbook.save(path)
    return path


def test_a_dead_resident_is_not_due_for_deactivation(tmp_path, client_for):
    born = date(1990, 4, 5)
    # OpenSID status_dasar 1 HIDUP, 2 MATI; status_rekam 2 BELUM REKAM.
    path = opensid_file(tmp_path, [
        {"nama": "MASIH HIDUP", "nik": make_nik(born=born, sex=1, serial=1),
         "tanggallahir": born.isoformat(), "status_dasar": "1"},
        {"nama": "SUDAH WAFAT", "nik": make_nik(born=born, sex=1, serial=2),
         "tanggallahir": born.isoformat(), "status_dasar": "2"},
    ])
    result = runner.invoke(cli, ["residents", "import", str(path), "--desa", DESA])
    assert result.exit_code == 0, result.output
    operator = client_for("operator")
    assert facts(operator, "MASIH HIDUP")["due_for_deactivation"]
    dead = facts(operator, "SUDAH WAFAT")
    assert not dead["due_for_deactivation"]
    assert not dead["wajib_ktp"] and not dead["may_record"]


def test_a_duplicate_record_shows_on_the_resident_page_as_needing_follow_up(
    tmp_path, client_for
):
    person = Person("GANDA", date(1990, 1, 1), status="DUPLICATE_RECORD")
    result = runner.invoke(cli, ["residents", "import", str(write_siak(tmp_path / "s.csv",
                                                                       [person]))])
    assert result.exit_code == 0, result.output
    operator = client_for("operator")
    assert facts(operator, "GANDA")["follow_up"]
    assert "Perlu tindak lanjut" in operator.get(f"/penduduk/{ids_by_name()['GANDA']}").text
