"""The per-school, per-TPS and out-of-school figures as XLSX: same scope as the pages, audited."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
from sqlalchemy import select

from jemput.auth.models import AuditEntry
from jemput.db import unit_of_work
from jemput.residents.nik import mask_nik
from jemput.rosters.models import RosterRow
from tests.linkage.conftest import NPSN
from tests.linkage.test_answers import FAJAR, RINA, SESSION, answered  # noqa: F401
from tests.residents.siak_files import DESA

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client, path: str) -> dict[str, list[tuple]]:
    """GET an export; return its sheets as lists of row tuples."""
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"].startswith("attachment; filename=")
    assert response.headers["cache-control"] == "no-store"
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets}


def every_cell(sheets: dict[str, list[tuple]]) -> list[str]:
    return [str(cell) for rows in sheets.values() for row in rows for cell in row
            if cell is not None]


def exports_logged(what: str) -> list[AuditEntry]:
    with unit_of_work() as session:
        return list(session.scalars(select(AuditEntry).where(
            AuditEntry.action == "export.xlsx", AuditEntry.object_type == "daftar",
            AuditEntry.object_id == what)))


def test_school_export_holds_counts_and_the_students_with_class_and_masked_nik(
        answered, client_for):  # noqa: F811
    sheets = download(client_for("operator"),
                      f"/daftar/sekolah.xlsx?tanggal={SESSION}&menit=20")
    per_school = sheets["Per sekolah"]
    header = per_school[1]
    school = dict(zip(header, next(row for row in per_school if row[0] == NPSN), strict=True))
    assert school["Belum rekam"] == 1 and school["Lama sesi (menit)"] == 20
    assert school["Menunggu usia 17"] == 1
    students = sheets["Belum rekam"]
    rina = dict(zip(students[1], next(row for row in students if "RINA SAFITRI" in row),
                    strict=True))
    assert (rina["NPSN"], rina["Kelas"], rina["NIK"]) == (NPSN, "XI IPA 1", mask_nik(RINA.nik))
    assert any("DONI PRATAMA" in row for row in sheets["Menunggu usia 17"])
    assert "01-08-2026" in str(per_school[0])
    cells = every_cell(sheets)
    assert RINA.nik not in cells and not any(RINA.nik in cell for cell in cells)
    (entry,) = exports_logged("sekolah")
    assert entry.actor_name == "operator" and json.loads(entry.detail)["tanggal"] == "2026-08-01"


def test_school_export_follows_the_page_scope(answered, client_for):  # noqa: F811
    sheets = download(client_for("sekolah"), f"/daftar/sekolah.xlsx?tanggal={SESSION}")
    assert [row[0] for row in sheets["Per sekolah"][2:]] == [NPSN]
    for persona in ("desa", "petugas", "mitra", "auditor"):
        assert client_for(persona).get("/daftar/sekolah.xlsx").status_code in (403, 404)
    assert exports_logged("sekolah")[0].actor_name == "sekolah"
    assert len(exports_logged("sekolah")) == 1


def test_a_class_name_that_looks_like_a_formula_is_written_as_text(answered, client_for,  # noqa: F811
                                                                  migrated_database):
    with unit_of_work(migrated_database) as session:
        for row in session.scalars(select(RosterRow).where(RosterRow.class_name.is_not(None))):
            row.class_name = '=HYPERLINK("http://x","XI")'
    sheets = download(client_for("operator"), f"/daftar/sekolah.xlsx?tanggal={SESSION}")
    classes = {row[2] for row in sheets["Belum rekam"][2:]}
    assert classes == {'\'=HYPERLINK("http://x","XI")'}


def test_voter_export_counts_per_desa_and_tps(answered, client_for):  # noqa: F811
    sheets = download(client_for("desa"), "/daftar/pemilih.xlsx")
    rows = sheets["Per TPS"]
    assert rows[1][:7] == ("Kode desa", "Desa", "TPS", "Pemilih", "Belum rekam KTP-el",
                           "Tidak dikenal SIAK", "Sedang ditinjau")
    body = {row[2]: row for row in rows[2:] if row[0] == DESA}
    assert body["001"][3:7] == (2, 1, 0, 0)
    assert body["002"][3:7] == (1, 0, 1, 0)
    assert rows[-1][0] == "Jumlah" and rows[-1][3:7] == (3, 1, 1, 0)
    for persona in ("sekolah", "petugas", "mitra"):
        assert client_for(persona).get("/daftar/pemilih.xlsx").status_code in (403, 404)
    assert [entry.actor_name for entry in exports_logged("pemilih")] == ["desa"]


def test_out_of_school_export_lists_every_one_with_masked_nik(answered, client_for):  # noqa: F811
    sheets = download(client_for("operator"), f"/daftar/luar-sekolah.xlsx?tanggal={SESSION}")
    people = sheets["Orang"]
    fajar = dict(zip(people[1], next(row for row in people if "FAJAR NUGRAHA" in row),
                     strict=True))
    assert (fajar["NIK"], fajar["Kode desa"], fajar["Umur"]) == (mask_nik(FAJAR.nik), DESA, 16)
    assert sheets["Per desa"][1] == ("Kode desa", "Desa", "Jumlah")
    assert (sheets["Per desa"][2][0], sheets["Per desa"][2][2]) == (DESA, 1)
    assert not any(FAJAR.nik in cell for cell in every_cell(sheets))
    for persona in ("sekolah", "petugas", "mitra"):
        assert client_for(persona).get("/daftar/luar-sekolah.xlsx").status_code in (403, 404)
    assert len(exports_logged("luar-sekolah")) == 1


def test_each_page_links_to_its_export(answered, client_for):  # noqa: F811
    operator = client_for("operator")
    schools = operator.get(f"/daftar/sekolah?tanggal={SESSION}&menit=20").text
    assert 'href="/daftar/sekolah.xlsx?tanggal=2026-08-01&amp;menit=20"' in schools
    assert 'href="/daftar/pemilih.xlsx"' in operator.get("/daftar/pemilih").text
    assert ('href="/daftar/luar-sekolah.xlsx?tanggal=2026-08-01"'
            in operator.get(f"/daftar/luar-sekolah?tanggal={SESSION}").text)
