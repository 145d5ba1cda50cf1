"""Logging set-up that keeps personal data out of the server's logs.

A search for a NIK or a name travels in the query string (`/api/penduduk?q=...`);
uvicorn's access log would write it verbatim. We log the path only, and mask any
16-digit number that still appears (a NIK in a path segment).
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

_NIK = re.compile(r"\d{16}")


def scrub(text: str) -> str:
    """Drop the query string and mask 16-digit numbers."""
    path = text.split("?", 1)[0]
    return _NIK.sub(lambda m: m.group(0)[:4] + "•" * 8 + m.group(0)[12:], path)


class AccessLogScrubber(logging.Filter):
    """Scrub the request path of uvicorn access records (args: client, method, path, ...)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) >= 3:
            args = list(record.args)
            args[2] = scrub(str(args[2]))
            record.args = tuple(args)
        return True


def uvicorn_log_config() -> dict[str, Any]:
    """Return uvicorn's default logging config with the scrubber on the access log."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["scrub"] = {"()": AccessLogScrubber}
    config["handlers"]["access"]["filters"] = ["scrub"]
    return config
