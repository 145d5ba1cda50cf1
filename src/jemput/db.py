"""Engine and session set-up shared by the CLI, the web app and the tests.

SQLite is the embedded default and PostgreSQL the production database; everything
here behaves the same on both. Services never commit: the unit of work at the edge
(a CLI command, a request) does, through `unit_of_work`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Date, Engine, MetaData, Table, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from jemput.config import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling defers BEGIN and never takes the write
    # lock up front; two writers then deadlock on upgrade. We emit BEGIN IMMEDIATE
    # ourselves so there is exactly one writer at a time (the datasette recipe).
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.close()

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection: Any, record: Any) -> None:
        # An import's scratch file (intake/staging.py) stays attached until its
        # transaction ends; by check-in it has, so it can be let go.
        for alias in record.info.pop(ATTACHED_SCRATCH, ()):
            try:
                dbapi_connection.execute(f"DETACH DATABASE {alias}")
            except Exception:  # a connection that cannot detach is closed instead
                record.invalidate()
                return

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Readers that promise not to write (read_only_session) begin DEFERRED: in WAL
        # mode they neither wait for nor block the writer.
        deferred = connection.get_execution_options().get(READ_ONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN DEFERRED" if deferred else "BEGIN IMMEDIATE")


def make_engine(url: str | None = None) -> Engine:
    """Create an engine for `url` (default: the configured database)."""
    url = url or get_settings().database_url
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **pool_options())
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **pool_options())


def pool_options() -> dict[str, Any]:
    """A fixed pool: this process's share of JEMPUT_DB_CONNECTIONS, no overflow.

    Every worker of `jemput serve` has its own pool, so all of them together stay within
    the total (and PostgreSQL's max_connections). A page view holds exactly one
    connection; one that cannot get it within JEMPUT_QUEUE_SECONDS fails with
    sqlalchemy's TimeoutError, which the web app answers with 503 and Retry-After.
    """
    settings = get_settings()
    return {"pool_size": settings.pool_size, "max_overflow": 0,
            "pool_timeout": settings.queue_seconds}

# Connection-info key: scratch databases an import attached (intake/staging.py).
ATTACHED_SCRATCH = "jemput_attached_scratch"

# Execution option of connections that only read (see read_only_bind).
READ_ONLY_OPTION = "jemput_read_only"

_factories: dict[str, sessionmaker[Session]] = {}


def _session_factory(url: str) -> sessionmaker[Session]:
    # One engine (and pool) per database URL for the life of the process.
    factory = _factories.get(url)
    if factory is None:
        factory = _factories[url] = sessionmaker(bind=make_engine(url), expire_on_commit=False)
    return factory


def get_engine(url: str | None = None) -> Engine:
    """Return the shared engine for `url` (default: the configured database)."""
    engine: Engine = _session_factory(url or get_settings().database_url).kw["bind"]
    return engine


def dispose_engines() -> None:
    """Close every pooled connection (before dropping a test database, at shutdown)."""
    for factory in _factories.values():
        factory.kw["bind"].dispose()
    _factories.clear()


def read_only_bind(engine: Engine) -> Engine:
    """Return `engine` marked for reading: on SQLite its transactions begin DEFERRED."""
    return engine.execution_options(**{READ_ONLY_OPTION: True})


def is_read_only(session: Session) -> bool:
    """Whether `session` was opened for reading (a GET request, an import's look-ups)."""
    return bool(session.get_bind().get_execution_options().get(READ_ONLY_OPTION, False))


@contextmanager
def side_unit_of_work(session: Session) -> Iterator[Session]:
    """A short unit of work beside a read-only session, for the few writes a read makes.

    A page view is logged, and a session's last-seen time moves; written inside the
    reading transaction they would make every view a writer (SQLite has one), and the
    audit chain's lock would be held until the page is rendered. So the reading
    transaction ends, the write commits in a short transaction of its own on the same
    connection, and reading goes on in a fresh transaction: a page view never needs a
    second pooled connection, which under load is what exhausted the pool.
    """
    bind = session.get_bind()
    if not isinstance(bind, Connection):
        # A reader bound to an engine (an import's look-ups): it has no connection of its
        # own to lend, so the write takes one from the pool.
        url = bind.engine.url.render_as_string(hide_password=False)
        with unit_of_work(url) as other:
            yield other
        return
    session.commit()  # it only read: this ends its snapshot, nothing is written
    bind.execution_options(**{READ_ONLY_OPTION: False})  # the writer begins IMMEDIATE
    writer = Session(bind=bind, expire_on_commit=False)
    try:
        yield writer
        writer.commit()
    except BaseException:
        writer.rollback()
        raise
    finally:
        writer.close()
        bind.execution_options(**{READ_ONLY_OPTION: True})


@contextmanager
def read_only_session(engine: Engine) -> Iterator[Session]:
    """Open a session for reads only; on SQLite it takes no write lock. Never commits."""
    session = Session(bind=read_only_bind(engine))
    try:
        yield session
    finally:
        session.rollback()
        session.close()


@contextmanager
def unit_of_work(url: str | None = None, *, read_only: bool = False) -> Iterator[Session]:
    """Open a session, commit once at the end, roll back on any error or interrupt.

    `read_only` sessions (GET requests) begin DEFERRED on SQLite, so readers run side
    by side; what little they write goes through side_unit_of_work.
    """
    factory = _session_factory(url or get_settings().database_url)
    # A reader holds one connection for its whole unit of work, so that the writes it
    # makes (side_unit_of_work) run on it instead of taking a second one from the pool.
    connection = read_only_bind(factory.kw["bind"]).connect() if read_only else None
    session = factory(bind=connection) if connection is not None else factory()
    try:
        yield session
        session.commit()
    except BaseException:
        # BaseException: a Ctrl-C in the middle of an import must roll back too.
        session.rollback()
        raise
    finally:
        session.close()
        if connection is not None:
            connection.close()


@contextmanager
def foreign_keys_checked_once(connection: Connection, tables: list[Table]) -> Iterator[None]:
    """Check the foreign keys of `tables` once, set-based, after the block (PostgreSQL).

    PostgreSQL checks a foreign key by a trigger per inserted row: at a million rows that
    bounds a bulk load. The block runs without the tables' own foreign keys, which are
    then added back and validated in one join each, in the same transaction: a row that
    breaks one fails the statement and rolls the whole unit of work back, as before.
    Dropping a foreign key locks its table and the table it references (regions,
    import_runs) against every other reader until the transaction ends, so callers use
    this only where nobody else has work there (an import into an empty registry).
    SQLite's checks are cheap index probes: there the block just runs.
    """
    if connection.dialect.name != "postgresql":
        yield
        return
    constraints = [
        (table.name, name, definition)
        for table in tables
        for name, definition in connection.exec_driver_sql(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %(table)s::regclass AND contype = 'f' ORDER BY conname",
            {"table": table.name},
        ).all()
    ]
    for table_name, name, _definition in constraints:
        connection.exec_driver_sql(f'ALTER TABLE {table_name} DROP CONSTRAINT "{name}"')
    yield
    for table_name, name, definition in constraints:
        connection.exec_driver_sql(f'ALTER TABLE {table_name} ADD CONSTRAINT "{name}" {definition}')


Inserter = Callable[[list[tuple[Any, ...]]], None]


def bulk_inserter(connection: Connection, table: Table) -> Inserter:
    """Return a function that bulk-loads tuples (in column order) into `table`.

    COPY on PostgreSQL; the driver's executemany on SQLite, bypassing SQLAlchemy's
    per-row work, which would cost more than the insert itself at a million rows.
    """
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
    date_columns = [i for i, c in enumerate(table.columns) if isinstance(c.type, Date)]

    def insert_rows(rows: list[tuple[Any, ...]]) -> None:
        # sqlite3's implicit date adapter is deprecated: hand it ISO text, as SQLAlchemy does.
        if date_columns:
            rows = [_iso_dates(row, date_columns) for row in rows]
        cursor = dbapi.cursor()
        cursor.executemany(sql, rows)
        cursor.close()

    return insert_rows


def _iso_dates(row: tuple[Any, ...], columns: list[int]) -> tuple[Any, ...]:
    cells = list(row)
    for i in columns:
        if isinstance(cells[i], date):
            cells[i] = cells[i].isoformat()
    return tuple(cells)
