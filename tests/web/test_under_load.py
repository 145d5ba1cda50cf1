"""Two hundred signed-in requests at once against a real server: none of them fails.

Page views hold a database connection from authentication to the end of the response.
Before admission control, 200 concurrent requests held more connections than the pool
had, the rest waited on the pool inside the threads the holders needed, and they ended
in 500s after the pool's time-out. Bounded in count; nothing here measures time.

The server here lets a request queue for a minute: what is tested is that waiting for a
connection never turns into an error. On a slow or busy machine 200 requests may take
longer than the production queue of 5 s, and the 503 a request gets after that queue
is tested on its own (tests/web/test_serve.py).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from jemput.config import Settings
from tests.conftest import serving_in_thread
from tests.personas import signed_in_cookies
from tests.reports.conftest import import_people, people

CONCURRENT = 200
PATHS = ["/api/dasbor", "/api/wilayah/33.06.01", "/api/penduduk?q=WARSINI", "/",
         "/wilayah/33.06.01.2001", "/api/me"]


async def _burst(base: str, cookies: httpx.Cookies) -> Counter[int]:
    limits = httpx.Limits(max_connections=CONCURRENT, max_keepalive_connections=CONCURRENT)
    timeout = httpx.Timeout(180.0)
    async with httpx.AsyncClient(base_url=base, cookies=cookies, limits=limits,
                                 timeout=timeout) as client:
        requests = [client.get(PATHS[i % len(PATHS)]) for i in range(CONCURRENT)]
        responses = await asyncio.gather(*requests)
    return Counter(response.status_code for response in responses)


def test_two_hundred_concurrent_signed_in_requests_all_succeed(
    migrated_database: str, personas, tmp_path: Path
):
    import_people(tmp_path, people())
    settings = Settings(database_url=migrated_database, environment="development",
                        data_dir=tmp_path / "var", queue_seconds=60)
    with serving_in_thread(settings) as base:
        cookies = signed_in_cookies(base, "operator")
        # A thread of its own: other tests (Playwright's sync API) may leave an event loop
        # running in this one, and asyncio.run refuses to nest.
        with ThreadPoolExecutor(max_workers=1) as runner:
            statuses = runner.submit(lambda: asyncio.run(_burst(base, cookies))).result()
    assert statuses == Counter({200: CONCURRENT}), statuses
