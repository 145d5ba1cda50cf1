"""Move an office's registry from SQLite to PostgreSQL: every table, every row, every id.

The target must be an empty PostgreSQL database. In ONE transaction on it, the
migrations build the schema at the source's revision, every table of the source is
copied in batches (ids kept, so the audit chain's entries and every reference stay
as they were), the sequences are moved past the highest id, and the copy is checked:
row counts per table and the audit chain must match the source's. Anything wrong
rolls the whole transaction back (PostgreSQL's DDL is transactional): the target is
left empty, never half-moved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC

from alembic import command
from sqlalchemy import Connection, DateTime, Integer, MetaData, Table, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from jemput import db, migrate
from jemput.auth import audit
from jemput.models_registry import import_all_models

BATCH_ROWS = 5_000

Progress = Callable[[str, int], None]


class MoveRefused(Exception):
    """The move cannot start or did not verify; the message says why, in Indonesian."""


@dataclass(frozen=True)
class MovedTable:
    name: str
    rows: int


def _tables(source: Connection) -> list[Table]:
    """Every table of the source, in foreign-key order, with the app's column types.

    The models' tables carry Jemput's own types (timezone-aware times, JSON, booleans
    that SQLite keeps as 0/1); a table without a model (alembic_version) is reflected.
    """
    import_all_models()
    models = db.Base.metadata
    reflected = MetaData()
    reflected.reflect(bind=source)
    known = [t for t in models.sorted_tables if t.name in reflected.tables]
    extra = [t for t in reflected.sorted_tables if t.name not in models.tables]
    return known + extra


def _count(connection: Connection, table: Table) -> int:
    return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def _copy_table(source: Connection, target: Connection, table: Table,
                progress: Progress | None) -> int:
    order = list(table.primary_key.columns) or list(table.columns)
    result = source.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(
        select(table).order_by(*order))
    # SQLite keeps timestamps without their offset; Jemput writes them in UTC. Handed to
    # PostgreSQL naive, they would be read in the server's time zone (WIB: 7 h off).
    naive_utc = [c.key for c in table.columns
                 if isinstance(c.type, DateTime) and c.type.timezone]
    copied = 0
    for batch in result.partitions(BATCH_ROWS):
        rows = [dict(row._mapping) for row in batch]
        for row in rows:
            for key in naive_utc:
                value = row[key]
                if value is not None and value.tzinfo is None:
                    row[key] = value.replace(tzinfo=UTC)
        target.execute(table.insert(), rows)
        copied += len(batch)
        if progress:
            progress(table.name, copied)
    return copied


def _copy_all(source: Connection, target: Connection, tables: list[Table],
              progress: Progress | None) -> list[MovedTable]:
    moved: list[MovedTable] = []
    at = "kunci asing"  # the foreign keys are checked when the block ends
    try:
        with db.foreign_keys_checked_once(target, tables):
            for table in tables:
                at = f"tabel {table.name}"
                moved.append(MovedTable(table.name, _copy_table(source, target, table, progress)))
            at = "kunci asing"
    except SQLAlchemyError as error:
        # PostgreSQL's primary message only ("value too long for type ..."): its detail
        # line quotes the row's values, which may be a NIK or a name.
        diag = getattr(getattr(error, "orig", None), "diag", None)
        reason = getattr(diag, "message_primary", None) or type(error).__name__
        raise MoveRefused(f"PostgreSQL menolak salinan pada {at}: {reason}. Batal; basis "
                          "data tujuan dibiarkan kosong.") from error
    return moved


def _move_sequences(target: Connection, tables: list[Table]) -> None:
    """Set each serial id's sequence to the highest id copied, so new rows follow on."""
    for table in tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, Integer):
                continue
            sequence = target.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                     {"t": table.name, "c": column.name})
            if sequence is None:
                continue
            target.execute(text(
                f'SELECT setval(:s, COALESCE(MAX("{column.name}"), 1), '
                f'MAX("{column.name}") IS NOT NULL) FROM "{table.name}"'), {"s": sequence})


def _chain(connection: Connection) -> audit.VerifyResult:
    with Session(bind=connection) as session:
        return audit.verify_chain(session=session)


def move_registry(*, source_url: str, target_url: str,
                  progress: Progress | None = None) -> list[MovedTable]:
    """Copy the registry at `source_url` into the empty PostgreSQL database `target_url`."""
    if make_url(target_url).get_backend_name() != "postgresql":
        raise MoveRefused("Tujuan harus basis data PostgreSQL "
                          "(postgresql+psycopg://pengguna@host/nama).")
    source_engine = db.read_only_bind(db.make_engine(source_url))
    target_engine = db.make_engine(target_url)
    try:
        with source_engine.connect() as source:
            state = migrate.schema_state(source)
            if state != "current":
                raise MoveRefused(
                    f"Basis data sumber belum mutakhir (skema: {state}): jalankan "
                    "`jemput db upgrade` pada sumber dulu, lalu pindahkan.")
            tables = _tables(source)
            expected = {t.name: _count(source, t) for t in tables}
            source_chain = _chain(source)
            with target_engine.begin() as target:
                _refuse_non_empty(target)
                _build_schema(target, target_url)
                _empty_what_migrations_wrote(target, tables)
                moved = _copy_all(source, target, tables, progress)
                _move_sequences(target, tables)
                _verify(target, tables, expected, source_chain)
    finally:
        source_engine.dispose()
        target_engine.dispose()
    return moved


def _refuse_non_empty(target: Connection) -> None:
    existing = inspect(target).get_table_names()
    if existing:
        shown = ", ".join(sorted(existing)[:5]) + (" …" if len(existing) > 5 else "")
        raise MoveRefused(f"Basis data tujuan tidak kosong (ada tabel {shown}): pindah "
                          "hanya ke basis data baru yang kosong, agar tidak ada yang tertimpa.")


def _build_schema(target: Connection, target_url: str) -> None:
    # The migrations run on this connection, inside its transaction (env.py uses it).
    config = migrate.alembic_config(target_url)
    config.attributes["connection"] = target
    command.upgrade(config, "head")


def _empty_what_migrations_wrote(target: Connection, tables: list[Table]) -> None:
    # alembic_version is copied like every other table; no other migration writes rows
    # into an empty database, and a non-empty table here would be duplicated.
    for table in tables:
        if table.name == "alembic_version":
            target.execute(table.delete())
        elif _count(target, table):
            raise MoveRefused(f"Tabel {table.name} berisi baris sesudah migrasi; batal.")


def _verify(target: Connection, tables: list[Table], expected: dict[str, int],
            source_chain: audit.VerifyResult) -> None:
    for table in tables:
        found = _count(target, table)
        if found != expected[table.name]:
            raise MoveRefused(f"Tabel {table.name}: {found} baris di tujuan, "
                              f"{expected[table.name]} di sumber; batal, tujuan dikosongkan.")
    moved_chain = _chain(target)
    if (moved_chain.ok, moved_chain.count, moved_chain.last_hash) != (
            source_chain.ok, source_chain.count, source_chain.last_hash):
        raise MoveRefused("Rantai log audit di tujuan tidak sama dengan di sumber; batal, "
                          "tujuan dikosongkan.")
