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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Connection, Index, MetaData, Table, create_engine
from sqlalchemy.orm import Session

from jemput.db import bulk_inserter
from jemput.residents.layouts import FIELDS
from jemput.residents.merge import INTEGER, column_type

COPY_BATCH = 20_000


def staging_table(metadata: MetaData, *, temporary: bool = True) -> Table:
    """Return the staging table: line number, every registry field, and a rejected flag."""
    columns = [Column("line_no", INTEGER, primary_key=True)]
    columns += [Column(name, column_type(name)) for name in FIELDS]
    # Rejected rows are staged too (NIK only) so that their residents are not
    # mistaken for people who vanished from the export.
    columns.append(Column("rejected", column_type("rejected")))
    return Table("import_staging", metadata, *columns,
                 prefixes=["TEMPORARY"] if temporary else [])


class StagingArea:
    """Staged rows: `insert` while reading, `connection`/`table` for checks, `for_merge`."""

    def __init__(self, connection: Connection, table: Table) -> None:
        self.connection = connection
        self.table = table
        self.insert = bulk_inserter(connection, table)

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
        insert = bulk_inserter(connection, target)
        # Driver cursors on both sides: rows stay plain tuples, with no per-row work in
        # SQLAlchemy, because this copy runs while every other writer waits.
        names = ", ".join(c.name for c in self.table.columns)
        source: Any = self.connection.connection.driver_connection
        cursor = source.execute(f"SELECT {names} FROM {self.table.name} ORDER BY line_no")
        while rows := cursor.fetchmany(COPY_BATCH):
            insert(rows)
        cursor.close()
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
