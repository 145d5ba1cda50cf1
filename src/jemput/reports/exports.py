"""XLSX exports of the named lists, in the shape offices file them; every one audited."""

from __future__ import annotations

import io
from dataclasses import dataclass

from openpyxl import Workbook
from sqlalchemy.orm import Session

from jemput.auth import audit
from jemput.auth.access import may_reveal_nik, require_role
from jemput.auth.models import User
from jemput.i18n import translate
from jemput.reports import lists, service
from jemput.spreadsheets import safe_row

# A spreadsheet past this is unusable on an office laptop; filtering is the answer.
MAX_EXPORT_ROWS = 100_000
HEADERS = ["No", "NIK", "Nama", "L/P", "Umur", "Kode desa", "Desa", "Dusun", "RT", "RW",
           "Status KTP-el", "Alasan", "Kondisi"]
_REASONS = {"rentan": "Rentan", "pemula": "Pemula", "lainnya": "Lainnya"}
_CONDITIONS = {"disability": "disabilitas", "bedridden": "terbaring", "odgj": "ODGJ",
               "lansia": "lansia"}


class ExportTooLarge(ValueError):
    """The list has more rows than one export may hold."""

    def __init__(self, rows: int) -> None:
        super().__init__(f"{rows} baris, batas {MAX_EXPORT_ROWS}")
        self.rows = rows


@dataclass(frozen=True)
class Export:
    content: bytes
    file_name: str
    rows: int
    nik_full: bool


def export_list(
    *, session: Session, user: User, code: str, query: lists.ListQuery, ip: str | None = None
) -> Export:
    """Write a named list to XLSX; NIK full only where the user may reveal it."""
    region = service.access_area(session=session, user=user, code=code)
    require_role(user, *service.LIST_ROLES)
    desa_names = service.desa_under(session=session, region=region)
    on = service.data_date(session=session)
    total = lists.count_rows(session=session, user=user, query=query,
                             desa_codes=list(desa_names), on=on)
    if total > MAX_EXPORT_ROWS:
        raise ExportTooLarge(total)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(query.name)
    # Every row through safe_row: names and addresses come from imported files.
    sheet.append(safe_row([f"{translate('list.' + query.name)} — {region.name} ({region.code})",
                           f"Data per {on:%d-%m-%Y}"]))
    sheet.append(safe_row(HEADERS))
    reveal_any = False
    rows = lists.fetch_rows(session=session, user=user, query=query,
                            desa_codes=list(desa_names), on=on, limit=None)
    for number, row in enumerate(rows, start=1):
        reveal = may_reveal_nik(user, row.desa_code)
        reveal_any = reveal_any or reveal
        item = service.list_row(row, desa_names=desa_names, on=on, reveal=reveal)
        sheet.append(safe_row([
            number, item["nik"], item["name"], item["sex"], item["age"], item["desa_code"],
            item["desa_name"], item["dusun"], item["rt"], item["rw"], item["status_label"],
            _REASONS.get(item["reason"], "") if query.name == "belum-rekam" else "",
            ", ".join(_CONDITIONS[c] for c in item["conditions"]),
        ]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit.record(session=session, actor=user, action="export.xlsx", object_type="wilayah",
                 object_id=code, ip=ip,
                 detail={"list": query.name, "rows": len(rows), "nik_full": reveal_any,
                         "reason": query.reason, "desa": query.desa})
    return Export(buffer.getvalue(), f"{query.name}-{code}-{on:%Y%m%d}.xlsx", len(rows),
                  reveal_any)
