"""Where an import's rows wait between reading the file and merging into the registry.

PostgreSQL: a TEMP table inside the import's own transaction; MVCC lets everyone else
read and write meanwhile. SQLite has a single writer, and reading a million rows
takes tens of seconds: holding the registry's write lock that long would stall every
other user (and every progress update). So on SQLite the rows wait in a private
scratch database file, and only the merge — copy into a TEMP table, set-based
statements — runs under the registry's write lock.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Index, MetaData, Table, create_engine, select
from sqlalchemy.orm import Session

from jemput.residents.layouts import FIELDS
from jemput.residents.merge import INTEGER, column_type

COPY_BATCH = 20_000
Inserter = Callable[[list[tuple[Any, ...]]], None]


def staging_table(metadata: MetaData, *, temporary: bool = True) -> Table:
    """Return the staging table: line number, every registry field, and a rejected flag."""
    columns = [Column("line_no", INTEGER, primary_key=True)]
    columns += [Column(name, column_type(name)) for name in FIELDS]
    # Rejected rows are staged too (NIK only) so that their residents are not
    # mistaken for people who vanished from the export.
    columns.append(Column("rejected", column_type("rejected")))
    return Table("import_staging", metadata, *columns,
                 prefixes=["TEMPORARY"] if temporary else [])


def _inserter(connection: Connection, table: Table) -> Inserter:
    """Return a function that bulk-loads rows into `table`, fastest per engine."""
    dbapi: Any = connection.connection.driver_connection
    names = [c.name for c in table.columns]
    if connection.dialect.name == "postgresql":
        copy_sql = f"COPY {table.name} ({', '.join(names)}) FROM STDIN"

        def copy_rows(rows: list[tuple[Any, ...]]) -> None:
            with dbapi.cursor() as cursor, cursor.copy(copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)

        return copy_rows

    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    birth_index = names.index("birth_date")

    def insert_rows(rows: list[tuple[Any, ...]]) -> None:
        # sqlite3's implicit date adapter is deprecated: hand it ISO text, as SQLAlchemy does.
        prepared = []
        for row in rows:
            born = row[birth_index]
            if isinstance(born, date):
                row = (*row[:birth_index], born.isoformat(), *row[birth_index + 1:])
            prepared.append(row)
        cursor = dbapi.cursor()
        cursor.executemany(sql, prepared)
        cursor.close()

    return insert_rows


class StagingArea:
    """Staged rows: `insert` while reading, `connection`/`table` for checks, `for_merge`."""

    def __init__(self, connection: Connection, table: Table) -> None:
        self.connection = connection
        self.table = table
        self.insert = _inserter(connection, table)

    def for_merge(self, session: Session) -> Table:
        """Return the staging table as seen from the session's connection."""
        return self.table

    def release(self, session: Session) -> None:
        """Drop what for_merge made on the session's connection (TEMP tables outlive commits)."""


class _ScratchArea(StagingArea):
    merged: Table | None = None

    def for_merge(self, session: Session) -> Table:
        # The registry's write lock is taken from here on: copy the staged rows next to it.
        target = self.merged = staging_table(MetaData())
        connection = session.connection()
        target.create(connection)
        insert = _inserter(connection, target)
        result = self.connection.execution_options(stream_results=True).execute(
            select(self.table).order_by(self.table.c.line_no)
        )
        for batch in result.partitions(COPY_BATCH):
            insert([tuple(row) for row in batch])
        # Every merge statement joins on NIK: without this index they turn quadratic.
        Index("ix_import_staging_nik", target.c.nik).create(connection)
        return target

    def release(self, session: Session) -> None:
        if self.merged is not None:
            self.merged.drop(session.connection())
            self.merged = None


@contextmanager
def staging_area(session: Session) -> Iterator[StagingArea]:
    """Open the staging area for an import running in `session`; see the module docstring."""
    if session.get_bind().dialect.name == "postgresql":
        connection = session.connection()
        table = staging_table(MetaData())
        table.create(connection)
        yield StagingArea(connection, table)
        # On an exception the caller's rollback undoes the CREATE (DDL is transactional).
        table.drop(connection)
        return
    with tempfile.TemporaryDirectory(prefix="jemput-impor-") as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'staging.sqlite'}")
        try:
            with engine.begin() as connection:
                # Scratch data: losing it in a crash costs nothing, so skip the fsyncs.
                connection.exec_driver_sql("PRAGMA journal_mode=OFF")
                connection.exec_driver_sql("PRAGMA synchronous=OFF")
                table = staging_table(MetaData(), temporary=False)
                table.create(connection)
                area = _ScratchArea(connection, table)
                yield area
        finally:
            engine.dispose()
