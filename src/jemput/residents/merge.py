"""Set-based statements that move a staged import into the registry.

Everything here runs on the caller's connection and transaction, on SQLite and
PostgreSQL alike. Each statement touches only rows that really change, so importing
the same file twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    Float,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    Table,
    Text,
    and_,
    exists,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.types import TypeEngine

from jemput.auth.access import region_filter
from jemput.residents.layouts import FIELDS, Problem
from jemput.residents.models import Resident, StatusChange

INTEGER = Integer
_TYPES: dict[str, TypeEngine[Any]] = {
    "birth_date": Date(),
    "sex": SmallInteger(), "religion": SmallInteger(), "marital_status": SmallInteger(),
    "household_relation": SmallInteger(), "disability": SmallInteger(),
    "has_itap": Boolean(), "bedridden": Boolean(), "odgj": Boolean(),
    "needs_home_visit": Boolean(), "rejected": Boolean(),
    "latitude": Float(), "longitude": Float(),
}
residents: Table = Resident.__table__  # type: ignore[assignment]
history: Table = StatusChange.__table__  # type: ignore[assignment]
HISTORY_COLUMNS = ["resident_id", "old_status", "new_status", "changed_at", "data_date",
                   "source", "import_id"]


def staging_table(metadata: MetaData, temporary: bool = True) -> Table:
    """Return the staging table: line number, every registry field, and a rejected flag."""
    columns = [Column("line_no", INTEGER, primary_key=True)]
    columns += [Column(name, column_type(name)) for name in FIELDS]
    # Rejected rows are staged too (NIK only) so that their residents are not
    # mistaken for people who vanished from the export.
    columns.append(Column("rejected", column_type("rejected")))
    return Table("import_staging", metadata, *columns,
                 prefixes=["TEMPORARY"] if temporary else [])


def column_type(name: str) -> TypeEngine[Any]:
    """Return the staging column type for a registry field."""
    # Text, not a bounded string: a rejected row is staged with its NIK as the file had
    # it, however long. What reaches the registry is bounded by the layouts' parsers.
    return _TYPES.get(name, Text())


def set_aside_duplicates(
    *, connection: Connection, staging: Table, report: Callable[[int, Problem], None]
) -> int:
    """Reject every row whose NIK occurs more than once in the file; return how many."""
    Index("ix_import_staging_nik", staging.c.nik).create(connection)
    s = staging.c
    duplicated = (
        select(s.nik).where(s.rejected == false()).group_by(s.nik).having(func.count() > 1)
    ).scalar_subquery()
    rows = connection.execute(
        select(s.nik, s.line_no)
        .where(s.rejected == false(), s.nik.in_(duplicated))
        .order_by(s.nik, s.line_no)
    ).all()
    lines_by_nik: dict[str, list[int]] = {}
    for nik, line in rows:
        lines_by_nik.setdefault(nik, []).append(line)
    for nik, lines in lines_by_nik.items():
        for line in lines:
            others = ", ".join(str(o) for o in lines if o != line)
            report(line, Problem("NIK", nik, f"NIK ganda dalam berkas (juga di baris {others})"))
    if rows:
        connection.execute(
            update(staging).where(s.rejected == false(), s.nik.in_(list(lines_by_nik)))
            .values(rejected=True)
        )
    return len(rows)


def apply(
    *, connection: Connection, staging: Table, run_id: int, provided: frozenset[str],
    now: datetime, scope_region: str, missing_in: Collection[str], data_date: date,
) -> dict[str, int]:
    """Write status history, update changed residents, insert new ones, flag the missing.

    Only residents inside `scope_region` are changed, and only those of the desas in
    `missing_in` (the coverage set within the scope) may be flagged as missing.
    """
    s = staging.c
    r = residents.c
    # Rows outside the scope were set aside while staging (import_scope.py); this keeps
    # a resident moved out of scope meanwhile by someone else out of reach all the same.
    writable = and_(s.rejected == false(), region_filter(scope_region, r.desa_code))
    fields = [f for f in FIELDS if f in provided and f != "nik"]

    if "ktp_status" in provided:
        # History first: it needs the status as it was before the update below.
        changed_status = select(
            r.id, r.ktp_status, s.ktp_status, literal(now), literal(data_date),
            literal("import"), literal(run_id),
        ).select_from(staging.join(residents, r.nik == s.nik)).where(
            writable, s.ktp_status.is_not(None), r.ktp_status.is_distinct_from(s.ktp_status)
        )
        connection.execute(
            insert(history).from_select(
                HISTORY_COLUMNS,
                changed_status,
            )
        )

    differs = [r[f].is_distinct_from(s[f]) for f in fields if f != "ktp_status"]
    if "ktp_status" in provided:
        differs.append(and_(s.ktp_status.is_not(None), r.ktp_status.is_distinct_from(s.ktp_status)))
    differs.append(r.missing_since_import_id.is_not(None))
    values: dict[str, Any] = {f: s[f] for f in fields}
    if "ktp_status" in provided:
        # An export that does not say (empty OpenSID status_rekam) keeps what we know.
        values["ktp_status"] = func.coalesce(s.ktp_status, r.ktp_status)
    values |= {"last_import_id": run_id, "missing_since_import_id": None, "updated_at": now}
    connection.execute(
        update(residents).where(r.nik == s.nik, writable, or_(*differs)).values(values)
    )

    new_rows = select(
        s.nik, *[s[f] for f in fields], literal(run_id), literal(run_id), literal(now)
    ).where(s.rejected == false(), ~exists().where(r.nik == s.nik))
    connection.execute(
        insert(residents).from_select(
            ["nik", *fields, "first_import_id", "last_import_id", "updated_at"], new_rows
        )
    )

    if "ktp_status" in provided:
        first_status = select(
            r.id, literal(None), r.ktp_status, literal(now), literal(data_date),
            literal("import"), literal(run_id),
        ).where(r.first_import_id == run_id)
        connection.execute(
            insert(history).from_select(
                HISTORY_COLUMNS,
                first_status,
            )
        )

    # A resident of a desa this export covers, who is no longer in it, has moved or
    # died: flag them for the office to check, never delete.
    connection.execute(
        update(residents)
        .where(
            r.missing_since_import_id.is_(None),
            r.life_status == "hidup",
            r.desa_code.in_(sorted(missing_in)),
            ~exists().where(s.nik == r.nik),
        )
        .values(missing_since_import_id=run_id, updated_at=now)
    )
    return _count_effects(connection=connection, run_id=run_id)


def _count_effects(*, connection: Connection, run_id: int) -> dict[str, int]:
    # Counted from what the run left behind rather than from driver rowcounts, which
    # psycopg and sqlite3 report differently for INSERT ... SELECT.
    r = residents.c
    by_run = select(
        func.count().filter(r.first_import_id == run_id),
        func.count().filter(r.last_import_id == run_id),
        func.count().filter(r.missing_since_import_id == run_id),
    )
    inserted, touched, disappeared = connection.execute(by_run).one()
    changes = connection.scalar(
        select(func.count()).select_from(history).where(history.c.import_id == run_id)
    )
    return {"inserted": inserted, "updated": touched - inserted, "disappeared": disappeared,
            "status_changes": changes or 0}


