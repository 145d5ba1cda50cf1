"""One consistent picture of the database: its dump, row counts, files and audit head.

The counts, the files rows refer to and the audit chain's head are read from the very
snapshot that is dumped (the SQLite copy itself; PostgreSQL's exported snapshot shared
with pg_dump), so the manifest describes exactly what the backup holds, whatever the
office's server was doing at the time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, func, inspect, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from jemput.auth import audit
from jemput.auth.audit_checkpoint import Checkpoint, format_checkpoint
from jemput.backup import pgtools
from jemput.backup.errors import BackupRefused
from jemput.db import is_sqlite
from jemput.jobs.models import Job, JobStatus
from jemput.residents.models import ImportRun
from jemput.rosters.models import Roster


@dataclass
class Described:
    """What a database holds, as the manifest records it and a restore checks it."""

    revision: str | None
    tables: dict[str, int]
    referenced_files: list[str] = field(default_factory=list)
    checkpoint: str | None = None
    audit_problem: dict[str, Any] | None = None


@dataclass
class Snapshot:
    kind: str
    dump: Path
    described: Described
    server_version: str | None = None
    dump_tool: str | None = None


def count_rows(connection: Connection) -> dict[str, int]:
    """Rows in every table of the database (alembic_version included)."""
    names = sorted(inspect(connection).get_table_names())
    return {name: int(connection.execute(select(func.count()).select_from(table(name)))
                      .scalar_one()) for name in names}


def _revision(connection: Connection, tables: dict[str, int]) -> str | None:
    if "alembic_version" not in tables:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _referenced_files(session: Session, tables: dict[str, int]) -> list[str]:
    # Import reports (runs and rosters), an import's list of the missing, and uploads
    # whose job has not run yet: every file a row points the app at.
    paths: set[str] = set()
    if "import_runs" in tables:
        paths.update(p for p in session.scalars(select(ImportRun.report_path)) if p)
    if "rosters" in tables:
        paths.update(p for p in session.scalars(select(Roster.report_path)) if p)
    if "jobs" in tables:
        for status, payload, result in session.execute(
                select(Job.status, Job.payload, Job.result)):
            if isinstance(result, dict) and result.get("disappeared_report"):
                paths.add(str(result["disappeared_report"]))
            waiting = status in (JobStatus.QUEUED.value, JobStatus.RUNNING.value)
            if waiting and isinstance(payload, dict) and payload.get("path"):
                paths.add(str(payload["path"]))
    return sorted(paths)


def audit_head(session: Session) -> tuple[str | None, dict[str, Any] | None]:
    """The chain's head as a checkpoint's text, or why there is none."""
    result = audit.verify_chain(session=session)
    if not result.ok:
        return None, {"first_bad_id": result.first_bad_id, "reason": result.reason,
                      "count": result.count}
    if result.count == 0:
        return None, None
    checkpoint = Checkpoint(entries=result.count, last_id=result.count,
                            last_hash=result.last_hash, key_id=audit.key_id(audit.chain_key()),
                            taken_at=datetime.now(UTC))
    return format_checkpoint(checkpoint), None


def describe(connection: Connection) -> Described:
    """Read the revision, row counts, referenced files and audit head of `connection`."""
    tables = count_rows(connection)
    session = Session(bind=connection)
    try:
        described = Described(revision=_revision(connection, tables), tables=tables,
                              referenced_files=_referenced_files(session, tables))
        if "audit_log" in tables:
            described.checkpoint, described.audit_problem = audit_head(session)
    finally:
        session.close()
    return described


@contextmanager
def take_snapshot(*, url: str, workdir: Path) -> Iterator[Snapshot]:
    """Dump the database at `url` into `workdir`; yield the dump and what it holds."""
    if is_sqlite(url):
        yield _sqlite_snapshot(url, workdir)
    else:
        with _postgresql_snapshot(url, workdir) as snapshot:
            yield snapshot


def _sqlite_snapshot(url: str, workdir: Path) -> Snapshot:
    source_path = make_url(url).database
    if not source_path or not Path(source_path).is_file():
        raise BackupRefused(f"Berkas basis data SQLite {source_path} tidak ada.")
    copy = workdir / "database.sqlite"
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(copy)
    try:
        # One step: a single read transaction, so the copy is one moment of the database.
        # In WAL mode the app's writers go on meanwhile; they are not in the copy.
        source.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        target.close()
        source.close()
    engine = create_engine(f"sqlite:///{copy}")
    try:
        with engine.connect() as connection:
            described = describe(connection)
    finally:
        engine.dispose()
    return Snapshot(kind="sqlite", dump=copy, described=described,
                    server_version=sqlite3.sqlite_version)


def server_major(connection: Connection) -> int:
    return int(connection.execute(text("SHOW server_version_num")).scalar_one()) // 10000


@contextmanager
def _postgresql_snapshot(url: str, workdir: Path) -> Iterator[Snapshot]:
    engine = create_engine(url)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
            major = server_major(connection)
            version = connection.execute(text("SHOW server_version")).scalar_one()
            pg_dump, dump_major = pgtools.find_tool("pg_dump", at_least=major)
            connection.execute(text("SET TRANSACTION READ ONLY"))
            exported = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            described = describe(connection)
            dump = workdir / "database.pgdump"
            # The snapshot lives while this transaction does: pg_dump sees exactly it.
            pgtools.run_tool([str(pg_dump), "--format=custom", "--no-owner", "--no-privileges",
                              f"--snapshot={exported}", f"--file={dump}"],
                             url=url, what="pg_dump")
            connection.rollback()
            yield Snapshot(kind="postgresql", dump=dump, described=described,
                           server_version=str(version), dump_tool=f"pg_dump {dump_major}")
    finally:
        engine.dispose()
