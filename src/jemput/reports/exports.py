"""XLSX exports of the named lists, in the shape offices file them; every one audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from jemput.auth import audit
from jemput.auth.access import may_reveal_nik, require_role
from jemput.auth.models import User
from jemput.i18n import translate
from jemput.reports import lists, service
from jemput.spreadsheets import MAX_EXPORT_ROWS, ExportTooLarge, xlsx_bytes
from jemput.spreadsheets import Export as _File

__all__ = ["MAX_EXPORT_ROWS", "Export", "ExportTooLarge", "export_list"]
HEADERS = ["No", "NIK", "Nama", "L/P", "Umur", "Kode desa", "Desa", "Dusun", "RT", "RW",
           "Status KTP-el", "Alasan", "Kondisi"]
_REASONS = {"rentan": "Rentan", "pemula": "Pemula", "lainnya": "Lainnya"}
_CONDITIONS = {"disability": "disabilitas", "bedridden": "terbaring", "odgj": "ODGJ",
               "lansia": "lansia"}


@dataclass(frozen=True)
class Export(_File):
    # Whether any NIK went out whole: the audit entry and the caller both say so.
    nik_full: bool


def export_list(
    *, session: Session, user: User, code: str, query: lists.ListQuery, ip: str | None = None
) -> Export:
    """Write a named list to XLSX; NIK full only where the user may reveal it."""
    region = service.access_area(session=session, user=user, code=code)
    require_role(user, *service.LIST_ROLES)
    desa_names = service.desa_under(session=session, region=region)
    on = service.data_date(session=session)
    # Every row through safe_row (xlsx_bytes): names and addresses come from imported files.
    sheet: list[list[Any]] = [
        [f"{translate('list.' + query.name)} — {region.name} ({region.code})",
         f"Data per {on:%d-%m-%Y}"],
        HEADERS,
    ]
    reveal_any = False
    # One row past the limit says "too many" without a count of the whole list first;
    # only then is it counted, for the message.
    rows = lists.fetch_rows(session=session, user=user, query=query,
                            desa_codes=list(desa_names), on=on, limit=MAX_EXPORT_ROWS + 1)
    if len(rows) > MAX_EXPORT_ROWS:
        raise ExportTooLarge(lists.count_rows(session=session, user=user, query=query,
                                              desa_codes=list(desa_names), on=on))
    for number, row in enumerate(rows, start=1):
        reveal = may_reveal_nik(user, row.desa_code)
        reveal_any = reveal_any or reveal
        item = service.list_row(row, desa_names=desa_names, on=on, reveal=reveal)
        sheet.append([
            number, item["nik"], item["name"], item["sex"], item["age"], item["desa_code"],
            item["desa_name"], item["dusun"], item["rt"], item["rw"], item["status_label"],
            _REASONS.get(item["reason"], "") if query.name == "belum-rekam" else "",
            ", ".join(_CONDITIONS[c] for c in item["conditions"]),
        ])
    content = xlsx_bytes([(query.name, sheet)])
    audit.record(session=session, actor=user, action="export.xlsx", object_type="wilayah",
                 object_id=code, ip=ip,
                 detail={"list": query.name, "rows": len(rows), "nik_full": reveal_any,
                         "reason": query.reason, "desa": query.desa})
    return Export(content, f"{query.name}-{code}-{on:%Y%m%d}.xlsx", len(rows), reveal_any)
