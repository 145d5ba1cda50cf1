"""What the rosters answer, as XLSX: the same figures as the pages, for the office's files.

Each export is built from the very function its page shows (linkage.answers), so its
roles and scope are the page's; NIKs stay masked as on the page; every cell goes
through jemput.spreadsheets, and every download is on the audit log.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from jemput.auth import audit
from jemput.auth.models import User
from jemput.linkage import answers
from jemput.regions import service as regions
from jemput.spreadsheets import MAX_EXPORT_ROWS, Export, ExportTooLarge, xlsx_bytes

SCHOOL_HEADERS = ["NPSN", "Nama sekolah", "Jenis", "Kode desa", "Belum rekam",
                  "Lama sesi (menit)", "Menunggu usia 17"]
STUDENT_HEADERS = ["NPSN", "Sekolah", "Kelas", "Nama", "NIK", "Tanggal lahir", "Umur",
                   "Kode desa"]
WAITING_HEADERS = ["NPSN", "Sekolah", "Kelas", "Nama", "NIK", "Tanggal lahir", "Kartu sejak"]
TPS_HEADERS = ["Kode desa", "Desa", "TPS", "Pemilih", "Belum rekam KTP-el",
               "Tidak dikenal SIAK", "Sedang ditinjau"]
TPS_COUNTS = ("voters", "not_recorded", "unknown", "in_review")
DESA_HEADERS = ["Kode desa", "Desa", "Jumlah"]
PERSON_HEADERS = ["No", "Nama", "NIK", "Tanggal lahir", "Umur", "Kode desa", "Desa",
                  "Sudah rekam"]

__all__ = ["MAX_EXPORT_ROWS", "Export", "ExportTooLarge", "export_out_of_school",
           "export_schools", "export_voters"]


def _day(on: date) -> str:
    return f"{on:%d-%m-%Y}"


def _born(text: str) -> date:
    return date.fromisoformat(text)


def _desa_names(session: Session, codes: set[str]) -> dict[str, str]:
    found = {code: regions.get_region(session=session, code=code) for code in codes if code}
    return {code: region.name for code, region in found.items() if region is not None}


def _logged(session: Session, user: User, what: str, rows: int, ip: str | None,
            **detail: Any) -> None:
    audit.record(session=session, actor=user, action="export.xlsx", object_type="daftar",
                 object_id=what, ip=ip, region=user.scope_region,
                 detail={"rows": rows, "nik_full": False, **detail})


def export_schools(
    *, session: Session, user: User, on: date,
    minutes_per_person: int = answers.MINUTES_PER_PERSON, ip: str | None = None,
) -> Export:
    """Per school: the counts, the students to record and those waiting for 17, on `on`."""
    data = answers.schools(session=session, user=user, on=on,
                           minutes_per_person=minutes_per_person)
    title = [f"Siswa per sekolah dan pesantren — tanggal sesi {_day(on)}",
             f"{minutes_per_person} menit per orang"]
    per_school: list[list[Any]] = [title, SCHOOL_HEADERS]
    students: list[list[Any]] = [title, STUDENT_HEADERS]
    waiting: list[list[Any]] = [title, WAITING_HEADERS]
    for school in data["schools"]:
        per_school.append([school["npsn"], school["name"], school["kind"], school["desa_code"],
                           len(school["not_recorded"]), school["session_minutes"],
                           len(school["waiting_for_17"])])
        students += [[school["npsn"], school["name"], s["class"], s["name"], s["nik"],
                      _born(s["birth_date"]), s["age"], s["desa_code"]]
                     for s in school["not_recorded"]]
        waiting += [[school["npsn"], school["name"], s["class"], s["name"], s["nik"],
                     _born(s["birth_date"]), _born(s["card_from"])]
                    for s in school["waiting_for_17"]]
    rows = len(students) + len(waiting) - 4
    if rows > MAX_EXPORT_ROWS:
        raise ExportTooLarge(rows)
    content = xlsx_bytes([("Per sekolah", per_school), ("Belum rekam", students),
                          ("Menunggu usia 17", waiting)])
    _logged(session, user, "sekolah", rows, ip, tanggal=on.isoformat(),
            menit=minutes_per_person, sekolah=len(data["schools"]))
    return Export(content, f"siswa-per-sekolah-{on:%Y%m%d}.xlsx", rows)


def export_voters(*, session: Session, user: User, ip: str | None = None) -> Export:
    """Per desa and TPS: voters, those without a KTP-el recording, those SIAK does not know."""
    data = answers.voters(session=session, user=user)
    names = _desa_names(session, {row["desa_code"] for row in data["by_tps"]})
    sheet: list[list[Any]] = [["Pemilih per desa dan TPS"], TPS_HEADERS]
    sheet += [[row["desa_code"], names.get(row["desa_code"], ""), row["tps"],
               *(row[key] for key in TPS_COUNTS)] for row in data["by_tps"]]
    sheet.append(["Jumlah", "", "", *(data["totals"][key] for key in TPS_COUNTS)])
    content = xlsx_bytes([("Per TPS", sheet)])
    _logged(session, user, "pemilih", len(data["by_tps"]), ip)
    return Export(content, "pemilih-per-tps.xlsx", len(data["by_tps"]))


def export_out_of_school(*, session: Session, user: User, on: date,
                         ip: str | None = None) -> Export:
    """Residents aged 16-17 on `on` on no school roster: counts per desa, then every one."""
    data = answers.out_of_school(session=session, user=user, on=on, limit=MAX_EXPORT_ROWS)
    if data["truncated"]:
        raise ExportTooLarge(data["total"])
    names = _desa_names(session, {row["desa_code"] for row in data["by_desa"]})
    title = [f"Usia 16–17 di luar sekolah — per {_day(on)}"]
    per_desa: list[list[Any]] = [title, DESA_HEADERS]
    per_desa += [[row["desa_code"], names.get(row["desa_code"], ""), row["count"]]
                 for row in data["by_desa"]]
    people: list[list[Any]] = [title, PERSON_HEADERS]
    people += [[number, p["name"], p["nik"], _born(p["birth_date"]), p["age"], p["desa_code"],
                names.get(p["desa_code"], ""), "ya" if p["recorded"] else ""]
               for number, p in enumerate(data["people"], start=1)]
    content = xlsx_bytes([("Per desa", per_desa), ("Orang", people)])
    _logged(session, user, "luar-sekolah", len(data["people"]), ip, tanggal=on.isoformat())
    return Export(content, f"luar-sekolah-{on:%Y%m%d}.xlsx", len(data["people"]))
