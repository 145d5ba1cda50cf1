"""How current the registry is, desa by desa: the date of the newest export that covered it.

Offices load exports of different dates for different areas (a regency SIAK export in
June, one desa's OpenSID file in July), so one "data date" for the whole registry would
be wrong for most of it. Each applied import stamps the desas it covered with its data
date. An export older than what the registry already holds for a desa it covers is
refused whole, naming the desas and both dates: applying it would turn handed-over
cards back into "not recorded" and move the figures' date backwards. (Refusing only
those desas' rows would leave an import that is neither the file nor the registry;
the office re-exports instead, or loads the file for the other desas only.) When the
date already held is the mistake (an export loaded without --data-date is stamped with
the day it was loaded), `jemput residents import --allow-older` loads it anyway and
sets those desas back to the export's date; the audit log records that it was asked.

A figure over several desas says the range of their data dates.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import Connection, Table, delete, false, func, insert, or_, select
from sqlalchemy.orm import Session

from jemput.i18n import format_date
from jemput.regions.models import Region
from jemput.residents.models import DesaDataDate

# The refusal lists this many desas by name; the rest are counted.
NAMED_IN_MESSAGE = 5


def covered_desas(*, connection: Connection, staging: Table) -> list[str]:
    """Return the desas an import covers: those with at least one valid row in the file."""
    s = staging.c
    rows = connection.execute(
        select(s.desa_code).where(s.rejected == false(), s.desa_code.is_not(None))
        .distinct().order_by(s.desa_code)
    )
    return [code for (code,) in rows]


def newer_than(
    *, session: Session, desa_codes: Collection[str], data_date: date
) -> list[tuple[str, str, date]]:
    """Return (code, name, data date) of each desa the registry knows as of a later date."""
    if not desa_codes:
        return []
    rows = session.execute(
        select(DesaDataDate.desa_code, Region.name, DesaDataDate.data_date)
        .join(Region, Region.code == DesaDataDate.desa_code)
        .where(DesaDataDate.desa_code.in_(sorted(desa_codes)),
               DesaDataDate.data_date > data_date)
        .order_by(DesaDataDate.data_date.desc(), DesaDataDate.desa_code)
    )
    return [(code, name, newer) for code, name, newer in rows]


def older_export_message(*, data_date: date, newer: list[tuple[str, str, date]]) -> str:
    """Say why an export is refused: its date, and the desas the registry knows later."""
    named = ", ".join(f"{name} {code} ({format_date(when)})"
                      for code, name, when in newer[:NAMED_IN_MESSAGE])
    more = len(newer) - NAMED_IN_MESSAGE
    if more > 0:
        named += f" dan {more} desa lain"
    return (f"ekspor bertanggal {format_date(data_date)} lebih lama dari data yang sudah "
            f"dimuat untuk desa {named}; memuatnya akan memundurkan status KTP-el. "
            "Muat ekspor yang lebih baru, atau periksa tanggal datanya; bila tanggal "
            "impor sebelumnya yang keliru, muat dengan --allow-older")


def stamp_desas(
    *, session: Session, desa_codes: Collection[str], data_date: date, run_id: int
) -> None:
    """Record that an applied import brought these desas up to its data date."""
    if not desa_codes:
        return
    codes = sorted(desa_codes)
    table: Table = DesaDataDate.__table__  # type: ignore[assignment]
    # Delete and insert rather than an upsert: the same two statements on both engines.
    # A desa's date moves backwards only when the import was told to (allow_older).
    session.execute(delete(table).where(table.c.desa_code.in_(codes)))
    session.execute(insert(table), [
        {"desa_code": code, "data_date": data_date, "import_id": run_id} for code in codes
    ])


def data_date_range(*, session: Session, region_prefix: str) -> tuple[date, date] | None:
    """Return the oldest and newest data date of the desas in an area (None: no import yet)."""
    oldest, newest = session.execute(
        select(func.min(DesaDataDate.data_date), func.max(DesaDataDate.data_date)).where(
            or_(DesaDataDate.desa_code == region_prefix,
                DesaDataDate.desa_code.like(region_prefix + ".%"))
        )
    ).one()
    if oldest is None or newest is None:
        return None
    return oldest, newest


def data_date_ranges(
    *, session: Session, codes: Collection[str]
) -> dict[str, dict[str, str | bool] | None]:
    """Return each area's data-date range for a page's JSON (see range_as_dict)."""
    spans: dict[str, tuple[date, date]] = {}
    # One grouped query per code length: a regency's kecamatan in one, their desa in another.
    for length in sorted({len(code) for code in codes}):
        same = sorted(code for code in codes if len(code) == length)
        area = func.substr(DesaDataDate.desa_code, 1, length)
        rows = session.execute(
            select(area, func.min(DesaDataDate.data_date), func.max(DesaDataDate.data_date))
            .where(area.in_(same)).group_by(area)
        )
        spans |= {code: (oldest, newest) for code, oldest, newest in rows}
    return {code: range_as_dict(spans.get(code)) for code in codes}


def registry_data_date(*, session: Session) -> date | None:
    """Return the newest data date of any desa: the date the registry is current to."""
    return session.scalar(select(func.max(DesaDataDate.data_date)))


def range_as_dict(span: tuple[date, date] | None) -> dict[str, str | bool] | None:
    """Return a data-date range for a page's JSON: from, to, and whether they differ."""
    if span is None:
        return None
    oldest, newest = span
    return {"from": oldest.isoformat(), "to": newest.isoformat(), "mixed": oldest != newest}
