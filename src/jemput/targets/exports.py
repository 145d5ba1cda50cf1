"""A list's members as XLSX (for the office) and as a printable PDF (door to door).

Both follow the rights of the page that shows the same members, NIK masked unless the
role may reveal it, and both are on the audit log like the named lists' exports.
"""

from __future__ import annotations

from typing import Any

from fpdf import FPDF
from sqlalchemy.orm import Session

from jemput.auth import audit
from jemput.auth.models import User
from jemput.spreadsheets import MAX_EXPORT_ROWS, Export, ExportTooLarge, xlsx_bytes
from jemput.targets import members, service, states

__all__ = ["MAX_EXPORT_ROWS", "Export", "ExportTooLarge", "export_pdf", "export_xlsx"]
HEADERS = ["No", "NIK", "Nama", "L/P", "Umur", "Kode desa", "Dusun", "RT", "RW", "Alasan",
           "Status", "Hasil"]


def _rows(session: Session, user: User, list_id: int, query: members.MemberQuery,
          reveal: bool = True) -> tuple[list[dict], str, str]:
    target = service.access_list(session=session, user=user, list_id=list_id)
    on = service.data_date(session=session)
    rows = members.all_rows(session=session, user=user, target=target, query=query)
    if len(rows) > MAX_EXPORT_ROWS:
        raise ExportTooLarge(len(rows))
    return ([members.member_row(row, user=user, on=on, reveal=reveal) for row in rows],
            target.name,
            f"sasaran-{target.id}-{on:%Y%m%d}")


def export_xlsx(*, session: Session, user: User, list_id: int, query: members.MemberQuery,
                ip: str | None = None) -> Export:
    """Write the members the user sees to XLSX; every cell through safe_cell (xlsx_bytes)."""
    items, name, stem = _rows(session, user, list_id, query)
    rows: list[list[Any]] = [[name], HEADERS]
    rows += [[number, item["nik"], item["name"], item["sex"], item["age"], item["desa_code"],
              item["dusun"], item["rt"], item["rw"], item["reason_id"],
              states.label(item["state"]), states.label(item["outcome"])]
             for number, item in enumerate(items, start=1)]
    content = xlsx_bytes([("sasaran", rows)])
    audit.record(session=session, actor=user, action="sasaran.xlsx", object_type="sasaran",
                 object_id=list_id, ip=ip,
                 detail={"rows": len(items), "state": query.state,
                         "nik_full": any(item["nik_full"] for item in items)})
    return Export(content, f"{stem}.xlsx", len(items))


def _latin(text: object) -> str:
    # The PDF core fonts hold Latin-1: enough for Indonesian; anything else (the mask's
    # bullet, a stray symbol from an import) becomes a plain stand-in, never an error.
    return str(text if text is not None else "").replace("•", "*").encode(
        "latin-1", "replace").decode("latin-1")


# (header, width in mm) on landscape A4: 277 mm between the margins.
PDF_COLUMNS = (("No", 10), ("Nama", 55), ("NIK", 38), ("Dusun / RT", 40), ("Alasan", 74),
               ("Catatan", 60))


def export_pdf(*, session: Session, user: User, list_id: int, query: members.MemberQuery,
               ip: str | None = None, compress: bool = True) -> Export:
    """Write a printable door-to-door list: name, masked NIK, dusun/RT, reason, notes."""
    # Always masked: paper leaves the office and is left on doorsteps and in motorbikes.
    items, name, stem = _rows(session, user, list_id, query, reveal=False)
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.set_title(_latin(name))
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 8, _latin(f"Daftar sasaran: {name}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 6, _latin(f"{len(items)} orang. Kolom Catatan diisi petugas saat kunjungan."),
             new_x="LMARGIN", new_y="NEXT")
    with pdf.table(col_widths=tuple(width for _, width in PDF_COLUMNS),
                   text_align="LEFT", line_height=6) as table:
        header = table.row()
        for title, _ in PDF_COLUMNS:
            header.cell(title)
        for number, item in enumerate(items, start=1):
            place = " / ".join(part for part in (item["dusun"] or "",
                                                 f"RT {item['rt']}" if item["rt"] else "")
                               if part)
            row = table.row()
            for value in (number, item["name"], item["nik"] or "", place, item["reason_id"], ""):
                row.cell(_latin(value))
    audit.record(session=session, actor=user, action="sasaran.pdf", object_type="sasaran",
                 object_id=list_id, ip=ip, detail={"rows": len(items), "state": query.state})
    return Export(bytes(pdf.output()), f"{stem}.pdf", len(items))
