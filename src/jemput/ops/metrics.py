"""Prometheus metrics: requests, latency, admission, the pool, and jobs by state.

Requests are labelled by the route's path template (`/penduduk/{nik}`), never the
raw path: paths carry NIKs and region codes, and a label per path would be unbounded.

`jemput serve --workers N` runs N processes; each counts its own requests. With more
than one, serving.py points PROMETHEUS_MULTIPROC_DIR at a fresh folder under the data
folder before the workers start, every process writes its values there, and a scrape
(answered by any one worker) sums them. Gauges are "livesum": a worker that exits
cleanly is dropped from the sum; one that crashes keeps its last value until the next
`jemput serve` starts with an empty folder.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from sqlalchemy import Engine, event, func, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jemput import db

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
UNMATCHED_ROUTE = "(tidak dikenal)"

REQUESTS = Counter("jemput_http_requests", "HTTP requests answered, by route template.",
                   ["method", "route", "status"])
LATENCY = Histogram("jemput_http_request_duration_seconds",
                    "Time from request to the end of the response, by route template.",
                    ["method", "route"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60))
ACTIVE = Gauge("jemput_requests_active", "Requests admitted and running (admission.py).",
               multiprocess_mode="livesum")
QUEUED = Gauge("jemput_requests_queued", "Requests waiting for admission.",
               multiprocess_mode="livesum")
POOL_CHECKED_OUT = Gauge("jemput_db_pool_checked_out",
                         "Database connections in use from the pools of all workers.",
                         multiprocess_mode="livesum")
POOL_SIZE = Gauge("jemput_db_pool_size", "Database connections the pools may hold.",
                  multiprocess_mode="livesum")


def prepare_multiprocess_dir(data_dir: Path) -> Path:
    """Empty the metrics folder of an earlier run and return this run's (serve, N > 1)."""
    parent = data_dir / "metrics"
    shutil.rmtree(parent, ignore_errors=True)
    run = parent / f"run-{os.getpid()}"
    run.mkdir(parents=True)
    return run


def observe_admission(active: int, queued: int) -> None:
    ACTIVE.set(active)
    QUEUED.set(queued)


def _checked_out(*_args: Any) -> None:
    POOL_CHECKED_OUT.inc()


def _checked_in(*_args: Any) -> None:
    POOL_CHECKED_OUT.dec()


def watch_pool(engine: Engine) -> None:
    """Count the engine's pooled connections in use (once per engine)."""
    if event.contains(engine, "checkout", _checked_out):
        return
    event.listen(engine, "checkout", _checked_out)
    event.listen(engine, "checkin", _checked_in)
    POOL_SIZE.inc(engine.pool.size() if hasattr(engine.pool, "size") else 0)


def forget_this_process() -> None:
    """Drop this worker's live gauges from the sum (at a clean shutdown)."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(os.getpid())


class JobsCollector:
    """Jobs by kind and state, read from the jobs table when scraped."""

    def __init__(self, url: str) -> None:
        self.url = url

    def collect(self) -> Iterator[Metric]:
        from jemput.jobs.models import Job

        family = GaugeMetricFamily("jemput_jobs", "Background jobs (imports) by kind and state.",
                                   labels=["kind", "state"])
        with db.read_only_session(db.get_engine(self.url)) as session:
            rows = session.execute(
                select(Job.kind, Job.status, func.count()).group_by(Job.kind, Job.status)).all()
        for kind, state, count in rows:
            family.add_metric([kind, state], count)
        yield family


def exposition(url: str) -> bytes:
    """The metrics in Prometheus' text format: every worker's, then the jobs table's."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        processes = generate_latest(registry)
    else:
        processes = generate_latest(REGISTRY)
    jobs = CollectorRegistry(auto_describe=False)
    jobs.register(JobsCollector(url))
    return processes + generate_latest(jobs)


class RequestMetrics:
    """Pure ASGI middleware: counts and times every HTTP request by its route template."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # an exception that escapes every handler

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            method = scope["method"] if scope["method"] in METHODS else "OTHER"
            route = scope.get("route")
            # The router sets the matched route on the scope; a Mount (/static) has a path too.
            template = getattr(route, "path", None) or UNMATCHED_ROUTE
            REQUESTS.labels(method, template, str(status)).inc()
            LATENCY.labels(method, template).observe(time.perf_counter() - started)
