"""Benchmark the registry: import a SIAK export and compute KTP-el coverage.

What is measured, per demo file (the full-scale regency, ≈770k rows, and with
`--million` a ≈1M-row file):

* baselines: DuckDB's `read_csv` counting the rows (the floor for "just parsing it"),
  a plain `csv.reader` loop (the floor for a pure-Python reader) and Jemput's own
  `RowReader` over every row without a database (parsing and validation alone);
* the import into a fresh SQLite database and a fresh PostgreSQL database: the first
  import (every row new) and a second import of the same file (nothing changes), each
  timed from the start of `import_file` to the end of the commit, with the time split
  into phases and the peak resident memory of the importing process;
* coverage for the whole regency (33.06) and one kecamatan (33.06.01): median of 7 runs
  after one warm-up, beside a plain `SELECT count(*) FROM residents` on the same
  connection (the floor for "touch every row").

The machine this runs on is shared and noisy, so every figure is reported beside a
baseline measured in the same run, and the ratio is the result: a ratio survives a
busy machine, an absolute time does not. Each engine runs in a fresh process (so the
peak memory is the import's own), one after the other, never in parallel.

    .venv/bin/python benchmarks/registry.py [--scale 1.0] [--million]
        [--postgres-url URL] [--out benchmarks/results/registry.json] [--commit REV]

benchmarks/README.md explains every figure and holds the latest results.
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import importlib
import importlib.util
import json
import multiprocessing
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar

import duckdb
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

import jemput
from jemput import db, migrate
from jemput.auth.models import User
from jemput.config import get_settings
from jemput.demo.generator import FULL_POPULATION, SIAK_FILE, generate
from jemput.intake.sources import open_source
from jemput.regions import service as regions
from jemput.regions.models import Region
from jemput.reports import exports, lists
from jemput.reports import service as report_service
from jemput.reports.coverage import compute_coverage
from jemput.reports.coverage_counts import fresh_counts, registry_date
from jemput.residents import importer, merge
from jemput.residents.importer import import_file
from jemput.residents.layouts import ImportContext, RowReader
from jemput.spreadsheets import xlsx_bytes

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "data"
DEFAULT_OUT = BENCH_DIR / "results" / "registry.json"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
SEED = 1
REFERENCE_DATE = date(2026, 6, 30)
MILLION = 1_000_000
MILLION_SCALE = round(MILLION / FULL_POPULATION, 2)  # 1.3 -> 1,001,000 rows
REGENCY = "33.06"
KECAMATAN = "33.06.01"
COVERAGE_RUNS = 7
BASELINE_RUNS = 3
ENGINE_TIMEOUT = 900.0  # one engine on one file: setup, two imports, coverage
AIM_IMPORT_SECONDS = 60.0  # a 1M-row import on SQLite
AIM_COVERAGE_SECONDS = 1.0  # regency coverage
MIB = 1024 * 1024
SNAPSHOT_ENV = "JEMPUT_BENCH_COMMIT"  # set when measuring a commit's code (--commit)

# Wide enough for the tables when the output goes to a file or a pipe.
console = Console(width=None if sys.stdout.isatty() else 160)
T = TypeVar("T")


# ---------------------------------------------------------------------------------------
# Small helpers


def _seconds(fn: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def _median_of(fn: Callable[[], Any], runs: int, warmup: int = 1) -> dict[str, Any]:
    for _ in range(warmup):
        fn()
    times = [_seconds(fn)[0] for _ in range(runs)]
    return {"median_seconds": statistics.median(times), "min_seconds": min(times),
            "runs_seconds": times}


def _ratio(value: float, baseline: float | None) -> float | None:
    return round(value / baseline, 2) if baseline else None


def _ru_maxrss_mib() -> float:
    """getrusage's peak RSS of this process; KiB on Linux, bytes on macOS.

    On Linux a spawned child inherits, through fork-then-exec, the parent's peak at the
    fork, so this over-reports for a child of a large parent; see `_memory`.
    """
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (MIB if sys.platform == "darwin" else 1024), 1)


def _proc_status_mib(key: str) -> float | None:
    # VmRSS (now) and VmHWM (peak) of this process image, from /proc (Linux only).
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith(key + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def _reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+), so the next peak is one phase's own."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


@contextmanager
def _memory(out: dict[str, Any]) -> Iterator[None]:
    """Record RSS before a phase and its peak during it into `out`."""
    out["rss_before_mib"] = _proc_status_mib("VmRSS")
    out["peak_reset"] = _reset_peak_rss()
    yield
    out["peak_rss_mib"] = _proc_status_mib("VmHWM") or _ru_maxrss_mib()
    out["ru_maxrss_mib"] = _ru_maxrss_mib()


def _git(*args: str) -> str | None:
    # GIT_OPTIONAL_LOCKS=0: read-only, never refreshes the index others are using.
    try:
        out = subprocess.run(
            ["git", *args], cwd=REPO_DIR, capture_output=True, text=True, check=True,
            timeout=10, env=os.environ | {"GIT_OPTIONAL_LOCKS": "0"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def source_state() -> dict[str, Any]:
    """The code being measured: the jemput package imported, its commit, a hash of it.

    Others edit the tree while this runs; each engine's process records the hash of
    the source it imported, so a result can be matched to the code it measured. With
    --commit the package comes from a `git archive` of that commit instead.
    """
    package = Path(jemput.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    state: dict[str, Any] = {"git_commit": _git("rev-parse", "--short", "HEAD"),
                             "jemput_path": str(package),
                             "src_sha256": digest.hexdigest()[:16]}
    if os.environ.get(SNAPSHOT_ENV):
        state["measured_commit"] = os.environ[SNAPSHOT_ENV]
    else:
        changes = _git("status", "--porcelain", "--", "src")
        state["src_uncommitted"] = changes.splitlines() if changes else []
    return state


def run_at_commit(revision: str, argv: list[str]) -> None:
    """Re-run this script on the code of `revision`, not on the working tree.

    `git archive` writes that commit's src/ under benchmarks/data/ (read-only for the
    repository: no checkout, no worktree, no index change), and the script starts again
    with it first on PYTHONPATH; the spawned engine processes inherit it.
    """
    commit = _git("rev-parse", "--short", f"{revision}^{{commit}}")
    if not commit:
        raise SystemExit(f"--commit: no commit {revision!r}")
    target = DATA_DIR / f"src-{commit}"
    if not (target / "src" / "jemput" / "__init__.py").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit, "src"], cwd=REPO_DIR,
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    env = os.environ | {SNAPSHOT_ENV: commit,
                        "PYTHONPATH": os.pathsep.join(filter(None, [
                            str(target / "src"), os.environ.get("PYTHONPATH")]))}
    console.print(f"[dim]measuring commit {commit} from {target}[/dim]")
    script = str(Path(__file__).resolve())
    os.execve(sys.executable, [sys.executable, script, *argv], env)  # noqa: S606 - no shell


def use_database(url: str, data_dir: Path) -> None:
    os.environ["JEMPUT_DATABASE_URL"] = url
    os.environ["JEMPUT_DATA_DIR"] = str(data_dir)
    get_settings.cache_clear()


# ---------------------------------------------------------------------------------------
# The demo files


@dataclass(frozen=True)
class DemoFile:
    label: str
    scale: float
    path: Path
    generated_seconds: float | None  # None: reused from an earlier run


def ensure_demo_file(*, label: str, scale: float, data_dir: Path = DATA_DIR) -> DemoFile:
    """Generate the demo regency at `scale` unless the same file is already there.

    The generator is deterministic (seed, scale, reference date), so a file written by
    an earlier run with the same arguments is byte-identical and is reused.
    """
    folder = data_dir / f"scale-{scale:g}"
    path = folder / SIAK_FILE
    summary = folder / "demo.json"
    wanted = {"seed": SEED, "scale": scale, "reference_date": REFERENCE_DATE.isoformat()}
    if path.exists() and summary.exists():
        known = json.loads(summary.read_text(encoding="utf-8"))
        if all(known.get(key) == value for key, value in wanted.items()):
            return DemoFile(label, scale, path, None)
    console.print(f"[dim]generating the demo regency at scale {scale:g} in {folder}[/dim]")
    seconds, _ = _seconds(lambda: generate(
        output=folder, seed=SEED, scale=scale, reference_date=REFERENCE_DATE
    ))
    return DemoFile(label, scale, path, round(seconds, 2))


# ---------------------------------------------------------------------------------------
# Baselines: reading the same file without a database


def duckdb_count(path: Path) -> int:
    """The floor for parsing: DuckDB's multi-threaded C++ CSV reader, every cell as text."""
    quoted = str(path).replace("'", "''")
    relation = duckdb.sql(f"SELECT count(*) FROM read_csv('{quoted}', all_varchar=true)")
    assert relation is not None
    return int(relation.fetchall()[0][0])


def csv_reader_count(path: Path) -> int:
    """The floor for a pure-Python reader: csv.reader over the file, counting data rows."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)  # header
        count = 0
        for _row in reader:
            count += 1
    return count


def row_reader_count(path: Path, context: ImportContext) -> int:
    """Jemput's own reading and validation (open_source + RowReader.read), no database."""
    # The importer's own call: the layout detected from the header, OpenSID's footer.
    source = open_source(path, detect=importer.detect_layout, ends_data=importer._opensid_end)
    try:
        reader = RowReader(layout=source.layout, header=source.header, context=context)
        count = 0
        for _line, row in source.rows:
            reader.read(row)
            count += 1
    finally:
        source.close()
    return count


def import_context(work_dir: Path) -> ImportContext:
    """Build the ImportContext the importer builds, from a throwaway SQLite database."""
    url = f"sqlite:///{work_dir / 'regions.sqlite'}"
    use_database(url, work_dir)
    migrate.upgrade(url)
    with db.unit_of_work(url) as session:
        regions.load_packaged_regions(session=session)
        context = ImportContext(
            today=datetime.now(UTC).date(),
            village_codes=regions.village_codes(session=session),
            villages_by_name=regions.villages_by_name(session=session, regency_code=REGENCY),
        )
    db.dispose_engines()
    return context


def measure_baselines(path: Path, context: ImportContext) -> dict[str, Any]:
    # csv.reader first: it also brings the file into the page cache for every reader.
    results: dict[str, Any] = {}
    for name, count in (
        ("csv_reader", lambda: csv_reader_count(path)),
        ("duckdb_read_csv", lambda: duckdb_count(path)),
    ):
        times, rows = [], 0
        for _ in range(BASELINE_RUNS):
            seconds, rows = _seconds(count)
            times.append(seconds)
        median = statistics.median(times)
        results[name] = {"seconds": median, "runs_seconds": times, "rows": rows,
                         "rows_per_second": round(rows / median)}
        console.print(f"  {name:<16} {median:8.2f} s  {rows:,} rows")
    seconds, rows = _seconds(lambda: row_reader_count(path, context))
    results["row_reader"] = {"seconds": seconds, "runs_seconds": [seconds], "rows": rows,
                             "rows_per_second": round(rows / seconds)}
    console.print(f"  {'row_reader':<16} {seconds:8.2f} s  {rows:,} rows")
    threads = duckdb.sql("SELECT current_setting('threads')")
    assert threads is not None
    results["duckdb_read_csv"]["threads"] = int(threads.fetchall()[0][0])
    return results


# ---------------------------------------------------------------------------------------
# One engine, in a fresh process: set up, import twice, compute coverage


# importer attribute -> phase name, for steps only some versions of the importer have.
# The snapshot was record_snapshot inside the importer; since 0007 the import announces
# itself (residents/events.py) and reports record it.
OPTIONAL_PHASES = {"record_snapshot": "snapshot", "announce_import_applied": "snapshot",
                   "rebuild_name_keys": "name_keys"}
# Every phase a results table may show, in the order the import runs them.
PHASES = ("sha256", "read_validate", "staging_insert", "duplicates", "staging_copy", "merge",
          "disappeared_report", *dict.fromkeys(OPTIONAL_PHASES.values()), "other", "commit")


class _Phases:
    """Times the importer's phases by wrapping its module-level functions at run time.

    Nothing in src/ changes: the wrappers sit around `importer._sha256`,
    `importer._stage_rows`, the staging inserter, `merge.set_aside_duplicates`,
    `merge.apply`, `importer._write_disappeared` and OPTIONAL_PHASES; a few dozen
    calls per import, so their own cost is negligible. `other` is what none of them
    covers (the import record, the staging table's CREATE and DROP, a count).
    """

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}
        self.optional: list[str] = []  # the OPTIONAL_PHASES this importer has

    def reset(self) -> None:
        self.totals = {}

    def wrap(self, name: str, fn: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> T:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.totals[name] = self.totals.get(name, 0.0) + time.perf_counter() - started

        return timed

    def _wrap_attribute(self, module: Any, attribute: str, phase: str) -> None:
        # The importer has been reorganised since this script was written (the reading
        # moved to jemput.intake); a step that is no longer where it was is not timed.
        if hasattr(module, attribute):
            setattr(module, attribute, self.wrap(phase, getattr(module, attribute)))

    def install(self) -> None:
        self._wrap_attribute(importer, "file_sha256", "sha256")
        self._wrap_attribute(importer, "_sha256", "sha256")
        self._wrap_attribute(importer, "_write_disappeared", "disappeared_report")
        self._wrap_attribute(merge, "set_aside_duplicates", "duplicates")
        self._wrap_attribute(merge, "apply", "merge")
        # Steps added to the import later; wrapped when this version of the importer has them.
        for attribute, phase in OPTIONAL_PHASES.items():
            if hasattr(importer, attribute):
                setattr(importer, attribute, self.wrap(phase, getattr(importer, attribute)))
                self.optional.append(phase)
        self._install_staging()

    def _install_staging(self) -> None:
        # The staging insert: handed to _stage_rows as `insert` (since bce6175), or made
        # by merge.staging_inserter inside it (before).
        stage_rows = getattr(importer, "_stage_rows", None)
        if stage_rows is None:
            return

        def stage_rows_timed(*args: Any, **kwargs: Any) -> Any:
            if "insert" in kwargs:
                kwargs["insert"] = self.wrap("staging_insert", kwargs["insert"])
            return stage_rows(*args, **kwargs)

        importer._stage_rows = self.wrap("stage_rows", stage_rows_timed)
        # Column-wise reading (residents/columnar.py): its frames are staged by
        # StagingArea.insert_frame, wrapped below.
        if hasattr(importer, "_stage_columns"):
            importer._stage_columns = self.wrap("stage_rows", importer._stage_columns)
        make_inserter = getattr(merge, "staging_inserter", None)
        if make_inserter is not None:

            def staging_inserter(**kwargs: Any) -> Callable[[list[tuple[Any, ...]]], None]:
                return self.wrap("staging_insert", make_inserter(**kwargs))

            merge.staging_inserter = staging_inserter  # type: ignore[attr-defined]
        # SQLite since bce6175: rows are staged in a scratch file and copied next to the
        # registry for the merge (staging.py); that copy is its own phase.
        try:
            staging = importlib.import_module("jemput.intake.staging")
        except ImportError:
            return
        for cls in vars(staging).values():
            if isinstance(cls, type) and "for_merge" in vars(cls):
                setattr(cls, "for_merge", self.wrap("staging_copy", vars(cls)["for_merge"]))  # noqa: B010
            if isinstance(cls, type) and "insert_frame" in vars(cls):
                setattr(cls, "insert_frame",  # noqa: B010
                        self.wrap("staging_insert", vars(cls)["insert_frame"]))
        self.optional.append("staging_copy")

    def split(self, *, import_seconds: float, commit_seconds: float) -> dict[str, float]:
        """Name where the time went; `read_validate` is Python reading and checking rows."""
        t = self.totals
        phases = {
            "sha256": t.get("sha256", 0.0),
            "read_validate": t.get("stage_rows", 0.0) - t.get("staging_insert", 0.0),
            "staging_insert": t.get("staging_insert", 0.0),
            "duplicates": t.get("duplicates", 0.0),
            "merge": t.get("merge", 0.0),
            "disappeared_report": t.get("disappeared_report", 0.0),
            **{phase: t.get(phase, 0.0) for phase in self.optional},
        }
        phases["other"] = import_seconds - sum(phases.values())
        phases["commit"] = commit_seconds
        return {key: round(value, 3) for key, value in phases.items()}


class _Statements:
    """Times every SQL statement the engine runs (SQLAlchemy cursor events).

    The SQLite staging inserts go straight to the driver and are not seen here; they are
    the `staging_insert` phase.
    """

    def __init__(self, engine: Engine) -> None:
        self.records: list[tuple[float, str]] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, connection: Any, *_args: Any) -> None:
        connection.info.setdefault("bench_started", []).append(time.perf_counter())

    def _after(self, connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        started = connection.info["bench_started"].pop()
        self.records.append((time.perf_counter() - started, statement))

    def reset(self) -> None:
        self.records = []

    def slowest(self, count: int = 6, at_least: float = 0.05) -> list[dict[str, Any]]:
        ranked = sorted(self.records, key=lambda record: record[0], reverse=True)
        return [
            {"seconds": round(seconds, 3), "sql": " ".join(statement.split())[:240]}
            for seconds, statement in ranked[:count] if seconds >= at_least
        ]


def _timed_import(
    url: str, path: Path, work_dir: Path, phases: _Phases, statements: _Statements
) -> dict[str, Any]:
    phases.reset()
    statements.reset()
    memory: dict[str, Any] = {}
    with _memory(memory):
        started = time.perf_counter()
        with db.unit_of_work(url) as session:
            result = import_file(session=session, path=path, data_date=REFERENCE_DATE,
                                 report_dir=work_dir / "reports")
            imported = time.perf_counter()
        finished = time.perf_counter()
    if result.outcome != "applied":
        raise RuntimeError(f"{path.name}: import {result.outcome}, not applied; "
                           f"see {result.report_path}")
    seconds = finished - started
    return {
        "seconds": seconds,
        "rows_per_second": round(result.rows_read / seconds),
        "phases": phases.split(import_seconds=imported - started,
                               commit_seconds=finished - imported),
        "memory": memory,
        "slowest_statements": statements.slowest(),
        "result": {key: getattr(result, key) for key in (
            "rows_read", "rows_rejected", "rows_warned", "inserted", "updated", "unchanged",
            "status_changes", "disappeared",
        )},
    }


def _coverage(url: str, runs: int) -> dict[str, Any]:
    count_sql = text("SELECT count(*) FROM residents")
    # The coverage query's shape without its thirteen CASE sums: one row per desa.
    group_sql = text("SELECT desa_code, count(*) FROM residents GROUP BY desa_code")
    with db.unit_of_work(url) as session:
        # First, before anything warms a cache of ours: the first view after the import
        # (the kept per-desa counts were written in the import's transaction).
        first_seconds, _ = _seconds(
            lambda: compute_coverage(session=session, region_code=REGENCY))
        floor = _median_of(lambda: session.execute(count_sql).scalar_one(), runs)
        grouped = _median_of(lambda: session.execute(group_sql).all(), runs)
        results: dict[str, Any] = {"count_star": floor, "group_by_desa": grouped}
        on = registry_date(session=session)
        # What every view paid before the counts were kept: every figure counted afresh.
        fresh = _median_of(
            lambda: fresh_counts(session=session, on=on, prefix=REGENCY), runs)
        results["fresh_count_regency"] = fresh | {
            "ratio_to_group_by_desa": _ratio(fresh["median_seconds"],
                                             grouped["median_seconds"])}
        results["first_view_after_import"] = {
            "seconds": round(first_seconds, 4),
            "ratio_to_group_by_desa": _ratio(first_seconds, grouped["median_seconds"]),
        }
        for level, code in (("regency", REGENCY), ("kecamatan", KECAMATAN)):
            timing = _median_of(
                functools.partial(compute_coverage, session=session, region_code=code), runs
            )
            area = compute_coverage(session=session, region_code=code)
            coverage = area.figures()["coverage"]
            results[level] = timing | {
                "region_code": code,
                "population": area.counts["population"],
                "coverage_percent": coverage.percent,
                "ratio_to_count_star": _ratio(timing["median_seconds"],
                                              floor["median_seconds"]),
                "ratio_to_group_by_desa": _ratio(timing["median_seconds"],
                                                 grouped["median_seconds"]),
            }
        results["export"] = _export(session=session, runs=max(1, runs // 2))
    return results


def _export(*, session: Any, runs: int) -> dict[str, Any]:
    """Time the regency-wide belum-rekam XLSX export beside its own parts."""
    operator = User(username="bench", full_name="Bench", role="operator",
                    scope_region=REGENCY, password_hash="-",  # noqa: S106 - never signs in
                    is_active=True)
    session.add(operator)  # the export's audit entry names its actor; rolled back below
    session.flush()
    query = lists.ListQuery(name="belum-rekam")
    desa_codes = list(report_service.desa_under(
        session=session, region=session.get(Region, REGENCY)))
    on = report_service.data_date(session=session)
    rows = lists.fetch_rows(session=session, user=operator, query=query,
                            desa_codes=desa_codes, on=on, limit=None)
    plain = [[n, r.nik, r.name, r.sex, r.birth_date, r.desa_code, r.dusun, r.rt, r.rw,
              r.ktp_status, r.reason, "", ""] for n, r in enumerate(rows, start=1)]
    whole = _median_of(lambda: exports.export_list(
        session=session, user=operator, code=REGENCY, query=query), runs)
    query_only = _median_of(lambda: lists.fetch_rows(
        session=session, user=operator, query=query, desa_codes=desa_codes, on=on,
        limit=None), runs)
    # The floor of the file itself: the same number of rows and cells, written by
    # openpyxl's write-only workbook through safe_cell, with no query and no formatting.
    xlsx_only = _median_of(lambda: xlsx_bytes([("x", plain)]), runs)
    session.rollback()  # the export's audit entries are not the benchmark's business
    return {"rows": len(rows), "export_list": whole, "query_only": query_only,
            "xlsx_bytes_only": xlsx_only,
            "ratio_to_xlsx_bytes_only": _ratio(whole["median_seconds"],
                                               xlsx_only["median_seconds"])}


def run_engine(
    job: dict[str, Any], report: Callable[[dict[str, Any]], None] | None = None
) -> dict[str, Any]:
    """Set up a fresh database at job['url'], import job['path'] twice, time coverage.

    Runs in its own process (see `_in_fresh_process`), and each import's peak memory is
    measured from a reset high-water mark, so it is that import's own. `report` gets
    the results so far after every step, so a step that never ends loses only itself.
    """
    url: str = job["url"]
    path = Path(job["path"])
    work_dir = Path(job["work_dir"])
    use_database(url, work_dir)
    # The importer's own temporary files (SQLite's scratch staging) go under work_dir,
    # which the parent removes even if it has to stop this process.
    tempfile.tempdir = str(work_dir / "tmp")
    Path(tempfile.tempdir).mkdir(exist_ok=True)
    phases = _Phases()
    phases.install()
    # Subscribers follow the import only once connected, as every entry point does.
    if importlib.util.find_spec("jemput.domains"):
        importlib.import_module("jemput.domains").connect()

    setup_seconds, _ = _seconds(lambda: _set_up(url))
    engine = db.get_engine(url)
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            version = connection.execute(text("SHOW server_version")).scalar_one()
        else:
            version = connection.execute(text("SELECT sqlite_version()")).scalar_one()
    out: dict[str, Any] = {"engine": engine.dialect.name, "version": version,
                           "setup_seconds": round(setup_seconds, 2),
                           "source": source_state()}
    statements = _Statements(engine)
    name = out["engine"]
    steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
        ("import", lambda: _timed_import(url, path, work_dir, phases, statements)),
        ("reimport", lambda: _timed_import(url, path, work_dir, phases, statements)),
        ("coverage", lambda: _coverage(url, job["coverage_runs"])),
    ]
    for step, run in steps:
        if report is not None:
            report(out)
        print(f"    {name}: {step} ...", flush=True)
        out[step] = run()
        if "seconds" in out[step]:
            print(f"    {name}: {step} {out[step]['seconds']:.1f} s", flush=True)
    db.dispose_engines()
    return out


def _engine_child(job: dict[str, Any], pipe: Connection) -> None:
    try:
        result = run_engine(job, report=lambda partial: pipe.send(("partial", partial)))
        pipe.send(("done", result))
    except BaseException:
        pipe.send(("error", traceback.format_exc()))
        raise
    finally:
        pipe.close()


def _set_up(url: str) -> None:
    migrate.upgrade(url)
    with db.unit_of_work(url) as session:
        regions.load_packaged_regions(session=session)


def _in_fresh_process(job: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run `run_engine` in a new process; stop it if it has not finished in `timeout` s.

    spawn, not fork: the child starts clean, without this process's memory or engines.
    A stopped engine keeps the steps it finished and says which one it was in.
    """
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_engine_child, args=(job, sender))
    process.start()
    sender.close()
    deadline = time.monotonic() + timeout
    result: dict[str, Any] = {}
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not receiver.poll(remaining):
                step = next((s for s in ("import", "reimport", "coverage") if s not in result),
                            "setup")
                console.print(f"[bold red]    stopped after {timeout:.0f} s in {step}[/bold red]")
                return result | {"error": f"{step} did not finish in {timeout:.0f} s "
                                          f"(--engine-timeout); the worker was stopped"}
            try:
                status, payload = receiver.recv()
            except EOFError:
                return result | {"error": f"the worker died (exit code {process.exitcode})"}
            if status == "error":
                raise RuntimeError(f"engine run failed:\n{payload}")
            result = payload
            if status == "done":
                return result
    finally:
        if process.is_alive():
            process.terminate()  # SIGTERM; SIGKILL if a long SQL statement ignores it
            process.join(10)
            if process.is_alive():
                process.kill()
        process.join()
        receiver.close()


@contextmanager
def postgres_database(admin_url: str) -> Iterator[tuple[str, str]]:
    """Create a fresh database for one run; drop it afterwards, whatever happens."""
    name = f"jemput_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False), name
    finally:
        db.dispose_engines()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def postgres_reachable(admin_url: str) -> tuple[bool, str]:
    engine: Engine = create_engine(admin_url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar_one()
        return True, str(version)
    except Exception as error:  # any failure to connect means "skip" (or fail if asked for)
        return False, str(error).splitlines()[0]
    finally:
        engine.dispose()


def _postgres_settings(admin_url: str) -> dict[str, str]:
    names = ("shared_buffers", "work_mem", "maintenance_work_mem", "synchronous_commit",
             "fsync", "max_wal_size", "jit")
    engine = create_engine(admin_url)
    try:
        with engine.connect() as connection:
            return {n: str(connection.execute(text(f"SHOW {n}")).scalar_one()) for n in names}
    finally:
        engine.dispose()


# ---------------------------------------------------------------------------------------
# The run


def _with_ratios(engine: dict[str, Any], baselines: dict[str, Any]) -> dict[str, Any]:
    for key in ("import", "reimport"):
        if key not in engine:
            continue
        seconds = engine[key]["seconds"]
        engine[key]["ratio_to"] = {
            name: _ratio(seconds, baselines[name]["seconds"])
            for name in ("duckdb_read_csv", "csv_reader", "row_reader")
        }
    return engine


def bench_file(
    demo: DemoFile, *, context: ImportContext, work_root: Path, postgres_url: str | None,
    coverage_runs: int, engine_timeout: float,
) -> dict[str, Any]:
    size = demo.path.stat().st_size
    console.rule(f"{demo.label}: {demo.path.relative_to(REPO_DIR)} ({size / MIB:,.0f} MiB)")
    baselines = measure_baselines(demo.path, context)
    rows = baselines["csv_reader"]["rows"]
    if baselines["duckdb_read_csv"]["rows"] != rows:
        raise RuntimeError(f"DuckDB counts {baselines['duckdb_read_csv']['rows']} rows, "
                           f"csv.reader {rows}")
    out: dict[str, Any] = {
        "label": demo.label, "scale": demo.scale, "path": str(demo.path.relative_to(REPO_DIR)),
        "rows": rows, "bytes": size, "mib": round(size / MIB, 1),
        "generated_seconds": demo.generated_seconds, "baselines": baselines, "engines": {},
    }
    work_dir = Path(tempfile.mkdtemp(prefix=f"sqlite-{demo.label}-", dir=work_root))
    job = {"url": f"sqlite:///{work_dir / 'jemput.sqlite'}", "path": str(demo.path),
           "work_dir": str(work_dir), "coverage_runs": coverage_runs}
    out["engines"]["sqlite"] = _with_ratios(_in_fresh_process(job, engine_timeout), baselines)
    if postgres_url is None:
        out["engines"]["postgresql"] = {"skipped": "PostgreSQL not reachable"}
        return out
    work_dir = Path(tempfile.mkdtemp(prefix=f"postgresql-{demo.label}-", dir=work_root))
    with postgres_database(postgres_url) as (url, name):
        job = {"url": url, "path": str(demo.path), "work_dir": str(work_dir),
               "coverage_runs": coverage_runs}
        result = _in_fresh_process(job, engine_timeout)
        result["database"] = name
    out["engines"]["postgresql"] = _with_ratios(result, baselines)
    return out


def machine_info(postgres_url: str | None) -> dict[str, Any]:
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "duckdb": duckdb.__version__,
    }
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        first = meminfo.read_text().splitlines()[0].split()
        info["memory_total_mib"] = round(int(first[1]) / 1024)
    if postgres_url is not None:
        info["postgresql"] = postgres_reachable(postgres_url)[1]
        info["postgresql_settings"] = _postgres_settings(postgres_url)
    return info


def aims(files: list[dict[str, Any]]) -> dict[str, Any]:
    """The issue's aims: the import on the largest file, coverage on each file."""
    largest = max(files, key=lambda f: f["rows"])
    sqlite_run = largest["engines"]["sqlite"]
    if "import" not in sqlite_run:
        return {"file": largest["label"], "sqlite_import_1m_rows": {
                    "aim_seconds": AIM_IMPORT_SECONDS, "rows": largest["rows"], "met": False,
                    "error": sqlite_run.get("error", "no import")},
                "regency_coverage": []}
    import_seconds = sqlite_run["import"]["seconds"]
    has_million = largest["rows"] >= MILLION * 0.97
    # Scaled to exactly one million rows, for a file that is 1M ± a few per cent.
    million_seconds = import_seconds * MILLION / largest["rows"]
    result: dict[str, Any] = {
        "file": largest["label"],
        "sqlite_import_1m_rows": {
            "aim_seconds": AIM_IMPORT_SECONDS, "rows": largest["rows"],
            "seconds": round(import_seconds, 2),
            "seconds_per_million_rows": round(million_seconds, 2),
            # None: not measured, the run had no 1M-row file (--million).
            "met": million_seconds < AIM_IMPORT_SECONDS if has_million else None,
        },
        "regency_coverage": [],
    }
    # Coverage on every file: the real regency (scale 1) and the 1M-row one.
    for f in files:
        for engine_name, engine in f["engines"].items():
            if "coverage" in engine:
                seconds = engine["coverage"]["regency"]["median_seconds"]
                result["regency_coverage"].append({
                    "file": f["label"], "rows": f["rows"], "engine": engine_name,
                    "aim_seconds": AIM_COVERAGE_SECONDS, "median_seconds": round(seconds, 4),
                    "met": seconds < AIM_COVERAGE_SECONDS,
                })
    return result


# ---------------------------------------------------------------------------------------
# Output: Rich tables on the terminal, Markdown for benchmarks/README.md


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def _verdict(met: bool | None) -> str:
    return {True: "met", False: "NOT met", None: "not measured (run with --million)"}[met]


def result_tables(results: dict[str, Any]) -> list[tuple[str, list[str], list[list[str]]]]:
    """The result tables as (title, header, rows), for Rich and for Markdown alike."""
    baselines: list[list[str]] = []
    imports: list[list[str]] = []
    coverage: list[list[str]] = []
    phases: list[list[str]] = []
    # Optional phases only where some run had them (older importers lack them).
    names = [n for n in PHASES if any(
        n in e[run]["phases"] for f in results["files"] for e in f["engines"].values()
        for run in ("import", "reimport") if run in e
    )]
    for f in results["files"]:
        b = f["baselines"]
        baselines.append([
            f["label"], f"{f['rows']:,}", _fmt(f["mib"], 0),
            _fmt(b["duckdb_read_csv"]["seconds"]), _fmt(b["csv_reader"]["seconds"]),
            _fmt(b["row_reader"]["seconds"]),
        ])
        for name, e in f["engines"].items():
            if "skipped" in e:
                imports.append([f["label"], name, e["skipped"], *[""] * 7])
                continue
            for run in ("import", "reimport"):
                if run in e:
                    p = e[run]["phases"]
                    phases.append([f["label"], name, run,
                                   *[_fmt(p.get(n), 1) for n in names]])
            if "reimport" in e:
                i, r = e["import"], e["reimport"]
                imports.append([
                    f["label"], name, _fmt(i["seconds"], 1), f"{i['rows_per_second']:,}",
                    _fmt(i["ratio_to"]["duckdb_read_csv"], 0),
                    _fmt(i["ratio_to"]["csv_reader"], 0), _fmt(i["ratio_to"]["row_reader"]),
                    _fmt(r["seconds"], 1), _fmt(r["ratio_to"]["row_reader"]),
                    f"{i['memory']['rss_before_mib']:,.0f} → "
                    f"{i['memory']['peak_rss_mib']:,.0f}",
                ])
            else:
                imports.append([f["label"], name, e.get("error", "?"), *[""] * 7])
            if "coverage" not in e:
                coverage.append([f["label"], name, e.get("error", "?"), *[""] * 7])
                continue
            c = e["coverage"]
            coverage.append([
                f["label"], name, _ms(c["count_star"]["median_seconds"]),
                _ms(c["group_by_desa"]["median_seconds"]),
                _ms(c["regency"]["median_seconds"]), _fmt(c["regency"]["ratio_to_count_star"], 0),
                _fmt(c["regency"]["ratio_to_group_by_desa"], 1),
                _ms(c["kecamatan"]["median_seconds"]),
                _fmt(c["kecamatan"]["ratio_to_count_star"], 0),
                _fmt(c["kecamatan"]["ratio_to_group_by_desa"], 1),
            ])
    return [
        ("Baselines: reading the file without a database (s)",
         ["file", "rows", "MiB", "DuckDB read_csv", "csv.reader", "RowReader"], baselines),
        ("Import: seconds, and × the same run's baseline",
         ["file", "engine", "import s", "rows/s", "× DuckDB", "× csv.reader", "× RowReader",
          "re-import s", "re-import × RowReader", "import RSS MiB before → peak"], imports),
        ("Coverage: median ms, and × the same connection's floor",
         ["file", "engine", "count(*) ms", "GROUP BY desa ms", "regency ms", "× count(*)",
          "× GROUP BY", "kecamatan ms", "× count(*)", "× GROUP BY"], coverage),
        ("Where the import's time goes (s)", ["file", "engine", "run", *names], phases),
    ]


def aim_lines(results: dict[str, Any]) -> list[str]:
    a = results["aims"]
    i = a["sqlite_import_1m_rows"]
    if "error" in i:
        lines = [f"1M-row import on SQLite < {i['aim_seconds']:.0f} s: NOT met ({i['error']})"]
    else:
        lines = [f"1M-row import on SQLite < {i['aim_seconds']:.0f} s: "
                 f"{i['seconds']:.1f} s for {i['rows']:,} rows = "
                 f"{i['seconds_per_million_rows']:.1f} s per 1M rows — {_verdict(i['met'])}"]
    for c in a["regency_coverage"]:
        lines.append(f"Regency coverage < {c['aim_seconds']:.0f} s, {c['engine']}, "
                     f"{c['rows']:,} rows: {c['median_seconds'] * 1000:,.0f} ms — "
                     f"{_verdict(c['met'])}")
    return lines


def print_tables(results: dict[str, Any]) -> None:
    for title, header, rows in result_tables(results):
        table = Table(title=title, title_justify="left")
        for column in header:
            table.add_column(column, justify="right")
        for row in rows:
            table.add_row(*row)
        console.print(table)
    for line in aim_lines(results):
        console.print(f"Aim: {line}")


def markdown(results: dict[str, Any]) -> str:
    """The same tables as Markdown, to paste into benchmarks/README.md."""
    parts = []
    for title, header, rows in result_tables(results):
        parts.append(f"**{title}**\n")
        parts.append("| " + " | ".join(header) + " |")
        parts.append("|" + "|".join(["---"] * 2 + ["---:"] * (len(header) - 2)) + "|")
        parts.extend("| " + " | ".join(row) + " |" for row in rows)
        parts.append("")
    parts.extend(f"- {line}" for line in aim_lines(results))
    return "\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="demo regency scale of the first file (1.0 = ±770,000 rows)")
    parser.add_argument("--million", action="store_true",
                        help=f"also run a ≈1M-row file (scale {MILLION_SCALE:g})")
    parser.add_argument("--postgres-url", default=None,
                        help="server to create a scratch database on (default "
                             f"{DEFAULT_POSTGRES_URL}; skipped with a note if unreachable)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--coverage-runs", type=int, default=COVERAGE_RUNS)
    parser.add_argument("--engine-timeout", type=float, default=ENGINE_TIMEOUT, metavar="S",
                        help="stop one engine's run on one file after this many seconds "
                             f"(default {ENGINE_TIMEOUT:.0f}); the finished steps are kept")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--commit", metavar="REV",
                        help="measure the code of this commit (git archive) instead of the "
                             "working tree others may be editing")
    parser.add_argument("--markdown", action="store_true",
                        help="also print the tables as Markdown (for benchmarks/README.md)")
    parser.add_argument("--report", type=Path, metavar="JSON",
                        help="measure nothing: print the tables of an earlier results file")
    args = parser.parse_args(argv)
    if args.commit:
        rest, given = [], list(sys.argv[1:] if argv is None else argv)
        while given:
            arg = given.pop(0)
            if arg == "--commit":
                given.pop(0)
            elif not arg.startswith("--commit="):
                rest.append(arg)
        run_at_commit(args.commit, rest)
    if args.report:
        earlier: dict[str, Any] = json.loads(args.report.read_text(encoding="utf-8"))
        print_tables(earlier)
        if args.markdown:
            print(markdown(earlier))
        return 0
    if not 0 < args.scale <= 5.0:
        parser.error("--scale must be in (0, 5]")

    postgres_url: str | None = None
    if not args.no_postgres:
        candidate = args.postgres_url or DEFAULT_POSTGRES_URL
        reachable, detail = postgres_reachable(candidate)
        if reachable:
            postgres_url = candidate
        elif args.postgres_url:
            parser.error(f"cannot connect to --postgres-url: {detail}")
        else:
            console.print(f"[yellow]PostgreSQL skipped: cannot connect to {candidate} "
                          f"({detail}); pass --postgres-url to use another server[/yellow]")

    started = datetime.now(UTC)
    demos = [ensure_demo_file(label=f"scale-{args.scale:g}", scale=args.scale)]
    if args.million and args.scale != MILLION_SCALE:
        demos.append(ensure_demo_file(label="1M", scale=MILLION_SCALE))
    results: dict[str, Any] = {
        "benchmark": "registry",
        "started_at": started.isoformat(timespec="seconds"),
        "command": " ".join([
            Path(sys.executable).name, *sys.argv,
            *(["--commit", os.environ[SNAPSHOT_ENV]] if os.environ.get(SNAPSHOT_ENV) else []),
        ]),
        "machine": machine_info(postgres_url),
        "source": source_state(),
        "method": {
            "seed": SEED, "reference_date": REFERENCE_DATE.isoformat(),
            "baseline_runs": BASELINE_RUNS, "coverage_runs": args.coverage_runs,
            "coverage_warmup_runs": 1,
            "ratios": "time of the figure / time of its baseline in the same run",
        },
        "files": [],
    }
    with tempfile.TemporaryDirectory(prefix="jemput-bench-") as tmp:
        work_root = Path(tmp)
        context = import_context(work_root)
        for demo in demos:
            results["files"].append(bench_file(
                demo, context=context, work_root=work_root, postgres_url=postgres_url,
                coverage_runs=args.coverage_runs, engine_timeout=args.engine_timeout,
            ))
    results["aims"] = aims(results["files"])
    results["source_at_end"] = source_state()
    hashes = {results["source"]["src_sha256"], results["source_at_end"]["src_sha256"]}
    hashes |= {e["source"]["src_sha256"] for f in results["files"]
               for e in f["engines"].values() if "source" in e}
    results["src_changed_during_run"] = len(hashes) > 1
    if results["src_changed_during_run"]:
        console.print("[bold red]src/ changed during the run: the engines measured different "
                      "code (see each engine's source.src_sha256); run again[/bold red]")
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["total_seconds"] = round((datetime.now(UTC) - started).total_seconds(), 1)

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    print_tables(results)
    if args.markdown:
        print(markdown(results))
    console.print(f"[dim]written {args.out} in {results['total_seconds']:.0f} s[/dim]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
