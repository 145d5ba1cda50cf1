"""Admission control: at most N requests inside the app at once; the rest queue briefly.

A request holds one pooled database connection from authentication until its response
is written, and it needs a worker thread for its handler. Let more requests in than
there are threads and connections, and they wait on each other inside the app until
the pool times out. Waiting here, before any connection is taken, turns a burst into
a short queue; a request that still finds no room after `queue_seconds` is answered
503 with Retry-After at once, so a client retries instead of hanging for a minute.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Callable

from starlette.types import ASGIApp, Receive, Scope, Send

# Paths that touch no database: a liveness probe must answer even when the app is busy.
EXEMPT_PREFIXES = ("/healthz", "/static/", "/favicon.ico")

# Seconds a client is asked to wait before trying again.
RETRY_AFTER_SECONDS = 2
BUSY_MESSAGE = ("Server sedang melayani banyak permintaan sekaligus; permintaan ini belum "
                f"dikerjakan. Coba lagi dalam {RETRY_AFTER_SECONDS} detik.")
_BUSY_PAGE = (
    "<!doctype html><html lang=\"id\"><head><meta charset=\"utf-8\">"
    "<title>Server sibuk — Jemput</title></head><body><h1>Server sibuk (503)</h1>"
    f"<p>{BUSY_MESSAGE}</p><p><a href=\"\">Muat ulang halaman</a></p></body></html>"
)


def busy_body(path: str) -> tuple[bytes, bytes]:
    """The 503 body and its content type: JSON under /api/, a small page elsewhere."""
    if path.startswith("/api/"):
        return json.dumps({"detail": BUSY_MESSAGE}).encode(), b"application/json"
    return _BUSY_PAGE.encode(), b"text/html; charset=utf-8"


async def send_busy(scope: Scope, send: Send) -> None:
    body, content_type = busy_body(scope.get("path", ""))
    await send({"type": "http.response.start", "status": 503, "headers": [
        (b"content-type", content_type), (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
    ]})
    await send({"type": "http.response.body", "body": body})


def _refuse(turn: asyncio.Future[bool]) -> None:
    if not turn.done():
        turn.set_result(False)


class AdmissionLimit:
    """Pure ASGI middleware: at most `limit` HTTP requests run at the same time.

    Waiters are served in arrival order; one that waits longer than `queue_seconds`
    gets 503. Slots are counted by hand rather than with asyncio.Semaphore and
    wait_for: a time-out racing a release must neither lose the slot nor admit twice.
    """

    def __init__(self, app: ASGIApp, *, limit: int, queue_seconds: float = 5.0,
                 observe: Callable[[int, int], None] | None = None) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.app = app
        self.limit = limit
        self.queue_seconds = queue_seconds
        self.active = 0
        self._waiters: deque[asyncio.Future[bool]] = deque()
        # Told (active, queued) after every change: the metrics' gauges.
        self._observe = observe or (lambda _active, _queued: None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        if not await self._enter():
            await send_busy(scope, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._leave()

    async def _enter(self) -> bool:
        if self.active < self.limit and not self._waiters:
            self.active += 1
            self._observe(self.active, len(self._waiters))
            return True
        loop = asyncio.get_running_loop()
        turn: asyncio.Future[bool] = loop.create_future()
        self._waiters.append(turn)
        self._observe(self.active, len(self._waiters))
        timer = loop.call_later(self.queue_seconds, _refuse, turn)
        try:
            return await turn
        except asyncio.CancelledError:
            # The client went away while queued. If its turn had just come, pass it on.
            if turn.done() and not turn.cancelled() and turn.result():
                self._leave()
            turn.cancel()
            raise
        finally:
            timer.cancel()
            if turn in self._waiters:
                self._waiters.remove(turn)
            self._observe(self.active, len(self._waiters))

    def _leave(self) -> None:
        # Hand the slot straight to the oldest waiter still waiting (active stays the same).
        while self._waiters:
            turn = self._waiters.popleft()
            if not turn.done():
                turn.set_result(True)
                self._observe(self.active, len(self._waiters))
                return
        self.active -= 1
        self._observe(self.active, len(self._waiters))
