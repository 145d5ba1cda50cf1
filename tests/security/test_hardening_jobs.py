"""Import jobs and their reports follow the same scope and NIK rights as the pages."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from sqlalchemy import select, update

from jemput.auth.models import AuditEntry, User
from jemput.db import unit_of_work
from jemput.jobs.worker import run_once
from jemput.residents.nik import mask_nik
from tests.personas import Persona, page_csrf
from tests.residents.siak_files import Person, family, write_siak

GRABAG = "33.06.01"
NGENTAK = "33.06.02.2001"
NEIGHBOURS = [Person("SLAMET RIYADI", date(1980, 4, 4), 1, 2, desa=NGENTAK),
              Person("SRI WAHYUNI", date(1985, 6, 6), 2, 2, desa=NGENTAK)]
# A NIK one digit short: the report quotes it, and it is still most of a NIK.
BAD_NIK = Person("NIK SALAH", date(1990, 1, 1), 1, 9).row() | {"NIK": "330601010190000"}


NARROW = {"op_grabag": Persona("op_grabag", "operator", GRABAG),
          "admin_grabag": Persona("admin_grabag", "admin", GRABAG)}


@pytest.fixture
def personas(personas, _persona_hash):
    """The shared cast, plus an operator and an admin of Kecamatan Grabag only."""
    with unit_of_work() as session:
        for persona in NARROW.values():
            session.add(User(username=persona.username, full_name=persona.username,
                             role=persona.role, scope_region=persona.scope_region,
                             password_hash=_persona_hash, is_active=True, failed_logins=0,
                             locale="id"))
    return personas | NARROW


def upload(client, tmp_path, people, *, rows=(), name="siak.csv") -> int:
    content = write_siak(tmp_path / name, people, rows=list(rows)).read_bytes()
    response = client.post(
        "/impor", files={"berkas": (name, content, "text/csv")}, follow_redirects=False,
        data={"csrf_token": page_csrf(client), "terima_valid": "1"},
    )
    assert response.status_code == 303, response.text
    job_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert run_once() == job_id
    return job_id


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def listed(client) -> list[int]:
    return [job["id"] for job in client.get("/api/impor").json()["jobs"]]


def regency_import(client, tmp_path) -> tuple[int, int]:
    """Load two kecamatan, then an export without one resident of each: (first, second)."""
    first = upload(client, tmp_path, family() + NEIGHBOURS, rows=[BAD_NIK])
    second = upload(client, tmp_path, family()[:4] + NEIGHBOURS[:1], name="b.csv")
    return first, second


def test_narrow_operator_neither_lists_nor_opens_nor_downloads_others_jobs(
    tmp_path, client_for, personas
):
    first, second = regency_import(client_for("operator"), tmp_path)
    other = client_for("op_grabag")
    assert listed(other) == []
    for path in (f"/api/impor/{first}", f"/impor/{first}", f"/impor/{first}/laporan",
                 f"/impor/{second}/tidak-ada-lagi"):
        # The same answer as for a job that does not exist.
        assert other.get(path).status_code == 404, path
    assert other.get("/api/impor/999999").status_code == 404
    assert "Impor selesai" not in other.get("/impor").text


def test_narrow_admin_does_not_see_the_regency_operators_jobs(tmp_path, client_for, personas):
    first, _ = regency_import(client_for("operator"), tmp_path)
    admin = client_for("admin_grabag")
    assert listed(admin) == []
    assert admin.get(f"/impor/{first}/laporan").status_code == 404


def test_a_narrow_operator_sees_the_jobs_they_started(tmp_path, client_for, personas):
    regency_import(client_for("operator"), tmp_path)
    own = upload(client_for("op_grabag"), tmp_path, family(), name="c.csv")
    assert listed(client_for("op_grabag")) == [own]
    assert client_for("op_grabag").get(f"/api/impor/{own}").status_code == 200


def test_regency_admin_sees_every_job_but_every_nik_masked(tmp_path, client_for, personas):
    first, second = regency_import(client_for("operator"), tmp_path)
    admin = client_for("admin")
    assert set(listed(admin)) == {first, second}

    problems = csv_rows(admin.get(f"/impor/{first}/laporan"))
    nik_cells = [row["nilai"] for row in problems if row["kolom"] == "NIK"]
    assert nik_cells and all(set(cell) == {"•"} for cell in nik_cells), nik_cells

    missing = csv_rows(admin.get(f"/impor/{second}/tidak-ada-lagi"))
    expected = {p.nik for p in (family()[4], NEIGHBOURS[1])}
    assert sorted(row["nik"] for row in missing) == sorted(mask_nik(n) for n in expected)
    assert not any(p.nik in str(missing) for p in family() + NEIGHBOURS)


def test_regency_operator_downloads_full_niks(tmp_path, client_for, personas):
    _, second = regency_import(client_for("operator"), tmp_path)
    missing = csv_rows(client_for("operator").get(f"/impor/{second}/tidak-ada-lagi"))
    assert {row["nik"] for row in missing} == {family()[4].nik, NEIGHBOURS[1].nik}


def test_a_report_keeps_to_the_readers_scope_even_for_their_own_job(tmp_path, client_for,
                                                                     personas):
    # op_grabag ran the import while regency-wide, and has since been narrowed.
    with unit_of_work() as session:
        session.execute(update(User).where(User.username == "op_grabag")
                        .values(scope_region="33.06"))
    _, second = regency_import(client_for("op_grabag"), tmp_path)
    with unit_of_work() as session:
        session.execute(update(User).where(User.username == "op_grabag")
                        .values(scope_region=GRABAG))
    missing = csv_rows(client_for("op_grabag").get(f"/impor/{second}/tidak-ada-lagi"))
    assert [row["nik"] for row in missing] == [family()[4].nik]
    assert all(row["kode_desa"].startswith(GRABAG + ".") for row in missing)


def test_every_report_download_is_audited_with_whether_niks_were_shown(tmp_path, client_for,
                                                                      personas):
    first, second = regency_import(client_for("operator"), tmp_path)
    client_for("admin").get(f"/impor/{first}/laporan")
    client_for("operator").get(f"/impor/{second}/tidak-ada-lagi")
    with unit_of_work() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action.in_(
            ["import.report_download", "import.missing_download"])).order_by(AuditEntry.id)
        ).all()
        seen = [(e.actor_name, e.action, e.object_id, json.loads(e.detail)["nik_full"])
                for e in entries]
    assert seen == [("admin", "import.report_download", str(first), False),
                    ("operator", "import.missing_download", str(second), True)]
