"""Admission control: at most N requests inside the app at once; the rest wait outside.

A request holds a pooled database connection from authentication until its response
is written, and it needs a worker thread for its handler (and a second connection for
its audit entry). Let more requests in than there are threads and connections, and
they deadlock: holders wait for threads that are all blocked waiting for connections,
until the pool times out with a 500. Waiting here, before any connection is taken,
turns a burst into a short queue instead.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

# Paths that touch no database: a liveness probe must answer even when the app is busy.
EXEMPT_PREFIXES = ("/healthz", "/static/", "/favicon.ico")


class AdmissionLimit:
    """Pure ASGI middleware: let at most `limit` HTTP requests run at the same time."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.app = app
        self.limit = limit
        # Created on first use, inside the server's event loop.
        self._slots: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limit)
        async with self._slots:
            await self.app(scope, receive, send)
