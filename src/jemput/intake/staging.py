"""Where an import's rows wait between reading the file and writing them for good.

PostgreSQL: a TEMP table inside the import's own transaction; MVCC lets everyone else
read and write meanwhile. SQLite has a single writer, and reading a million rows
takes tens of seconds: holding the registry's write lock that long would stall every
other user (and every progress update). So on SQLite the rows wait in a private
scratch database file, and only the merge — copy into a TEMP table, set-based
statements — runs under the registry's write lock.
"""

from __future__ import annotations

import io
import itertools
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, Index, MetaData, Table, create_engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from jemput.db import ATTACHED_SCRATCH, bulk_inserter, read_only_session

COPY_BATCH = 20_000
# Each import attaches its scratch file under a name of its own (see _ScratchArea).
_ATTACH_NAMES = itertools.count(1)

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

    def insert_frame(self, frame: pl.DataFrame) -> None:
        """Stage rows held as a frame whose columns are the staging table's, in order."""
        if frame.is_empty():
            return
        names = ", ".join(frame.columns)
        if self.connection.dialect.name == "postgresql":
            # CSV COPY: polars writes the text in C; an unquoted empty field is NULL, and
            # no staged value is an empty string (the parsers turn empty cells to None).
            buffer = io.BytesIO()
            frame.write_csv(buffer, include_header=False)
            dbapi: Any = self.connection.connection.driver_connection
            sql = f"COPY {self.table.name} ({names}) FROM STDIN (FORMAT csv)"
            with dbapi.cursor() as cursor, cursor.copy(sql) as copy:
                copy.write(buffer.getvalue())
            return
        # sqlite3 takes dates as ISO text (its implicit date adapter is deprecated).
        frame = frame.with_columns(pl.col(pl.Date).dt.to_string("%Y-%m-%d"))
        columns = [frame[name].to_list() for name in frame.columns]
        dbapi = self.connection.connection.driver_connection
        marks = ", ".join("?" * len(columns))
        cursor = dbapi.cursor()
        cursor.executemany(f"INSERT INTO {self.table.name} ({names}) VALUES ({marks})",
                           zip(*columns, strict=True))
        cursor.close()

    def for_merge(self, session: Session) -> Table:
        """Return the staging table as seen from the session's connection."""
        return self.table

    def release(self, session: Session) -> None:
        """Drop what for_merge made on the session's connection (TEMP tables outlive commits)."""


class _ScratchArea(StagingArea):
    merged: Table | None = None
    path: Path | None = None

    def insert_frame(self, frame: pl.DataFrame) -> None:
        if frame.is_empty() or self.path is None:
            super().insert_frame(frame)
            return
        # ADBC hands the frame's Arrow buffers to SQLite in C: 3-4 times faster than
        # executemany over Python tuples. The scratch file takes one writer at a time,
        # so what this connection wrote (rows RowReader read) is committed first.
        import adbc_driver_sqlite.dbapi as adbc

        self.connection.commit()
        self.connection.connection.driver_connection.commit()  # type: ignore[union-attr]
        frame = frame.with_columns(
            pl.col(pl.Date).dt.to_string("%Y-%m-%d"), pl.col(pl.Null).cast(pl.String)
        )
        with adbc.connect(str(self.path)) as connection, connection.cursor() as cursor:
            cursor.adbc_ingest(self.table.name, frame, mode="append")
            connection.commit()

    def for_merge(self, session: Session) -> Table:
        # The registry's write lock is taken from here on: copy the staged rows next to it.
        target = self.merged = self.make_table(MetaData(), True)
        connection = session.connection()
        target.create(connection)
        self.connection.commit()  # the scratch rows become visible to other connections
        if self.path is not None and self._copy_attached(connection, target):
            return self._indexed(connection, target)
        insert = bulk_inserter(connection, target)
        # Driver cursors on both sides: rows stay plain tuples, with no per-row work in
        # SQLAlchemy, because this copy runs while every other writer waits.
        names = ", ".join(c.name for c in self.table.columns)
        source: Any = self.connection.connection.driver_connection
        cursor = source.execute(f"SELECT {names} FROM {self.table.name} ORDER BY line_no")
        while rows := cursor.fetchmany(COPY_BATCH):
            insert(rows)
        cursor.close()
        return self._indexed(connection, target)

    def _copy_attached(self, connection: Connection, target: Table) -> bool:
        # One INSERT ... SELECT from the scratch file attached to the registry's
        # connection, in SQLite's C code: ten times faster than fetching and inserting
        # through Python. The file cannot be detached inside the transaction; db.py
        # detaches it when the connection goes back to the pool.
        alias = f"jemput_staging_{next(_ATTACH_NAMES)}"
        try:
            connection.exec_driver_sql(f"ATTACH DATABASE ? AS {alias}", (str(self.path),))
        except OperationalError:  # too many attached (a long test transaction): copy
            return False
        connection.info.setdefault(ATTACHED_SCRATCH, []).append(alias)
        names = ", ".join(c.name for c in self.table.columns)
        connection.exec_driver_sql(
            f"INSERT INTO temp.{target.name} ({names}) "
            f"SELECT {names} FROM {alias}.{self.table.name} ORDER BY line_no"
        )
        return True

    def _indexed(self, connection: Connection, target: Table) -> Table:
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
        path = Path(folder) / "staging.sqlite"
        engine = create_engine(f"sqlite:///{path}")
        try:
            with engine.connect() as connection:
                # Scratch data: losing it in a crash costs nothing, so skip the fsyncs.
                connection.exec_driver_sql("PRAGMA journal_mode=OFF")
                connection.exec_driver_sql("PRAGMA synchronous=OFF")
                table = make_table(MetaData(), False)
                table.create(connection)
                area = _ScratchArea(connection, table, make_table)
                area.path = path
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
