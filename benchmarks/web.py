"""The web server under load, on SQLite and PostgreSQL.

With the demo regency loaded (scale 1.0: ≈770,000 residents), a real `jemput serve`
process (`--workers`, default one per core) answers over loopback only:

- dashboard and search latency under 20 concurrent clients;
- "Server": 200 concurrent signed-in clients, each making a few requests over pages,
  search and one resident's full record (which writes an audit entry): errors, 503s
  (queued too long: answered with Retry-After) and p50/p95/p99.

Every figure stands beside a baseline measured in the same run: `/healthz`, which
touches no database, under the same load — the floor of this machine's HTTP stack.
Ratios survive a noisy machine; absolute milliseconds do not. The run is bounded in
requests and in time (--deadline per phase).

    .venv/bin/python benchmarks/web.py [--scale 1.0] [--requests 400] [--crowd 200]
        [--rounds 5] [--workers N] [--no-postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "results"
CLIENTS = 20
CROWD = 200
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REFERENCE_DATE = date(2026, 6, 30)


@dataclass
class Latency:
    name: str
    count: int
    p50_ms: float
    p95_ms: float
    errors: int

    def as_dict(self) -> dict[str, float | int | str]:
        return self.__dict__


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _demo_file(scale: float) -> Path:
    from jemput.demo.generator import SIAK_FILE, generate

    folder = DATA / f"scale-{scale:g}"
    if not (folder / SIAK_FILE).exists():
        generate(output=folder, seed=1, scale=scale, reference_date=REFERENCE_DATE)
    return folder / SIAK_FILE


def _load(url: str, siak: Path) -> None:
    """Migrate, load regions and the demo file, and create a bench user; as an office would."""
    from jemput import db, migrate
    from jemput.regions.service import load_packaged_regions
    from jemput.residents.importer import import_file

    migrate.upgrade(url)
    with db.unit_of_work(url) as session:
        load_packaged_regions(session=session)
    with db.unit_of_work(url) as session:
        import_file(session=session, path=siak, data_date=REFERENCE_DATE,
                    report_dir=Path(tempfile.mkdtemp()))
    db.dispose_engines()


def _token(url: str) -> str:
    from jemput import db
    from jemput.auth import service, sessions

    with db.unit_of_work(url) as session:
        user = service.create_user(
            session=session, username="bench-operator", full_name="Bench", role="operator",
            password="Bangku-panjang-42", scope_region="33.06", actor="benchmark",  # noqa: S106
        )
        token, _ = sessions.create_token(session=session, user=user, name="bench",
                                         actor="benchmark")
    db.dispose_engines()
    return token


def _queries(url: str, count: int) -> list[str]:
    """Names and NIKs of real residents; a third of the names misspelt the usual ways."""
    from jemput.residents.models import Resident

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(Resident.name, Resident.nik).order_by(Resident.id).limit(20000)
        ).all()
    engine.dispose()
    rng = random.Random(7)
    picked = rng.sample(rows, min(count, len(rows)))
    queries = []
    for i, (name, nik) in enumerate(picked):
        if i % 4 == 0:
            queries.append(nik)
        elif i % 3 == 0:
            queries.append(name.replace("U", "OE", 1).replace("Y", "J", 1).lower())
        else:
            queries.append(" ".join(name.split()[:2]))
    return queries


async def _hammer(base: str, token: str, paths: list[str], name: str) -> Latency:
    timings: list[float] = []
    errors = 0
    queue: asyncio.Queue[str] = asyncio.Queue()
    for path in paths:
        queue.put_nowait(path)
    headers = {"Authorization": f"Bearer {token}"}

    async def client() -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=60) as http:
            while not queue.empty():
                path = queue.get_nowait()
                started = time.perf_counter()
                response = await http.get(path)
                timings.append(time.perf_counter() - started)
                errors += response.status_code != 200

    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    timings.sort()
    return Latency(
        name=name, count=len(timings),
        p50_ms=round(1000 * statistics.median(timings), 1),
        p95_ms=round(1000 * timings[int(0.95 * (len(timings) - 1))], 1), errors=errors,
    )


def _resident_ids(url: str, count: int) -> list[int]:
    from jemput.residents.models import Resident

    engine = create_engine(url)
    with engine.connect() as connection:
        ids = list(connection.execute(
            select(Resident.id).order_by(Resident.id).limit(20000)).scalars())
    engine.dispose()
    return random.Random(11).sample(ids, min(count, len(ids)))


def _quantile(timings: list[float], q: float) -> float:
    return round(1000 * timings[min(len(timings) - 1, int(q * len(timings)))], 1)


async def _crowd(base: str, token: str, plans: list[list[str]], name: str,
                 deadline: float) -> dict[str, object]:
    """`len(plans)` clients at once, each on its own connection, each making its requests."""
    timings: list[float] = []
    statuses: Counter[str] = Counter()
    headers = {"Authorization": f"Bearer {token}"}

    async def client(http: httpx.AsyncClient, paths: list[str]) -> None:
        for path in paths:
            started = time.perf_counter()
            try:
                response = await http.get(path)
                statuses[str(response.status_code)] += 1
            except httpx.TransportError as error:
                statuses[type(error).__name__] += 1
            timings.append(time.perf_counter() - started)

    # One httpx client with a connection per simulated client: 200 separate clients
    # would each build an SSL context first, a CPU burst that lands in everyone's timings.
    limits = httpx.Limits(max_connections=len(plans), max_keepalive_connections=len(plans))
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=deadline,
                                 limits=limits) as http:
        try:
            await asyncio.wait_for(asyncio.gather(*(client(http, p) for p in plans)),
                                   deadline)
        except TimeoutError:
            statuses["unfinished (deadline)"] = sum(map(len, plans)) - len(timings)
    wall = time.perf_counter() - started
    timings.sort()
    ok = statuses.get("200", 0)
    return {
        "name": name, "clients": len(plans), "requests": sum(map(len, plans)),
        "ok": ok, "busy_503": statuses.get("503", 0),
        # Anything but 200 and 503, including requests the deadline cut off.
        "errors": sum(statuses.values()) - ok - statuses.get("503", 0),
        "statuses": dict(statuses),
        "p50_ms": _quantile(timings, 0.50), "p95_ms": _quantile(timings, 0.95),
        "p99_ms": _quantile(timings, 0.99), "max_ms": round(1000 * timings[-1], 1),
        "wall_s": round(wall, 2), "throughput_rps": round(len(timings) / wall, 1),
    }


def _server_plans(url: str, clients: int, rounds: int) -> list[list[str]]:
    """Each client's requests: pages, a search, and one resident's full record (audited)."""
    names = _queries(url, clients)
    residents = _resident_ids(url, clients)
    plans = []
    for i in range(clients):
        q = httpx.QueryParams({"q": names[i % len(names)]})
        rid = residents[i % len(residents)]
        menu = ["/", "/api/dasbor", f"/penduduk?{q}", f"/penduduk/{rid}",
                f"/api/penduduk?{q}", f"/api/penduduk/{rid}", "/wilayah/33.06.01"]
        plans.append([menu[(i + k) % len(menu)] for k in range(rounds)])
    return plans


def _ranking_before(query_text: str, query_keys: str, names: list[str]) -> list[float]:
    """The ranking as it was before issue 10: keys folded and both scorers called per name."""
    from rapidfuzz import fuzz, utils

    from jemput.residents.search import name_keys

    return [0.6 * fuzz.token_sort_ratio(query_keys, " ".join(name_keys(name)))
            + 0.4 * fuzz.WRatio(query_text, name, processor=utils.default_process)
            for name in names]


def _search_in_process(url: str, texts: list[str]) -> dict[str, object]:
    """One search at a time, in this process: where a search's time goes, and the ranking
    before and after, on the same candidates (their scores must be equal)."""
    from jemput import db
    from jemput.auth.models import User
    from jemput.residents import search

    parts: dict[str, list[float]] = {"candidates_sql": [], "rank_before": [],
                                     "rank_after": [], "whole_search": []}
    with db.unit_of_work(url) as session:
        user = session.scalars(select(User).where(User.username == "bench-operator")).one()
        for typed in texts:
            query = search.parse_query(typed)
            if query.kind != "nama":
                continue
            started = time.perf_counter()
            rows = session.execute(search.candidate_statement(user=user, query=query)).all()
            parts["candidates_sql"].append(time.perf_counter() - started)
            names = [row.name or "" for row in rows[:search.CANDIDATE_LIMIT]]
            keys = " ".join(query.keys)
            started = time.perf_counter()
            before = _ranking_before(typed, keys, names)
            parts["rank_before"].append(time.perf_counter() - started)
            started = time.perf_counter()
            after = search._scores(typed, keys, names)
            parts["rank_after"].append(time.perf_counter() - started)
            if before != after:
                raise AssertionError(f"ranking changed for a query of {len(names)} names")
            started = time.perf_counter()
            search.search(session=session, user=user, text=typed)
            parts["whole_search"].append(time.perf_counter() - started)
    db.dispose_engines()

    def summary(times: list[float]) -> dict[str, float]:
        times = sorted(times)
        return {"mean_ms": round(1000 * statistics.fmean(times), 2),
                "p95_ms": round(1000 * times[int(0.95 * (len(times) - 1))], 2)}

    out: dict[str, object] = {name: summary(times) for name, times in parts.items()}
    out["name_queries"] = len(parts["whole_search"])
    out["rank_after_over_before"] = round(
        statistics.fmean(parts["rank_after"]) / statistics.fmean(parts["rank_before"]), 3)
    return out


def _measure(url: str, requests: int, *, crowd: int, rounds: int, workers: int,
             deadline: float) -> dict[str, object]:
    token = _token(url)
    in_process = _search_in_process(url, _queries(url, requests))
    port = _free_port()
    env = os.environ | {"JEMPUT_DATABASE_URL": url, "JEMPUT_DATA_DIR": tempfile.mkdtemp()}
    server = subprocess.Popen(
        [sys.executable, "-m", "jemput.cli", "serve", "--port", str(port),
         "--workers", str(workers), "--grace", "5"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        start_deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > start_deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.2)
        searches = [f"/api/penduduk?q={httpx.QueryParams({'q': q})['q']}"
                    for q in _queries(url, requests)]
        asyncio.run(_hammer(base, token, ["/api/dasbor"] * CLIENTS, "warm-up"))
        results = {
            "healthz": asyncio.run(_hammer(base, token, ["/healthz"] * requests, "healthz")),
            "dashboard": asyncio.run(_hammer(base, token, ["/api/dasbor"] * requests,
                                             "dashboard")),
            "search": asyncio.run(_hammer(base, token, searches, "search")),
        }
        plans = _server_plans(url, crowd, rounds)
        load_before = os.getloadavg()
        crowd_healthz = asyncio.run(_crowd(base, token, [["/healthz"] * rounds] * crowd,
                                           "healthz", deadline))
        crowd_pages = asyncio.run(_crowd(base, token, plans, "pages, search, resident",
                                         deadline))
        load_after = os.getloadavg()
    finally:
        server.terminate()
        stopped = server.wait(timeout=60)
    out: dict[str, object] = {k: v.as_dict() for k, v in results.items()}
    out["search_in_process"] = in_process
    floor = results["healthz"].p95_ms or 1.0
    out["p95_ratio_to_healthz"] = {
        k: round(results[k].p95_ms / floor, 1) for k in ("dashboard", "search")
    }
    floor99 = float(crowd_healthz["p99_ms"]) or 1.0  # type: ignore[arg-type]
    out["server"] = {
        "workers": workers, "healthz": crowd_healthz, "pages": crowd_pages,
        "p99_ratio_to_healthz": round(float(crowd_pages["p99_ms"]) / floor99, 1),  # type: ignore[arg-type]
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "exit_code_after_sigterm": stopped,
    }
    return out


def _commit() -> str:
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                          capture_output=True, check=False).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--crowd", type=int, default=CROWD,
                        help="concurrent signed-in clients of the server run")
    parser.add_argument("--rounds", type=int, default=5, help="requests per crowd client")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--deadline", type=float, default=300.0,
                        help="seconds a crowd phase may take before it is cut off")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS / "web.json")
    args = parser.parse_args()

    siak = _demo_file(args.scale)
    rows = sum(1 for _ in siak.open()) - 1
    report: dict[str, object] = {
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    # A shared machine: the load says how far to trust absolute times.
                    "loadavg_at_start": os.getloadavg()},
        "commit": _commit(), "scale": args.scale,
        "residents": rows, "clients": CLIENTS, "requests_per_endpoint": args.requests,
        "crowd": args.crowd, "crowd_rounds": args.rounds, "engines": {},
    }
    engines: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite"
        _load(url, siak)
        engines["sqlite"] = _measure(url, args.requests, crowd=args.crowd, rounds=args.rounds,
                                       workers=args.workers, deadline=args.deadline)
        print(json.dumps(engines["sqlite"], indent=2))
    if not args.no_postgres:
        name = f"jemput_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
            _load(url, siak)
            engines["postgresql"] = _measure(url, args.requests, crowd=args.crowd,
                                             rounds=args.rounds, workers=args.workers,
                                             deadline=args.deadline)
            print(json.dumps(engines["postgresql"], indent=2))
        finally:
            from jemput import db

            db.dispose_engines()
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    report["engines"] = engines
    report["machine"]["loadavg_at_end"] = os.getloadavg()  # type: ignore[index]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
