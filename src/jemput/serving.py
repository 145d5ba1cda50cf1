"""`jemput serve`: uvicorn worker processes, and a shutdown that always ends.

A service manager stops Jemput with SIGTERM. Uvicorn then stops accepting, lets
in-flight requests finish for `grace` seconds and cancels the rest; but a handler
blocked in the database (a lock wait, a full pool) runs in a thread that cannot be
cancelled, and the process would wait for it at exit, holding its port until SIGKILL.
So each worker also arms a watchdog on the first SIGTERM that ends the process a few
seconds after the grace period, whatever it is still waiting for. Its open
transactions roll back with its connections, as after any crash.
"""

from __future__ import annotations

import logging
import math
import os
import signal
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import FrameType
from typing import Any

from fastapi import FastAPI

from jemput.jobs.worker import lifespan as jobs_lifespan

log = logging.getLogger(__name__)

# Beyond the grace period: time for the lifespan's shutdown (the job worker's thread).
WATCHDOG_MARGIN_SECONDS = 5.0
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def default_workers() -> int:
    """Worker processes by default: one per core, at least one, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


def _arm_watchdog(grace: float) -> None:
    """Wrap uvicorn's signal handlers so that the first stop signal starts the watchdog.

    Only under uvicorn's own handlers in the main thread (`jemput serve`, `uvicorn`):
    an app served from a test's thread is left alone.
    """
    if threading.current_thread() is not threading.main_thread():
        return
    armed = threading.Event()

    def expire() -> None:
        log.warning("shutdown grace period over: abandoning requests still in flight")
        logging.shutdown()
        os._exit(0)

    for sig in STOP_SIGNALS:
        previous = signal.getsignal(sig)
        if not callable(previous) or type(getattr(previous, "__self__", None)).__module__ != (
            "uvicorn.server"
        ):
            continue

        def on_stop(signum: int, frame: FrameType | None, previous: Any = previous) -> None:
            if not armed.is_set():
                armed.set()
                timer = threading.Timer(grace + WATCHDOG_MARGIN_SECONDS, expire)
                timer.daemon = True
                timer.start()
            previous(signum, frame)

        signal.signal(sig, on_stop)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The web app's lifespan: the shutdown watchdog, and the job worker of this process."""
    from jemput.ops import metrics

    _arm_watchdog(app.state.settings.shutdown_grace)
    async with jobs_lifespan(app):
        yield
    metrics.forget_this_process()


def _exit_cleanly(_signum: int, _frame: FrameType | None) -> None:
    # Uvicorn re-raises the stop signal once it has shut down; with the default action
    # the process would end "killed by SIGTERM" instead of exiting 0 as a service should.
    raise SystemExit(0)


KEEP_ALIVE_SECONDS = 75


def serve(*, host: str, port: int, workers: int, grace: float) -> None:
    """Serve the app with `workers` processes; on SIGTERM exit 0 within about `grace` s."""
    import uvicorn

    from jemput.config import get_settings
    from jemput.logs import uvicorn_log_config

    # The workers are fresh interpreters that read their settings from the environment:
    # they learn how many they are (to share the connections) and the grace period.
    os.environ["JEMPUT_WORKERS"] = str(workers)
    os.environ["JEMPUT_SHUTDOWN_GRACE"] = str(grace)
    get_settings.cache_clear()
    settings = get_settings()
    if workers > 1:
        # Before any worker imports prometheus_client: each then writes its counters to
        # files here, and a scrape answered by one of them sums all (ops/metrics.py).
        from jemput.ops.metrics import MULTIPROC_ENV, prepare_multiprocess_dir

        os.environ[MULTIPROC_ENV] = str(prepare_multiprocess_dir(settings.data_dir))
    for sig in STOP_SIGNALS:
        signal.signal(sig, _exit_cleanly)
    uvicorn.run("jemput.web:create_app", factory=True, host=host, port=port,
                workers=workers, timeout_graceful_shutdown=math.ceil(grace),
                # A worker starting on a loaded machine takes seconds to import the app;
                # uvicorn's 5 s default had the parent kill and restart it, again and again.
                timeout_worker_healthcheck=60,
                # An idle kept-alive connection closed by the server just as the client
                # sends on it is a failed request to the client (1-2 in 1,000 under 200
                # clients with uvicorn's 5 s). Browsers and proxies keep theirs up to a
                # minute or more, so the server keeps them longer than that.
                timeout_keep_alive=KEEP_ALIVE_SECONDS,
                log_config=uvicorn_log_config(settings))
