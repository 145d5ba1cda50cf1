"""`jemput serve` as a service runs it: worker processes, a bounded queue, SIGTERM.

The server runs as a real subprocess on a free port against the test database. Busy
moments are made deterministic, never waited for: the test itself holds the lock that
an audit entry needs (SQLite's write lock, or an exclusive lock on the audit table on
PostgreSQL), so the requests that log a view stay in flight until it lets go.
Nothing here measures time; the timeouts only keep a broken server from hanging the run.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from jemput.auth.models import AuditEntry
from jemput.db import is_sqlite, unit_of_work
from jemput.residents.models import Resident
from tests.personas import signed_in_cookies
from tests.reports.conftest import import_people, people

ROOT = Path(__file__).resolve().parents[2]
# Bounds for a broken server, not expectations of a working one.
START_TIMEOUT = 90.0
EXIT_TIMEOUT = 60.0
REQUEST_TIMEOUT = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> int:
        self.process.terminate()
        return self.process.wait(timeout=EXIT_TIMEOUT)


@pytest.fixture
def serve(migrated_database: str, tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start `jemput serve` as a subprocess with extra JEMPUT_* settings; kill it at the end."""
    started: list[Server] = []

    def start(*, workers: int, grace: int = 2, **settings: str) -> Server:
        port = _free_port()
        env = os.environ | {"JEMPUT_DATABASE_URL": migrated_database,
                            "JEMPUT_DATA_DIR": str(tmp_path / "var"),
                            "JEMPUT_ENVIRONMENT": "development"}
        env |= {f"JEMPUT_{name.upper()}": value for name, value in settings.items()}
        process = subprocess.Popen(
            [sys.executable, "-m", "jemput.cli", "serve", "--port", str(port),
             "--workers", str(workers), "--grace", str(grace)],
            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        server = Server(process, port)
        started.append(server)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert process.poll() is None, "jemput serve ended before it answered"
            try:
                if httpx.get(f"{server.base}/healthz", timeout=5).status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("jemput serve did not answer /healthz")
            time.sleep(0.1)

    yield start
    for server in started:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


@contextmanager
def audit_held(database_url: str) -> Iterator[None]:
    """Hold what writing an audit entry needs, from outside the server, until the block ends."""
    if is_sqlite(database_url):
        holder = sqlite3.connect(make_url(database_url).database or "", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # SQLite's one write lock
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    url = make_url(database_url).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False)) as holder:
        # Readers pass (ACCESS SHARE); an INSERT into the log waits.
        holder.execute(f"LOCK TABLE {AuditEntry.__tablename__} IN EXCLUSIVE MODE")
        yield
        holder.rollback()


def _resident_id() -> int:
    with unit_of_work() as session:
        return session.execute(select(Resident.id).where(Resident.name == "WARSINI")
                               ).scalar_one()


def _audit_count(action: str) -> int:
    with unit_of_work() as session:
        return session.execute(select(func.count()).select_from(AuditEntry)
                               .where(AuditEntry.action == action)).scalar_one()


def _get(base: str, cookies: httpx.Cookies, path: str) -> httpx.Response:
    with httpx.Client(base_url=base, cookies=cookies, timeout=REQUEST_TIMEOUT) as client:
        return client.get(path)


def test_dozens_of_signed_in_clients_get_no_server_error(serve, personas, tmp_path):
    import_people(tmp_path, people())
    resident = _resident_id()
    # Two workers with ONE pooled connection each: a view that needed a second one (its
    # audit entry) would wait for itself until the pool timed out. The rest queue, long
    # enough here that none is turned away: this test is about errors.
    server = serve(workers=2, db_connections="2", queue_seconds="60")
    cookies = signed_in_cookies(server.base, "operator")
    paths = ["/", "/api/dasbor", "/api/penduduk?q=WARSINI", f"/penduduk/{resident}",
             f"/api/penduduk/{resident}", "/wilayah/33.06.01.2001", "/penduduk?q=ADI"]
    clients, rounds = 36, 3

    def client_session(number: int) -> list[int]:
        with httpx.Client(base_url=server.base, cookies=cookies,
                          timeout=REQUEST_TIMEOUT) as client:
            return [client.get(paths[(number + i) % len(paths)]).status_code
                    for i in range(rounds)]

    with ThreadPoolExecutor(max_workers=clients) as pool:
        statuses = Counter(s for codes in pool.map(client_session, range(clients)) for s in codes)
    views = sum(1 for n in range(clients) for i in range(rounds)
                if "/penduduk/" in paths[(n + i) % len(paths)])

    assert statuses == Counter({200: clients * rounds}), statuses
    # Every view of a full record was logged, each on its request's own connection.
    assert _audit_count("resident.view") == views
    assert server.stop() == 0


def test_request_that_finds_no_room_gets_503_with_retry_after(serve, personas, tmp_path,
                                                              migrated_database):
    import_people(tmp_path, people())
    resident = _resident_id()
    # One worker, two connections: one request inside at a time (the other connection is
    # the job worker's), and a queue of half a second.
    server = serve(workers=1, db_connections="2", queue_seconds="0.5")
    cookies = signed_in_cookies(server.base, "operator")
    path = f"/api/penduduk/{resident}"

    with ThreadPoolExecutor(max_workers=4) as pool, audit_held(migrated_database):
        # One of these gets in and waits for the audit lock; the others find no room.
        futures: set[Future[httpx.Response]] = {
            pool.submit(_get, server.base, cookies, path) for _ in range(4)}
        done: set[Future[httpx.Response]] = set()
        while len(done) < 3:
            finished, _pending = wait(futures - done, timeout=REQUEST_TIMEOUT,
                                      return_when=FIRST_COMPLETED)
            assert finished, "no request was answered while one held the only room"
            done |= finished
        turned_away = [f.result() for f in done]
        assert all(f.done() is False for f in futures - done)
    admitted = (futures - done).pop().result()

    for response in turned_away:
        assert response.status_code == 503
        assert response.headers["retry-after"] == "2"
        assert "Coba lagi" in response.json()["detail"]
    # The one let in finished once the lock was free, and viewing the record was logged
    # on its own single connection (a second one would not have been there to take).
    assert admitted.status_code == 200
    assert _audit_count("resident.view") == 1
    # The room is free again: the slot of the request let in was handed back.
    assert _get(server.base, cookies, "/").status_code == 200
    assert server.stop() == 0


def test_sigterm_during_a_burst_exits_zero_and_frees_the_port(serve, personas, tmp_path,
                                                              migrated_database):
    import_people(tmp_path, people())
    resident = _resident_id()
    server = serve(workers=2, grace=1, db_connections="4", queue_seconds="0.5")
    cookies = signed_in_cookies(server.base, "operator")
    outcomes: list[Any] = []

    def attempt() -> None:
        try:
            outcomes.append(_get(server.base, cookies, f"/penduduk/{resident}").status_code)
        except httpx.TransportError as error:  # abandoned when the server stopped
            outcomes.append(type(error).__name__)

    with ThreadPoolExecutor(max_workers=20) as pool, audit_held(migrated_database):
        # Requests stay in flight, held by the lock, when the service manager stops us.
        futures = [pool.submit(attempt) for _ in range(20)]
        wait(futures, timeout=REQUEST_TIMEOUT, return_when=FIRST_COMPLETED)
        assert 503 in outcomes, outcomes  # the burst is in: rooms full, the rest turned away
        server.process.send_signal(15)
        exit_code = server.process.wait(timeout=EXIT_TIMEOUT)

    assert exit_code == 0
    assert _port_is_free(server.port)
