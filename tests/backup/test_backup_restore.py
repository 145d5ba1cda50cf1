"""A backup taken while the office works restores every committed record, and nothing else."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, event, select
from sqlalchemy.orm import Session

from jemput.auth.models import AuditEntry
from jemput.db import unit_of_work
from jemput.residents.importer import import_file
from jemput.residents.models import ImportRun, Resident
from tests.backup.conftest import jemput, point_at, table_names
from tests.personas import signed_in_cookies
from tests.reports.conftest import import_people, people
from tests.residents.siak_files import Person, write_siak


def _rows(url: str) -> tuple[set[str], dict[int, str], list[str]]:
    """NIKs of residents, audit hashes by id, and report paths of the database at `url`."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            niks = set(connection.execute(select(Resident.nik)).scalars())
            hashes = {entry_id: digest for entry_id, digest in connection.execute(
                select(AuditEntry.id, AuditEntry.hash))}
            reports = list(connection.execute(
                select(ImportRun.report_path).order_by(ImportRun.id)).scalars())
    finally:
        engine.dispose()
    return niks, hashes, reports


def test_a_backup_taken_during_an_import_and_page_views_restores_all_committed_records(
    tmp_path: Path, personas: object, live_server: str, recipient: str,
    fresh_database_url: str, jemput_env: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = people()
    import_people(tmp_path, base)  # committed before the backup: must all come back
    batch = [Person(f"WARGA {n}", date(1990, 1, 1), 1, 100 + n) for n in range(300)]
    export = write_siak(tmp_path / "siak-juli.csv", base + batch)

    cookies = signed_in_cookies(live_server, "operator")
    stop, views, failures = threading.Event(), [], []

    def browse() -> None:
        with httpx.Client(base_url=live_server, cookies=cookies, timeout=60) as client:
            while not stop.is_set():
                # A resident's page is logged: the audit chain grows as the backup runs.
                for page in ("/penduduk", "/penduduk/1", "/api/penduduk/2"):
                    status = client.get(page).status_code
                    (views if status == 200 else failures).append(status)

    written, backed_up, import_errors = threading.Event(), threading.Event(), []

    def hold_before_commit(_session: Session) -> None:
        # Every row of the import is written in its transaction, none committed: the
        # backup is taken now, and the import commits only once it is done.
        written.set()
        backed_up.wait(timeout=300)

    def second_import() -> None:
        try:
            with unit_of_work() as session:
                event.listen(session, "before_commit", hold_before_commit)
                import_file(session=session, path=export, data_date=date(2026, 7, 31),
                            imported_by="operator")
        except Exception as error:  # reported by the assertion below
            import_errors.append(error)
        finally:
            written.set()

    browsers = [threading.Thread(target=browse) for _ in range(2)]
    importer = threading.Thread(target=second_import)
    for thread in browsers:
        thread.start()
    try:
        while len(views) < 6 and not failures:  # some logged views are committed first
            time.sleep(0.05)
        importer.start()
        assert written.wait(timeout=300)
        _niks, before_backup, _reports = _rows(jemput_env)
        backup = jemput("backup", "--ke", tmp_path / "cadangan")
    finally:
        backed_up.set()
        if importer.is_alive():
            importer.join()
        stop.set()
        for thread in browsers:
            thread.join()
    assert backup.exit_code == 0, backup.output
    assert not import_errors
    assert views and not failures
    source_niks, source_hashes, source_reports = _rows(jemput_env)
    (backup_file,) = (tmp_path / "cadangan").glob("jemput-cadangan-*.age")
    assert backup_file.stat().st_mode & 0o777 == 0o600

    restored_dir = tmp_path / "dipulihkan"
    point_at(monkeypatch, database_url=fresh_database_url, data_dir=restored_dir)
    restore = jemput("restore", backup_file, "--identitas", tmp_path / "kunci.txt")
    assert restore.exit_code == 0, restore.output

    niks, hashes, reports = _rows(fresh_database_url)
    assert {p.nik for p in base} <= niks <= source_niks
    batch_niks = {p.nik for p in batch}
    # The import had written all its rows but not committed them: none is in the backup,
    # though all are in the source now.
    assert batch_niks <= source_niks
    assert not niks & batch_niks
    assert len(reports) == 1 and len(source_reports) == 2
    # Every audit entry committed before the backup began is there, unchanged, and
    # nothing that the source does not hold.
    assert len(before_backup) > 2 and set(before_backup) <= set(hashes)
    assert all(source_hashes[entry] == digest for entry, digest in hashes.items())
    # The first import's report is back in the new data folder, byte for byte.
    source_report = Path(source_reports[0])
    relative = source_report.relative_to(tmp_path / "var")
    assert (restored_dir / relative).read_bytes() == source_report.read_bytes()
    assert table_names(fresh_database_url)
