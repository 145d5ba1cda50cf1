"""Where an import's rows wait between reading the file and writing them for good.

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
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Index, MetaData, Table, create_engine
from sqlalchemy.orm import Session

from jemput.db import bulk_inserter, read_only_session

COPY_BATCH = 20_000

# Builds the import's staging table on `metadata`: (metadata, temporary) -> Table. Its
# first column is the line number (primary key); a `nik` column, if any, gets an index.
MakeTable = Callable[[MetaData, bool], Table]


class StagingArea:
    """Staged rows: `insert` while reading, `connection`/`table` for checks, `for_merge`."""

    def __init__(self, connection: Connection, table: Table, make_table: MakeTable) -> None:
        self.connection = connection
        self.table = table
        self.make_table = make_table
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
        target = self.merged = self.make_table(MetaData(), True)
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
        if "nik" in target.c:
            Index(f"ix_{target.name}_nik", target.c.nik).create(connection)
        return target

    def release(self, session: Session) -> None:
        if self.merged is not None:
            self.merged.drop(session.connection())
            self.merged = None


@contextmanager
def staging_area(session: Session, *, make_table: MakeTable) -> Iterator[StagingArea]:
    """Open the staging area for an import running in `session`; see the module docstring."""
    if session.get_bind().dialect.name == "postgresql":
        connection = session.connection()
        table = make_table(MetaData(), True)
        table.create(connection)
        yield StagingArea(connection, table, make_table)
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
                table = make_table(MetaData(), False)
                table.create(connection)
                area = _ScratchArea(connection, table, make_table)
                yield area
        finally:
            engine.dispose()


@contextmanager
def reading_beside(session: Session) -> Iterator[Session]:
    """Yield a session for an import's look-ups that does not begin its transaction.

    On SQLite the import's own transaction must not begin (and take the write lock)
    before the merge, so look-ups read beside it; on PostgreSQL they read in it.
    """
    bind = session.get_bind()
    if bind.dialect.name == "sqlite" and isinstance(bind, Engine):
        with read_only_session(bind) as reader:
            yield reader
    else:
        yield session
